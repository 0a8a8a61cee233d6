"""What augmentation and dropout cost per epoch, as ratios to a plain epoch timed in the
same run (the machine is shared, so only ratios mean anything).

    python benchmarks/bench_augment.py [--epochs 2] [--sizes 784,800,10] [--batch 128]

Rows: plain (BLAS threads as training sets them: two for these products); plain on one BLAS
thread (what an augmented run uses, leaving the other core to the batch thread); augmented with the batches made ahead on the background thread (what training
does); augmented with the batches made inline, on the training thread (what the thread
saves); the augmentation alone (no training); dropout; augmentation + dropout. Each is the
median over `--epochs` epochs of the 60,000 MNIST training images.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from nndraw.core import backend, batches  # noqa: E402
from nndraw.core.network import Network  # noqa: E402
from nndraw.data.augment import Augmenter  # noqa: E402
from nndraw.data.datasets import load_mnist  # noqa: E402
from nndraw.training.config import PRESETS  # noqa: E402


def epoch_seconds(net, x, y, batch, epochs, **extra):
    rng = np.random.default_rng(0)
    times = []
    for epoch in range(epochs):
        start = time.perf_counter()
        for _ in net.sgd_epoch(x, y, batch, 0.01, epoch, rng, momentum=0.9, **extra):
            pass
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--sizes", default="784,800,10")
    parser.add_argument("--batch", type=int, default=128)
    args = parser.parse_args()
    robust = PRESETS["robust"]
    train, _ = load_mnist()
    sizes = [int(s) for s in args.sizes.split(",")]
    net = Network(sizes, activation="relu", output="softmax", cost="cross-entropy", init="he",
                  seed=0)
    x, y = net.training_arrays(train)
    augmenter = Augmenter(robust.augment, seed=0)

    rows = {}
    rows["plain"] = epoch_seconds(net, x, y, args.batch, args.epochs)
    real_threads = backend.blas_threads_for
    backend.blas_threads_for = lambda *args: 1
    try:
        rows["plain, one BLAS thread"] = epoch_seconds(net, x, y, args.batch, args.epochs)
    finally:
        backend.blas_threads_for = real_threads
    rows["augmented (made ahead)"] = epoch_seconds(net, x, y, args.batch, args.epochs,
                                                   transform=augmenter)
    real = batches.prefetched
    batches.prefetched = batches.in_order
    try:
        rows["augmented (inline)"] = epoch_seconds(net, x, y, args.batch, args.epochs,
                                                   transform=augmenter)
    finally:
        batches.prefetched = real
    order = np.random.default_rng(0).permutation(x.shape[0])
    times = []
    for _ in range(args.epochs):
        start = time.perf_counter()
        for s in range(0, x.shape[0], args.batch):
            augmenter(x.take(order[s:s + args.batch], axis=0))
        times.append(time.perf_counter() - start)
    rows["augmentation alone"] = statistics.median(times)
    if robust.dropout:
        rows[f"dropout {robust.dropout}"] = epoch_seconds(net, x, y, args.batch, args.epochs,
                                                          dropout=robust.dropout)
        rows["augmented + dropout"] = epoch_seconds(net, x, y, args.batch, args.epochs,
                                                    transform=augmenter,
                                                    dropout=robust.dropout)
    print(f"{args.sizes} batch {args.batch}, augment {robust.augment}, median of "
          f"{args.epochs} epochs, load average {os.getloadavg()[0]:.2f} at the end")
    print(f"{'':28s} {'s/epoch':>8s} {'x plain':>8s}")
    for name, seconds in rows.items():
        print(f"{name:28s} {seconds:8.2f} {seconds / rows['plain']:7.2f}x")


if __name__ == "__main__":
    main()
