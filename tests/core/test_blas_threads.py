"""BLAS threads follow the cores other processes leave free, and are given back afterwards."""

import numpy as np
import pytest

from nndraw import Network
from nndraw.core import backend


def blas_thread_counts():
    return [lib.num_threads
            for lib in backend._blas_controller().select(user_api="blas").lib_controllers]


def free_after(cores, wall, machine_busy, own):
    probe = backend.FreeCores()
    probe.cores = cores
    probe._last = (0.0, 100.0, 10.0)
    return probe.free((wall, 100.0 + machine_busy, 10.0 + own))


def test_a_busy_neighbour_takes_a_core_and_our_own_work_does_not(monkeypatch):
    monkeypatch.setattr(backend.os, "cpu_count", lambda: 2)
    # one second: we kept one core busy, a neighbour the other
    assert free_after(2, 1.0, machine_busy=2.0, own=1.0) == pytest.approx(1.0)
    # only our own work: both cores are ours
    assert free_after(2, 1.0, machine_busy=1.9, own=1.9) == pytest.approx(2.0)
    # unreadable /proc/stat: every usable core counts as free
    probe = backend.FreeCores()
    probe._last = (0.0, None, 0.0)
    assert probe.free((1.0, None, 0.5)) == probe.cores


@pytest.mark.parametrize("free, threads", [(0.0, 1), (1.0, 1), (1.5, 1), (1.85, 2), (2.0, 2),
                                           (15.9, 16)])
def test_threads_for_free_cores(free, threads):
    assert backend.threads_for_free_cores(free) == threads
    assert backend.blas_threads_for(np, 10**9, free) == threads


def test_small_products_stay_on_one_thread_whatever_is_free():
    assert backend.blas_threads_for(np, backend.SMALL_PRODUCT - 1, 16.0) == 1


class HalfACoreFree:
    def free(self):
        return 0.5


def test_training_with_a_busy_neighbour_uses_one_thread_and_restores_the_count(mnist):
    train, _ = mnist
    before = blas_thread_counts()
    net = Network([784, 300, 10], seed=0)  # 784 * 300 * 64 multiply-adds: above SMALL_PRODUCT
    net._free_cores = HalfACoreFree()
    x, y = net.training_arrays(train.subset(640))
    epoch = net.sgd_epoch(x, y, 64, 0.1, 0, np.random.default_rng(0))
    next(epoch)
    assert blas_thread_counts() == [1] * len(before)
    epoch.close()  # a run stopped mid-epoch gives the threads back too
    assert blas_thread_counts() == before
