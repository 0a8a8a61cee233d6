"""The blog post's algorithm, re-implemented here only as a yardstick for benchmarks.

Faithful to what makes it slow or fast: the data is the book's list of (x, y) column pairs,
each mini-batch is gathered into column matrices with np.array, biases are widened with
np.tile, everything is float64, and new weight lists are built after every mini-batch.
"""

import random

import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class SeedNetwork:
    def __init__(self, sizes, seed=0):
        rng = np.random.default_rng(seed)
        self.sizes = sizes
        self.weights = [rng.standard_normal((n_out, n_in))
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [rng.standard_normal((n_out, 1)) for n_out in sizes[1:]]

    def feedforward(self, a):
        for w, b in zip(self.weights, self.biases):
            a = _sigmoid(w @ a + b)
        return a

    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None):
        results = []
        for _ in range(epochs):
            random.shuffle(training_data)
            for k in range(0, len(training_data), mini_batch_size):
                self.update_mini_batch(training_data[k:k + mini_batch_size], eta)
            if test_data:
                results.append(self.evaluate(test_data))
        return results

    def update_mini_batch(self, batch, eta):
        m = len(batch)
        xs = np.array([x for x, _ in batch]).transpose().reshape(self.sizes[0], m)
        ys = np.array([y for _, y in batch]).transpose().reshape(self.sizes[-1], m)
        grad_w, grad_b = self.backprop(xs, ys, m)
        grad_b = [g.sum(axis=1).reshape(-1, 1) for g in grad_b]
        self.weights = [w - (eta / m) * g for w, g in zip(self.weights, grad_w)]
        self.biases = [b - (eta / m) * g for b, g in zip(self.biases, grad_b)]

    def backprop(self, xs, ys, m):
        activation, activations, zs = xs, [xs], []
        for w, b in zip(self.weights, self.biases):
            z = w @ activation + np.tile(b, (1, m))
            zs.append(z)
            activation = _sigmoid(z)
            activations.append(activation)
        s = _sigmoid(zs[-1])
        delta = (activations[-1] - ys) * s * (1 - s)
        grad_w, grad_b = [None] * len(self.weights), [None] * len(self.weights)
        grad_w[-1], grad_b[-1] = delta @ activations[-2].T, delta
        for layer in range(2, len(self.sizes)):
            s = _sigmoid(zs[-layer])
            delta = (self.weights[-layer + 1].T @ delta) * s * (1 - s)
            grad_w[-layer], grad_b[-layer] = delta @ activations[-layer - 1].T, delta
        return grad_w, grad_b

    def evaluate(self, test_data):
        return sum(int(np.argmax(self.feedforward(x)) == y) for x, y in test_data)
