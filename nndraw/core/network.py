"""A feedforward network trained by mini-batch SGD, after Nielsen's `network.py`.

The book's API is kept (`feedforward`, `SGD`, `update_mini_batch`, `backprop`, `evaluate`) and
so is the seed's idea: a whole mini-batch moves through a layer as one matrix product
`[W | b] @ a`, forward and backward, with one example per *column* of `a`. What makes it fast:
float32; each layer's weights and bias in one array, so the bias rides along in the product
(activations carry a trailing row of ones); every buffer allocated once per batch size; each
mini-batch gathered straight from the data set into a small buffer that stays in cache; and
each layer updated in place as soon as its error has been passed down.
"""

import contextlib
import math
import time
from typing import NamedTuple

import numpy as np

from nndraw.core import backend, batches
from nndraw.core.functions import ACTIVATIONS, COSTS, OUTPUTS
from nndraw.errors import ConfigError, DivergedError

INITS = {
    # The book's chapter 1: weights and biases N(0, 1). Hidden units saturate on 784 inputs.
    "normal": lambda rng, n_in, n_out: rng.standard_normal((n_out, n_in)),
    # Chapter 3: N(0, 1/n_in) keeps each z of order one, so sigmoid units start unsaturated.
    "scaled": lambda rng, n_in, n_out: rng.standard_normal((n_out, n_in)) / math.sqrt(n_in),
    # He et al.: N(0, 2/n_in) keeps ReLU activations the same size from layer to layer.
    "he": lambda rng, n_in, n_out: rng.standard_normal((n_out, n_in)) * math.sqrt(2.0 / n_in),
}
DTYPES = ("float32", "float64")
_EVAL_CHUNK = 10_000


def _choice(kind, value, table):
    if value not in table:
        raise ConfigError(f"unknown {kind} {value!r}: choose one of {', '.join(table)}")
    return table[value]


def parse_sizes(sizes):
    """A list of layer widths from a list or a '784,100,10' string; ConfigError if malformed."""
    if isinstance(sizes, str):
        parts = [p.strip() for p in sizes.split(",")]
        try:
            sizes = [int(p) for p in parts]
        except ValueError:
            raise ConfigError(
                f"layer sizes must be whole numbers separated by commas, not {','.join(parts)!r}"
            ) from None
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ConfigError("a network needs at least two layers (input and output)")
    for s in sizes:
        if isinstance(s, bool) or not isinstance(s, (int, np.integer)) or s < 1:
            raise ConfigError(f"every layer size must be a positive whole number, not {s!r}")
    return [int(s) for s in sizes]


class Measurement(NamedTuple):
    correct: int
    cost: float
    probabilities: np.ndarray  # (m, n_out) on the host


class _Buffers:
    """Every array a batch of k examples needs, allocated once and reused.

    Arrays hold one example per column. A hidden layer's activations end in a row of ones,
    so the next layer's product with [W | b] adds the bias, and the gradient of [W | b]
    comes out of one product too. `inputs` holds the batch as rows (as gathered from the
    data set), again with a trailing 1.
    """

    def __init__(self, xp, sizes, k, dtype):
        self.inputs = xp.ones((k, sizes[0] + 1), dtype)
        self.rows = self.inputs[:, :-1]  # where a batch goes; the ones stay
        self.gathered = xp.empty((k, sizes[0]), dtype)  # a batch gathered in one piece
        self.targets = xp.empty((sizes[-1], k), dtype)
        self.activations = [xp.ones((n + 1, k), dtype) for n in sizes[1:-1]]
        self.activations.append(xp.empty((sizes[-1], k), dtype))
        self.values = [a[:-1] for a in self.activations[:-1]] + [self.activations[-1]]
        self.deltas = [xp.empty((n, k), dtype) for n in sizes[1:]]
        self.scratch = [xp.empty((n, k), dtype) for n in sizes[1:]]
        self.diff = xp.empty((sizes[-1], k), dtype)
        self.steps = [xp.empty((o, i + 1), dtype) for i, o in zip(sizes[:-1], sizes[1:])]
        # With dropout: each hidden layer's derivative, taken before its mask is applied.
        self.primes = [xp.empty((n, k), dtype) for n in sizes[1:-1]]


class Network:
    """Layers `sizes` (e.g. [784, 30, 10]); with no options, the seed's network exactly:
    sigmoid units everywhere, quadratic cost, weights and biases drawn from N(0, 1)."""

    def __init__(self, sizes, *, activation="sigmoid", output="sigmoid", cost="quadratic",
                 init="normal", dtype="float32", seed=None, device="cpu"):
        self.sizes = parse_sizes(sizes)
        self.num_layers = len(self.sizes)
        self.activation = _choice("activation", activation, ACTIVATIONS)
        self.output = _choice("output layer", output, OUTPUTS)
        self.cost = _choice("cost", cost, COSTS)
        init_fn = _choice("initialisation", init, INITS)
        if dtype not in DTYPES:
            raise ConfigError(f"unknown dtype {dtype!r}: choose float32 or float64")
        self.options = {"activation": activation, "output": output, "cost": cost,
                        "init": init, "dtype": dtype}
        self.device = device
        self.xp = backend.array_module(device)
        self.dtype = np.dtype(dtype)
        # Drawn on the host with numpy, so a seed gives the same network on the CPU and the GPU.
        rng = np.random.default_rng(seed)
        weights, biases = [], []
        for n_in, n_out in zip(self.sizes[:-1], self.sizes[1:]):
            weights.append(init_fn(rng, n_in, n_out))
            biases.append(rng.standard_normal((n_out, 1)))
        self.set_parameters(weights, biases)
        self.metadata = {}  # filled by load_model: training history, settings, file

    # ----------------------------------------------------------------- parameters
    # Each layer's weights and biases live side by side in one (n_out, n_in + 1) array [W | b];
    # `weights` and `biases` are views of it, so code written for the book reads and writes
    # them as usual.
    @property
    def weights(self):
        return [p[:, :-1] for p in self._params]

    @weights.setter
    def weights(self, weights):
        self.set_parameters(weights, self.biases)

    @property
    def biases(self):
        return [p[:, -1:] for p in self._params]

    @biases.setter
    def biases(self, biases):
        self.set_parameters(self.weights, biases)

    def set_parameters(self, weights, biases):
        """Replace the weights ((n_out, n_in) each) and biases ((n_out, 1) each)."""
        shapes = [(o, i) for i, o in zip(self.sizes[:-1], self.sizes[1:])]
        if [tuple(w.shape) for w in weights] != shapes or \
                [tuple(b.shape) for b in biases] != [(o, 1) for o, _ in shapes]:
            raise ConfigError(f"parameter shapes do not match layer sizes {self.sizes}")
        xp = self.xp
        params = []
        for w, b in zip(weights, biases):
            p = xp.empty((w.shape[0], w.shape[1] + 1), self.dtype)
            p[:, :-1] = xp.asarray(w)
            p[:, -1:] = xp.asarray(b)
            params.append(p)
        self._params = params
        self._buffers, self._velocity = {}, None

    def host_parameters(self):
        """numpy copies of (weights, biases), safe to hand to another thread."""
        host = [backend.to_host(p) for p in self._params]
        return [np.array(p[:, :-1]) for p in host], [np.array(p[:, -1:]) for p in host]

    def copy(self, device=None):
        """An independent network with the same options and parameters, on `device`."""
        twin = Network.__new__(Network)
        twin.__dict__.update(self.__dict__)
        twin.device = device or self.device
        twin.xp = backend.array_module(twin.device)
        twin.metadata = dict(self.metadata)
        twin.set_parameters(*self.host_parameters())
        return twin

    def parameters_finite(self):
        xp = self.xp
        return all(bool(xp.isfinite(p).all()) for p in self._params)

    # ----------------------------------------------------------------- forward
    def _forward(self, a):
        """Output activations for columns `a` (n_in, m); allocates, so for evaluation only."""
        xp = self.xp
        last = len(self._params) - 1
        with np.errstate(over="ignore"):
            for i, p in enumerate(self._params):
                z = xp.matmul(p[:, :-1], a)
                z += p[:, -1:]
                a = (self.output if i == last else self.activation).fn(xp, z, out=z)
        return a

    def feedforward(self, a):
        """The output for input column(s) `a`: (n_in, 1) gives (n_out, 1), (n_in, m) gives
        (n_out, m). A flat (n_in,) vector is read as one column."""
        a = self.xp.asarray(a, dtype=self.dtype)
        if a.ndim == 1:
            a = a.reshape(-1, 1)
        self._check_width(a.shape[0])
        return self._forward(a)

    def predict(self, images):
        """Class probabilities as a host (m, n_out) array for images given one per row (or one
        flat image). Sigmoid outputs are scaled to sum to one so they read as probabilities."""
        xp = self.xp
        x = xp.asarray(images, dtype=self.dtype)
        if x.ndim == 1:
            x = x.reshape(1, -1)
        self._check_width(x.shape[1])
        return backend.to_host(self.output.probabilities(xp, self._forward(x.T)).T)

    def _check_width(self, n):
        if n != self.sizes[0]:
            raise ConfigError(f"the network's first layer takes {self.sizes[0]} inputs, "
                              f"but the data has {n} values per example")

    # ----------------------------------------------------------------- one mini-batch
    def _batch_buffers(self, k):
        buf = self._buffers.get(k)
        if buf is None:
            buf = self._buffers[k] = _Buffers(self.xp, self.sizes, k, self.dtype)
        return buf

    def _step(self, buf, scale=None, decay=1.0, momentum=0.0, masks=None):
        """Backpropagate the batch in `buf.inputs` against `buf.targets`; return the cost
        summed over the batch, as a device scalar.

        `masks` (dropout) holds, for the input and each hidden layer, None or an array of 0 and
        1/(1 - rate): the input's as rows (k, n_in), a hidden layer's as columns (n, k). A
        masked unit's output is multiplied by its mask, and so is the error passed back to it.

        With scale=None the gradients summed over the batch are left in `buf.steps`.
        Otherwise the output error is multiplied by -scale (= -eta/k) at once, so every
        gradient below arrives as the step itself, and each layer is updated as soon as its
        error has been passed down: [W | b] += step (with the L2 `decay` of W first, and a
        velocity in between when there is `momentum`).
        """
        xp = self.xp
        params, values, acts = self._params, buf.values, buf.activations
        last = len(params) - 1
        x = buf.inputs.T  # (n_in + 1, k): a view, no copy

        masks = masks or [None] * len(params)
        if masks[0] is not None:
            buf.rows *= masks[0]
        a = x
        for i, p in enumerate(params):
            xp.matmul(p, a, out=values[i])
            (self.output if i == last else self.activation).fn(xp, values[i], out=values[i])
            if i < last and masks[i + 1] is not None:
                self.activation.prime_from_output(xp, values[i], buf.primes[i])
                values[i] *= masks[i + 1]
            a = acts[i]

        out, y, diff = values[last], buf.targets, buf.diff
        xp.subtract(out, y, out=diff)
        cost = self.cost.value(xp, self.output, out, y, diff, buf.scratch[last])
        delta = self.cost.output_delta(xp, self.output, out, diff, buf.deltas[last],
                                       buf.scratch[last])
        if scale is not None:
            delta *= -scale
        for i in range(last, -1, -1):
            p, step = params[i], buf.steps[i]
            xp.matmul(delta, buf.inputs if i == 0 else acts[i - 1].T, out=step)
            if i > 0:  # pass the error down through the weights before they change
                below = buf.deltas[i - 1]
                xp.matmul(p[:, :-1].T, delta, out=below)
                if masks[i] is None:
                    below *= self.activation.prime_from_output(xp, values[i - 1],
                                                               buf.scratch[i - 1])
                else:
                    below *= buf.primes[i - 1]
                    below *= masks[i]
                delta = below
            if scale is not None:
                if decay != 1.0:  # L2 shrinks the weights, not the biases (book, chapter 3)
                    p[:, :-1] *= decay
                if momentum:
                    velocity = self._velocity[i]
                    velocity *= momentum
                    velocity += step
                    step = velocity
                p += step
        return cost

    def _load_batch(self, x, y, index=None, rows_given=None):
        """Copy rows `index` of `x` (all rows if None) and the matching columns of the targets
        `y` (n_out, n) into the buffers for a batch of that size; return the buffers.
        `rows_given`: the batch's inputs, already gathered (and distorted) elsewhere."""
        k = x.shape[0] if index is None else index.shape[0]
        buf = self._buffers.get(k) or self._batch_buffers(k)
        if rows_given is not None:
            buf.rows[...] = rows_given
        elif index is None:
            buf.rows[...] = x
        else:
            # gathered whole into contiguous memory, then beside the ones: 1.2-1.3x faster
            # than gathering rows straight into the buffer (BENCHMARKS.md)
            backend.gather(x, index, 0, buf.gathered)
            buf.rows[...] = buf.gathered
        if index is None:
            buf.targets[...] = y
        else:
            backend.gather(y, index, 1, buf.targets)
        return buf

    # ----------------------------------------------------------------- the book's API
    def backprop(self, x, y, mini_batch_size=None):
        """Gradients of the cost for input column(s) `x` and target column(s) `y`, summed over
        the columns. Returns the book's `(nabla_b, nabla_w)`.

        Called the blog post's way, `backprop(xs, ys, mini_batch_size)`, it returns what the
        post returned instead: `(nabla_w, nabla_b)` with one bias column per example.
        """
        xp = self.xp
        x = xp.asarray(x, dtype=self.dtype).reshape(self.sizes[0], -1)
        y = xp.asarray(y, dtype=self.dtype).reshape(self.sizes[-1], -1)
        buf = self._load_batch(x.T, y)
        with np.errstate(over="ignore"):
            self._step(buf)
        nabla_w = [g[:, :-1].copy() for g in buf.steps]
        if mini_batch_size is None:
            return [g[:, -1:].copy() for g in buf.steps], nabla_w
        return nabla_w, [d.copy() for d in buf.deltas]

    def update_mini_batch(self, mini_batch, eta):
        """One gradient step on a list of (x, y) pairs (or an (X, y) pair of row arrays)."""
        x, y = self.training_arrays(mini_batch)
        buf = self._load_batch(x, y)
        with np.errstate(over="ignore"):
            self._step(buf, scale=eta / x.shape[0])

    def cost_derivative(self, output_activations, y):
        return output_activations - y

    def evaluate(self, test_data):
        """How many test inputs the network classifies correctly (an int)."""
        x, labels = self.test_arrays(test_data)
        return self.measure(x, labels).correct

    def measure(self, x, labels):
        """Measurement(correct, cost, probabilities) on rows `x` with integer `labels` (device
        arrays): the number right, the mean cost, and each row's class probabilities on the
        host, from one forward pass (the window's confusion matrix needs them too)."""
        xp = self.xp
        correct, total, probabilities = 0, 0.0, []
        for start in range(0, x.shape[0], _EVAL_CHUNK):
            lab = labels[start:start + _EVAL_CHUNK]
            out = self._forward(x[start:start + _EVAL_CHUNK].T)
            correct += int((out.argmax(axis=0) == lab).sum())
            target = xp.zeros_like(out)
            target[lab, xp.arange(lab.shape[0])] = 1
            total += float(self.cost.value(xp, self.output, out, target, out - target,
                                           xp.empty_like(out)))
            probabilities.append(backend.to_host(self.output.probabilities(xp, out).T))
        rows = np.concatenate(probabilities) if probabilities else \
            np.zeros((0, self.sizes[-1]), self.dtype)
        return Measurement(correct, total / max(x.shape[0], 1), rows)

    def SGD(self, training_data, epochs, mini_batch_size, eta, test_data=None, *,
            lmbda=0.0, momentum=0.0, seed=None):
        """Train for `epochs` passes of shuffled mini-batches and return the history, one dict
        per epoch: epoch, cost (mean training cost), seconds, and with `test_data` also correct,
        n_test and accuracy. Prints nothing; raises DivergedError if the cost stops being finite.

        `training_data`: the book's list of (x, y) pairs, or a pair of arrays (X, y) with one
        image per row of X and integer labels (or one-hot rows) in y, which is much faster.
        """
        check_hyperparameters(epochs=epochs, mini_batch_size=mini_batch_size, eta=eta,
                              lmbda=lmbda, momentum=momentum)
        x, y = self.training_arrays(training_data)
        test = self.test_arrays(test_data) if test_data is not None else None
        rng = np.random.default_rng(seed)
        history = []
        for j in range(epochs):
            start = time.perf_counter()
            cost = 0.0
            for _batch, batch_cost in self.sgd_epoch(x, y, mini_batch_size, eta, j, rng,
                                                      lmbda=lmbda, momentum=momentum):
                cost += batch_cost
            record = {"epoch": j, "cost": cost / x.shape[0],
                      "seconds": time.perf_counter() - start}
            if test is not None:
                correct = self.measure(*test).correct
                record.update(correct=correct, n_test=int(test[0].shape[0]),
                              accuracy=correct / test[0].shape[0])
            history.append(record)
        return history

    # ----------------------------------------------------------------- the fast loop
    def sgd_epoch(self, x, y, mini_batch_size, eta, epoch, rng, *, lmbda=0.0, momentum=0.0,
                  check_every=None, batches=None, dropout=None, transform=None):
        """One epoch of SGD over `training_arrays` output `x` (n, n_in) and `y` (n_out, n),
        in a fresh random order. Yields (batch index, summed batch cost as a float) every
        `check_every` batches and at the end (by default `backend.batches_between_syncs`:
        about every 256 examples on the CPU, every 16 batches on the GPU), so the caller may
        report progress or stop between yields. `batches`: which mini-batches of the shuffled
        order to run (all by default; a resumed run finishes an epoch with the later ones). Raises DivergedError on a
        non-finite cost, or non-finite weights at the end.

        `dropout`: rates for the input and each hidden layer (see `dropout_rates`).
        `transform`: called on each gathered batch of rows (an augmentation); it must return
        rows of the same shape. With either, the batches (and their dropout masks, drawn from
        `rng`) are made ahead on a background thread on the CPU."""
        xp = self.xp
        n = x.shape[0]
        if check_every is None:
            check_every = backend.batches_between_syncs(xp, mini_batch_size)
        order = xp.asarray(rng.permutation(n))
        if momentum and self._velocity is None:
            self._velocity = [xp.zeros_like(p) for p in self._params]
        decay = 1.0 - eta * lmbda / n
        pending, batch = 0.0, -1
        largest = max(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:])) * mini_batch_size
        rates = dropout_rates(dropout, self.sizes)
        # BLAS threads follow the cores other processes leave free, re-checked as we go; with
        # a thread making batches, BLAS keeps to one core and that thread has the other
        # (OpenBLAS's second thread would spin and fight it: benchmarks/bench_augment.py).
        ahead = backend.on_host(xp) and (transform is not None or any(rates))
        threads = backend.BlasThreads(xp, largest, getattr(self, "_free_cores", None),
                                      most=1 if ahead else None)
        chosen = batches if batches is not None else range(-(-n // mini_batch_size))
        source = self._batch_source(x, order, mini_batch_size, rng, rates, transform, chosen)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"), threads, \
                contextlib.closing(source):
            self._free_cores = threads.free_cores
            recheck = threads.recheck
            for batch, (index, rows, masks) in zip(chosen, source):
                recheck()
                start = batch * mini_batch_size
                buf = self._load_batch(x, y, index, rows)
                pending = pending + self._step(buf, eta / index.shape[0], decay, momentum,
                                               masks)
                if (batch + 1) % check_every == 0 or start + mini_batch_size >= n:
                    value = float(pending)
                    if not math.isfinite(value):
                        raise DivergedError(epoch, batch, eta)
                    pending = 0.0
                    yield batch, value
        if not self.parameters_finite():  # a dead unit can hide overflowing weights from the cost
            raise DivergedError(epoch, batch, eta)

    def _batch_source(self, x, order, mini_batch_size, rng, rates, transform, chosen):
        """(index, rows or None, masks or None) for each mini-batch in `chosen` (indices into
        the epoch's shuffled order), in order. Plain batches are gathered in `_load_batch`;
        distorted or dropped-out ones are made here, on a background thread when the arrays
        live on the host."""
        xp = self.xp
        chosen = list(chosen)
        if transform is None and not any(rates):
            return ((order[b * mini_batch_size:(b + 1) * mini_batch_size], None, None)
                    for b in chosen)
        widths = self.sizes[:-1]

        def make(i):
            b = chosen[i]
            index = order[b * mini_batch_size:(b + 1) * mini_batch_size]
            rows = None
            if transform is not None:
                rows = transform(backend.take_rows(x, index))
            masks = None
            if any(rates):
                k = index.shape[0]
                masks = [None if not rate else
                         dropout_mask(xp, rng, (k, width) if layer == 0 else (width, k), rate,
                                      self.dtype)
                         for layer, (width, rate) in enumerate(zip(widths, rates))]
            return index, rows, masks

        # On the host a thread makes them ahead; cupy queues its kernels asynchronously already.
        ahead = batches.prefetched if backend.on_host(xp) else batches.in_order
        return ahead(make, len(chosen))

    def release_buffers(self):
        """Free the per-batch work arrays and the momentum (e.g. when training is over)."""
        self._buffers, self._velocity = {}, None

    # ----------------------------------------------------------------- data in any form
    def training_arrays(self, data):
        """Inputs as rows (n, n_in) and float targets as columns (n_out, n), on this network's
        device. Arrays already in the right dtype and layout are used as they are, not copied."""
        x, y = _split(data, self.dtype)
        n_out = self.sizes[-1]
        if y.ndim == 1 or (y.ndim == 2 and y.shape[1] == 1 and n_out != 1):
            labels = backend.to_host(y).reshape(-1)
            _check_labels(labels, n_out)
            targets = np.zeros((n_out, labels.shape[0]), dtype=self.dtype)
            targets[labels.astype(np.intp), np.arange(labels.shape[0])] = 1
        else:
            targets = y.T
        return self._rows(x), self.xp.ascontiguousarray(self.xp.asarray(targets, self.dtype))

    def test_arrays(self, data):
        """Inputs as rows and integer labels, on this network's device."""
        x, y = _split(data, self.dtype)
        if y.ndim == 2 and y.shape[1] > 1:
            y = backend.to_host(y).argmax(axis=1)
        labels = np.asarray(backend.to_host(y)).reshape(-1).astype(np.int64)
        _check_labels(labels, self.sizes[-1])
        return self._rows(x), self.xp.asarray(labels)

    def _rows(self, x):
        x = self.xp.ascontiguousarray(self.xp.asarray(x, dtype=self.dtype))
        if x.ndim != 2:
            raise ConfigError(f"expected one example per row, got an array of shape {x.shape}")
        self._check_width(x.shape[1])
        return x


def _split(data, dtype):
    """(inputs, targets) as arrays, from a pair of arrays or the book's list of (x, y) pairs
    (whose inputs are copied straight into one array of `dtype`)."""
    if isinstance(data, tuple) and len(data) == 2 and getattr(data[0], "ndim", 0) == 2 \
            and getattr(data[1], "ndim", 0) in (1, 2):
        x, y = data
        if len(x) != len(y):
            raise ConfigError(f"{len(x)} inputs but {len(y)} labels")
        return x, y
    pairs = data if isinstance(data, list) else list(data)
    if not pairs:
        raise ConfigError("no examples given")
    return _stack([x for x, _ in pairs], dtype), _stack([y for _, y in pairs], None)


def _stack(items, dtype):
    """One array with a row per item (flattened). Arrays of one shape are joined with a single
    `np.concatenate`, which copies each into place; `np.array` on a list of arrays was up to
    8x slower on some machines (BENCHMARKS.md). Anything else takes `np.array`."""
    first = items[0]
    # concatenate alone would join a 783- and a 785-value image into two wrong rows
    if isinstance(first, np.ndarray) and first.ndim and \
            len({getattr(item, "shape", None) for item in items}) == 1:
        try:
            joined = np.concatenate(items, axis=0, dtype=dtype, casting="unsafe")
        except TypeError:  # an array on the GPU among them: fall through to the slow path
            pass
        else:
            return joined.reshape(len(items), -1)
    try:
        stacked = np.array(items, dtype=dtype)
    except TypeError:  # arrays living on the GPU: bring each one over
        stacked = np.array([backend.to_host(item) for item in items], dtype=dtype)
    except ValueError:
        raise ConfigError("every example must have the same shape") from None
    return stacked.reshape(len(items), -1) if stacked.ndim > 1 else stacked


def _check_labels(labels, n_out):
    labels = backend.to_host(labels)
    if labels.size and (labels.min() < 0 or labels.max() >= n_out
                        or not np.all(labels == np.round(labels))):
        raise ConfigError(f"labels must be whole numbers from 0 to {n_out - 1}")


def dropout_mask(xp, rng, shape, rate, dtype):
    """Inverted dropout: each unit kept with probability 1 - rate and then scaled by
    1 / (1 - rate), so a unit's expected output is unchanged and nothing is rescaled at test
    time. Drawn on the host (`rng`, numpy) so a seed gives the same masks on every device."""
    keep = rng.random(shape, dtype=np.float32) >= rate
    return xp.asarray(keep.astype(dtype) * dtype.type(1 / (1 - rate)))


def dropout_rates(spec, sizes):
    """Dropout rates for the input and each hidden layer (len(sizes) - 1 of them) from
    None (none), one rate (every hidden layer), one per hidden layer, or the input's rate
    followed by one per hidden layer. ConfigError if a rate is not in [0, 1)."""
    hidden = len(sizes) - 2
    if spec is None:
        rates = []
    elif isinstance(spec, str):
        try:
            rates = [float(p) for p in spec.split(",") if p.strip()]
        except ValueError:
            raise ConfigError(f"dropout must be rates separated by commas, not {spec!r}") from None
    elif isinstance(spec, (int, float, np.number)) and not isinstance(spec, bool):
        rates = [float(spec)]
    else:
        rates = list(spec)
    for rate in rates:
        if isinstance(rate, bool) or not isinstance(rate, (int, float, np.number)) \
                or not 0 <= rate < 1:
            raise ConfigError(f"a dropout rate must be at least 0 and below 1, not {rate!r}")
    if not any(rates):
        return (0.0,) * (hidden + 1)
    if hidden == 0 and len(rates) != 1:
        raise ConfigError("a network with no hidden layer takes one dropout rate (its input's)")
    if hidden == 0:
        return (float(rates[0]),)
    if len(rates) == 1:
        return (0.0,) + (float(rates[0]),) * hidden
    if len(rates) == hidden:
        return (0.0,) + tuple(float(r) for r in rates)
    if len(rates) == hidden + 1:
        return tuple(float(r) for r in rates)
    raise ConfigError(f"dropout takes 1, {hidden} or {hidden + 1} rates for a network with "
                      f"{hidden} hidden layer(s), not {len(rates)}")


def check_hyperparameters(*, epochs=1, mini_batch_size=1, eta=1.0, lmbda=0.0, momentum=0.0):
    """ConfigError naming the first value out of range."""
    def number(name, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)) \
                or not math.isfinite(value):
            raise ConfigError(f"{name} must be a finite number, not {value!r}")
    for name, value in (("epochs", epochs), ("mini-batch size", mini_batch_size)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ConfigError(f"{name} must be a whole number of at least 1, not {value!r}")
    for name, value in (("eta", eta), ("lmbda", lmbda), ("momentum", momentum)):
        number(name, value)
    if eta <= 0:
        raise ConfigError(f"eta (the learning rate) must be positive, not {eta!r}")
    if lmbda < 0:
        raise ConfigError(f"lmbda (L2 regularisation) cannot be negative, not {lmbda!r}")
    if not 0 <= momentum < 1:
        raise ConfigError(f"momentum must be at least 0 and below 1, not {momentum!r}")
