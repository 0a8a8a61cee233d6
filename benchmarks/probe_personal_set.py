"""Probe the personal set by hand: two processes keeping 50 drawings each into one folder
(4 runs), then 25 SIGKILLs at random moments inside a keep loop. Prints what was kept, lost
and mislabelled (the figures in TESTING.md). Run: python benchmarks/probe_personal_set.py"""

import multiprocessing
import os
import sys
import tempfile

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from nndraw.data.personal import PersonalSet  # noqa: E402
from tests.data.test_personal import keep_many, kill_while_keeping, label_of  # noqa: E402


def two_writers(context, run):
    folder = tempfile.mkdtemp()
    ready = context.Event()
    writers = [context.Process(target=keep_many, args=(folder, w, 50, ready)) for w in (1, 2)]
    for p in writers:
        p.start()
    ready.set()
    for p in writers:
        p.join()
    kept = PersonalSet(folder)
    wrong = sum(int(y) != label_of(int(x[0, 0]), int(x[0, 1]))
                for x, y in zip(kept.images, kept.labels))
    print(f"two processes, run {run}: {len(kept)} of 100 kept, {wrong} mislabelled", flush=True)


def kills(context, count=25):
    rng = np.random.default_rng(1)
    folder = tempfile.mkdtemp()
    lost = landed = 0
    for writer in range(1, count + 1):
        acked = kill_while_keeping(context, folder, writer, int(rng.integers(3, 20)), rng)
        mine = sum(int(x[0, 0]) == writer for x in PersonalSet(folder).images)
        lost += max(acked - mine, 0)
        landed += mine - acked
    print(f"{count} kills: the set opened after each; confirmed keeps lost: {lost}; "
          f"in-flight keeps that landed whole: {landed}")


if __name__ == "__main__":
    context = multiprocessing.get_context("spawn")
    for run in range(4):
        two_writers(context, run)
    kills(context)
