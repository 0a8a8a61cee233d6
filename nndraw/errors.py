"""The errors a user can cause. The CLI and the window show their message, never a traceback."""


class NndrawError(Exception):
    """Base class: the message is one plain sentence meant for the person at the keyboard."""


class DataFileError(NndrawError):
    """A data file (IDX, image) is missing, truncated or not what it claims to be."""


class ModelFileError(NndrawError):
    """A model file is corrupt, foreign, or does not match what it is used for."""


class ConfigError(NndrawError):
    """A hyperparameter or option is out of range or malformed."""


class DeviceError(NndrawError):
    """The requested device (the GPU) cannot be used; the message says why."""


class DivergedError(NndrawError):
    """Training produced a NaN or infinite cost; the weights are no longer usable."""

    def __init__(self, epoch, batch, eta):
        self.epoch, self.batch, self.eta = epoch, batch, eta
        super().__init__(
            f"training diverged at epoch {epoch}, mini-batch {batch}: the cost became NaN or "
            f"infinite; try a smaller learning rate than eta={eta:g}"
        )


class FailedToLearnError(NndrawError):
    """A run ended no better than chance: the network answers everything alike."""

    def __init__(self, evaluation):
        self.evaluation = evaluation
        super().__init__(
            f"training failed to learn: {evaluation.percent()} of {evaluation.total:,} test "
            "images is no better than chance, so the network was not kept; try a smaller "
            "learning rate or the default preset")


def brief(exc, limit=160):
    """The text of a library's exception made fit for a one-line message: on one line and
    cut to `limit` characters (zipfile, for one, quotes whole damaged headers)."""
    text = " ".join(str(exc).split()).strip("'\"") or type(exc).__name__
    return text if len(text) <= limit else text[:limit - 1] + "…"
