"""Splitting a drawing into digits: pieces of one digit stay together, digits stay apart."""

import numpy as np
from scipy import ndimage

from nndraw.data.segment import split_digits
from nndraw.data.strokes import paint


def canvas(*strokes, width=600, height=200, pen=14):
    """Strokes given in pixels, painted white on black."""
    ink = np.zeros((height, width), np.float32)
    for stroke in strokes:
        paint(ink, stroke, pen)
    return ink


def lefts(pieces):
    return [piece.box[1] for piece in pieces]


ONE = [(60, 40), (60, 160)]
ZERO = [(200 + 40 * np.cos(t), 100 + 60 * np.sin(t)) for t in np.linspace(0, 6.3, 40)]
SEVEN = [(340, 40), (420, 40), (360, 160)]


def test_a_blank_drawing_has_no_pieces():
    assert split_digits(np.zeros((50, 80), np.float32)) == []


def test_separate_digits_come_out_left_to_right_with_their_own_ink():
    pieces = split_digits(canvas(SEVEN, ONE, ZERO))
    assert len(pieces) == 3
    assert lefts(pieces) == sorted(lefts(pieces)) and lefts(pieces)[0] < 60
    for piece in pieces:
        top, left, bottom, right = piece.box
        assert piece.ink.shape == (bottom - top, right - left) and piece.ink.max() > 0.9
    # The 0's crop holds none of the 1's or the 7's ink.
    assert pieces[1].box[1] > 100 and pieces[1].box[3] < 300


def test_strokes_of_one_digit_written_apart_make_one_piece():
    four = canvas([(50, 40), (30, 110), (66, 110)], [(85, 60), (85, 170)])   # bar apart
    five = canvas([(60, 40), (55, 95), (100, 95), (100, 150), (50, 160)], [(75, 18), (120, 18)])
    seven = canvas([(40, 40), (110, 40), (60, 170)], [(40, 105), (66, 105)])    # cross-stroke
    one = canvas([(80, 40), (80, 150)], [(55, 172), (105, 172)])                # a foot
    nine = canvas([(100 + 30 * np.cos(t), 70 + 30 * np.sin(t)) for t in np.linspace(0, 6.3, 30)]
                  + [(130, 70), (125, 140)], [(122, 158), (120, 175)])           # a loose end
    for drawing in (four, five, seven, one, nine):
        assert ndimage.label(drawing > 0.1, np.ones((3, 3)))[1] == 2    # written apart
        assert len(split_digits(drawing)) == 1


def test_a_far_speck_is_dropped_but_a_lone_dot_is_kept():
    specked = canvas(ONE, ZERO, [(500, 20), (500, 20)], pen=6)
    assert len(split_digits(specked)) == 2
    dot = canvas([(300, 100), (300, 100)], pen=8)
    assert len(split_digits(dot)) == 1
