"""Fashion-MNIST from where Debian's dataset-fashion-mnist package puts it (.ci/run installs
it; without it these tests are skipped, saying so)."""

import numpy as np
import pytest

from nndraw.data.datasets import FASHION_CLASSES, FASHION_DIR, class_names, load_fashion_mnist

pytestmark = pytest.mark.skipif(not FASHION_DIR.is_dir(),
                                reason=f"{FASHION_DIR} is absent: "
                                       "apt-get install dataset-fashion-mnist")


def test_loads_like_mnist():
    train, test = load_fashion_mnist()
    assert train.images.shape == (60000, 784) and test.images.shape == (10000, 784)
    assert train.images.dtype == np.float32 and 0 <= train.images.min() <= train.images.max() <= 1
    assert set(np.unique(test.labels)) == set(range(10))
    assert class_names(FASHION_DIR) == FASHION_CLASSES


def test_a_network_learns_it():
    from nndraw.training import trainer
    from nndraw.training.config import preset

    train, test = load_fashion_mnist()
    config = preset("default", epochs=1).validated()
    net = trainer.build_network(config)
    last = [e for e in trainer.run(net, config, train, test)
            if isinstance(e, trainer.Evaluation)][-1]
    assert last.accuracy > 0.8  # clothing is harder than digits; chance is 10%
