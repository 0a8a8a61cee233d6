"""Dropout: with its masks held fixed, backpropagation is the exact gradient of the masked
network's cost; rates are read and checked; a seed repeats a run exactly."""

import numpy as np
import pytest

from nndraw import Network
from nndraw.core.functions import ACTIVATIONS, OUTPUTS
from nndraw.core.network import dropout_mask, dropout_rates
from nndraw.errors import ConfigError
from tests.core.test_gradients import PAIRS, SIZES, batch, checked_network, cost_of


def masked_cost(net, x, y, masks, activation, output, cost):
    """The cost summed over the columns of the network with fixed dropout masks, computed
    here from the definitions: a dropped unit outputs 0, a kept one its value / (1 - rate)."""
    a = x * masks[0].T
    last = len(net.weights) - 1
    for i, (w, b) in enumerate(zip(net.weights, net.biases)):
        z = w @ a + b
        a = (OUTPUTS[output] if i == last else ACTIVATIONS[activation]).fn(np, z, out=z.copy())
        if i < last:
            a = a * masks[i + 1]
    return cost_of(a, y, output, cost)


@pytest.mark.parametrize("activation,output,cost", PAIRS)
def test_dropout_gradients_match_finite_differences_with_fixed_masks(activation, output, cost):
    rng = np.random.default_rng(1)
    net = checked_network(activation, output, cost)
    x, y = batch(rng)
    k = x.shape[1]
    rates = (0.3, 0.5, 0.4)
    masks = [dropout_mask(np, rng, (k, SIZES[0]), rates[0], net.dtype)] + [
        dropout_mask(np, rng, (n, k), rate, net.dtype) for n, rate in zip(SIZES[1:-1], rates[1:])]
    assert all((m == 0).any() for m in masks)          # some units really are dropped
    buf = net._load_batch(x.T.copy(), y)
    net._step(buf, masks=masks)
    grads = [g.copy() for g in buf.steps]              # [W | b] per layer
    h = 1e-6
    for layer, g in enumerate(grads):
        w, b = net.weights[layer], net.biases[layer]
        for index in [tuple(rng.integers(0, s) for s in g.shape) for _ in range(8)]:
            target, at = (b, (index[0], 0)) if index[1] == w.shape[1] else (w, index)
            saved = target[at]
            target[at] = saved + h
            up = masked_cost(net, x, y, masks, activation, output, cost)
            target[at] = saved - h
            down = masked_cost(net, x, y, masks, activation, output, cost)
            target[at] = saved
            assert g[index] == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-7)


def test_a_mask_keeps_about_one_minus_the_rate_and_scales_them_up():
    mask = dropout_mask(np, np.random.default_rng(0), (400, 500), 0.3, np.dtype(np.float32))
    kept = mask > 0
    assert kept.mean() == pytest.approx(0.7, abs=0.01)
    assert np.allclose(mask[kept], 1 / 0.7)


@pytest.mark.parametrize("spec,expected", [
    (None, (0.0, 0.0, 0.0)), (0.5, (0.0, 0.5, 0.5)), ("0.5", (0.0, 0.5, 0.5)),
    ((0.4, 0.5), (0.0, 0.4, 0.5)), ("0.2,0.5,0.5", (0.2, 0.5, 0.5)), ((), (0.0, 0.0, 0.0)),
])
def test_dropout_rates_for_input_and_hidden_layers(spec, expected):
    assert dropout_rates(spec, [784, 100, 50, 10]) == expected


@pytest.mark.parametrize("spec", ["1.0", "-0.1", "a,b", (0.1, 0.2, 0.3, 0.4), (True,)])
def test_bad_dropout_rates_say_what_is_wrong(spec):
    with pytest.raises(ConfigError):
        dropout_rates(spec, [784, 100, 50, 10])


def test_training_with_dropout_and_augmentation_repeats_exactly_under_a_seed(mnist):
    from nndraw.data.augment import Augmenter

    x_all, labels = mnist[0].images[:1000], mnist[0].labels[:1000]
    weights = []
    for _ in range(2):
        net = Network([784, 30, 10], activation="relu", output="softmax",
                      cost="cross-entropy", init="he", seed=2)
        x, y = net.training_arrays((x_all, labels))
        rng = np.random.default_rng(7)
        for epoch in range(2):
            for _ in net.sgd_epoch(x, y, 50, 0.05, epoch, rng, momentum=0.9,
                                   dropout=(0.2, 0.5), transform=Augmenter("on", seed=7)):
                pass
        weights.append(net.host_parameters()[0][0])
    assert np.array_equal(weights[0], weights[1])


def test_a_transform_sees_each_batch_in_order_and_the_labels_follow(mnist):
    """The batches made on the thread are the rows `order` picks, in order: training with a
    transform that copies its input is the same, bit for bit, as training without one."""
    x_all, labels = mnist[0].images[:600], mnist[0].labels[:600]
    results = []
    for transform in (None, lambda rows: rows.copy()):
        net = Network([784, 20, 10], activation="relu", output="softmax",
                      cost="cross-entropy", init="he", seed=1)
        x, y = net.training_arrays((x_all, labels))
        for _ in net.sgd_epoch(x, y, 32, 0.05, 0, np.random.default_rng(3), momentum=0.9,
                               transform=transform):
            pass
        results.append(net.host_parameters()[0][0])
    assert np.array_equal(results[0], results[1])


def test_an_error_inside_a_transform_reaches_the_caller(mnist):
    net = Network([784, 20, 10], seed=1)
    x, y = net.training_arrays(mnist[0].subset(200))

    def broken(rows):
        raise ConfigError("augmentation needs 28x28 images")

    with pytest.raises(ConfigError, match="28x28"):
        for _ in net.sgd_epoch(x, y, 32, 0.05, 0, np.random.default_rng(3), transform=broken):
            pass
