"""Teaching mixes the person's drawings with the base set, and a few steps learn them."""

import numpy as np

from nndraw.data.datasets import Split
from nndraw.training import trainer
from nndraw.training.model_io import pretrained
from nndraw.training.teach import mixed_split, teach_config


def test_mix_oversamples_the_drawings_to_a_quarter(mnist):
    own = Split(np.ones((4, 784), np.float32), np.array([3, 3, 3, 3]))
    mix = mixed_split(own, mnist[0], np.random.default_rng(0), base_sample=600)
    is_own = (mix.images == 1).all(axis=1)
    assert 600 + 4 * 50 == len(mix.labels) and is_own.sum() == 200
    assert (mix.labels[is_own] == 3).all()


def test_fine_tuning_learns_a_new_reading_and_keeps_mnist(mnist):
    net = pretrained()
    blob = np.zeros((28, 28), np.float32)
    blob[8:20, 8:20] = 1.0                       # a filled square, "taught" as a 4
    own = Split(np.repeat(blob.reshape(1, -1), 3, axis=0), np.array([4, 4, 4]))
    config = teach_config(net, epochs=2)
    mix = mixed_split(own, mnist[0], np.random.default_rng(0))
    before = net.predict(blob.reshape(1, -1))[0, 4]
    list(trainer.run(net, config, mix, mnist[1].subset(1000)))
    assert net.predict(blob.reshape(1, -1))[0].argmax() == 4 and before < 0.5
    correct = net.measure(*net.test_arrays(mnist[1].subset(1000))).correct
    assert correct >= 950


def test_teaching_distorts_the_kept_drawings_afresh(mnist):
    """Teaching augments every image it trains on, the person's repeated drawings included,
    so fifty repeats of one drawing are fifty different drawings."""
    from nndraw.data.augment import Augmenter

    config = teach_config(pretrained())
    assert all(config.augment)
    own = Split(np.repeat(mnist[1].images[:1], 4, axis=0), np.array([7, 7, 7, 7]))
    mix = mixed_split(own, mnist[0], np.random.default_rng(0), base_sample=60)
    repeats = mix.images[(mix.images == own.images[0]).all(axis=1)]
    seen = Augmenter(config.augment, config.seed)(repeats)
    assert len(repeats) >= 4 and len({row.tobytes() for row in seen}) == len(repeats)


def test_a_model_of_other_sizes_is_taught_without_augmentation():
    from nndraw import Network

    assert not any(teach_config(Network([64, 10, 10])).augment)
