"""`nndraw train` and `nndraw predict` end to end, as a person runs them from a shell.

The installed `nndraw` command is run from a temporary folder, so these tests also check that
the installed package finds its bundled data and model (falls back to `python -m nndraw` in a
checkout that is not installed).
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from nndraw.data.idx import write_idx
from nndraw.training.model_io import load_model

ROOT = Path(__file__).resolve().parents[2]


def nndraw(*args, cwd):
    exe = shutil.which("nndraw", path=os.path.dirname(sys.executable))
    command = [exe] if exe else [sys.executable, "-m", "nndraw"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if not exe:
        env["PYTHONPATH"] = str(ROOT)
    return subprocess.run(command + [str(a) for a in args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def one_line_error(result, *fragments):
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nndraw: error: "), result.stderr
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


def test_train_prints_the_seeds_lines_and_saves(tmp_path, small_mnist_dir):
    result = nndraw("train", "--sizes", "784,32,10", "--epochs", "2", "--data", small_mnist_dir,
                    "--save", "m.npz", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == ["Epoch 0", "Epoch 1"]
    correct, total = lines[-1].split(": ")[1].split(" / ")
    assert total == "500" and int(correct) > 400
    assert "Epoch 1/2 [" in result.stderr  # the progress bar
    model = load_model(tmp_path / "m.npz")
    assert model.sizes == [784, 32, 10] and len(model.metadata["history"]) == 2


def test_nielsen_preset_runs(tmp_path, small_mnist_dir):
    result = nndraw("train", "--preset", "nielsen", "--epochs", "1", "--data", small_mnist_dir,
                    "--save", "n.npz", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert load_model(tmp_path / "n.npz").options["cost"] == "quadratic"


def test_augmentation_and_dropout_options_ride_into_the_model_file(tmp_path, small_mnist_dir):
    result = nndraw("train", "--sizes", "784,32,10", "--epochs", "1", "--augment",
                    "affine=1,elastic=0.5", "--dropout", "0.3", "--data", small_mnist_dir,
                    "--save", "m.npz", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Epoch 0: ")
    config = load_model(tmp_path / "m.npz").metadata["config"]
    assert config["augment"] == [1.0, 0.5, 0.0] and config["dropout"] == [0.0, 0.3]


@pytest.mark.parametrize("args,fragments", [
    (["--augment", "twist=1"], ["unknown augmentation 'twist'"]),
    (["--dropout", "0.5,x"], ["dropout"]),
    (["--eta", "-1"], ["eta", "must be positive"]),
    (["--sizes", "784,abc,10"], ["784,abc,10"]),
    (["--sizes", "100,10"], ["first layer takes 100 inputs", "784"]),
    (["--momentum", "2"], ["momentum"]),
    (["--data", "/nonexistent/folder"], ["/nonexistent/folder", "no such folder"]),
    (["--device", "gpu"], ["GPU is not available"]),
])
def test_train_refuses_bad_input_in_one_line(tmp_path, small_mnist_dir, args, fragments):
    if args == ["--device", "gpu"]:
        from nndraw.core.backend import gpu_available
        if gpu_available():
            pytest.skip("a GPU is available here")
    if "--data" not in args:
        args = args + ["--data", small_mnist_dir]
    result = nndraw("train", "--epochs", "1", *args, cwd=tmp_path)
    one_line_error(result, *fragments)
    assert not (tmp_path / "nndraw-model.npz").exists()


@pytest.mark.parametrize("args", [["--epochs", "x"], ["--activation", "swish"], ["--bogus"],
                                  ["--epochs"]])
def test_usage_errors_exit_2(tmp_path, args):
    result = nndraw("train", *args, cwd=tmp_path)
    assert result.returncode == 2 and "usage: nndraw" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_diverging_run_stops_and_saves_nothing(tmp_path, small_mnist_dir):
    result = nndraw("train", "--sizes", "784,32,10", "--eta", "1e30", "--data", small_mnist_dir,
                    "--save", "d.npz", cwd=tmp_path)
    one_line_error(result, "diverged", "epoch 0, mini-batch ", "smaller learning rate")
    assert not (tmp_path / "d.npz").exists()


def test_a_diverging_run_leaves_an_earlier_model_intact(tmp_path, small_mnist_dir):
    common = ("--sizes", "784,32,10", "--data", small_mnist_dir, "--save", "m.npz")
    assert nndraw("train", "--epochs", "1", *common, cwd=tmp_path).returncode == 0
    before = (tmp_path / "m.npz").read_bytes()
    one_line_error(nndraw("train", "--eta", "1e30", *common, cwd=tmp_path), "diverged")
    assert (tmp_path / "m.npz").read_bytes() == before


def test_a_corrupt_data_file_is_named(tmp_path, small_mnist_dir):
    bad = tmp_path / "bad"
    shutil.copytree(small_mnist_dir, bad)
    (bad / "t10k-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8b garbage")
    one_line_error(nndraw("train", "--data", bad, cwd=tmp_path), "t10k-labels-idx1-ubyte.gz")


def save_png(path, gray):
    """Write a float array (1 = white) as an 8-bit grayscale PNG using Qt."""
    from PySide6.QtGui import QImage

    pixels = np.ascontiguousarray(np.round(np.clip(gray, 0, 1) * 255).astype(np.uint8))
    h, w = pixels.shape
    image = QImage(pixels.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    assert image.save(str(path))


def test_predict_reads_mnist_digits_and_photos_of_ink(tmp_path, mnist):
    test = mnist[1]
    files, expected = [], []
    rng = np.random.default_rng(0)
    for i in range(6):
        digit = test.images[i].reshape(28, 28)
        save_png(tmp_path / f"mnist{i}.png", digit)  # white on black, as MNIST
        big = np.kron(digit, np.ones((8, 8)))         # a "photo": dark ink on grey paper
        photo = 0.85 - 0.7 * big + 0.03 * rng.standard_normal(big.shape)
        save_png(tmp_path / f"photo{i}.png", np.pad(photo, 40, constant_values=0.85))
        files += [f"mnist{i}.png", f"photo{i}.png"]
        expected += [int(test.labels[i])] * 2
    result = nndraw("predict", *files, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(files)
    for line, name, digit in zip(lines, files, expected):
        assert re.fullmatch(rf"{name}: {digit} \(p=[01]\.\d\d\)", line), line


def test_predict_reports_a_bad_image_and_goes_on(tmp_path, mnist):
    save_png(tmp_path / "ok.png", mnist[1].images[0].reshape(28, 28))
    (tmp_path / "bad.png").write_bytes(b"not a png")
    result = nndraw("predict", "bad.png", "ok.png", "missing.png", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("ok.png: 7 (p=")
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 2 and "bad.png: not a readable image" in errors[0]
    assert "missing.png: no such file" in errors[1]


def test_predict_with_a_saved_model_and_a_bad_one(tmp_path, mnist, small_mnist_dir):
    save_png(tmp_path / "d.png", mnist[1].images[1].reshape(28, 28))
    (tmp_path / "junk.npz").write_bytes(os.urandom(500))
    one_line_error(nndraw("predict", "--model", "junk.npz", "d.png", cwd=tmp_path), "junk.npz")
    assert nndraw("train", "--sizes", "784,32,10", "--epochs", "2", "--data", small_mnist_dir,
                  "--save", "m.npz", cwd=tmp_path).returncode == 0
    result = nndraw("predict", "--model", "m.npz", "d.png", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("d.png: ")


def test_a_model_with_other_input_sizes_is_refused(tmp_path, mnist):
    from nndraw import Network
    from nndraw.training.model_io import save_model

    save_model(tmp_path / "tiny.npz", Network([10, 5, 10]))
    save_png(tmp_path / "d.png", mnist[1].images[1].reshape(28, 28))
    one_line_error(nndraw("predict", "--model", "tiny.npz", "d.png", cwd=tmp_path),
                   "takes 10 inputs")


def test_train_on_an_idx_folder_with_other_image_sizes(tmp_path):
    folder = tmp_path / "tiny"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for prefix, n in (("train", 200), ("t10k", 50)):
        labels = rng.integers(0, 10, n).astype(np.uint8)
        images = np.zeros((n, 8, 8), np.uint8)
        images[np.arange(n), labels % 8, :] = 255  # a learnable pattern
        write_idx(folder / f"{prefix}-images-idx3-ubyte", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte", labels)
    result = nndraw("train", "--sizes", "64,16,10", "--epochs", "3", "--data", folder,
                    "--save", "t.npz", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].endswith("/ 50")
    refused = nndraw("train", "--preset", "robust", "--sizes", "64,16,10", "--epochs", "1",
                     "--data", folder, "--save", "r.npz", cwd=tmp_path)
    one_line_error(refused, "augmentation works on 28x28 images", "--augment off")
