"""The strongest plain PyTorch CPU loop written here for the book's network (sigmoid layers,
quadratic cost): no autograd, buffers allocated once, every operation in place, the weight
update folded into the gradient product with addmm_ (beta=1, alpha=-eta/m), one shuffled
contiguous copy of the data per epoch with batches as slices. A yardstick only."""

import numpy as np
import torch


class TorchLoop:
    def __init__(self, sizes, seed=0):
        rng = np.random.default_rng(seed)
        # Weights stored transposed, (n_in, n_out), so a batch of rows goes x @ w with no copy.
        self.weights = [torch.from_numpy(rng.standard_normal((n_in, n_out)).astype(np.float32))
                        for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.biases = [torch.from_numpy(rng.standard_normal(n_out).astype(np.float32))
                       for n_out in sizes[1:]]
        self.sizes = sizes

    @torch.inference_mode()
    def train_epoch(self, x, y, m, eta, generator):
        n = x.shape[0]
        order = torch.randperm(n, generator=generator)
        xs = torch.index_select(x, 0, order)
        ys = torch.index_select(y, 0, order)
        acts = [torch.empty(m, s) for s in self.sizes[1:]]
        deltas = [torch.empty(m, s) for s in self.sizes[1:]]
        scratch = [torch.empty(m, s) for s in self.sizes[1:]]
        grad_b = [torch.empty(s) for s in self.sizes[1:]]
        for start in range(0, n - m + 1, m):  # full batches only: same work every step
            a = xs[start:start + m]
            target = ys[start:start + m]
            for w, b, out in zip(self.weights, self.biases, acts):
                torch.addmm(b, a, w, out=out)
                torch.sigmoid(out, out=out)
                a = out
            delta = deltas[-1]
            torch.sub(a, target, out=delta)
            torch.mul(a, a, out=scratch[-1])
            torch.sub(a, scratch[-1], out=scratch[-1])          # a (1 - a)
            delta.mul_(scratch[-1])
            for i in range(len(self.weights) - 1, -1, -1):
                a_prev = xs[start:start + m] if i == 0 else acts[i - 1]
                if i > 0:
                    below = deltas[i - 1]
                    torch.mm(delta, self.weights[i].t(), out=below)
                    torch.mul(a_prev, a_prev, out=scratch[i - 1])
                    torch.sub(a_prev, scratch[i - 1], out=scratch[i - 1])
                    below.mul_(scratch[i - 1])
                self.weights[i].addmm_(a_prev.t(), delta, beta=1, alpha=-eta / m)
                torch.sum(delta, 0, out=grad_b[i])
                self.biases[i].add_(grad_b[i], alpha=-eta / m)
                if i > 0:
                    delta = below

    @torch.inference_mode()
    def evaluate(self, x, labels):
        a = x
        for w, b in zip(self.weights, self.biases):
            a = torch.sigmoid(torch.addmm(b, a, w))
        return int((a.argmax(1) == labels).sum())
