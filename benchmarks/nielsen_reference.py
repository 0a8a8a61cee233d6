"""Nielsen's chapter 1 algorithm, one example at a time, re-implemented here as a yardstick:
for each example of a mini-batch, a forward and backward pass with (n, 1) columns, the
gradients summed in Python lists, then one averaged step. float64, as the book.
(Benchmarks put this folder on sys.path, so `book_math` imports as a plain module.)"""

import random

import numpy as np
from book_math import book_parameters, sigmoid, sigmoid_prime


class PerExampleNetwork:
    def __init__(self, sizes, seed=0):
        self.sizes = sizes
        self.weights, self.biases = book_parameters(sizes, seed)

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
            activation = sigmoid(z)
            activations.append(activation)
        # As the book does: gradient lists start as zeros, sigmoid_prime evaluates the sigmoid
        # twice.
        nabla_b = [np.zeros(b.shape) for b in self.biases]
        nabla_w = [np.zeros(w.shape) for w in self.weights]
        delta = (activations[-1] - y) * sigmoid_prime(zs[-1])
        nabla_b[-1], nabla_w[-1] = delta, delta @ activations[-2].T
        for layer in range(2, len(self.sizes)):
            delta = (self.weights[-layer + 1].T @ delta) * sigmoid_prime(zs[-layer])
            nabla_b[-layer], nabla_w[-layer] = delta, delta @ activations[-layer - 1].T
        return nabla_b, nabla_w

    def evaluate(self, test_data):
        def forward(a):
            for w, b in zip(self.weights, self.biases):
                a = sigmoid(w @ a + b)
            return a
        return sum(int(np.argmax(forward(x)) == y) for x, y in test_data)
