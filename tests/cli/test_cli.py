"""`nndraw train` and `nndraw predict` end to end, as a person runs them from a shell.

The installed `nndraw` command is run from a temporary folder, so these tests also check that
the installed package finds its bundled data and model (falls back to `python -m nndraw` in a
checkout that is not installed).
"""

import contextlib
import fcntl
import os
import pty
import re
import shlex
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import numpy as np
import pytest

from nndraw.data.idx import write_idx
from nndraw.training.model_io import load_model

ROOT = Path(__file__).resolve().parents[2]


def nndraw_command():
    """(the installed `nndraw` command, or python -m nndraw; the environment to run it in)."""
    exe = shutil.which("nndraw", path=os.path.dirname(sys.executable))
    command = [exe] if exe else [sys.executable, "-m", "nndraw"]
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    if not exe:
        env["PYTHONPATH"] = str(ROOT)
    return command, env


def nndraw(*args, cwd):
    command, env = nndraw_command()
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
    # Into a pipe, stderr holds the result alone, naming what it was measured on.
    assert result.stderr.splitlines() == [
        f"saved m.npz ({100 * int(correct) / 500:.2f} % of the 500 {small_mnist_dir.name} "
        "test images)"]
    model = load_model(tmp_path / "m.npz")
    assert model.sizes == [784, 32, 10] and len(model.metadata["history"]) == 2
    assert model.metadata["dataset"].folder == str(small_mnist_dir)


def test_train_draws_a_progress_bar_on_a_terminal(tmp_path, small_mnist_dir):
    main, other = pty.openpty()
    fcntl.ioctl(other, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    command, env = nndraw_command()
    command += ["train", "--sizes", "784,16,10", "--epochs", "1", "--data",
                str(small_mnist_dir), "--save", "m.npz"]
    with os.fdopen(main, "rb", buffering=0) as terminal:
        done = subprocess.run(command, cwd=tmp_path, env=env, stderr=other,
                              stdout=subprocess.PIPE, timeout=300)
        os.close(other)
        shown = b""
        with contextlib.suppress(OSError):
            while chunk := terminal.read(4096):
                shown += chunk
    assert done.returncode == 0
    assert re.search(rb"\rEpoch \d\.\d/1 .*% .* left", shown), shown   # tqdm's bar, in place


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
    # train's own usage and options, not the top level's list of commands
    assert result.returncode == 2 and "usage: nndraw train" in result.stderr
    assert "--batch-size" in result.stderr and "Traceback" not in result.stderr


def test_a_run_that_learns_nothing_fails_and_saves_nothing(tmp_path, small_mnist_dir):
    result = nndraw("train", "--eta", "1000", "--epochs", "1", "--data", small_mnist_dir,
                    cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1].startswith(
        "nndraw: error: training failed to learn")
    assert "no better than chance" in result.stderr
    assert not (tmp_path / "nndraw-model.npz").exists()


def test_predict_names_what_a_fashion_model_reads(tmp_path, small_mnist_dir, mnist):
    """A model trained on Fashion-MNIST's folder knows its data: predict prints class names."""
    folder = tmp_path / "fashion-mnist"
    shutil.copytree(small_mnist_dir, folder)
    trained = nndraw("train", "--sizes", "784,16,10", "--epochs", "1", "--data", folder,
                     "--save", "fashion.npz", cwd=tmp_path)
    assert trained.returncode == 0, trained.stderr
    assert "Fashion-MNIST test images" in trained.stderr
    model = load_model(tmp_path / "fashion.npz")
    assert model.metadata["dataset"].kind == "fashion"
    save_png(tmp_path / "five.png", mnist[1].images[15].reshape(28, 28))
    result = nndraw("predict", "--model", "fashion.npz", "five.png", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    name = result.stdout.split(": ", 1)[1].split(" (p=")[0]
    assert name in model.metadata["dataset"].class_names and not name.isdigit()


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
    assert "missing.png: no such image file" in errors[1]


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


# ------------------------------------------------------------------ issue 11: one line, always
def piped_to_head(*args, cwd):
    """Run `nndraw ARGS | head -1` in a shell: (what head printed, nndraw's stderr, status)."""
    command, env = nndraw_command()
    line = " ".join(shlex.quote(str(a)) for a in command + list(args))
    result = subprocess.run(["bash", "-c", f"{line} 2>err.txt | head -1; "
                             "echo ${PIPESTATUS[0]} > status.txt"],
                            cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    return (result.stdout, (Path(cwd) / "err.txt").read_text(),
            int((Path(cwd) / "status.txt").read_text()))


def test_train_piped_to_head_still_saves_its_model(tmp_path, small_mnist_dir):
    out, err, status = piped_to_head("train", "--sizes", "784,16,10", "--epochs", "3", "--data",
                                     small_mnist_dir, "--save", "m.npz", cwd=tmp_path)
    assert out.startswith("Epoch 0: ") and out.count("\n") == 1
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert status == 0
    assert len(load_model(tmp_path / "m.npz").metadata["history"]) == 3


def test_predict_piped_to_head_ends_quietly(tmp_path, mnist):
    images = []
    for i in range(40):
        images.append(tmp_path / f"{i}.png")
        save_png(images[-1], 1 - mnist[1].images[i].reshape(28, 28))
    out, err, status = piped_to_head("predict", *images, cwd=tmp_path)
    assert out.startswith(f"{images[0]}: ") and out.count("\n") == 1
    assert err == "" and status == 0


@pytest.mark.parametrize("save, fragments", [
    ("folder", ["folder: is a folder"]),
    ("missing/m.npz", ["missing/m.npz", "does not exist"]),
    ("", ["empty name"]),
    ("folder/", ["folder/: names a folder"]),
])
def test_a_bad_save_path_is_refused_before_training(tmp_path, small_mnist_dir, save, fragments):
    (tmp_path / "folder").mkdir()
    result = nndraw("train", "--epochs", "1", "--data", small_mnist_dir, "--save", save,
                    cwd=tmp_path)
    one_line_error(result, *fragments)
    assert "Epoch" not in result.stdout                     # said before training, not after


def test_a_network_too_big_for_memory_is_refused_in_one_line(tmp_path, small_mnist_dir):
    result = nndraw("train", "--sizes", "784,1000000,1000000,10", "--epochs", "1", "--data",
                    small_mnist_dir, cwd=tmp_path)
    one_line_error(result, "784,1000000,1000000,10", "of memory to train")


@pytest.mark.parametrize("epochs", ["3000000000", "1001"])
def test_huge_settings_are_refused_in_one_line(tmp_path, small_mnist_dir, epochs):
    result = nndraw("train", "--epochs", epochs, "--data", small_mnist_dir, cwd=tmp_path)
    one_line_error(result, "epochs", "at most")


def test_predict_names_a_folder_a_pipe_and_a_damaged_png_in_one_line_each(tmp_path, mnist):
    save_png(tmp_path / "good.png", 1 - mnist[1].images[0].reshape(28, 28))
    data = (tmp_path / "good.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[:len(data) // 2])
    os.mkfifo(tmp_path / "pipe.png")
    (tmp_path / "album").mkdir()
    result = nndraw("predict", "cut.png", "album", "pipe.png", "good.png", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 3 and all(line.startswith("nndraw: error: ") for line in lines), lines
    assert "cut.png: not a readable image" in lines[0]
    assert "album: is a folder" in lines[1]
    assert "pipe.png: not a regular file" in lines[2]
    assert result.stdout.startswith("good.png: ")


def test_a_flipped_byte_in_a_model_gives_a_short_message(tmp_path, mnist):
    from nndraw.paths import resource_path

    data = bytearray(Path(resource_path("models", "default.npz")).read_bytes())
    data[27] ^= 0x20                        # inside the first member's name in its header
    (tmp_path / "flipped.npz").write_bytes(bytes(data))
    save_png(tmp_path / "a.png", 1 - mnist[1].images[0].reshape(28, 28))
    result = nndraw("predict", "--model", "flipped.npz", "a.png", cwd=tmp_path)
    one_line_error(result, "flipped.npz: not a valid nndraw model")
    assert len(result.stderr) < 300


def test_predict_reads_numbers_and_says_what_is_not_a_digit(tmp_path, mnist):
    from nndraw.data.marks import mark
    from nndraw.data.numbers import number

    test = mnist[1]
    rng = np.random.default_rng(4)
    screen = number(test.images, test.labels, rng, "screen", digits=4)
    paper = number(test.images, test.labels, rng, "paper", digits=3)
    save_png(tmp_path / "screen.png", 1 - screen.image)     # saved as dark on white: a scan
    save_png(tmp_path / "paper.png", paper.image)
    save_png(tmp_path / "dash.png", mark("dash", np.random.default_rng(2)))
    save_png(tmp_path / "blank.png", np.full((50, 90), 0.9))
    height = screen.image.shape[0]
    middle = np.concatenate([screen.image[:, :screen.boxes[1][3] + 5],
                             mark("box", rng, size=height),
                             screen.image[:, screen.boxes[2][1] - 5:]], axis=1)
    save_png(tmp_path / "middle.png", middle)
    result = nndraw("predict", "screen.png", "paper.png", "dash.png", "blank.png", "middle.png",
                    cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert re.fullmatch(r"screen\.png: \d{4} \(p=[01]\.\d\d( [01]\.\d\d){3}\)", lines[0]), lines
    assert re.fullmatch(r"paper\.png: \d{3} \(p=[01]\.\d\d( [01]\.\d\d){2}\)", lines[1]), lines
    assert lines[2] == "dash.png: not a digit"
    assert lines[3] == "blank.png: not a digit (blank)"
    assert re.fullmatch(r"middle\.png: \d\d\?\d\d \(p=[01]\.\d\d [01]\.\d\d \? [01]\.\d\d "
                        r"[01]\.\d\d\)", lines[4]), lines
