"""The personal set: kept in one SQLite database that several processes can keep into at once,
holds drawings out by id, imports the older IDX pair, reports damage without deleting."""

import multiprocessing
import os
import signal
import time

import numpy as np
import pytest

from nndraw.data import personal
from nndraw.data.idx import write_idx
from nndraw.data.personal import DATABASE, IMAGES, LABELS, PersonalSet, held_out
from nndraw.errors import DataFileError


def drawing(seed):
    return np.random.default_rng(seed).random((28, 28)).astype(np.float32)


def as_stored(image):
    return np.round(np.clip(image, 0, 1) * 255).astype(np.uint8)


def test_added_drawings_are_in_the_database_and_reload(tmp_path):
    folder = tmp_path / "app-data"
    kept = PersonalSet(folder)
    assert len(kept) == 0 and not folder.exists()
    for i in range(3):
        kept.add(drawing(i), label=i + 4)
    assert (folder / DATABASE).is_file()
    back = PersonalSet(folder)
    np.testing.assert_array_equal(back.images, kept.images)
    np.testing.assert_array_equal(back.images[1], as_stored(drawing(1)))
    assert back.labels.tolist() == [4, 5, 6] and back.ids.tolist() == [1, 2, 3]


def test_relabel_delete_and_nothing_else_left_in_the_folder(tmp_path):
    kept = PersonalSet(tmp_path)
    for i in range(4):
        kept.add(drawing(i), label=i)
    kept.relabel(2, 9)
    kept.delete([0, 3])
    back = PersonalSet(tmp_path)
    assert back.labels.tolist() == [1, 9]
    assert [p.name for p in tmp_path.iterdir()] == [DATABASE]


def test_a_change_acts_on_the_drawing_shown_even_after_another_window_deleted(tmp_path):
    mine, other = PersonalSet(tmp_path), PersonalSet(tmp_path)
    for i in range(4):
        mine.add(drawing(i), label=i)
    shown = mine.ids.tolist()         # what this window's dialog shows: [1, 2, 3, 4]
    other.reload()
    other.delete([0])                 # another window deletes the first drawing
    mine.relabel_drawings([shown[2]], 9)   # the third drawing as this window showed it
    mine.delete_drawings([shown[3]])
    assert PersonalSet(tmp_path).labels.tolist() == [1, 9]
    assert np.array_equal(mine.images[1], as_stored(drawing(2)))


def test_held_out_drawings_start_at_two_and_never_move():
    assert not held_out([1]).any()
    assert held_out([1, 2]).tolist() == [False, True]
    assert np.flatnonzero(held_out(np.arange(1, 13))).tolist() == [1, 6, 11]


def test_the_held_out_choice_does_not_move_when_drawings_are_deleted(tmp_path):
    kept = PersonalSet(tmp_path)
    for i in range(8):
        kept.add(drawing(i), label=i)
    assert kept.splits()[1].labels.tolist() == [1, 6]
    PersonalSet(tmp_path).delete([0, 2])      # another process deletes two taught drawings
    taught, test = kept.splits()               # re-read from the database
    assert test.labels.tolist() == [1, 6]
    assert taught.labels.tolist() == [3, 4, 5, 7]


def test_splits_keep_held_out_drawings_apart(tmp_path):
    kept = PersonalSet(tmp_path)
    for i in range(7):
        kept.add(drawing(i), label=i)
    taught, test = kept.splits()
    assert test.labels.tolist() == [1, 6]
    assert taught.labels.tolist() == [0, 2, 3, 4, 5]
    assert taught.images.shape == (5, 784) and taught.images.max() <= 1.0


def test_export_writes_an_idx_folder_that_loads(tmp_path):
    from nndraw.data.datasets import load_idx_folder

    kept = PersonalSet(tmp_path / "set")
    for i in range(6):
        kept.add(drawing(i), label=i)
    kept.export(tmp_path / "out")
    train, test = load_idx_folder(tmp_path / "out")
    assert train.labels.tolist() == [0, 2, 3, 4, 5] and test.labels.tolist() == [1]


def test_bad_labels_are_refused(tmp_path):
    kept = PersonalSet(tmp_path)
    with pytest.raises(ValueError, match="0 to 9"):
        kept.add(drawing(0), label=10)
    with pytest.raises(ValueError, match="28x28"):
        kept.add(np.zeros((20, 20)), label=1)


# ---------------------------------------------------------------- several processes at once
def drawing_of(writer, i):
    """A drawing that says who kept it: pixel 0 the writer, pixel 1 the count."""
    image = np.zeros((28, 28), np.float32)
    image[0, 0], image[0, 1], image[5:20, 10] = writer / 255, i / 255, 1
    return image


def label_of(writer, i):
    return (3 * writer + i) % 10


def keep_many(folder, writer, count, ready):
    kept = PersonalSet(folder)        # one window, kept open, as in the app
    ready.wait()
    for i in range(count):
        kept.add(drawing_of(writer, i), label_of(writer, i))


def test_two_processes_keeping_50_each_end_with_100_all_labelled_right(tmp_path):
    context = multiprocessing.get_context("spawn")
    ready = context.Event()
    writers = [context.Process(target=keep_many, args=(tmp_path, w, 50, ready))
               for w in (1, 2)]
    for p in writers:
        p.start()
    ready.set()
    for p in writers:
        p.join(120)
        assert p.exitcode == 0
    kept = PersonalSet(tmp_path)
    assert len(kept) == 100
    seen = set()
    for image, label in zip(kept.images, kept.labels):
        writer, i = int(image[0, 0]), int(image[0, 1])
        assert label == label_of(writer, i)
        seen.add((writer, i))
    assert seen == {(w, i) for w in (1, 2) for i in range(50)}


def keep_until_killed(folder, writer, acks):
    kept = PersonalSet(folder)
    for i in range(10_000):
        kept.add(drawing_of(writer, i), label_of(writer, i))
        acks.send(i)


def kill_while_keeping(context, folder, writer, after, rng):
    """A process keeping `writer`'s drawings into `folder`, SIGKILLed somewhere inside the
    keep after its `after`-th; returns how many keeps it confirmed before the kill landed."""
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=keep_until_killed, args=(folder, writer, send))
    child.start()
    for _ in range(after):
        receive.recv()
    time.sleep(rng.uniform(0, 0.005))    # somewhere inside the next keep
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    acked = after
    while receive.poll():                # keeps confirmed before the kill landed
        receive.recv()
        acked += 1
    return acked


def test_a_kill_in_the_middle_of_keeping_loses_at_most_the_keep_in_flight(tmp_path):
    context = multiprocessing.get_context("spawn")
    rng = np.random.default_rng(0)
    total = 0
    for writer in range(1, 9):
        acked = kill_while_keeping(context, tmp_path, writer, int(rng.integers(5, 40)), rng)
        kept = PersonalSet(tmp_path)             # opens: nothing half-written refuses it
        mine = [(int(x[0, 0]), int(x[0, 1]), y) for x, y in zip(kept.images, kept.labels)
                if int(x[0, 0]) == writer]
        assert acked <= len(mine) <= acked + 1   # at most the keep in flight is lost
        assert all(y == label_of(w, i) for w, i, y in mine)
        total += len(mine)
    assert len(PersonalSet(tmp_path)) == total


# ---------------------------------------------------------------- the older IDX pair
def test_an_older_idx_pair_is_imported_once_and_left_in_place(tmp_path):
    images = np.stack([as_stored(drawing(i)) for i in range(7)])
    labels = np.arange(7, dtype=np.uint8)
    write_idx(tmp_path / IMAGES, images)
    write_idx(tmp_path / LABELS, labels)
    pair = {name: (tmp_path / name).read_bytes() for name in (IMAGES, LABELS)}
    kept = PersonalSet(tmp_path)
    assert kept.labels.tolist() == list(range(7))
    np.testing.assert_array_equal(kept.images, images)
    assert kept.splits()[1].labels.tolist() == [1, 6]    # the same drawings held out
    kept.add(drawing(9), 9)
    kept.delete([0])
    again = PersonalSet(tmp_path)                         # not imported a second time
    assert again.labels.tolist() == [1, 2, 3, 4, 5, 6, 9]
    assert (tmp_path / DATABASE).is_file()
    assert {name: (tmp_path / name).read_bytes() for name in (IMAGES, LABELS)} == pair


@pytest.mark.parametrize("images, labels, message", [
    (np.zeros((2, 28, 28), np.uint8), np.zeros(3, np.uint8), "images-idx3-ubyte: holds 2 "),
    (np.zeros((3, 28, 28), np.uint8), np.zeros(2, np.uint8), "labels-idx1-ubyte: holds 2 "),
    (np.zeros((2, 20, 20), np.uint8), np.zeros(2, np.uint8), "n x 28 x 28"),
    (np.zeros((1, 28, 28), np.uint8), np.full(1, 12, np.uint8), "0 to 9"),
])
def test_a_bad_older_pair_is_refused_by_name(tmp_path, images, labels, message):
    write_idx(tmp_path / IMAGES, images)
    write_idx(tmp_path / LABELS, labels)
    with pytest.raises(DataFileError, match=message) as info:
        PersonalSet(tmp_path)
    assert "personal-" in str(info.value)


def test_garbage_and_missing_half_are_refused(tmp_path):
    (tmp_path / IMAGES).write_bytes(b"not an idx file")
    with pytest.raises(DataFileError, match="personal-images"):
        PersonalSet(tmp_path)
    (tmp_path / IMAGES).unlink()
    write_idx(tmp_path / LABELS, np.zeros(1, np.uint8))
    with pytest.raises(DataFileError, match="no such file"):
        PersonalSet(tmp_path)


# ---------------------------------------------------------------- damage and failures
def test_a_garbage_database_is_reported_in_one_line_and_left_alone(tmp_path):
    (tmp_path / DATABASE).write_bytes(b"x" * 5000)
    with pytest.raises(DataFileError, match="0 drawings can still be read") as info:
        PersonalSet(tmp_path)
    assert "\n" not in str(info.value) and DATABASE in str(info.value)
    assert (tmp_path / DATABASE).read_bytes() == b"x" * 5000


def test_a_damaged_database_says_how_many_drawings_can_still_be_read(tmp_path):
    kept = PersonalSet(tmp_path)
    for i in range(60):
        kept.add(drawing(i), label=i % 10)
    path = tmp_path / DATABASE
    data = bytearray(path.read_bytes())
    page = 4096
    pages = len(data) // page
    target = pages // 2                      # a leaf page in the middle of the drawings
    data[target * page:target * page + 16] = b"\xff" * 16
    path.write_bytes(bytes(data))
    with pytest.raises(DataFileError) as info:
        PersonalSet(tmp_path)
    message = str(info.value)
    assert "\n" not in message and "can still be read" in message
    readable = int(message.split("; ")[-2].split()[0])
    assert 0 < readable < 60
    assert path.read_bytes() == bytes(data)


def test_a_keep_that_fails_on_a_full_disk_is_not_saved_later(tmp_path, monkeypatch):
    kept = PersonalSet(tmp_path)
    kept.add(drawing(0), 0)
    real = personal._Connection.__enter__

    def full(self):
        db = real(self)
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")   # SQLite's own "disk is full"
        return db

    with monkeypatch.context() as patch:
        patch.setattr(personal._Connection, "__enter__", full)
        with pytest.raises(DataFileError, match="could not keep the drawing") as info:
            for i in range(1, 40):       # the first pages still have room for a few
                kept.add(drawing(i), 1)
    assert "full" in str(info.value) and "unchanged" in str(info.value)
    stored = len(kept)
    kept.add(drawing(99), 9)
    back = PersonalSet(tmp_path)
    assert len(back) == stored + 1 and back.labels[-1] == 9


def test_an_empty_set_gives_empty_splits(tmp_path):
    taught, test = PersonalSet(tmp_path).splits()
    assert taught.images.shape == (0, 784) and len(test.labels) == 0
