"""Reading numbers and refusing marks, on the generators' numbers (MNIST *test* digits) and
marks: a small, fast version of benchmarks/bench_reading.py."""

import numpy as np
import pytest

import nndraw
from nndraw.core.network import Network
from nndraw.data import marks
from nndraw.data.numbers import STYLES, number
from nndraw.reading import read_ink, read_number


@pytest.fixture(scope="module")
def shipped():
    return nndraw.pretrained()


def as_file(image):
    return np.round(image * 255).astype(np.float32) / 255


def test_numbers_of_two_to_five_digits_in_both_ink_styles_are_read(mnist, shipped):
    test = mnist[1]
    rng = np.random.default_rng(11)
    made = [number(test.images, test.labels, rng, STYLES[i % 2]) for i in range(60)]
    read = [nndraw.read_number(as_file(m.image), shipped) for m in made]
    assert {len(m.text) for m in made} == {2, 3, 4, 5}
    exact = np.mean([r.text == m.text for r, m in zip(read, made)])
    counted = np.mean([len(r.digits) == len(m.text) for r, m in zip(read, made)])
    assert exact >= 0.85 and counted >= 0.95, (exact, counted)
    # Each digit is boxed where it was written (give or take the faint edge a photo loses).
    for r, m in zip(read, made):
        if len(r.digits) == len(m.boxes):
            for digit, box in zip(r.digits, m.boxes):
                slack = max(3, 0.1 * (box[2] - box[0]))
                assert np.abs(np.subtract(digit.box, box)).max() <= slack, (digit.box, box)


def test_a_single_digit_reads_as_before(mnist, shipped):
    test = mnist[1]
    reading = read_number(test.images[0].reshape(28, 28), shipped)
    assert reading.text == str(test.labels[0]) and len(reading.digits) == 1
    digit = reading.digits[0]
    assert digit.is_digit and digit.probabilities.shape == (10,)
    assert digit.probability == pytest.approx(digit.probabilities.max())


def test_a_blank_image_has_no_digits(shipped):
    reading = read_number(np.zeros((40, 60), np.float32), shipped)
    assert reading.blank and reading.text == "" and not reading.any_digit


@pytest.mark.parametrize("family", ["dash", "dot", "scribble", "box", "cross", "wave",
                                    "random lines"])
def test_marks_are_not_digits(shipped, family):
    """The marks the issue names. Random lines are judged stroke by stroke once split apart,
    and a line that stands upright is a 1, so fewer of them are refused."""
    rng = np.random.default_rng(1234)      # a seed the judge never trained on
    refused = [not read_ink(marks.mark(family, rng), shipped).any_digit for _ in range(20)]
    assert np.mean(refused) >= (0.5 if family == "random lines" else 0.8), family


def test_real_digits_are_seldom_refused(mnist, shipped):
    test = mnist[1]
    texts = [read_number(image.reshape(28, 28), shipped).text for image in test.images[:300]]
    assert np.mean([t == str(label) for t, label in zip(texts, test.labels[:300])]) >= 0.96


def test_refusal_does_not_depend_on_the_reading_network(mnist):
    """A network trained a minute ago (as in the window) reads digits and refuses a dash."""
    train, test = mnist
    network = Network([784, 30, 10], activation="relu", output="softmax",
                      cost="cross-entropy", init="he", seed=0)
    network.SGD(train.subset(3000), 3, 20, 0.1, seed=0)
    dash = marks.mark("dash", np.random.default_rng(5))
    assert read_ink(dash, network).text == "?"
    digit = test.images[3].reshape(28, 28)
    assert read_ink(digit, network).digits[0].is_digit


def test_a_mark_inside_a_number_shows_as_a_question_mark(mnist, shipped):
    test = mnist[1]
    rng = np.random.default_rng(3)
    made = number(test.images[:3], test.labels[:3], rng, "screen", digits=2)  # plain 7, 2, 1
    height = made.image.shape[0]
    cross = marks.mark("cross", rng, size=height)
    ink = np.concatenate([made.image, cross, made.image], axis=1)
    reading = read_ink(ink, shipped)
    assert [d.is_digit for d in reading.digits] == [True, True, False, True, True]
    assert reading.text[2] == "?"


def test_numbers_whose_digits_touch_are_read_more_often_for_the_cut(mnist, shipped,
                                                                   monkeypatch):
    """Over the kind of input, not one drawing: two-digit numbers pushed into each other
    (about half really touch) read exactly right more often with the cut than without."""
    import nndraw.reading

    test = mnist[1]
    rng = np.random.default_rng(12)
    made = [number(test.images, test.labels, rng, STYLES[i % 2], digits=2, touching=True)
            for i in range(60)]

    def exact():
        return np.mean([read_number(as_file(m.image), shipped).text == m.text for m in made])

    with_cut = exact()
    monkeypatch.setattr(nndraw.reading, "DOUBTFUL", 0.0)   # nothing reads below 0: no cut
    assert with_cut >= exact() + 0.05, with_cut
