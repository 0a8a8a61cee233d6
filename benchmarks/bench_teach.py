"""What Teach's augmentation does for a few kept drawings, on drawings it never saw.

    python benchmarks/bench_teach.py [--kept 2] [--seeds 5] [--model PATH]

There are no people's drawings here, so other writers stand in for the person: scikit-learn's
8x8 digits (43 writers outside MNIST), enlarged on the canvas and read through `to_mnist` as
in bench_robustness.py. For each seed, `--kept` digits of each class are "kept" (the
drawings a person would keep after a misreading) and Teach fine-tunes the model on them
exactly as the window does (`teach_config`, `mixed_split`: mixed with 3,000 MNIST training
digits), once with its augmentation and once without. Accuracy is then measured on the other
writers' digits not kept (the held-out curve's kind of number) and on 2,000 MNIST test digits
(what teaching must not forget). Needs scikit-learn.
"""

import argparse
import dataclasses
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_robustness import accuracy, other_writers  # noqa: E402

from nndraw.data.datasets import Split, load_mnist  # noqa: E402
from nndraw.training import trainer  # noqa: E402
from nndraw.training.model_io import load_model, pretrained  # noqa: E402
from nndraw.training.teach import mixed_split, teach_config  # noqa: E402


def taught(model, kept, base, seed, augment):
    config = teach_config(model, seed=seed)
    if not augment:
        config = dataclasses.replace(config, augment=(0.0, 0.0, 0.0))
    network = model.copy()
    train = mixed_split(kept, base, np.random.default_rng(config.seed))
    for _ in trainer.run(network, config, train, Split(kept.images, kept.labels)):
        pass
    return network


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kept", type=int, default=2, help="drawings kept per digit")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--model", help="model file (default: the shipped model)")
    args = parser.parse_args()
    writers = other_writers()
    if writers is None:
        sys.exit("needs scikit-learn: pip install scikit-learn")
    images, labels = writers
    model = load_model(args.model) if args.model else pretrained()
    train, test = load_mnist()
    mnist = (test.images[:2000], test.labels[:2000])
    rows = {"before teaching": [], "taught, augmented (Teach)": [],
            "taught, not augmented": []}
    start = time.perf_counter()
    for seed in range(args.seeds):
        rng = np.random.default_rng(seed)
        pick = np.concatenate([rng.choice(np.flatnonzero(labels == d), args.kept,
                                          replace=False) for d in range(10)])
        rest = np.setdiff1d(np.arange(len(labels)), pick)
        kept = Split(images[pick], labels[pick])
        held_out = (images[rest], labels[rest])
        rows["before teaching"].append((accuracy(model, *held_out), accuracy(model, *mnist)))
        for name, augment in (("taught, augmented (Teach)", True),
                              ("taught, not augmented", False)):
            network = taught(model, kept, train, seed, augment)
            rows[name].append((accuracy(network, *held_out), accuracy(network, *mnist)))
    print(f"{args.kept} kept per digit ({10 * args.kept} drawings), mean over {args.seeds} "
          f"seeds ({time.perf_counter() - start:.0f} s)")
    print("| | other writers' digits not kept | MNIST test (2,000) |")
    print("|---|---|---|")
    for name, values in rows.items():
        own = statistics.mean(v[0] for v in values)
        base = statistics.mean(v[1] for v in values)
        print(f"| {name} | {100 * own:.1f} % | {100 * base:.1f} % |")


if __name__ == "__main__":
    main()
