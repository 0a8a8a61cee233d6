"""Backpropagation checked against finite differences and against the per-example loop."""

import itertools

import numpy as np
import pytest

from nndraw import Network
from tests.core import reference

SIZES = [6, 5, 4, 3]
PAIRS = list(itertools.product(["sigmoid", "tanh", "relu"], ["sigmoid", "softmax"],
                               ["quadratic", "cross-entropy"]))


def cost_of(a, y_cols, output, cost):
    """The cost of outputs `a` summed over the columns, computed here from the definitions."""
    if cost == "quadratic":
        return 0.5 * np.sum((a - y_cols) ** 2)
    if output == "softmax":
        return -np.sum(y_cols * np.log(a))
    return -np.sum(y_cols * np.log(a) + (1 - y_cols) * np.log(1 - a))


def total_cost(net, x_cols, y_cols, output, cost):
    """The network's cost summed over the columns."""
    return cost_of(net.feedforward(x_cols), y_cols, output, cost)


def batch(rng, m=7):
    x = rng.uniform(0, 1, (SIZES[0], m))
    labels = rng.integers(0, SIZES[-1], m)
    y = np.zeros((SIZES[-1], m))
    y[labels, np.arange(m)] = 1
    return x, y


def checked_network(activation, output, cost):
    """The float64 network whose gradients are checked against finite differences."""
    return Network(SIZES, activation=activation, output=output, cost=cost, init="scaled",
                   dtype="float64", seed=3)


@pytest.mark.parametrize("activation,output,cost", PAIRS)
def test_gradients_match_finite_differences(activation, output, cost):
    rng = np.random.default_rng(1)
    net = checked_network(activation, output, cost)
    x, y = batch(rng)
    nabla_b, nabla_w = net.backprop(x, y)
    h = 1e-6
    for params, grads in ((net.weights, nabla_w), (net.biases, nabla_b)):
        for p, g in zip(params, grads):
            assert g.shape == p.shape
            for index in [tuple(rng.integers(0, s) for s in p.shape) for _ in range(6)]:
                saved = p[index]
                p[index] = saved + h
                up = total_cost(net, x, y, output, cost)
                p[index] = saved - h
                down = total_cost(net, x, y, output, cost)
                p[index] = saved
                numeric = (up - down) / (2 * h)
                assert g[index] == pytest.approx(numeric, rel=1e-4, abs=1e-7), (index, p.shape)


def test_batched_backprop_equals_per_example_sum():
    rng = np.random.default_rng(2)
    net = Network(SIZES, dtype="float64", seed=5)
    x, y = batch(rng, m=9)
    nabla_b, nabla_w = net.backprop(x, y)
    expected_b = [np.zeros_like(b) for b in net.biases]
    expected_w = [np.zeros_like(w) for w in net.weights]
    for j in range(x.shape[1]):
        nb, nw = reference.backprop_one(net.weights, net.biases, x[:, [j]], y[:, [j]])
        expected_b = [e + d for e, d in zip(expected_b, nb)]
        expected_w = [e + d for e, d in zip(expected_w, nw)]
    for got, want in zip(nabla_b + nabla_w, expected_b + expected_w):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_single_example_backprop_matches_the_book():
    rng = np.random.default_rng(3)
    net = Network(SIZES, dtype="float64", seed=6)
    x, y = batch(rng, m=1)
    for got, want in zip(net.backprop(x, y), reference.backprop_one(net.weights, net.biases,
                                                                     x, y)):
        for g, w in zip(got, want):
            np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-12)


def test_seed_style_backprop_returns_weights_first_and_a_bias_column_per_example():
    rng = np.random.default_rng(4)
    net = Network(SIZES, dtype="float64", seed=7)
    x, y = batch(rng, m=5)
    nabla_w, nabla_b = net.backprop(x, y, 5)
    book_b, book_w = net.backprop(x, y)
    assert [b.shape for b in nabla_b] == [(n, 5) for n in SIZES[1:]]
    for per_column, summed in zip(nabla_b, book_b):
        np.testing.assert_allclose(per_column.sum(axis=1, keepdims=True), summed)
    for a, b in zip(nabla_w, book_w):
        np.testing.assert_allclose(a, b)


def test_update_mini_batch_is_the_books_step():
    rng = np.random.default_rng(5)
    net = Network(SIZES, dtype="float64", seed=8)
    x, y = batch(rng, m=6)
    pairs = [(x[:, [j]], y[:, [j]]) for j in range(6)]
    want_w, want_b = reference.update_mini_batch(net.weights, net.biases, pairs, eta=3.0)
    net.update_mini_batch(pairs, 3.0)
    for got, want in zip(net.weights + net.biases, want_w + want_b):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
