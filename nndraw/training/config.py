"""Everything that defines a training run, the named presets, and their validation."""

import dataclasses
from dataclasses import dataclass

from nndraw.core.backend import DEVICES
from nndraw.core.functions import ACTIVATIONS, COSTS, OUTPUTS
from nndraw.core.network import DTYPES, INITS, check_hyperparameters, dropout_rates, parse_sizes
from nndraw.data.augment import parse_augment
from nndraw.errors import ConfigError

SCHEDULES = ("constant", "linear")
# Far beyond any sensible run, and what the window's settings can show; a run file claiming
# more (3,000,000,000 epochs, say) is refused here rather than overflowing later.
MAX_EPOCHS = 1000
MAX_MINI_BATCH_SIZE = 60_000
MAX_LAYER_SIZE = 1_000_000


@dataclass
class TrainConfig:
    """A run's settings. The defaults are the `default` preset."""

    sizes: tuple = (784, 256, 10)
    activation: str = "relu"
    output: str = "softmax"
    cost: str = "cross-entropy"
    init: str = "he"
    epochs: int = 10
    mini_batch_size: int = 64
    eta: float = 0.05
    lmbda: float = 5.0
    momentum: float = 0.9
    schedule: str = "linear"    # eta falls linearly to zero over the run, epoch by epoch
    dtype: str = "float32"
    device: str = "cpu"
    seed: int | None = 0
    # Strengths (0 = off, 1 = full) of the affine, elastic and pen-width distortions applied
    # afresh to every training image in every mini-batch (nndraw.data.augment).
    augment: tuple = (0.0, 0.0, 0.0)
    # Dropout rates: one for every hidden layer, one per hidden layer, or the input's first.
    dropout: tuple = ()

    def validated(self):
        """A copy with sizes as a tuple of ints; ConfigError naming the first bad value."""
        sizes = tuple(parse_sizes(self.sizes))
        for kind, value, table in (("activation", self.activation, ACTIVATIONS),
                                   ("output layer", self.output, OUTPUTS),
                                   ("cost", self.cost, COSTS), ("initialisation", self.init, INITS),
                                   ("schedule", self.schedule, SCHEDULES),
                                   ("dtype", self.dtype, DTYPES), ("device", self.device, DEVICES)):
            if value not in table:
                raise ConfigError(f"unknown {kind} {value!r}: choose one of {', '.join(table)}")
        check_hyperparameters(epochs=self.epochs, mini_batch_size=self.mini_batch_size,
                              eta=self.eta, lmbda=self.lmbda, momentum=self.momentum)
        for name, value, most in (("epochs", self.epochs, MAX_EPOCHS),
                                  ("mini-batch size", self.mini_batch_size, MAX_MINI_BATCH_SIZE),
                                  ("layer size", max(sizes), MAX_LAYER_SIZE)):
            if value > most:
                raise ConfigError(f"{name} {value} is more than nndraw allows ({most:,} at most)")
        if self.seed is not None and (isinstance(self.seed, bool) or not isinstance(self.seed, int)
                                      or self.seed < 0):
            raise ConfigError(f"the seed must be a non-negative whole number, not {self.seed!r}")
        augment = parse_augment(self.augment).as_tuple()
        dropout = self.dropout
        if isinstance(dropout, (int, float)) and not isinstance(dropout, bool):
            dropout = (dropout,)
        rates = dropout_rates(dropout if isinstance(dropout, str) else tuple(dropout), sizes)
        return dataclasses.replace(self, sizes=sizes, augment=augment,
                                   dropout=rates if any(rates) else ())

    def eta_at(self, epoch):
        """The learning rate for `epoch` (counted from 0) under the schedule."""
        if self.schedule == "linear":
            return self.eta * (1 - epoch / self.epochs)
        return self.eta

    def network_options(self):
        return {"activation": self.activation, "output": self.output, "cost": self.cost,
                "init": self.init, "dtype": self.dtype, "seed": self.seed, "device": self.device}

    def to_dict(self):
        return {**dataclasses.asdict(self), "sizes": list(self.sizes),
                "augment": list(self.augment), "dropout": list(self.dropout)}

    @classmethod
    def from_dict(cls, values):
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = set(values) - known
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**values)


PRESETS = {
    # What reaches the best MNIST accuracy quickly on a CPU (see README): >= 98% in 10 epochs.
    "default": TrainConfig(),
    # Nielsen's chapter 1 exactly: sigmoid units, quadratic cost, N(0, 1) initialisation.
    "nielsen": TrainConfig(sizes=(784, 30, 10), activation="sigmoid", output="sigmoid",
                           cost="quadratic", init="normal", epochs=30, mini_batch_size=10,
                           eta=3.0, lmbda=0.0, momentum=0.0, schedule="constant"),
    # A plain network that reads people's digits: one wide hidden layer trained on freshly
    # distorted digits every epoch (Simard et al. 2003). >= 99% on MNIST's test set.
    "robust": TrainConfig(sizes=(784, 800, 10), epochs=90, mini_batch_size=128, eta=0.05,
                          lmbda=0.0, augment=(1.0, 0.5, 0.5)),
}


def preset(name, **overrides):
    """The preset `name` with some settings replaced (None values are ignored)."""
    if name not in PRESETS:
        raise ConfigError(f"unknown preset {name!r}: choose one of {', '.join(PRESETS)}")
    changes = {k: v for k, v in overrides.items() if v is not None}
    return dataclasses.replace(PRESETS[name], **changes)
