"""The blog post's algorithm, re-implemented here only as a yardstick for benchmarks.

Faithful to what makes it slow or fast: the data is the book's list of (x, y) column pairs,
each mini-batch is gathered into column matrices with np.array, biases are widened with
np.tile, the gradient lists start as zeros, the sigmoid's derivative evaluates the sigmoid
twice, everything is float64, and new weight lists are built after every mini-batch.
"""

import random

import numpy as np
from book_math import book_parameters, sigmoid, sigmoid_prime


class SeedNetwork:
    def __init__(self, sizes, seed=0):
        self.sizes = sizes
        self.weights, self.biases = book_parameters(sizes, seed)

    def feedforward(self, a):
        for w, b in zip(self.weights, self.biases):
            a = sigmoid(w @ a + b)
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
            activation = sigmoid(z)
            activations.append(activation)
        # As the post does: gradient lists allocated as zeros, then filled in, and the
        # derivative of the sigmoid computed from two fresh evaluations of the sigmoid.
        grad_b = [np.zeros(b.shape) for b in self.biases]
        grad_w = [np.zeros(w.shape) for w in self.weights]
        delta = (activations[-1] - ys) * sigmoid_prime(zs[-1])
        grad_w[-1], grad_b[-1] = delta @ activations[-2].T, delta
        for layer in range(2, len(self.sizes)):
            delta = (self.weights[-layer + 1].T @ delta) * sigmoid_prime(zs[-layer])
            grad_w[-layer], grad_b[-layer] = delta @ activations[-layer - 1].T, delta
        return grad_w, grad_b

    def evaluate(self, test_data):
        return sum(int(np.argmax(self.feedforward(x)) == y) for x, y in test_data)
