"""What both book-style references share: the sigmoid as the book writes it (its derivative
evaluates the sigmoid twice) and N(0, 1) parameters in float64."""

import numpy as np


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    return sigmoid(z) * (1 - sigmoid(z))


def book_parameters(sizes, seed=0):
    """(weights, biases): (n_out, n_in) and (n_out, 1) arrays drawn from N(0, 1)."""
    rng = np.random.default_rng(seed)
    weights = [rng.standard_normal((n_out, n_in)) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
    biases = [rng.standard_normal((n_out, 1)) for n_out in sizes[1:]]
    return weights, biases
