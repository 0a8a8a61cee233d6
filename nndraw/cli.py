"""The `nndraw` command: the window by default, `train` and `predict` for the terminal.

Every error a user can cause ends with one line on stderr and exit status 1 (2 for usage
errors, from argparse); tracebacks are kept for bugs.
"""

import argparse
import os
import sys

from nndraw.errors import NndrawError

DEFAULT_MODEL_NAME = "nndraw-model.npz"


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    return value


def _build_parser():
    from nndraw.core.backend import DEVICES
    from nndraw.core.functions import ACTIVATIONS, COSTS, OUTPUTS
    from nndraw.core.network import INITS
    from nndraw.training.config import PRESETS, SCHEDULES

    parser = argparse.ArgumentParser(
        prog="nndraw", description="Draw a digit and watch a neural network read it; "
        "train one on MNIST from scratch. With no command, opens the window.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the window (the default)")
    gui.add_argument("--model", help="model file to open instead of the shipped one")

    train = commands.add_parser("train", help="train a network and save it",
                                description="Train a network on MNIST (or --data) and save it. "
                                "Prints 'Epoch j: correct / total' per epoch on stdout.")
    train.add_argument("--preset", default="default", choices=list(PRESETS),
                       help="starting settings (default: %(default)s)")
    train.add_argument("--sizes", help="layer sizes, e.g. 784,100,10")
    train.add_argument("--epochs", type=_positive_int)
    train.add_argument("--batch-size", type=_positive_int, dest="mini_batch_size")
    train.add_argument("--eta", type=float, help="learning rate")
    train.add_argument("--activation", choices=list(ACTIVATIONS))
    train.add_argument("--output", choices=list(OUTPUTS), help="output layer")
    train.add_argument("--cost", choices=list(COSTS))
    train.add_argument("--init", choices=list(INITS), help="weight initialisation")
    train.add_argument("--lmbda", type=float, help="L2 regularisation")
    train.add_argument("--momentum", type=float)
    train.add_argument("--schedule", choices=list(SCHEDULES), help="learning-rate schedule")
    train.add_argument("--device", choices=list(DEVICES))
    train.add_argument("--data", metavar="DIR", help="folder of the four IDX files "
                       "(default: the bundled MNIST)")
    train.add_argument("--augment", metavar="SPEC",
                       help="distort every training image afresh in every mini-batch: 'off', "
                       "'on', a strength for all three kinds, or e.g. affine=1,elastic=0.5,pen=0.5 "
                       "(0 = off, 1 = rotation 20 degrees, slant 0.5, scale 0.8-1.2, shift 3 px)")
    train.add_argument("--dropout", metavar="RATES",
                       help="dropout rate for every hidden layer (e.g. 0.5), one per hidden "
                       "layer, or the input's first (e.g. 0.2,0.5)")
    train.add_argument("--seed", type=_positive_int)
    train.add_argument("--save", metavar="PATH", default=DEFAULT_MODEL_NAME,
                       help="where to write the model (default: %(default)s)")

    predict = commands.add_parser(
        "predict", help="read digits and numbers from image files",
        description="Read the digits written in each image, left to right, white on black or "
        "dark ink on paper. Prints 'IMAGE: 2026 (p=0.97 0.99 0.95 0.98)', one probability "
        "per digit; a piece that is not a digit shows as '?', and an image with no digit at "
        "all as 'IMAGE: not a digit'.")
    predict.add_argument("--model", metavar="PATH", help="model file (default: the shipped one)")
    predict.add_argument("images", nargs="+", metavar="IMAGE")
    return parser, commands.choices


def main(argv=None):
    parser, commands = _build_parser()
    args, extra = parser.parse_known_args(argv)
    if extra:   # the usage of the command that was given, not the top level's
        (commands.get(args.command) or parser).error(
            f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "train":
            return _train(args)
        if args.command == "predict":
            return _predict(args)
        from nndraw.gui.app import main as gui_main
        return gui_main(model=getattr(args, "model", None))
    except NndrawError as exc:
        print(f"nndraw: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("nndraw: interrupted", file=sys.stderr)
        return 130


def _train(args):
    from tqdm import tqdm

    from nndraw.data.datasets import DataSource
    from nndraw.errors import ConfigError
    from nndraw.files import check_can_save
    from nndraw.training import memory, trainer
    from nndraw.training.config import preset
    from nndraw.training.model_io import save_model

    settings = {k: getattr(args, k) for k in (
        "sizes", "epochs", "mini_batch_size", "eta", "activation", "output", "cost", "init",
        "lmbda", "momentum", "schedule", "device", "seed", "augment", "dropout")}
    config = preset(args.preset, **settings).validated()
    check_can_save(args.save, ConfigError)      # before training, not after hours of it
    memory.check_fits(config)                   # before loading the data, too
    source = DataSource.of_folder(args.data) if args.data else DataSource.mnist()
    train_set, test_set = source.load()
    network = trainer.build_network(config)
    history = []
    # The bar goes to stderr, redrawn in place, on a terminal only: a log keeps the book's
    # lines and the one-line result, not hundreds of redrawn bars.
    with tqdm(total=config.epochs, unit="epoch", file=sys.stderr, leave=False,
              disable=not sys.stderr.isatty(), mininterval=0.1,
              bar_format="Epoch {n:.1f}/{total:.0f} {bar:30} {percentage:3.0f}% "
                         "{remaining} left") as bar:
        for event in trainer.run(network, config, train_set, test_set):
            if isinstance(event, trainer.Progress):
                bar.update(event.position - bar.n)
            elif event.complete:
                bar.clear()
                _print(f"Epoch {int(event.epoch) - 1}: {event.correct} / {event.total}")
                history.append(event)
    save_model(args.save, network, history=history, config=config.to_dict(), dataset=source,
               plan=(0.0, config.epochs))
    print(f"saved {args.save} ({history[-1].describe(source.name)})", file=sys.stderr)
    return 0


def _predict(args):
    from nndraw.gui.image_io import read_gray
    from nndraw.reading import read_number
    from nndraw.training.model_io import load_model, pretrained

    network = load_model(args.model) if args.model else pretrained()
    if network.sizes[0] != 784:
        raise NndrawError(f"{args.model}: this model takes {network.sizes[0]} inputs, "
                          "not 28x28 images")
    dataset = network.metadata["dataset"]
    status = 0
    for path in args.images:
        try:
            gray = read_gray(path)
            # Numbers and "not a digit" for digit models; one class name for any other.
            line = _reading_line(read_number(gray, network)) if dataset.reads_digits else \
                _class_line(gray, network, dataset.class_names)
        except NndrawError as exc:
            print(f"nndraw: error: {exc}", file=sys.stderr)
            status = 1
            continue
        if not _print(f"{path}: {line}"):
            break                       # `| head -1` has what it wanted
    return status


def _reading_line(reading):
    """'2026 (p=0.97 0.99 0.95 0.98)', '7 (p=0.97)', '20?6 (p=0.97 0.99 ? 0.98)',
    'not a digit', or 'not a digit (blank)'."""
    if reading.blank:
        return "not a digit (blank)"
    if not reading.any_digit:
        return "not a digit"
    chances = " ".join(f"{d.probability:.2f}" if d.is_digit else "?" for d in reading.digits)
    return f"{reading.text} (p={chances})"


def _class_line(gray, network, names):
    """'Dress (p=0.91)' for a model of other things than digits, e.g. Fashion-MNIST's."""
    from nndraw.data.preprocess import ink_from_gray, to_mnist

    image = to_mnist(ink_from_gray(gray))
    if not image.any():
        return "- (blank)"
    probabilities = network.predict(image.reshape(1, -1))[0]
    best = int(probabilities.argmax())
    return f"{names[best]} (p={probabilities[best]:.2f})"


def _print(line):
    """Print `line` on stdout; False once the reader has gone (`nndraw ... | head -1`). Then
    stdout is pointed at /dev/null so that nothing later (Python's own flush at exit) fails:
    training goes on and its model is saved, the output is simply no longer wanted."""
    try:
        print(line, flush=True)
        return True
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return False
