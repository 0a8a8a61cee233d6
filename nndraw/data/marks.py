"""Generated marks that are not digits: what people scribble on a digit reader to test it.

Each family draws strokes in the unit square from a random generator; `marks` paints them with
pens from thin to thick. The judge that says "not a digit" trains on the TRAINING families;
the HELD_OUT families are kept back so its refusals can be measured on shapes it never saw.
Shapes a digit is made of on its own are avoided on purpose: a near-vertical bar is a 1 and a
plain ring is a 0, so dashes lean at most 55 degrees from the horizontal and rings always carry
something extra.
"""

import numpy as np

from nndraw.data.strokes import render


def _line(a, b, steps=2):
    a, b = np.asarray(a, np.float32), np.asarray(b, np.float32)
    return a + np.linspace(0, 1, steps)[:, None] * (b - a)


def _rotate(points, angle, centre=(0.5, 0.5)):
    c, s = np.cos(angle), np.sin(angle)
    p = np.asarray(points, np.float32) - centre
    return p @ np.array([[c, s], [-s, c]], np.float32) + centre


def _ellipse(rng, cx, cy, rx, ry, turns=1.0, steps=48):
    t = np.linspace(0, 2 * np.pi * turns, steps) + rng.uniform(0, 2 * np.pi)
    return np.stack([cx + rx * np.cos(t), cy + ry * np.sin(t)], axis=1)


def dash(rng):
    angle = rng.uniform(-55, 55) * np.pi / 180
    half = rng.uniform(0.15, 0.4)
    d = half * np.array([np.cos(angle), np.sin(angle)])
    return [_line(0.5 - d, 0.5 + d)]


def dot(rng):
    r = rng.uniform(0.0, 0.06)
    angle = rng.uniform(0, np.pi)
    d = r * np.array([np.cos(angle), np.sin(angle)])
    return [_line(0.5 - d, 0.5 + d)], rng.uniform(3.0, 6.0)   # a wide pen: a blot


def scribble(rng):
    n = rng.integers(6, 25)
    points = rng.uniform(0.15, 0.85, size=(n, 2))
    if rng.random() < 0.5:      # a tight back-and-forth scribble rather than a random walk
        xs = np.linspace(0.15, 0.85, n)
        ys = np.where(np.arange(n) % 2 == 0, rng.uniform(0.15, 0.4, n), rng.uniform(0.6, 0.85, n))
        points = _rotate(np.stack([xs, ys], axis=1), rng.uniform(0, np.pi))
    return [points]


def box(rng):
    w, h = rng.uniform(0.2, 0.4), rng.uniform(0.2, 0.4)
    corners = np.array([[-w, -h], [w, -h], [w, h], [-w, h], [-w, -h]]) + 0.5
    corners = corners + rng.normal(0, 0.015, corners.shape)
    return [_rotate(corners, rng.uniform(-0.3, 0.3))]


def cross(rng):
    a = rng.uniform(0.15, 0.35)
    b = rng.uniform(0.15, 0.35)
    turn = rng.choice([0.0, np.pi / 4]) + rng.uniform(-0.25, 0.25)
    return [_rotate(_line((0.5 - a, 0.5), (0.5 + a, 0.5)), turn),
            _rotate(_line((0.5, 0.5 - b), (0.5, 0.5 + b)), turn)]


def wave(rng):
    xs = np.linspace(0.1, 0.9, 60)
    periods = rng.uniform(1.0, 4.0)
    ys = 0.5 + rng.uniform(0.04, 0.2) * np.sin(2 * np.pi * periods * (xs - 0.1) / 0.8
                                                + rng.uniform(0, 2 * np.pi))
    return [_rotate(np.stack([xs, ys], axis=1), rng.uniform(-0.5, 0.5))]


def random_lines(rng):
    return [rng.uniform(0.1, 0.9, size=(2, 2)) for _ in range(rng.integers(2, 6))]


def ring_and_more(rng):
    r = rng.uniform(0.15, 0.3)
    ring = _ellipse(rng, 0.5, 0.5, r, r * rng.uniform(0.8, 1.2))
    extra = rng.integers(3)
    if extra == 0:              # a line right through it, side to side
        angle = rng.uniform(-0.6, 0.6)
        extra = _rotate(_line((0.5 - 1.6 * r, 0.5), (0.5 + 1.6 * r, 0.5)), angle)
    elif extra == 1:            # a ring inside the ring
        extra = _ellipse(rng, 0.5, 0.5, r * 0.45, r * 0.45)
    else:                       # a second ring beside it
        extra = _ellipse(rng, 0.5 + 1.8 * r, 0.5 + rng.uniform(-0.1, 0.1), r * 0.8, r * 0.8)
    return [ring, extra]


LETTERS = {  # capitals that no digit resembles, as strokes in the unit square
    "A": [[(0.2, 0.9), (0.5, 0.1), (0.8, 0.9)], [(0.33, 0.6), (0.67, 0.6)]],
    "E": [[(0.75, 0.1), (0.25, 0.1), (0.25, 0.9), (0.75, 0.9)], [(0.25, 0.5), (0.65, 0.5)]],
    "F": [[(0.75, 0.1), (0.25, 0.1), (0.25, 0.9)], [(0.25, 0.5), (0.65, 0.5)]],
    "H": [[(0.25, 0.1), (0.25, 0.9)], [(0.75, 0.1), (0.75, 0.9)], [(0.25, 0.5), (0.75, 0.5)]],
    "K": [[(0.25, 0.1), (0.25, 0.9)], [(0.75, 0.1), (0.25, 0.55), (0.75, 0.9)]],
    "M": [[(0.15, 0.9), (0.2, 0.1), (0.5, 0.6), (0.8, 0.1), (0.85, 0.9)]],
    "N": [[(0.25, 0.9), (0.25, 0.1), (0.75, 0.9), (0.75, 0.1)]],
    "W": [[(0.1, 0.1), (0.3, 0.9), (0.5, 0.4), (0.7, 0.9), (0.9, 0.1)]],
}


def letter(rng):
    strokes = LETTERS[list(LETTERS)[rng.integers(len(LETTERS))]]
    turn = rng.uniform(-0.2, 0.2)
    return [_rotate(np.asarray(s) + rng.normal(0, 0.02, np.shape(s)), turn) for s in strokes]


def arrow(rng):
    angle = rng.uniform(-0.7, 0.7) + rng.choice([0.0, np.pi])
    head = rng.uniform(0.1, 0.2)
    tip = np.array([0.85, 0.5])
    strokes = [_line((0.15, 0.5), tip),
               np.array([tip + head * np.array([-1, -0.7]), tip, tip + head * np.array([-1, 0.7])])]
    return [_rotate(s, angle) for s in strokes]


def smiley(rng):
    r = rng.uniform(0.25, 0.35)
    face = _ellipse(rng, 0.5, 0.5, r, r)
    eyes = [_line((0.5 + d * r, 0.5 - 0.35 * r), (0.5 + d * r, 0.5 - 0.3 * r)) for d in (-0.4, 0.4)]
    t = np.linspace(0.2 * np.pi, 0.8 * np.pi, 12)
    mouth = np.stack([0.5 + 0.55 * r * np.cos(t), 0.5 + 0.1 * r + 0.4 * r * np.sin(t)], axis=1)
    return [face, *eyes, mouth]


def loops(rng):
    n = rng.integers(3, 6)
    t = np.linspace(0, 2 * np.pi * n, 40 * n)
    size = 0.8 / (n + 1)
    xs = 0.1 + size * t / (2 * np.pi) + 0.6 * size * np.sin(t)
    ys = 0.5 - rng.uniform(0.6, 1.2) * size * np.cos(t)
    return [_rotate(np.stack([xs, ys], axis=1), rng.uniform(-0.3, 0.3))]


# -- kept back from training: the judge never sees these shapes

def zigzag(rng):
    n = rng.integers(4, 9)
    xs = np.linspace(0.1, 0.9, n)
    ys = np.where(np.arange(n) % 2 == 0, 0.4, 0.6) + rng.normal(0, 0.02, n)
    return [_rotate(np.stack([xs, ys], axis=1), rng.uniform(-0.4, 0.4))]


def triangle(rng):
    t = rng.uniform(0, 2 * np.pi) + np.array([0, 2.1, 4.2, 0]) + rng.normal(0, 0.1, 4)
    t[3] = t[0]
    r = rng.uniform(0.25, 0.4)
    return [np.stack([0.5 + r * np.cos(t), 0.5 + r * np.sin(t)], axis=1)]


def spiral(rng):
    t = np.linspace(0, 2 * np.pi * rng.uniform(1.5, 3), 90)
    r = 0.04 + 0.32 * t / t[-1]
    sign = rng.choice([-1, 1])
    return [np.stack([0.5 + r * np.cos(sign * t), 0.5 + r * np.sin(sign * t)], axis=1)]


def hash_sign(rng):
    a, b = rng.uniform(0.15, 0.3), rng.uniform(0.08, 0.15)
    strokes = [_line((0.5 - a, 0.5 - b), (0.5 + a, 0.5 - b)),
               _line((0.5 - a, 0.5 + b), (0.5 + a, 0.5 + b)),
               _line((0.5 - b, 0.5 - a), (0.5 - b, 0.5 + a)),
               _line((0.5 + b, 0.5 - a), (0.5 + b, 0.5 + a))]
    turn = rng.uniform(-0.3, 0.3)
    return [_rotate(s, turn) for s in strokes]


def asterisk(rng):
    n = rng.integers(3, 6)
    turn = rng.uniform(0, np.pi)
    r = rng.uniform(0.2, 0.35)
    return [_rotate(_line((0.5 - r, 0.5), (0.5 + r, 0.5)), turn + k * np.pi / n) for k in range(n)]


def check_mark(rng):
    return [np.array([[0.2, 0.5 + rng.uniform(-0.1, 0.1)], [0.4, 0.7],
                      [0.85, 0.25 + rng.uniform(-0.1, 0.1)]])]


def blot(rng):
    points = 0.5 + rng.normal(0, 0.06, size=(rng.integers(4, 10), 2))
    return [points], rng.uniform(2.0, 4.0)


TRAINING = {"dash": dash, "dot": dot, "scribble": scribble, "box": box, "cross": cross,
            "wave": wave, "random lines": random_lines, "ring and more": ring_and_more,
            "letter": letter, "arrow": arrow, "smiley": smiley, "loops": loops}
HELD_OUT = {"zigzag": zigzag, "triangle": triangle, "spiral": spiral, "hash": hash_sign,
            "asterisk": asterisk, "check mark": check_mark, "blot": blot}
FAMILIES = {**TRAINING, **HELD_OUT}


def mark(family, rng, size=96):
    """One mark of `family` as white-on-black ink, (size, size), pen 4 % to 16 % of the side."""
    drawn = FAMILIES[family](rng)
    strokes, pen = (drawn, 1.0) if isinstance(drawn, list) else drawn
    width = size * rng.uniform(0.04, 0.16) * pen
    return render(strokes, size, width)


def marks(n, rng, families=TRAINING):
    """`n` marks, cycling through `families` (names or a dict of them): (inks, family names)."""
    names = list(families)
    chosen = [names[i % len(names)] for i in range(n)]
    return [mark(name, rng) for name in chosen], chosen
