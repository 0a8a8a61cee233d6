"""How long a run will take here, from a few mini-batches timed on this machine.

The window shows it beside the preset before anything starts. A handful of batches of the
run's own network, batch size and augmentation is timed (a fraction of a second) and scaled
to the epochs asked for; the batches are made on a second thread while training, so an epoch
costs the slower of the two.
"""

import time

import numpy as np

from nndraw.core.network import Network
from nndraw.data.augment import Augmenter, parse_augment

TRAINING_IMAGES = 60_000
EVALUATION_SHARE = 0.05  # an epoch's evaluation on 10,000 test images, about
# Larger networks are not timed: the estimate runs on the window's thread, and a few batches
# of tens of millions of weights would freeze it (or not fit at all).
MAX_TIMED_WEIGHTS = 5_000_000


def seconds_per_epoch(config, n=TRAINING_IMAGES, batches=4):
    """Estimated seconds for one epoch of `config` (validated) over `n` images, or None for a
    network too large to time in a moment."""
    k = config.mini_batch_size
    weights = sum(a * b for a, b in zip(config.sizes[:-1], config.sizes[1:]))
    if weights > MAX_TIMED_WEIGHTS:
        return None
    net = Network(config.sizes, **{**config.network_options(), "device": "cpu"})
    rng = np.random.default_rng(0)
    x = rng.random((k * (batches + 1), config.sizes[0]), dtype=np.float32)
    labels = rng.integers(0, config.sizes[-1], x.shape[0])
    xs, ys = net.training_arrays((x, labels))
    # the first batch warms caches and allocates; the rest are timed
    start = None
    for i, _ in enumerate(net.sgd_epoch(xs, ys, k, 0.001, 0, rng, momentum=config.momentum,
                                        dropout=config.dropout or None, check_every=1)):
        if i == 0:
            start = time.perf_counter()
    train = (time.perf_counter() - start) / batches
    augment = parse_augment(config.augment)
    made = 0.0
    if augment.active and config.sizes[0] == 784:
        augmenter = Augmenter(augment, 0)
        begin = time.perf_counter()
        for _ in range(2):
            augmenter(x[:k])
        made = (time.perf_counter() - begin) / 2
    per_batch = max(train, made) if config.device == "cpu" else train + made
    return per_batch * (-(-n // k)) * (1 + EVALUATION_SHARE)
