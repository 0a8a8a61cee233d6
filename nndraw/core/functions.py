"""Activations, output layers and costs: each knows its value and its derivative.

All functions work in place on preallocated buffers (`out=`) so the training loop allocates
nothing per mini-batch. Arrays hold one example per column. Derivatives of hidden activations are
written in terms of the activation's output `a`, so the pre-activation `z` need not be kept.
"""

import numpy as np
from scipy.special import expit

# Below this many values scipy's expit (one call) is faster than four numpy calls; above it
# slower: 1.5 against 4.1 us for (10, 10), 97 against 24 us for (100, 128), on this project's
# machine (BENCHMARKS.md).
_ONE_CALL_SIZE = 2048


class Sigmoid:
    name = "sigmoid"
    complement_term = True   # as an output with cross-entropy: each unit is its own yes/no

    @staticmethod
    def fn(xp, z, out):
        if z.size <= _ONE_CALL_SIZE and xp is np:
            return expit(z, out=out)
        # exp(-z) may overflow to inf for very negative z: the result 1/inf = 0 is right, and
        # callers run under errstate(over="ignore") so no warning machinery runs in the loop.
        xp.negative(z, out=out)
        xp.exp(out, out=out)
        out += 1
        return xp.reciprocal(out, out=out)

    @staticmethod
    def prime_from_output(xp, a, out):
        """sigma'(z) = a (1 - a)."""
        xp.subtract(1, a, out=out)
        out *= a
        return out

    @staticmethod
    def probabilities(xp, out):
        """As an output layer: each column scaled to sum to one, so it reads as probabilities."""
        return out / xp.maximum(out.sum(axis=0, keepdims=True), 1e-12)

    @staticmethod
    def delta_from_output_error(xp, a, diff, out, scratch):
        """dC/dz from dC/da = diff for a layer of independent sigmoids."""
        Sigmoid.prime_from_output(xp, a, out)
        out *= diff
        return out


class Tanh:
    name = "tanh"

    @staticmethod
    def fn(xp, z, out):
        return xp.tanh(z, out=out)

    @staticmethod
    def prime_from_output(xp, a, out):
        """tanh'(z) = 1 - a^2."""
        xp.multiply(a, a, out=out)
        xp.subtract(1, out, out=out)
        return out


class ReLU:
    name = "relu"

    @staticmethod
    def fn(xp, z, out):
        return xp.maximum(z, 0, out=out)

    @staticmethod
    def prime_from_output(xp, a, out):
        """relu'(z) = 1 where a > 0, else 0."""
        xp.greater(a, 0, out=out)  # bool written as 0.0 / 1.0 into a float buffer
        return out


class Softmax:
    """An output layer only: probabilities that sum to one over each column."""

    name = "softmax"

    @staticmethod
    def fn(xp, z, out):
        xp.subtract(z, z.max(axis=0, keepdims=True), out=out)  # stable: largest exponent is 0
        xp.exp(out, out=out)
        out /= out.sum(axis=0, keepdims=True)
        return out

    @staticmethod
    def probabilities(xp, out):
        return out

    @staticmethod
    def delta_from_output_error(xp, a, diff, out, scratch):
        """dC/dz from dC/da = diff through softmax's Jacobian: a_i (diff_i - sum_j diff_j a_j)."""
        xp.multiply(diff, a, out=scratch)
        xp.subtract(diff, scratch.sum(axis=0, keepdims=True), out=out)
        out *= a
        return out

    # With the log-likelihood cost, log(a) needs no log(1 - a) term (the other classes are
    # already in the normalisation): see CrossEntropy.value.
    complement_term = False


ACTIVATIONS = {f.name: f for f in (Sigmoid, Tanh, ReLU)}
OUTPUTS = {f.name: f for f in (Sigmoid, Softmax)}

# log(0) guard for the cross-entropy value; the gradient a - y needs no guard.
_TINY = 1e-12


class Quadratic:
    """C = 1/2 ||a - y||^2 per example: the book's chapter 1 cost."""

    name = "quadratic"

    @staticmethod
    def value(xp, output, a, y, diff, scratch):
        """Summed over the batch; `diff` must already hold a - y."""
        return 0.5 * xp.vdot(diff, diff)

    @staticmethod
    def output_delta(xp, output, a, diff, out, scratch):
        """dC/dz for the output layer, from diff = a - y = dC/da."""
        return output.delta_from_output_error(xp, a, diff, out, scratch)


class CrossEntropy:
    """Cross-entropy for sigmoid outputs, log-likelihood for softmax: both give delta = a - y,
    so the output layer's learning never slows down when a unit saturates (book, chapter 3)."""

    name = "cross-entropy"

    @staticmethod
    def value(xp, output, a, y, diff, scratch):
        """Summed over the batch."""
        xp.maximum(a, _TINY, out=scratch)
        xp.log(scratch, out=scratch)
        total = -xp.vdot(y, scratch)
        if output.complement_term:
            xp.subtract(1, a, out=scratch)
            xp.maximum(scratch, _TINY, out=scratch)
            xp.log(scratch, out=scratch)
            # sum (1 - y) log(1 - a), written without a temporary for 1 - y
            total = total - (scratch.sum() - xp.vdot(y, scratch))
        return total

    @staticmethod
    def output_delta(xp, output, a, diff, out, scratch):
        return diff


COSTS = {c.name: c for c in (Quadratic, CrossEntropy)}


def sigmoid(z):
    """The logistic function for plain arrays (the book's helper)."""
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def sigmoid_prime(z):
    s = sigmoid(z)
    return s * (1 - s)
