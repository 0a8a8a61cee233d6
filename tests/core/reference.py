"""Nielsen's per-example backpropagation, written independently of nndraw, in float64,
for the book's network (sigmoid everywhere, quadratic cost): the yardstick for the batched code."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def backprop_one(weights, biases, x, y):
    """(nabla_b, nabla_w) for one column x and target column y."""
    activation, activations, zs = x, [x], []
    for w, b in zip(weights, biases):
        z = w @ activation + b
        zs.append(z)
        activation = sigmoid(z)
        activations.append(activation)
    delta = (activations[-1] - y) * sigmoid(zs[-1]) * (1 - sigmoid(zs[-1]))
    nabla_b, nabla_w = [delta], [delta @ activations[-2].T]
    for layer in range(2, len(weights) + 1):
        s = sigmoid(zs[-layer])
        delta = (weights[-layer + 1].T @ delta) * s * (1 - s)
        nabla_b.insert(0, delta)
        nabla_w.insert(0, delta @ activations[-layer - 1].T)
    return nabla_b, nabla_w


def update_mini_batch(weights, biases, batch, eta):
    """The book's update: average the per-example gradients, step against them."""
    sum_b = [np.zeros_like(b) for b in biases]
    sum_w = [np.zeros_like(w) for w in weights]
    for x, y in batch:
        nb, nw = backprop_one(weights, biases, x, y)
        sum_b = [s + d for s, d in zip(sum_b, nb)]
        sum_w = [s + d for s, d in zip(sum_w, nw)]
    k = len(batch)
    return ([w - eta / k * g for w, g in zip(weights, sum_w)],
            [b - eta / k * g for b, g in zip(biases, sum_b)])
