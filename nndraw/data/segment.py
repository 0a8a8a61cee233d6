"""Split a drawing of a number into its digits, left to right.

Strokes that touch are one piece (scipy's connected components). A digit is often written in
more than one piece: the bar of a 4 or a 5, a 7's cross-stroke, a 1's foot, the end of a 9 that
did not quite meet its loop. Such pieces sit above or below each other, so pieces whose column
ranges overlap by half the narrower one are merged, and so are pieces almost touching (a
stroke broken by faint ink) or a small piece close to a big one (a 5's bar drawn off to the
right), when together they are no wider than a digit. A speck beside a piece (a pen that touched
down by accident) joins the piece when it is close, and is dropped when it is far; a piece that
stands alone is never dropped, so a lone dot still reaches the judge.
"""

from typing import NamedTuple

import numpy as np
from scipy import ndimage

INK = 0.1               # what counts as ink when finding pieces
OVERLAP = 0.5           # columns shared, as a share of the narrower piece, to be one digit
SPECK = 0.2             # a piece smaller than this share of the line's height is a speck
SPECK_REACH = 0.35      # ... and joins a piece this close (share of the line's height)
BREAK = 0.08            # pieces nearer than this share of the line's height are one stroke
                        # broken (faint ink, a lifted pen), if together they are not too wide
FRAGMENT = 0.45         # a piece smaller than this share of the line's height (a 5's bar) ...
FRAGMENT_REACH = 0.15   # ... joins a piece this close, if together they are not too wide
NARROW = 1.2            # too wide: wider than this share of their joint height


class Piece(NamedTuple):
    """One digit's ink: `box` (top, left, bottom, right), bottom and right exclusive, in the
    drawing's pixels, and `ink`, the drawing cropped to the box with other pieces' ink removed."""

    box: tuple
    ink: np.ndarray


def _box_union(a, b):
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


def _overlap(a, b):
    shared = min(a[3], b[3]) - max(a[1], b[1])
    return shared / max(1, min(a[3] - a[1], b[3] - b[1]))


def _distance(a, b):
    dx = max(0, max(a[1], b[1]) - min(a[3], b[3]))
    dy = max(0, max(a[0], b[0]) - min(a[2], b[2]))
    return float(np.hypot(dx, dy))


def _size(box):
    return max(box[2] - box[0], box[3] - box[1])


def _one_digit(a, b, line_height):
    if _overlap(a, b) >= OVERLAP:
        return True
    joint = _box_union(a, b)
    if joint[3] - joint[1] > NARROW * (joint[2] - joint[0]):
        return False
    small = min(_size(a), _size(b)) < FRAGMENT * line_height
    return _distance(a, b) <= (FRAGMENT_REACH if small else BREAK) * line_height


def _merge_overlapping(groups, line_height):
    """groups: list of [box, labels]; merged until no two look like one digit."""
    merged = True
    while merged:
        merged = False
        groups.sort(key=lambda g: g[0][1])
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                if _one_digit(groups[i][0], groups[j][0], line_height):
                    groups[i] = [_box_union(groups[i][0], groups[j][0]),
                                 groups[i][1] + groups[j][1]]
                    del groups[j]
                    merged = True
                    break
            if merged:
                break
    return groups


def _settle_specks(groups, line_height):
    """Specks join the nearest piece within reach, or go; nothing goes if nothing else is left."""
    small = SPECK * line_height
    big = [g for g in groups if max(g[0][2] - g[0][0], g[0][3] - g[0][1]) >= small]
    if not big:
        return groups
    for speck in (g for g in groups if not any(g is b for b in big)):
        nearest = min(big, key=lambda b: _distance(b[0], speck[0]))
        if _distance(nearest[0], speck[0]) <= SPECK_REACH * line_height:
            nearest[0] = _box_union(nearest[0], speck[0])
            nearest[1] = nearest[1] + speck[1]
    return big


def split_digits(ink):
    """The pieces of `ink` (2-D, 1 = ink, 0 = paper), one per digit, left to right; [] if blank."""
    ink = np.asarray(ink, np.float32)
    labels, count = ndimage.label(ink > INK, structure=np.ones((3, 3), bool))
    if count == 0:
        return []
    groups = [[(s[0].start, s[1].start, s[0].stop, s[1].stop), [k + 1]]
              for k, s in enumerate(ndimage.find_objects(labels))]
    rows = np.flatnonzero(labels.any(axis=1))
    line_height = rows[-1] + 1 - rows[0]
    groups = _settle_specks(_merge_overlapping(groups, line_height), line_height)
    groups = _merge_overlapping(groups, line_height)
    pieces = []
    keep = np.zeros(count + 1, bool)
    for (top, left, bottom, right), members in sorted(groups, key=lambda g: g[0][1]):
        window = labels[top:bottom, left:right]
        keep[:] = False
        keep[members] = True
        keep[0] = True      # the faint antialiased rim, below INK, stays with every piece
        crop = np.where(keep[window], ink[top:bottom, left:right], 0.0).astype(np.float32)
        pieces.append(Piece((int(top), int(left), int(bottom), int(right)), crop))
    return pieces
