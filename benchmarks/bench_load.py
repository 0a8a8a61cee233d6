"""`nndraw train` beside a busy neighbour: does it stay within 2x of its time on its own?

    python benchmarks/bench_load.py [--runs 3] [--epochs 1] [--neighbours 1] [-- TRAIN ARGS]

Each run times a whole `nndraw train` command (a fresh process: start, data, training, test,
save) in four settings, interleaved so drift in the machine's load hits all alike:

- adaptive, alone:      nndraw as it is, no neighbour started;
- adaptive, neighbour:  the same while `--neighbours` busy-loop processes (`while True: pass`)
                        run beside it;
- fixed, alone / fixed, neighbour: nndraw told every usable core is free whatever runs
                        (what it did before BLAS threads followed the free cores);
- with --spin-timeout N, also "fixed" with OPENBLAS_THREAD_TIMEOUT=N in its environment:
                        OpenBLAS's idle threads spin about 2**N cycles before they sleep
                        (it reads this once, at load; its default is N = 28).

Prints the median seconds of each and the ratios neighbour / alone. On a machine that others
already load, "alone" is not idle: the load average is printed before and after.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = dict(os.environ, PYTHONPATH=str(ROOT))

# `nndraw train` (cli.main), optionally blind to other processes: every core counts as free.
TRAIN = r"""
import sys
if sys.argv[1] == "fixed":
    from nndraw.core import backend
    backend.FreeCores.free = lambda self, sample=None: float(self.cores)
from nndraw.cli import main
sys.exit(main(["train", *sys.argv[2:]]))
"""
BUSY_LOOP = "while True: pass"


def train_seconds(mode, train_args, save, spin_timeout=None):
    command = [sys.executable, "-c", TRAIN, mode.split()[0], *train_args, "--save", save]
    env = dict(ENV, OPENBLAS_THREAD_TIMEOUT=str(spin_timeout)) if mode.endswith("spin") else ENV
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"nndraw train ({mode}) failed:\n{done.stderr[-2000:]}")
    return seconds


def with_neighbours(count, work):
    """Run `work()` while `count` busy-loop processes run; they are always ended after."""
    neighbours = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(count)]
    try:
        time.sleep(0.5)  # let them start spinning
        return work()
    finally:
        for process in neighbours:
            process.kill()
        for process in neighbours:
            process.wait()


def load():
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--neighbours", type=int, default=1)
    parser.add_argument("--spin-timeout", type=int, metavar="N",
                        help="also time 'fixed' with OPENBLAS_THREAD_TIMEOUT=N")
    parser.add_argument("train_args", nargs="*", help="more `nndraw train` options, after --")
    args = parser.parse_args()
    train_args = ["--epochs", str(args.epochs), *args.train_args]

    print(f"nndraw train {' '.join(train_args)}; {os.cpu_count()} cores; "
          f"{args.neighbours} busy neighbour(s); median of {args.runs}")
    print(f"load average at start (1, 5, 15 min): {load()}")
    modes = ["adaptive", "fixed"] + (["fixed spin"] if args.spin_timeout is not None else [])
    settings = [(mode, n) for mode in modes for n in (0, args.neighbours)]
    seconds = {s: [] for s in settings}
    with tempfile.TemporaryDirectory() as tmp:
        save = str(Path(tmp) / "model.npz")
        for _ in range(args.runs):
            for mode, n in settings:
                seconds[(mode, n)].append(
                    with_neighbours(n, lambda mode=mode: train_seconds(
                        mode, train_args, save, args.spin_timeout)))
    print(f"load average at end (1, 5, 15 min): {load()}")
    print()
    if args.spin_timeout is not None:
        print(f"'fixed spin': fixed with OPENBLAS_THREAD_TIMEOUT={args.spin_timeout}")
    print(f"{'':<12}{'alone':>9}{'neighbour':>11}{'ratio':>8}   runs (alone | neighbour)")
    for mode in modes:
        alone = statistics.median(seconds[(mode, 0)])
        busy = statistics.median(seconds[(mode, args.neighbours)])
        runs = " ".join(f"{s:.1f}" for s in seconds[(mode, 0)]) + " | " + \
            " ".join(f"{s:.1f}" for s in seconds[(mode, args.neighbours)])
        print(f"{mode:<12}{alone:>8.1f}s{busy:>10.1f}s{busy / alone:>7.2f}x   {runs}")


if __name__ == "__main__":
    main()
