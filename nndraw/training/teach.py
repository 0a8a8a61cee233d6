"""Fine-tuning on the person's drawings without forgetting MNIST.

A few drawings alone would pull the network towards them and away from everything else, so
each teaching run mixes them (repeated until they are about a quarter of the data) with a
fresh random sample of the base training set, and uses a small, constant learning rate.
Every image, the person's repeats included, is distorted afresh in every mini-batch: the
network learns each drawing turned, slanted and re-inked a little, not its exact pixels.
"""

import dataclasses
import math

import numpy as np

from nndraw.data.datasets import Split
from nndraw.training.config import TrainConfig

BASE_SAMPLE = 3000
SHARE = 0.25
MAX_REPEATS = 300
# Milder than the robust preset's: a person's drawing is one writer's digit, already varied.
TEACH_AUGMENT = (0.5, 0.5, 0.5)


def mixed_split(personal, base, rng, *, base_sample=BASE_SAMPLE, share=SHARE):
    """A shuffled Split: `personal` repeated to about `share` of the whole, plus `base_sample`
    random examples of `base`."""
    n_base = min(base_sample, len(base.labels))
    pick = rng.choice(len(base.labels), n_base, replace=False)
    n_own = len(personal.labels)
    repeats = 0 if n_own == 0 else min(MAX_REPEATS, max(1, math.ceil(
        share * n_base / ((1 - share) * n_own))))
    images = np.concatenate([base.images[pick], np.repeat(personal.images, repeats, axis=0)])
    labels = np.concatenate([base.labels[pick], np.repeat(personal.labels, repeats)])
    order = rng.permutation(len(labels))
    return Split(np.ascontiguousarray(images[order], np.float32), labels[order])


def teach_config(network, seed=0, epochs=2):
    """Settings for fine-tuning `network` (its own layers and functions)."""
    return dataclasses.replace(
        TrainConfig(), sizes=tuple(network.sizes), **{k: network.options[k] for k in (
            "activation", "output", "cost", "init", "dtype")},
        epochs=epochs, mini_batch_size=32, eta=0.01, lmbda=0.0, momentum=0.5,
        schedule="constant", device="cpu", seed=seed,
        augment=TEACH_AUGMENT if network.sizes[0] == 784 else (0.0, 0.0, 0.0)).validated()
