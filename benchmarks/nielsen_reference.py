"""Nielsen's chapter 1 algorithm, one example at a time, re-implemented here as a yardstick:
for each example of a mini-batch, a forward and backward pass with (n, 1) columns, the
gradients summed in Python lists, then one averaged step. float64, as the book."""

import random

import numpy as np


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


class PerExampleNetwork:
    def __init__(self, sizes, seed=0):
        rng = np.random.default_rng(seed)
        self.sizes = sizes
        self.weights = [rng.standard_normal((n_out, n_in))
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [rng.standard_normal((n_out, 1)) for n_out in sizes[1:]]

    def SGD(self, training_data, epochs, mini_batch_size, eta):
        for _ in range(epochs):
            random.shuffle(training_data)
            for k in range(0, len(training_data), mini_batch_size):
                self.update_mini_batch(training_data[k:k + mini_batch_size], eta)

    def update_mini_batch(self, batch, eta):
        sum_b = [np.zeros(b.shape) for b in self.biases]
        sum_w = [np.zeros(w.shape) for w in self.weights]
        for x, y in batch:
            delta_b, delta_w = self.backprop(x, y)
            sum_b = [s + d for s, d in zip(sum_b, delta_b)]
            sum_w = [s + d for s, d in zip(sum_w, delta_w)]
        self.weights = [w - (eta / len(batch)) * s for w, s in zip(self.weights, sum_w)]
        self.biases = [b - (eta / len(batch)) * s for b, s in zip(self.biases, sum_b)]

    def backprop(self, x, y):
        activation, activations, zs = x, [x], []
        for w, b in zip(self.weights, self.biases):
            z = w @ activation + b
            zs.append(z)
            activation = _sigmoid(z)
            activations.append(activation)
        s = _sigmoid(zs[-1])
        delta = (activations[-1] - y) * s * (1 - s)
        nabla_b = [None] * len(self.biases)
        nabla_w = [None] * len(self.weights)
        nabla_b[-1], nabla_w[-1] = delta, delta @ activations[-2].T
        for layer in range(2, len(self.sizes)):
            s = _sigmoid(zs[-layer])
            delta = (self.weights[-layer + 1].T @ delta) * s * (1 - s)
            nabla_b[-layer], nabla_w[-layer] = delta, delta @ activations[-layer - 1].T
        return nabla_b, nabla_w

    def evaluate(self, test_data):
        def forward(a):
            for w, b in zip(self.weights, self.biases):
                a = _sigmoid(w @ a + b)
            return a
        return sum(int(np.argmax(forward(x)) == y) for x, y in test_data)
