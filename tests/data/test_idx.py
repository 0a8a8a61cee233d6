"""IDX files: what MNIST ships reads back exactly; anything malformed is named and refused."""

import gzip
import hashlib
import os
import tracemalloc

import numpy as np
import pytest

from nndraw.data.datasets import load_idx_folder, load_mnist
from nndraw.data.idx import read_idx, write_idx
from nndraw.errors import DataFileError
from nndraw.paths import resource_path

RAW_MD5 = {"train-images-idx3-ubyte.gz": "6bbc9ace898e44ae57da46a324031adb",
           "t10k-images-idx3-ubyte.gz": "2646ac647ad5339dbf082846283269ea"}


@pytest.mark.parametrize("name", sorted(RAW_MD5))
def test_bundled_mnist_is_the_canonical_file(name):
    with gzip.open(resource_path("mnist", name)) as f:
        assert hashlib.md5(f.read()).hexdigest() == RAW_MD5[name]


def test_load_mnist_returns_arrays_ready_for_training(mnist):
    train, test = mnist
    assert train.images.shape == (60000, 784) and test.images.shape == (10000, 784)
    assert train.images.dtype == np.float32
    assert 0.0 == train.images.min() and train.images.max() == 1.0
    assert train.labels.shape == (60000,) and set(np.unique(test.labels)) == set(range(10))
    x, y = train  # unpacks as (X, y), the form SGD takes
    assert x is train.images and y is train.labels


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip(tmp_path, suffix):
    array = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    write_idx(tmp_path / f"a{suffix}", array)
    back = read_idx(tmp_path / f"a{suffix}")
    assert back.dtype == np.uint8 and np.array_equal(back, array)


def test_other_types_round_trip(tmp_path):
    for dtype in (np.int16, np.int32, np.float32, np.float64, np.int8):
        array = np.arange(-3, 3, dtype=dtype).reshape(2, 3)
        write_idx(tmp_path / "x", array)
        np.testing.assert_array_equal(read_idx(tmp_path / "x"), array)


def header(dims, code=0x08):
    return bytes([0, 0, code, len(dims)]) + np.array(dims, ">u4").tobytes()


@pytest.mark.parametrize("content,message", [
    (b"", "bad magic number empty"),
    (b"\x89PNG\r\n\x1a\n....", "not an IDX file"),
    (bytes([0, 0, 0x07, 1, 0, 0, 0, 1, 5]), "bad magic"),
    (header([10, 28, 28])[:9], "truncated IDX header"),
    (header([10, 28, 28]) + bytes(100), "truncated: expected 7840 bytes"),
    (header([2]) + bytes(3), "data after"),
    (header([1_000_000_000, 28, 28]), "more than nndraw reads"),
])
def test_malformed_files_are_refused_by_name(tmp_path, content, message):
    for name, data in (("bad-idx3-ubyte", content), ("bad-idx3-ubyte.gz", gzip.compress(content))):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(DataFileError, match=message) as info:
            read_idx(path)
        assert name in str(info.value)


def test_a_billion_image_header_is_refused_before_allocating(tmp_path):
    path = tmp_path / "huge-idx3-ubyte"
    path.write_bytes(header([1_000_000_000, 28, 28]) + bytes(1000))
    tracemalloc.start()
    try:
        with pytest.raises(DataFileError, match="more than nndraw reads"):
            read_idx(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1 << 20       # refused from the header: nothing near its size allocated


def test_corrupt_gzip_stream_is_refused(tmp_path):
    path = tmp_path / "broken-idx1-ubyte.gz"
    path.write_bytes(gzip.compress(header([100]) + bytes(100))[:25])
    with pytest.raises(DataFileError, match="broken-idx1-ubyte.gz"):
        read_idx(path)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DataFileError, match="no such file"):
        read_idx(tmp_path / "nothing")
    with pytest.raises(DataFileError, match="is a folder"):
        read_idx(tmp_path)
    with pytest.raises(DataFileError, match="no such folder"):
        load_mnist(tmp_path / "nowhere")
    with pytest.raises(DataFileError, match="no train images file"):
        load_mnist(tmp_path)


def write_set(folder, n_train=20, n_train_labels=20, image_shape=(28, 28)):
    folder.mkdir(exist_ok=True)
    write_idx(folder / "train-images-idx3-ubyte", np.zeros((n_train, *image_shape), np.uint8))
    write_idx(folder / "train-labels-idx1-ubyte", np.zeros(n_train_labels, np.uint8))
    write_idx(folder / "t10k-images-idx3-ubyte.gz", np.zeros((5, *image_shape), np.uint8))
    write_idx(folder / "t10k-labels-idx1-ubyte.gz", np.zeros(5, np.uint8))


def test_any_folder_of_four_idx_files_loads(tmp_path):
    write_set(tmp_path / "set")
    train, test = load_idx_folder(tmp_path / "set")
    assert train.images.shape == (20, 784) and test.images.shape == (5, 784)


@pytest.mark.parametrize("n_images, n_labels, blamed", [
    (19, 20, "train-images-idx3-ubyte: holds only 19 images for the 20 labels of "
             "train-labels-idx1-ubyte"),
    (20, 19, "train-labels-idx1-ubyte: holds only 19 labels for the 20 images of "
             "train-images-idx3-ubyte"),
])
def test_a_count_mismatch_blames_the_shorter_file(tmp_path, n_images, n_labels, blamed):
    write_set(tmp_path / "set", n_train=n_images, n_train_labels=n_labels)
    with pytest.raises(DataFileError) as info:
        load_idx_folder(tmp_path / "set")
    assert str(info.value).startswith(blamed)


def test_the_load_cap_counts_the_float_copy_and_holds(tmp_path, monkeypatch):
    """A gzip of a few kilobytes can announce a million values: the cap counts what loading
    really allocates (bytes read, then float32), and the peak stays under it."""
    import tracemalloc

    from nndraw.data import datasets

    write_set(tmp_path / "set", n_train=1000, n_train_labels=1000)   # 784,000 values
    monkeypatch.setattr(datasets, "MAX_LOADED_BYTES", 3_500_000)      # > 1 byte, < 5 a value
    with pytest.raises(DataFileError, match="more than nndraw reads"):
        load_idx_folder(tmp_path / "set")
    monkeypatch.setattr(datasets, "MAX_LOADED_BYTES", 5_000_000)
    tracemalloc.start()
    try:
        train, _ = load_idx_folder(tmp_path / "set")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert train.images.shape == (1000, 784)
    assert peak <= 5_000_000


def test_a_fifo_is_refused_without_hanging(tmp_path):
    os.mkfifo(tmp_path / "pipe-idx3-ubyte")
    with pytest.raises(DataFileError, match="not a regular file"):
        read_idx(tmp_path / "pipe-idx3-ubyte")


def test_labels_given_as_images_are_refused(tmp_path):
    folder = tmp_path / "set"
    write_set(folder)
    write_idx(folder / "train-labels-idx1-ubyte", np.zeros((20, 2, 2), np.uint8))
    with pytest.raises(DataFileError, match="expected a list of labels"):
        load_idx_folder(folder)
