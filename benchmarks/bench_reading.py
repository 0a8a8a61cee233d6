"""How well `nndraw predict` reads numbers, and how well it refuses marks that are not digits.

    python benchmarks/bench_reading.py [--numbers 1000] [--model PATH] [--seed 7]

- numbers: generated 2-to-5-digit numbers made of MNIST *test* digits (never trained on),
  half white-on-black, half dark ink on lit, grainy paper, rounded to 8 bits as a file is,
  read by `nndraw.read_number` exactly as `nndraw predict` does: the share read exactly right,
  and the share with the right count of digits;
- refusal: the judge's p(digit) on the 10,000 MNIST test digits and on generated marks (a seed
  the judge never trained on), both of the families it trained on and of families it never
  saw; the share of each refused as the threshold moves (the trade-off curve), then the whole
  pipeline at the shipped threshold: a mark counts as refused when no piece of it is read as a
  digit; MNIST test digits, refused, split, or read right;
- touching: two-digit numbers whose digits are pushed into each other (a stretch goal);
- speed: reading one drawing update, against the old one-digit path timed in the same run.

Re-run it whenever the shipped model or the judge changes: it prints figures, not verdicts.
"""

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nndraw.data import marks as mark_families  # noqa: E402
from nndraw.data.datasets import load_mnist  # noqa: E402
from nndraw.data.numbers import STYLES, number  # noqa: E402
from nndraw.data.preprocess import to_mnist  # noqa: E402
from nndraw.reading import read_number, shipped_judge, threshold_of  # noqa: E402
from nndraw.training.judge import SWEEP  # noqa: E402
from nndraw.training.model_io import load_model, pretrained  # noqa: E402


def as_file(image):
    return np.round(image * 255).astype(np.float32) / 255


def bench_numbers(network, test, n, rng):
    exact, count_right, by = 0, 0, Counter()
    totals = Counter()
    misses = []
    start = time.perf_counter()
    for i in range(n):
        style = STYLES[i % 2]
        made = number(test.images, test.labels, rng, style)
        text = read_number(as_file(made.image), network).text
        ok = text == made.text
        exact += ok
        count_right += len(text) == len(made.text)
        key = (style, len(made.text))
        totals[key] += 1
        by[key] += ok
        if not ok and len(misses) < 8:
            misses.append(f"{made.text}->{text}")
    seconds = time.perf_counter() - start
    print(f"numbers: {n} generated (2-5 digits, both styles), {1000 * seconds / n:.1f} ms each")
    print(f"  exactly right: {100 * exact / n:.1f}%   digit count right: "
          f"{100 * count_right / n:.1f}%")
    for style in STYLES:
        cells = "  ".join(f"{d} digits {100 * by[(style, d)] / max(totals[(style, d)], 1):5.1f}%"
                          for d in range(2, 6))
        print(f"  {style:6s} {cells}")
    print(f"  some misses (true->read): {', '.join(misses)}")


def judge_scores(images):
    return shipped_judge().predict(np.asarray(images, np.float32).reshape(len(images), -1))[:, 0]


def bench_refusal(network, test, n_marks, rng):
    digits = judge_scores(test.images)
    seen_inks, seen_names = mark_families.marks(n_marks, rng, mark_families.TRAINING)
    unseen_inks, unseen_names = mark_families.marks(n_marks, rng, mark_families.HELD_OUT)
    seen = judge_scores([to_mnist(m) for m in seen_inks])
    unseen = judge_scores([to_mnist(m) for m in unseen_inks])
    print(f"refusal by the judge alone (p(digit) < threshold), {len(digits)} MNIST test digits, "
          f"{n_marks} marks of trained families and {n_marks} of unseen ones:")
    print("  threshold  digits refused  marks refused (trained families)  (unseen families)")
    chosen = threshold_of(shipped_judge())
    for t in sorted(set(SWEEP) | {chosen, 0.8, 0.9}):
        mark = " <- shipped (chosen on validation data)" if t == chosen else ""
        print(f"  {t:9.2f}  {100 * (digits < t).mean():13.2f}%  {100 * (seen < t).mean():31.1f}%"
              f"  {100 * (unseen < t).mean():16.1f}%{mark}")
    for name, inks, names in (("trained", seen_inks, seen_names),
                              ("unseen", unseen_inks, unseen_names)):
        refused = Counter()
        for ink, family in zip(inks, names):
            refused[family] += not read_number(ink, network).any_digit
        per = Counter(names)
        cells = ", ".join(f"{f} {100 * refused[f] / per[f]:.0f}%" for f in per)
        print(f"  whole pipeline, {name} families: {100 * sum(refused.values()) / len(inks):.1f}%"
              f" of marks answered 'not a digit' ({cells})")
    subset = rng.choice(len(test.images), 2000, replace=False)
    texts = [read_number(test.images[i].reshape(28, 28), network).text for i in subset]
    refused = sum(text == "?" for text in texts)
    split = sum(len(text) > 1 for text in texts)
    right = sum(text == str(test.labels[i]) for text, i in zip(texts, subset))
    print(f"  whole pipeline, 2000 MNIST test digits: {100 * refused / len(texts):.2f}% refused, "
          f"{100 * split / len(texts):.2f}% split in two, {100 * right / len(texts):.2f}% read "
          f"right (the reading network alone: {100 * alone(network, test, subset):.2f}%)")


def alone(network, test, subset):
    """The reading network's accuracy on the same digits, without splitting or judging."""
    return (network.predict(test.images[subset]).argmax(axis=1) == test.labels[subset]).mean()


def bench_touching(network, test, n, rng):
    """Digits pushed into each other (the stretch goal): how often the number is still read."""
    exact = count_right = 0
    for i in range(n):
        made = number(test.images, test.labels, rng, STYLES[i % 2], digits=2, touching=True)
        text = read_number(as_file(made.image), network).text
        exact += text == made.text
        count_right += len(text) == 2
    print(f"touching: {n} two-digit numbers pushed together (about half really touch): "
          f"{100 * exact / n:.1f}% exactly right, {100 * count_right / n:.1f}% count right")


def bench_speed(network, test):
    """One drawing update's reading, on a canvas-sized drawing, against the old one-digit path
    (to_mnist and one prediction) timed in the same run."""
    from nndraw.data.preprocess import resize
    from nndraw.reading import read_ink

    def canvas(count):
        ink = np.zeros((280, max(280, 140 * count)), np.float32)
        for k in range(count):
            digit = np.clip(resize(test.images[k].reshape(28, 28), 200, 200), 0, 1)
            # the 28x28 field's empty margin may overlap the next digit's; the ink does not
            np.maximum(ink[40:240, 140 * k:140 * k + 200], digit[:, :ink.shape[1] - 140 * k],
                       out=ink[40:240, 140 * k:140 * k + 200])
        return ink

    def median_ms(fn, repeats=200):
        fn()
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return 1000 * float(np.median(times))

    one = canvas(1)
    old = median_ms(lambda: network.predict(to_mnist(one).reshape(1, -1)))
    new = median_ms(lambda: read_ink(one, network))
    three = canvas(3)
    new3 = median_ms(lambda: read_ink(three, network))
    print(f"speed: one digit on a 280x280 canvas: old path {old:.2f} ms, reading {new:.2f} ms "
          f"({new / old:.1f}x); three digits on 280x{three.shape[1]}: {new3:.2f} ms "
          f"({new3 / old:.1f}x)")


def main():
    parser = argparse.ArgumentParser(description="Reading numbers and refusing marks.")
    parser.add_argument("--numbers", type=int, default=1000)
    parser.add_argument("--marks", type=int, default=2100)
    parser.add_argument("--model", help="reading model (default: the shipped one)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed (the judge trained "
                        "on seed 0's marks)")
    args = parser.parse_args()
    network = load_model(args.model) if args.model else pretrained()
    _, test = load_mnist()
    rng = np.random.default_rng(args.seed)
    bench_numbers(network, test, args.numbers, rng)
    bench_refusal(network, test, args.marks, rng)
    bench_touching(network, test, args.numbers // 4, rng)
    bench_speed(network, test)


if __name__ == "__main__":
    main()
