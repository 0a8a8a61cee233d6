"""The personal set: kept on disk as IDX, round-trips, holds drawings out, refuses bad files."""

import numpy as np
import pytest

from nndraw.data.idx import read_idx, write_idx
from nndraw.data.personal import IMAGES, LABELS, PersonalSet, held_out
from nndraw.errors import DataFileError


def drawing(seed):
    return np.random.default_rng(seed).random((28, 28)).astype(np.float32)


def test_added_drawings_are_on_disk_as_idx_and_reload(tmp_path):
    folder = tmp_path / "app-data"
    kept = PersonalSet(folder)
    assert len(kept) == 0 and not folder.exists()
    for i in range(3):
        kept.add(drawing(i), label=i + 4)
    images, labels = read_idx(folder / IMAGES), read_idx(folder / LABELS)
    assert images.shape == (3, 28, 28) and images.dtype == np.uint8
    assert labels.tolist() == [4, 5, 6]
    np.testing.assert_array_equal(images[1], np.round(drawing(1) * 255))
    back = PersonalSet(folder)
    np.testing.assert_array_equal(back.images, kept.images)
    assert back.labels.tolist() == [4, 5, 6]


def test_relabel_delete_and_no_temporary_files_left(tmp_path):
    kept = PersonalSet(tmp_path)
    for i in range(4):
        kept.add(drawing(i), label=i)
    kept.relabel(2, 9)
    kept.delete([0, 3])
    back = PersonalSet(tmp_path)
    assert back.labels.tolist() == [1, 9]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([IMAGES, LABELS])


def test_held_out_drawings_start_at_two_and_never_move():
    assert not held_out(1).any()
    assert held_out(2).tolist() == [False, True]
    assert np.flatnonzero(held_out(12)).tolist() == [1, 6, 11]


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


@pytest.mark.parametrize("images, labels, message", [
    (np.zeros((2, 28, 28), np.uint8), np.zeros(3, np.uint8), "expected 2"),
    (np.zeros((2, 20, 20), np.uint8), np.zeros(2, np.uint8), "n x 28 x 28"),
    (np.zeros((1, 28, 28), np.uint8), np.full(1, 12, np.uint8), "0 to 9"),
])
def test_bad_files_are_refused_by_name(tmp_path, images, labels, message):
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


def test_an_empty_set_gives_empty_splits(tmp_path):
    taught, test = PersonalSet(tmp_path).splits()
    assert taught.images.shape == (0, 784) and len(test.labels) == 0
