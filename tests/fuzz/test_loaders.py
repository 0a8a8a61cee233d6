"""Every loader, fed truncated, oversized, mislabelled and random bytes: each either loads
valid data or raises nndraw's own clear error naming the file. Never another exception,
never a hang (a deadline per example), never an allocation the file's size cannot justify."""

import gzip
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nndraw import Network
from nndraw.data.idx import read_idx, write_idx
from nndraw.data.personal import DATABASE, IMAGES, LABELS, PersonalSet
from nndraw.errors import DataFileError, ModelFileError, NndrawError
from nndraw.training.config import TrainConfig
from nndraw.training.model_io import load_model, save_model
from nndraw.training.records import Evaluation
from nndraw.training.runs import RUN_MEMBER, load_run, read_run_file, save_run

# NNDRAW_FUZZ_EXAMPLES=5000 for a long hunt; the default keeps the suite quick.
FUZZ = settings(max_examples=int(os.environ.get("NNDRAW_FUZZ_EXAMPLES", 150)), deadline=2000,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])


@pytest.fixture(scope="module")
def folder():
    path = Path(tempfile.mkdtemp(prefix="nndraw-fuzz-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


def write(folder, name, data):
    path = folder / name
    path.write_bytes(data)
    return path


def loads_or_names_file(load, path, error, name=None):
    """load(path), or None after checking that it raised `error` naming the file."""
    try:
        return load(path)
    except error as exc:
        assert (name or path.name) in str(exc)
        return None


def mutate(data, edits):
    """Apply (position, kind, byte) edits: overwrite, insert or delete one byte each."""
    data = bytearray(data)
    for position, kind, byte in edits:
        if not data:
            break
        i = position % len(data)
        if kind == 0:
            data[i] = byte
        elif kind == 1:
            data.insert(i, byte)
        else:
            del data[i]
    return bytes(data)


edits = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 2), st.integers(0, 255)),
                 min_size=1, max_size=8)


# ------------------------------------------------------------------ IDX
def idx_header(code, dims):
    return bytes([0, 0, code, len(dims)]) + np.array(dims, ">u4").tobytes()


@st.composite
def idx_files(draw):
    """A header that may lie (any type code, any dimensions up to 2^32 - 1), then a payload
    of any length, maybe gzipped."""
    code = draw(st.sampled_from([0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E, 0x00, 0x07, 0xFF]))
    dims = draw(st.lists(st.one_of(st.integers(0, 40), st.integers(0, 2**32 - 1)),
                         min_size=0, max_size=4))
    payload = draw(st.binary(max_size=3000))
    data = idx_header(code, dims) + payload
    if draw(st.booleans()):
        data = draw(st.one_of(st.just(data), st.binary(max_size=200)))
    return gzip.compress(data) if draw(st.booleans()) else data


def check_idx(path):
    array = loads_or_names_file(read_idx, path, DataFileError)
    assert array is None or isinstance(array, np.ndarray)


@FUZZ
@given(data=idx_files())
def test_idx_reader(folder, data):
    check_idx(write(folder, "fuzz-idx3-ubyte", data))


@FUZZ
@given(changes=edits, gz=st.booleans())
def test_idx_reader_on_damaged_mnist(folder, changes, gz):
    buffer = io.BytesIO()
    write_idx(buffer, np.arange(5 * 6 * 7, dtype=np.uint8).reshape(5, 6, 7))
    data = buffer.getvalue()
    if gz:
        data = gzip.compress(data)
    check_idx(write(folder, "damaged-idx3-ubyte", mutate(data, changes)))


# ------------------------------------------------------------------ model files
@pytest.fixture(scope="module")
def model_bytes(folder):
    path = folder / "good.npz"
    save_model(path, Network([784, 8, 10], seed=0), history=[Evaluation(1.0, 9, 10, True)], config={"eta": 1})
    return path.read_bytes()


def check_model(path):
    network = loads_or_names_file(load_model, path, ModelFileError)
    assert network is None or network.parameters_finite()


@FUZZ
@given(data=st.binary(max_size=2000))
def test_model_loader_on_random_bytes(folder, data):
    check_model(write(folder, "random.npz", data))


@FUZZ
@given(changes=edits)
def test_model_loader_on_damaged_models(folder, model_bytes, changes):
    check_model(write(folder, "damaged.npz", mutate(model_bytes, changes)))


def test_a_damaged_npy_header_is_a_clear_error(folder, model_bytes):
    """Found by the fuzzing above: one byte that breaks the header's Python syntax."""
    check_model(write(folder, "header.npz", mutate(model_bytes, [(113, 0, 91)])))
    with pytest.raises(ModelFileError, match="header.npz"):
        load_model(folder / "header.npz")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4), max_leaves=12)


@FUZZ
@given(sizes=st.one_of(json_values, st.lists(st.integers(-5, 2**40), max_size=4)),
       options=json_values, version=st.one_of(st.just(1), json_values))
def test_model_loader_on_lying_metadata(folder, sizes, options, version):
    meta = {"format": "nndraw-model", "version": version, "sizes": sizes, "options": options}
    path = folder / "lying.npz"
    np.savez(path, meta=np.array(json.dumps(meta)), w0=np.zeros((10, 784), np.float32),
             b0=np.zeros((10, 1), np.float32))
    check_model(path)


def test_model_header_claiming_a_huge_array_is_refused_before_reading(folder):
    path = folder / "huge.npz"
    meta = {"format": "nndraw-model", "version": 1, "sizes": [784, 10],
            "options": {"activation": "sigmoid"}}
    np.savez(path, meta=np.array(json.dumps(meta)), w0=np.zeros((10, 784), np.float32),
             b0=np.zeros((10, 1), np.float32))
    data = path.read_bytes().replace(b"(10, 784)", b"(999999999, 784)")
    path.write_bytes(data)
    with pytest.raises(ModelFileError, match="huge.npz"):
        load_model(path)


# ------------------------------------------------------------------ run files
@pytest.fixture(scope="module")
def run_text(folder):
    net = Network([784, 8, 10])
    save_run(folder / "good-run.npz", net, TrainConfig(sizes=(784, 8, 10)),
             [Evaluation(0.5, 900, 1000, False, 0.3, 0.2)])
    save_model(folder / "plain.npz", net)          # a model alone, as beside an older run
    return str(np.load(folder / "good-run.npz")[RUN_MEMBER])


def check_run(folder, text):
    # An older run: the model with a .json beside it.
    shutil.copy(folder / "plain.npz", folder / "fuzz-run.npz")
    (folder / "fuzz-run.json").write_text(text, errors="surrogatepass") if isinstance(text, str) \
        else (folder / "fuzz-run.json").write_bytes(text)
    run = loads_or_names_file(load_run, folder / "fuzz-run.npz", ModelFileError, "fuzz-run")
    assert run is None or run.network.sizes == list(run.config.sizes)
    # A run in one file: the same text inside the .npz.
    member = text if isinstance(text, str) else text.decode("latin-1")
    save_model(folder / "fuzz-one.npz", Network([784, 8, 10]), texts={RUN_MEMBER: member})
    run = loads_or_names_file(load_run, folder / "fuzz-one.npz", ModelFileError, "fuzz-one")
    assert run is None or run.network.sizes == list(run.config.sizes)


@FUZZ
@given(data=st.binary(max_size=500))
def test_run_loader_on_random_bytes(folder, run_text, data):
    check_run(folder, data)


@FUZZ
@given(changes=edits)
def test_run_loader_on_damaged_json(folder, run_text, changes):
    check_run(folder, mutate(run_text.encode(), changes))


@FUZZ
@given(value=json_values, key=st.sampled_from(["config", "evaluations", "seed", "dataset",
                                               "version", "format"]))
def test_run_loader_on_lying_fields(folder, run_text, value, key):
    data = json.loads(run_text)
    data[key] = value
    check_run(folder, json.dumps(data))


def test_deeply_nested_run_json_is_refused(folder, run_text):
    check_run(folder, "[" * 100_000 + "]" * 100_000)
    with pytest.raises(ModelFileError):
        read_run_file(folder / "fuzz-run.json")


# ------------------------------------------------------------------ the personal set
@FUZZ
@given(images=idx_files(), labels=idx_files())
def test_personal_set_loader(folder, images, labels):
    where = folder / "personal"
    where.mkdir(exist_ok=True)
    (where / DATABASE).unlink(missing_ok=True)      # the pair is imported once: each time anew
    (where / IMAGES).write_bytes(images)
    (where / LABELS).write_bytes(labels)
    kept = loads_or_names_file(PersonalSet, where, DataFileError, "personal")
    assert kept is None or len(kept.images) == len(kept.labels)


# ------------------------------------------------------------------ pictures
@pytest.fixture(scope="module")
def png_bytes(folder):
    from PySide6.QtGui import QImage

    image = QImage(20, 30, QImage.Format.Format_Grayscale8)
    image.fill(200)
    path = folder / "good.png"
    assert image.save(str(path))
    return path.read_bytes()


def check_image(path):
    from nndraw.gui.image_io import read_gray

    gray = loads_or_names_file(read_gray, path, DataFileError)
    assert gray is None or (gray.ndim == 2 and np.isfinite(gray).all())


@FUZZ
@given(data=st.binary(max_size=1000))
def test_image_reader_on_random_bytes(folder, data):
    check_image(write(folder, "random.png", data))


@FUZZ
@given(changes=edits)
def test_image_reader_on_damaged_png(folder, png_bytes, changes):
    check_image(write(folder, "damaged.png", mutate(png_bytes, changes)))


def test_image_claiming_huge_dimensions_is_refused(folder, png_bytes):
    import struct
    import zlib

    data = bytearray(png_bytes)
    # IHDR starts at byte 8: length, "IHDR", width, height, ..., CRC
    data[16:24] = struct.pack(">II", 100_000, 100_000)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path = write(folder, "huge.png", bytes(data))
    from nndraw.gui.image_io import read_gray

    with pytest.raises(DataFileError, match="huge.png"):
        read_gray(path)


@pytest.mark.parametrize("name,data", [
    ("zero-idx3-ubyte", idx_header(0x08, [0, 2**32 - 1, 2**32 - 1])),  # no bytes, absurd shape
    ("big-idx3-ubyte", idx_header(0x0E, [2**32 - 1] * 4)),              # overflows a float
    ("wide-idx3-ubyte", idx_header(0x08, [0] + [2**21] * 3)),
])
def test_idx_headers_found_by_fuzzing(folder, name, data):
    with pytest.raises(DataFileError, match=f"{name}: header claims"):
        read_idx(write(folder, name, data))


def test_a_corrupt_jpeg_is_refused_quietly(folder, capfd):
    from nndraw.gui.image_io import read_gray

    path = write(folder, "broken.jpg", b"\xff\xd8\xff\xe0" + bytes(40) + b"\xff\xd9")
    with pytest.raises(DataFileError, match="broken.jpg: not a readable image"):
        read_gray(path)
    assert capfd.readouterr().err == ""


def test_loaders_name_the_file_for_folders_too(folder):
    for loader in (read_idx, load_model):
        with pytest.raises(NndrawError, match=os.path.basename(folder)):
            loader(folder)
