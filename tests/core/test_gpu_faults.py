"""What a person sees when the GPU is missing, absent or fails mid-run: a sentence, never a
crash. Simulated here; the real thing is tested by the gpu-marked tests on a GPU machine."""

import sys
import types

import numpy as np
import pytest

from nndraw import Network
from nndraw.core import backend
from nndraw.errors import DeviceError
from nndraw.training import trainer
from nndraw.training.config import preset
from tests.core.fake_cupy import CUDARuntimeError, FakeCupy, as_gpu


@pytest.fixture
def fresh_reason():
    backend.gpu_unavailable_reason.cache_clear()
    yield
    backend.gpu_unavailable_reason.cache_clear()


def fake_module(monkeypatch, **attributes):
    module = types.ModuleType("cupy")
    module.__dict__.update(attributes)
    monkeypatch.setitem(sys.modules, "cupy", module)


def test_no_device(monkeypatch, fresh_reason):
    fake_module(monkeypatch, is_available=lambda: False)
    assert backend.gpu_unavailable_reason() == "cupy is installed but sees no usable CUDA GPU"
    with pytest.raises(DeviceError, match="sees no usable CUDA GPU"):
        Network([784, 10], device="gpu")


def test_a_driver_that_fails_on_first_use(monkeypatch, fresh_reason):
    def zeros(*args):
        raise CUDARuntimeError("cudaErrorInsufficientDriver: CUDA driver version is too old")

    fake_module(monkeypatch, is_available=lambda: True, zeros=zeros)
    assert "driver version is too old" in backend.gpu_unavailable_reason()


def test_the_gpu_code_path_computes_what_numpy_does(monkeypatch, mnist):
    as_gpu(monkeypatch, FakeCupy())
    train, test = mnist[0].subset(2000), mnist[1].subset(500)
    options = dict(activation="relu", output="softmax", cost="cross-entropy", init="he")
    cpu = Network([784, 32, 10], seed=3, **options)
    gpu = Network([784, 32, 10], seed=3, device="gpu", **options)
    assert gpu.xp is not np
    h_cpu = cpu.SGD(train, 2, 20, 0.1, test_data=test, momentum=0.5, lmbda=1.0, seed=1)
    h_gpu = gpu.SGD(train, 2, 20, 0.1, test_data=test, momentum=0.5, lmbda=1.0, seed=1)
    assert [h["correct"] for h in h_gpu] == [h["correct"] for h in h_cpu]
    np.testing.assert_allclose(gpu.weights[0], cpu.weights[0], rtol=1e-5, atol=1e-6)


def test_out_of_memory_mid_run_stops_with_a_sentence(monkeypatch, mnist):
    as_gpu(monkeypatch, FakeCupy(fail_after=200))
    config = preset("default", sizes=(784, 32, 10), epochs=1, device="gpu").validated()
    net = trainer.build_network(config)
    with pytest.raises(DeviceError, match="GPU ran out of memory; the run stopped"):
        list(trainer.run(net, config, mnist[0].subset(5000), mnist[1].subset(500)))


def test_out_of_memory_while_building_the_network(monkeypatch):
    class Full(FakeCupy):
        def empty(self, *args, **kwargs):
            raise type("OutOfMemoryError", (MemoryError,),
                       {"__module__": "cupy.cuda.memory"})("out of memory")

    as_gpu(monkeypatch, Full())
    config = preset("default", device="gpu").validated()
    with pytest.raises(DeviceError, match="ran out of memory"):
        trainer.build_network(config)


def test_errors_from_elsewhere_are_not_blamed_on_the_gpu():
    assert backend.gpu_error_message(ValueError("x")) is None
    assert backend.gpu_error_message(MemoryError()) is None


def test_the_gpu_reason_gives_the_readmes_install_command(monkeypatch):
    """Without cupy the device box's tooltip names the same install command as the README."""
    import builtins
    from pathlib import Path

    from nndraw.core import backend

    real_import = builtins.__import__

    def no_cupy(name, *args, **kwargs):
        if name == "cupy":
            raise ImportError("no cupy here")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_cupy)
    backend.gpu_unavailable_reason.cache_clear()
    try:
        reason = backend.gpu_unavailable_reason()
    finally:
        backend.gpu_unavailable_reason.cache_clear()
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    assert 'pip install ".[gpu]"' in reason and 'pip install ".[gpu]"' in readme
