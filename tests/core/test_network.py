"""The seed's and the book's API, the fast array path, options, and what goes wrong loudly."""

import sys

import numpy as np
import pytest

from nndraw import Network
from nndraw.core import backend
from nndraw.errors import ConfigError, DeviceError, DivergedError


def nielsen_pairs(split, n, training):
    """The book's format: (784, 1) columns; one-hot (10, 1) targets for training, ints for test."""
    pairs = []
    for image, label in zip(split.images[:n], split.labels[:n]):
        if training:
            y = np.zeros((10, 1))
            y[label] = 1.0
        else:
            y = int(label)
        pairs.append((image.reshape(784, 1).astype(np.float64), y))
    return pairs


def test_default_network_is_the_seeds():
    net = Network([784, 30, 10], seed=0)
    assert net.num_layers == 3 and net.sizes == [784, 30, 10]
    assert [w.shape for w in net.weights] == [(30, 784), (10, 30)]
    assert [b.shape for b in net.biases] == [(30, 1), (10, 1)]
    assert net.options == {"activation": "sigmoid", "output": "sigmoid", "cost": "quadratic",
                           "init": "normal", "dtype": "float32"}
    # N(0, 1): the book's initialisation, not a scaled one
    assert 0.95 < float(np.std(net.weights[0])) < 1.05
    assert net.weights[0].dtype == np.float32


def test_feedforward_takes_a_column_or_a_matrix(mnist):
    net = Network([784, 30, 10], seed=0)
    train, _ = mnist
    column = train.images[0].reshape(784, 1)
    one = net.feedforward(column)
    assert one.shape == (10, 1)
    many = net.feedforward(train.images[:5].T)
    assert many.shape == (10, 5)
    np.testing.assert_allclose(many[:, [0]], one, rtol=1e-5)


def test_seed_api_learns_from_the_books_list_of_pairs(mnist, capsys):
    train, test = mnist
    training_data = nielsen_pairs(train, 3000, training=True)
    test_data = nielsen_pairs(test, 500, training=False)
    net = Network([784, 30, 10], seed=1)
    history = net.SGD(training_data, 3, 10, 3.0, test_data=test_data)
    assert capsys.readouterr().out == ""  # the history is returned, nothing printed
    assert [h["epoch"] for h in history] == [0, 1, 2]
    correct = net.evaluate(test_data)
    assert isinstance(correct, int)
    assert correct == history[-1]["correct"]
    assert correct > 0.6 * len(test_data)  # chance is 10%


def test_lists_and_arrays_train_identically(mnist):
    train, test = mnist
    a = Network([784, 20, 10], dtype="float64", seed=2)
    b = Network([784, 20, 10], dtype="float64", seed=2)
    ha = a.SGD(nielsen_pairs(train, 500, True), 1, 10, 3.0, test_data=test.subset(300), seed=9)
    hb = b.SGD(train.subset(500), 1, 10, 3.0, test_data=nielsen_pairs(test, 300, False), seed=9)
    assert ha[0]["correct"] == hb[0]["correct"]
    np.testing.assert_allclose(a.weights[0], b.weights[0])


def test_the_default_preset_reaches_93_percent_in_one_epoch(mnist):
    from nndraw.training import trainer
    from nndraw.training.config import preset

    config = preset("default", epochs=1).validated()
    net = trainer.build_network(config)
    train, test = mnist
    history = [e for e in trainer.run(net, config, train, test)
               if isinstance(e, trainer.Evaluation)]
    assert history[-1].complete and history[-1].correct >= 9300


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu"])
def test_every_activation_learns(mnist, activation):
    train, test = mnist
    net = Network([784, 32, 10], activation=activation, output="softmax", cost="cross-entropy",
                  init="scaled", seed=3)
    history = net.SGD(train.subset(3000), 2, 20, 0.05, test_data=test.subset(500), momentum=0.9)
    assert history[-1]["accuracy"] > 0.8


def test_l2_shrinks_the_weights(mnist):
    train, _ = mnist
    plain = Network([784, 20, 10], seed=4)
    decayed = Network([784, 20, 10], seed=4)
    plain.SGD(train.subset(1000), 1, 10, 0.5, seed=1)
    decayed.SGD(train.subset(1000), 1, 10, 0.5, lmbda=200.0, seed=1)
    assert np.linalg.norm(decayed.weights[0]) < 0.95 * np.linalg.norm(plain.weights[0])


def test_l2_and_momentum_take_exactly_the_books_step():
    """Two epochs of one full batch each, against chapter 3's rule computed here:
    v <- mu v - (eta / m) grad;  w <- (1 - eta lmbda / n) w + v_w;  b <- b + v_b.
    The biases are not decayed (decaying them too would fail this test)."""
    rng = np.random.default_rng(0)
    m, eta, lmbda, mu = 8, 0.3, 2.0, 0.7
    x = rng.uniform(0, 1, (m, 6))
    labels = rng.integers(0, 3, m)
    net = Network([6, 5, 3], activation="tanh", output="softmax", cost="cross-entropy",
                  init="scaled", dtype="float64", seed=2)
    expected = Network([6, 5, 3], activation="tanh", output="softmax", cost="cross-entropy",
                       init="scaled", dtype="float64", seed=2)
    y = np.zeros((3, m))
    y[labels, np.arange(m)] = 1
    velocity_w = [np.zeros_like(w) for w in expected.weights]
    velocity_b = [np.zeros_like(b) for b in expected.biases]
    for _ in range(2):
        nabla_b, nabla_w = expected.backprop(x.T, y)
        for i in range(len(velocity_w)):
            velocity_w[i] = mu * velocity_w[i] - eta / m * nabla_w[i]
            velocity_b[i] = mu * velocity_b[i] - eta / m * nabla_b[i]
            expected.weights[i][...] = (1 - eta * lmbda / m) * expected.weights[i] \
                + velocity_w[i]
            expected.biases[i][...] = expected.biases[i] + velocity_b[i]
    net.SGD((x, labels), 2, m, eta, lmbda=lmbda, momentum=mu, seed=0)
    for got, want in zip(net.weights + net.biases, expected.weights + expected.biases):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_a_diverging_run_stops_with_a_clear_message(mnist):
    train, _ = mnist
    net = Network([784, 64, 10], activation="relu", output="softmax", cost="cross-entropy",
                  init="he", seed=0)
    with pytest.raises(DivergedError, match=r"epoch 0, mini-batch \d+.*smaller learning rate"):
        net.SGD(train.subset(2000), 1, 10, 1e30)


def test_predict_returns_host_probabilities(mnist):
    train, _ = mnist
    for output in ("sigmoid", "softmax"):
        net = Network([784, 10, 10], output=output, seed=0)
        p = net.predict(train.images[:3])
        assert isinstance(p, np.ndarray) and p.shape == (3, 10)
        np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)
        assert net.predict(train.images[0]).shape == (1, 10)


@pytest.mark.parametrize("kwargs,message", [
    ({"sizes": [784]}, "at least two layers"),
    ({"sizes": "784,abc,10"}, "whole numbers"),
    ({"sizes": [784, 0, 10]}, "positive whole number"),
    ({"sizes": [784, 10], "activation": "swish"}, "unknown activation 'swish'"),
    ({"sizes": [784, 10], "cost": "hinge"}, "unknown cost"),
    ({"sizes": [784, 10], "dtype": "int8"}, "unknown dtype"),
])
def test_bad_options_are_refused_with_the_reason(kwargs, message):
    with pytest.raises(ConfigError, match=message):
        Network(**kwargs)


@pytest.mark.parametrize("args,message", [
    ((1, 10, -3.0), "eta .* must be positive"),
    ((0, 10, 3.0), "epochs must be a whole number"),
    ((1, 0, 3.0), "mini-batch size"),
    ((1, 10, float("nan")), "eta must be a finite number"),
])
def test_bad_hyperparameters_are_refused(mnist, args, message):
    with pytest.raises(ConfigError, match=message):
        Network([784, 10]).SGD(mnist[0].subset(10), *args)


def test_data_that_does_not_fit_the_first_layer_is_refused(mnist):
    with pytest.raises(ConfigError, match="first layer takes 100 inputs.*784"):
        Network([100, 10]).SGD(mnist[0].subset(10), 1, 10, 1.0)


def test_gpu_without_cupy_says_why(monkeypatch):
    monkeypatch.setitem(sys.modules, "cupy", None)  # import cupy now raises ImportError
    backend.gpu_unavailable_reason.cache_clear()
    try:
        assert "cupy is not installed" in backend.gpu_unavailable_reason()
        with pytest.raises(DeviceError, match="GPU is not available: cupy is not installed"):
            Network([784, 10], device="gpu")
    finally:
        backend.gpu_unavailable_reason.cache_clear()


def test_unknown_device_is_refused():
    with pytest.raises(DeviceError, match="unknown device 'tpu'"):
        Network([784, 10], device="tpu")


def test_measure_gives_what_predict_and_evaluate_give_in_one_pass(mnist):
    _, test = mnist
    for output in ("sigmoid", "softmax"):
        net = Network([784, 16, 10], output=output, seed=2)
        m = net.measure(*net.test_arrays(test.subset(300)))
        np.testing.assert_allclose(m.probabilities, net.predict(test.images[:300]), rtol=1e-5)
        assert m.correct == net.evaluate(test.subset(300))
        assert m.correct == int((m.probabilities.argmax(axis=1) == test.labels[:300]).sum())


@pytest.mark.parametrize("shape", [(784, 1), (784,), (1, 784), (28, 28)])
def test_a_list_of_pairs_of_any_image_shape_gives_the_rows_an_array_would(mnist, shape):
    train, _ = mnist
    images = train.images[:50].astype(np.float64)
    pairs = [(image.reshape(shape), np.eye(10)[label].reshape(10, 1))
             for image, label in zip(images, train.labels[:50])]
    net = Network([784, 10, 10])
    x, y = net.training_arrays(pairs)
    x_ref, y_ref = net.training_arrays((images, train.labels[:50]))
    assert x.dtype == np.float32 and x.flags.c_contiguous
    np.testing.assert_array_equal(x, x_ref)
    np.testing.assert_array_equal(y, y_ref)


def test_pairs_whose_images_differ_in_shape_are_refused_even_when_sizes_add_up():
    # 783 + 785 values are two rows' worth: joined blindly they would make two wrong rows
    pairs = [(np.zeros((783, 1)), np.zeros((10, 1))), (np.zeros((785, 1)), np.zeros((10, 1)))]
    with pytest.raises(ConfigError, match="same shape"):
        Network([784, 10, 10]).training_arrays(pairs)
