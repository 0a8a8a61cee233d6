"""nndraw against the seed's algorithm at the seed's settings, on the seed's data format.

    python benchmarks/bench_seed.py [--runs 3] [--epochs 2]

[784, 30, 10], mini-batches of 10, eta 3.0, Nielsen's 50,000 training pairs (x a (784, 1)
column, y a one-hot (10, 1) column) and 10,000 test pairs. Each candidate trains in its own
process (so neither inherits the other's memory or thread pools); the figure is the median
wall time of `--runs` runs, conversion of the list of pairs included for nndraw.
"""

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def book_data():
    import numpy as np

    from nndraw import load_mnist

    train, test = load_mnist()
    eye = np.eye(10)
    training = [(x.reshape(784, 1).astype(np.float64), eye[y].reshape(10, 1))
                for x, y in zip(train.images[:50000], train.labels[:50000])]
    testing = [(x.reshape(784, 1).astype(np.float64), int(y))
               for x, y in zip(test.images, test.labels)]
    return training, testing


def candidate(name, epochs):
    """Train once; print JSON {seconds, correct} for the parent process."""
    training, testing = book_data()
    if name == "seed":
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from seed_reference import SeedNetwork

        net = SeedNetwork([784, 30, 10])
        start = time.perf_counter()
        net.SGD(training, epochs, 10, 3.0)
    else:
        from nndraw import Network

        net = Network([784, 30, 10], seed=0)
        start = time.perf_counter()
        net.SGD(training, epochs, 10, 3.0)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "correct": net.evaluate(testing)}))


def measure(name, epochs):
    out = subprocess.run([sys.executable, __file__, "--candidate", name, "--epochs", str(epochs)],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--candidate", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.candidate:
        return candidate(args.candidate, args.epochs)
    results = {"seed": [], "nndraw": []}
    for _ in range(args.runs):  # interleaved, so drift in machine load hits both alike
        for name in results:
            results[name].append(measure(name, args.epochs))
    seed = statistics.median(r["seconds"] for r in results["seed"])
    print(f"[784,30,10], batch 10, eta 3.0, {args.epochs} epochs on 50,000 list-of-pairs "
          f"examples, median of {args.runs} runs")
    print(f"{'candidate':<10}{'seconds':>10}{'per epoch':>11}{'test correct':>14}{'speed-up':>10}")
    for name, runs in results.items():
        seconds = statistics.median(r["seconds"] for r in runs)
        correct = statistics.median(r["correct"] for r in runs)
        print(f"{name:<10}{seconds:>10.2f}{seconds / args.epochs:>11.2f}{correct:>14.0f}"
              f"{seed / seconds:>9.2f}x")


if __name__ == "__main__":
    main()
