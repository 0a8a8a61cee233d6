"""One record per evaluation, the same everywhere: the trainer yields it, the worker carries it,
the session keeps it on the model's timeline, the plot draws it and model and run files store it.

A record says what it was measured on (`correct` of `total` test images, and whether that was
the whole test set), keeps the training cost and the test cost under different names, and
knows which part of the model's life it belongs to (`segment`: a fresh run, a resumed one, a
teaching run, or a plain measurement), so a timeline that was taught or resumed still reads
forward.
"""

import math
from dataclasses import dataclass, field, replace

SEGMENTS = ("train", "resume", "teach", "measure")
# Files written before records said what they were measured on: the window evaluated its
# first 1,000 test images between epochs and the whole 10,000 at each epoch's end.
_LEGACY_TOTALS = {True: 10_000, False: 1_000}


@dataclass(frozen=True, eq=False)
class Evaluation:
    epoch: float                    # on the model's timeline: 2.5 = half-way through epoch 3
    correct: int
    total: int                      # test images measured
    complete: bool                  # True: `total` is the whole test set
    train_cost: float = math.nan    # mean training cost since the previous record
    test_cost: float = math.nan     # mean cost on the `total` test images
    personal: float | None = None   # accuracy on the person's held-out drawings
    segment: str = "train"
    probabilities: object = field(default=None, repr=False, compare=False)  # host (total, k)

    @property
    def accuracy(self):
        return self.correct / self.total if self.total else 0.0

    def percent(self):
        return f"{100 * self.accuracy:.2f} %"

    def measured_on(self, data_name):
        """What the figure was measured on, e.g. 'the 10,000 MNIST test images' or 'the
        first 1,000 of its test images'."""
        if self.complete:
            return f"the {self.total:,} {data_name} test images"
        return f"the first {self.total:,} {data_name} test images"

    def describe(self, data_name):
        """The one sentence every view uses: '98.34 % of the 10,000 MNIST test images'."""
        return f"{self.percent()} of {self.measured_on(data_name)}"

    def __eq__(self, other):
        """Equal when every stored field is (NaN costs, unknown, compare equal)."""
        if not isinstance(other, Evaluation):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None

    def moved(self, offset, segment=None):
        """The same record placed `offset` epochs later on a timeline (and in `segment`)."""
        return replace(self, epoch=self.epoch + offset, segment=segment or self.segment)

    def to_dict(self):
        record = {"epoch": self.epoch, "correct": self.correct, "total": self.total,
                  "accuracy": self.accuracy, "complete": self.complete,
                  "train_cost": _number(self.train_cost), "test_cost": _number(self.test_cost),
                  "segment": self.segment}
        if self.personal is not None:
            record["personal"] = self.personal
        return record

    @classmethod
    def from_dict(cls, entry, *, complete=None):
        """A record from `to_dict`'s form, or from the forms older files used: run files'
        {epoch, accuracy, cost (the training cost), complete, personal} and model files'
        history {epoch, correct, n_test, accuracy, cost, test_cost}.
        ValueError or TypeError or KeyError when it is not a record."""
        if not isinstance(entry, dict):
            raise TypeError("not a mapping")
        if "total" in entry:                                       # this module's own form
            total, correct = int(entry["total"]), int(entry["correct"])
            done = bool(entry["complete"])
            epoch = float(entry["epoch"])
        elif "n_test" in entry:                                    # an old model's history
            total, correct = int(entry["n_test"]), int(entry["correct"])
            done = True if complete is None else complete
            epoch = float(entry["epoch"])
        else:                                                      # an old run file's curve
            done = bool(entry.get("complete", False) if complete is None else complete)
            total = _LEGACY_TOTALS[done]
            correct = round(float(entry["accuracy"]) * total)
            epoch = float(entry["epoch"])
        personal = entry.get("personal")
        segment = entry.get("segment", "train")
        record = cls(epoch, correct, total, done,
                     float(entry.get("train_cost", entry.get("cost", math.nan)) or math.nan),
                     float(entry.get("test_cost", math.nan) or math.nan),
                     None if personal is None else float(personal),
                     segment if segment in SEGMENTS else "train")
        if not (math.isfinite(record.epoch) and record.epoch >= 0 and 0 < record.total
                and 0 <= record.correct <= record.total):
            raise ValueError("epoch or accuracy out of range")
        if record.personal is not None and not 0 <= record.personal <= 1:
            raise ValueError("the accuracy on your drawings is out of range")
        return record


def _number(value):
    """JSON has no NaN: unknown costs are stored as null."""
    return value if value is not None and math.isfinite(value) else None


def chained(records):
    """`records` as one forward timeline. Files written before timelines only moved forward
    started each run's epochs from zero again after a Teach or a Resume (1, 2, 1, 2): each
    such restart is placed after what came before it (1, 2, 3, 4)."""
    timeline, offset = [], 0.0
    for record in records:
        if timeline and record.epoch + offset < timeline[-1].epoch:
            offset = timeline[-1].epoch
        timeline.append(record.moved(offset) if offset else record)
    return timeline
