"""The cupy path gives the numpy path's numbers. Skipped, with the reason, without a GPU."""

import numpy as np
import pytest

from nndraw import Network
from nndraw.core import backend

pytestmark = [
    pytest.mark.gpu,
    pytest.mark.skipif(not backend.gpu_available(),
                       reason=f"no usable GPU: {backend.gpu_unavailable_reason()}"),
]


def pair(device, **options):
    return Network([784, 64, 10], seed=11, device=device, **options)


def test_feedforward_and_backprop_match_numpy(mnist):
    train, _ = mnist
    x = train.images[:32].T
    y = np.eye(10, dtype=np.float32)[train.labels[:32]].T
    cpu, gpu = pair("cpu"), pair("gpu")
    np.testing.assert_allclose(backend.to_host(gpu.feedforward(x)), cpu.feedforward(x),
                               rtol=1e-4, atol=1e-5)
    for got, want in zip(gpu.backprop(x, y), cpu.backprop(x, y)):
        for g, w in zip(got, want):
            np.testing.assert_allclose(backend.to_host(g), w, rtol=1e-3, atol=1e-4)


def test_one_epoch_matches_numpy(mnist):
    train, test = mnist
    options = dict(activation="relu", output="softmax", cost="cross-entropy", init="he")
    cpu, gpu = pair("cpu", **options), pair("gpu", **options)
    h_cpu = cpu.SGD(train.subset(5000), 1, 50, 0.1, test_data=test.subset(1000), seed=3)
    h_gpu = gpu.SGD(train.subset(5000), 1, 50, 0.1, test_data=test.subset(1000), seed=3)
    assert abs(h_cpu[0]["correct"] - h_gpu[0]["correct"]) <= 10
    np.testing.assert_allclose(backend.to_host(gpu.weights[0]), cpu.weights[0], atol=2e-3)


def test_a_gpu_network_saves_and_loads(tmp_path, mnist):
    from nndraw.training.model_io import load_model, save_model

    gpu = pair("gpu")
    save_model(tmp_path / "m.npz", gpu)
    back = load_model(tmp_path / "m.npz")
    np.testing.assert_allclose(back.predict(mnist[1].images[:8]),
                               gpu.predict(mnist[1].images[:8]), rtol=1e-4, atol=1e-5)

