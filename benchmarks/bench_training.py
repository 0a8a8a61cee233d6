"""Seconds per epoch: nndraw against references timed in the same run.

    python benchmarks/bench_training.py [--runs 3] [--epochs 2] [--skip-nielsen]

Every candidate trains in its own process (so numpy's and torch's thread pools never compete
and none inherits another's memory); the figures are medians over runs and epochs. Ratios are
reference time / nndraw time: above 1.00x nndraw is faster.

- seed:    the blog post's own `Network` class, loaded at run time from the code at the end of
           ../shared/seed/my-first-neural-network.txt (from "# Standard library" on; never
           copied into this repository), on the book's list of (x, y) column pairs; the
           column is left out where that file is absent;
- nielsen: the book's per-example loop (benchmarks/nielsen_reference.py), seed settings only;
- torch:   the strongest plain PyTorch loop written here (benchmarks/torch_reference.py),
           when torch is installed (pip install torch==2.13.0);
- floor:   the BLAS floor: the time numpy's BLAS needs for just the matrix products of one
           epoch, each shape timed on its own (no activations, no updates, no Python), on
           the threads nndraw would choose at that moment (or --threads).
"""

import argparse
import contextlib
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
POST = ROOT.parent / "shared" / "seed" / "my-first-neural-network.txt"
POST_CODE_STARTS = "# Standard library"
SIGMOID = {"activation": "sigmoid", "output": "sigmoid", "cost": "quadratic", "init": "normal"}
CONFIGS = {
    "784-30-10/b10": dict(sizes=[784, 30, 10], batch=10, eta=3.0, options=SIGMOID),
    "784-30-10/b128": dict(sizes=[784, 30, 10], batch=128, eta=3.0, options=SIGMOID),
    "784-100-10/b10": dict(sizes=[784, 100, 10], batch=10, eta=3.0, options=SIGMOID),
    "784-100-10/b128": dict(sizes=[784, 100, 10], batch=128, eta=3.0, options=SIGMOID),
    "default preset": dict(sizes=[784, 256, 10], batch=64, eta=0.05, lmbda=5.0, momentum=0.9,
                           options={"activation": "relu", "output": "softmax",
                                    "cost": "cross-entropy", "init": "he"}),
}


# ------------------------------------------------------------------ in the child process
def arrays(n_train):
    from nndraw import load_mnist

    train, test = load_mnist()
    return train.subset(n_train), test


def book_pairs(n_train):
    """The book's format: (784, 1) float64 columns, one-hot (10, 1) targets, int test labels."""
    import numpy as np

    train, test = arrays(n_train)
    eye = np.eye(10)
    training = [(x.reshape(784, 1).astype(np.float64), eye[y].reshape(10, 1))
                for x, y in zip(train.images, train.labels)]
    testing = [(x.reshape(784, 1).astype(np.float64), int(y))
               for x, y in zip(test.images, test.labels)]
    return training, testing


def run_nndraw(config, epochs, pairs):
    import numpy as np

    from nndraw import Network

    net = Network(config["sizes"], seed=0, **config["options"])
    extra = {k: config[k] for k in ("lmbda", "momentum") if k in config}
    if pairs:  # the seed's data: the whole run is timed, conversion of the pairs included
        training, testing = book_pairs(50_000)
        start = time.perf_counter()
        net.SGD(training, epochs, config["batch"], config["eta"], **extra)
        return [(time.perf_counter() - start) / epochs], net.evaluate(testing)
    train, test = arrays(60_000)
    x, y = net.training_arrays(train)
    rng = np.random.default_rng(0)
    times = []
    for epoch in range(epochs):
        start = time.perf_counter()
        for _ in net.sgd_epoch(x, y, config["batch"], config["eta"], epoch, rng, **extra):
            pass
        times.append(time.perf_counter() - start)
    return times, net.evaluate(test)


def post_network_class():
    """The blog post's own `Network` class, executed from the code that ends the post's text
    (its `print` per epoch is kept; the caller silences stdout). None if the text is absent."""
    if not POST.is_file():
        return None
    text = POST.read_text(encoding="utf-8")
    start = text.find(POST_CODE_STARTS)
    if start < 0:
        return None
    namespace = {"__name__": "my_first_neural_network"}
    exec(compile(text[start:], str(POST), "exec"), namespace)
    return namespace["Network"]


def run_post(config, epochs, n_train, whole):
    """The post's class trained as the post trains it: seeded global RNGs, the list of pairs.
    `whole`: time all epochs in one SGD call (the seed data row), else one call per epoch."""
    import random

    import numpy as np

    random.seed(0)
    np.random.seed(0)
    network = post_network_class()(config["sizes"])
    training, testing = book_pairs(n_train)
    times = []
    with contextlib.redirect_stdout(io.StringIO()):  # "Epoch j complete"
        for _ in range(1 if whole else epochs):
            start = time.perf_counter()
            network.SGD(training, epochs if whole else 1, config["batch"], config["eta"])
            times.append(time.perf_counter() - start)
    if whole:
        times = [times[0] / epochs]
    return times, network.evaluate(testing)


def run_book(module, cls, config, epochs, n_train):
    sys.path.insert(0, str(HERE))
    network = getattr(__import__(module), cls)(config["sizes"])
    training, testing = book_pairs(n_train)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        network.SGD(training, 1, config["batch"], config["eta"])
        times.append(time.perf_counter() - start)
    return times, network.evaluate(testing)


def run_torch(config, epochs):
    import torch

    sys.path.insert(0, str(HERE))
    from torch_reference import TorchLoop

    train, test = arrays(60_000)
    x = torch.from_numpy(train.images)
    y = torch.nn.functional.one_hot(torch.from_numpy(train.labels), 10).float()
    loop = TorchLoop(config["sizes"])
    generator = torch.Generator().manual_seed(0)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        loop.train_epoch(x, y, config["batch"], config["eta"], generator)
        times.append(time.perf_counter() - start)
    return times, loop.evaluate(torch.from_numpy(test.images), torch.from_numpy(test.labels))


def blas_floor(config, threads, n_train=60_000, repeats=200):
    """Seconds per epoch spent in the matrix products alone, at nndraw's shapes and layout."""
    import numpy as np

    from nndraw.core import backend

    m, sizes = config["batch"], config["sizes"]
    rng = np.random.default_rng(0)
    per_batch = 0.0
    if threads is None:  # the threads nndraw would choose now
        largest = max(a * b for a, b in zip(sizes[:-1], sizes[1:])) * m
        backend.BlasThreads(np, largest).start()  # sets them, for this child process
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        p = rng.standard_normal((n_out, n_in + 1)).astype(np.float32)
        a = rng.standard_normal((n_in + 1, m)).astype(np.float32)
        delta = rng.standard_normal((n_out, m)).astype(np.float32)
        products = [(p, a, np.empty((n_out, m), np.float32)),             # forward
                    (delta, a.T, np.empty((n_out, n_in + 1), np.float32))]  # gradient
        if i > 0:                                                          # error passed down
            products.append((p[:, :-1].T, delta, np.empty((n_in, m), np.float32)))
        for left, right, out in products:
            np.matmul(left, right, out=out)
            start = time.perf_counter()
            for _ in range(repeats):
                np.matmul(left, right, out=out)
            per_batch += (time.perf_counter() - start) / repeats
    return [per_batch * -(-n_train // m)], None


def pin_threads(candidate, threads):
    """References (and the floor) on `threads` BLAS / torch threads; nndraw chooses its own."""
    if threads is None or candidate == "nndraw":
        return
    if candidate == "torch":
        import torch

        torch.set_num_threads(threads)
    else:
        import numpy  # noqa: F401  threadpoolctl only limits the BLAS libraries already loaded
        from threadpoolctl import threadpool_limits

        threadpool_limits(threads, user_api="blas")


def child(candidate, name, epochs, threads=None):
    config = CONFIGS.get(name) or CONFIGS["784-30-10/b10"]
    pin_threads(candidate, threads)
    pairs = name == "seed data"
    if candidate == "nndraw":
        result = run_nndraw(config, epochs, pairs)
    elif candidate == "seed":
        result = run_post(config, epochs, 50_000 if pairs else 60_000, whole=pairs)
    elif candidate == "nielsen":
        result = run_book("nielsen_reference", "PerExampleNetwork", config, epochs, 50_000)
    elif candidate == "torch":
        result = run_torch(config, epochs)
    else:
        result = blas_floor(config, threads)
    print(json.dumps({"seconds": result[0], "correct": result[1]}))


# ------------------------------------------------------------------ in the parent process
def measure(candidate, name, epochs, threads=None):
    command = [sys.executable, __file__, "--child", candidate, name, "--epochs", str(epochs)]
    if threads is not None:
        command += ["--threads", str(threads)]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{candidate} on {name} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def have_torch():
    try:
        import torch  # noqa: F401
    except ImportError:
        return False
    return True


def machine():
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if "model name" in line)
    except (OSError, StopIteration):
        pass
    blas = {k: v for k, v in os.environ.items() if k.startswith("OPENBLAS")}
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"env {blas or 'no OPENBLAS_* set'}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--skip-nielsen", action="store_true", help="its loop takes minutes")
    parser.add_argument("--only", metavar="NAME", help="one row: 'seed data' or a network / "
                        "batch name such as 784-100-10/b128")
    parser.add_argument("--threads", type=int, help="run the references and the floor on this "
                        "many threads (default: their libraries' own choice); nndraw always "
                        "chooses its own from the cores free")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(*args.child, args.epochs, args.threads)

    torch = have_torch()
    seed = ["seed"] if post_network_class() is not None else []
    plan = [("seed data", seed + ["nndraw"] + ([] if args.skip_nielsen else ["nielsen"]))]
    for name in CONFIGS:
        candidates = ["nndraw", "floor"]
        if name != "default preset":
            candidates += seed + (["torch"] if torch else [])
        plan.append((name, candidates))
    if args.only:
        plan = [row for row in plan if row[0] == args.only]

    print(f"nndraw training benchmark: {machine()}")
    print("load average at start (1, 5, 15 min):", " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(f"median of {args.runs} runs x {args.epochs} epochs, each candidate in its own process; "
          f"references on {args.threads or 'their default number of'} thread(s)")
    rows = []
    for name, candidates in plan:
        results = {c: [] for c in candidates}
        for _ in range(args.runs):  # interleaved, so drift in machine load hits all alike
            for candidate in candidates:
                runs = 1 if candidate == "floor" else args.runs
                if candidate == "floor" and results[candidate]:
                    continue
                if candidate == "nielsen" and results[candidate] and runs > 1:
                    continue  # one run of the per-example loop is plenty (and slow)
                results[candidate].append(measure(candidate, name, args.epochs, args.threads))
        seconds = {c: statistics.median(s for r in rs for s in r["seconds"])
                   for c, rs in results.items()}
        correct = {c: rs[0]["correct"] for c, rs in results.items()}
        rows.append((name, seconds, correct))

    print()
    print("seconds per epoch (60,000 images; 'seed data': 50,000 list-of-pairs examples, "
          "2 epochs timed whole, conversion included)")
    header = f"{'network / batch':<18}{'nndraw':>9}{'seed':>9}{'nielsen':>9}{'torch':>9}" \
             f"{'floor':>9}   {'seed/nn':>8}{'torch/nn':>9}{'nn/floor':>9}"
    print(header)
    print("-" * len(header))
    for name, seconds, _ in rows:
        def cell(c, seconds=seconds):
            return f"{seconds[c]:>9.3f}" if c in seconds else f"{'':>9}"

        def ratio(a, b, seconds=seconds):
            return f"{seconds[a] / seconds[b]:>8.2f}x" if a in seconds and b in seconds \
                else f"{'':>9}"

        print(f"{name:<18}{cell('nndraw')}{cell('seed')}{cell('nielsen')}{cell('torch')}"
              f"{cell('floor')}  {ratio('seed', 'nndraw')}{ratio('torch', 'nndraw')}"
              f"{ratio('nndraw', 'floor')}")
    print("load average at end (1, 5, 15 min):", " ".join(f"{v:.2f}" for v in os.getloadavg()))
    if not seed:
        print(f"no seed column: {POST} is absent")
    print()
    print("test images correct after the run: " + "; ".join(
        f"{name}: " + ", ".join(f"{c} {v}" for c, v in correct.items() if v is not None)
        for name, _, correct in rows))


if __name__ == "__main__":
    main()
