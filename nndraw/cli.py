"""The `nndraw` command: the window by default, `train` and `predict` for the terminal.

Every error a user can cause ends with one line on stderr and exit status 1 (2 for usage
errors, from argparse); tracebacks are kept for bugs.
"""

import argparse
import sys
import time

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

    predict = commands.add_parser("predict", help="read digits from image files")
    predict.add_argument("--model", metavar="PATH", help="model file (default: the shipped one)")
    predict.add_argument("images", nargs="+", metavar="IMAGE")
    return parser


def main(argv=None):
    args = _build_parser().parse_args(argv)
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
    from nndraw.data.datasets import load_mnist
    from nndraw.training import trainer
    from nndraw.training.config import preset
    from nndraw.training.model_io import save_model

    settings = {k: getattr(args, k) for k in (
        "sizes", "epochs", "mini_batch_size", "eta", "activation", "output", "cost", "init",
        "lmbda", "momentum", "schedule", "device", "seed", "augment", "dropout")}
    config = preset(args.preset, **settings).validated()
    train_set, test_set = load_mnist(args.data)
    network = trainer.build_network(config)
    bar = _ProgressBar(sys.stderr)
    history = []
    for event in trainer.run(network, config, train_set, test_set):
        if isinstance(event, trainer.Progress):
            bar.show(event)
        elif event.complete:
            bar.clear()
            print(f"Epoch {int(event.epoch) - 1}: {event.correct} / {event.total}", flush=True)
            history.append(event.record())
    bar.clear()
    save_model(args.save, network, history=history, config=config.to_dict())
    print(f"saved {args.save} ({100 * history[-1]['accuracy']:.2f}% on the test set)",
          file=sys.stderr)
    return 0


class _ProgressBar:
    """A one-line bar, redrawn in place: ten times a second on a terminal, once a second
    when stderr goes to a file or a pipe."""

    def __init__(self, stream, width=30):
        self.stream, self.width = stream, width
        self.interval = 0.1 if stream.isatty() else 1.0
        self.last = 0.0
        self.shown = False

    def show(self, progress):
        now = time.perf_counter()
        if now - self.last < self.interval:
            return
        self.last, self.shown = now, True
        filled = int(self.width * progress.fraction)
        left = progress.remaining
        eta = f"{left:4.0f}s left" if left is not None else ""
        self.stream.write(f"\rEpoch {progress.epoch + 1}/{progress.epochs} "
                          f"[{'#' * filled}{'.' * (self.width - filled)}] "
                          f"{100 * progress.fraction:3.0f}% {eta}")
        self.stream.flush()

    def clear(self):
        if self.shown:
            self.stream.write("\r" + " " * (self.width + 40) + "\r")
            self.stream.flush()
            self.shown = False


def _predict(args):
    from nndraw.data.preprocess import ink_from_gray, to_mnist
    from nndraw.gui.image_io import read_gray
    from nndraw.training.model_io import load_model, pretrained

    network = load_model(args.model) if args.model else pretrained()
    if network.sizes[0] != 784:
        raise NndrawError(f"{args.model}: this model takes {network.sizes[0]} inputs, "
                          "not 28x28 images")
    status = 0
    for path in args.images:
        try:
            image = to_mnist(ink_from_gray(read_gray(path)))
        except NndrawError as exc:
            print(f"nndraw: error: {exc}", file=sys.stderr)
            status = 1
            continue
        if not image.any():
            print(f"{path}: - (blank)")
            continue
        probabilities = network.predict(image.reshape(1, -1))[0]
        digit = int(probabilities.argmax())
        print(f"{path}: {digit} (p={probabilities[digit]:.2f})")
    return status
