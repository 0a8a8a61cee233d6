"""The Session, without Qt: the model in use, its one forward timeline, the rules for resuming
and teaching, putting the old model back when a run fails, and the files it opens and saves."""

import dataclasses

import numpy as np
import pytest

from nndraw.data.datasets import DataSource
from nndraw.errors import ConfigError, DataFileError
from nndraw.training import trainer
from nndraw.training.config import preset
from nndraw.training.session import Session

CONFIG = preset("default", sizes=(784, 16, 10), epochs=3).validated()


def run_job(session, job, data, *, stop_at=None):
    """Run `job` as the worker does, feeding each evaluation to the session; with `stop_at`,
    stop once an evaluation at or past that epoch was adopted."""
    import threading

    session.begin(job)
    network = trainer.build_network(job.config)
    if job.start is not None:
        network.set_parameters(*job.start)
    stop = threading.Event()
    for event in trainer.run(network, job.config, *data, stop=stop, evals_per_epoch=4,
                             subset=100, begin=job.begin, offset=job.offset, segment=job.kind):
        if isinstance(event, trainer.Evaluation):
            session.adopt(*network.host_parameters(), event)
            if stop_at is not None and event.epoch >= stop_at:
                stop.set()
    session.adopt(*network.host_parameters())
    session.finish()


@pytest.fixture(scope="module")
def data(mnist):
    return mnist[0].subset(2000), mnist[1].subset(500)


@pytest.fixture
def session():
    s = Session()
    s.use_shipped()
    return s


def test_the_shipped_model_says_what_it_was_measured_on(session):
    model = session.model
    assert model.origin == "shipped" and model.saved and model.dataset == DataSource.mnist()
    assert model.latest.complete and model.latest.total == 10_000
    assert model.accuracy_text() == f"{100 * model.latest.accuracy:.2f} % of the 10,000 MNIST " \
                                    "test images"
    assert model.accuracy_text() in model.summary()


def test_a_stopped_run_resumes_for_the_rest_of_its_plan_only(session, data):
    run_job(session, session.train_job(CONFIG), data, stop_at=1.5)
    model = session.model
    stopped = model.epoch
    assert 1.5 <= stopped < 3.0 and model.latest.complete      # measured on the whole set
    assert not model.saved and model.plan == (0.0, 3.0)
    job = session.resume_job(dataclasses.replace(CONFIG, epochs=10, eta=1.0))
    assert job.config == CONFIG                  # the run's own plan, not the panel's fields
    assert job.begin == stopped and job.end == 3.0
    run_job(session, job, data)
    epochs = [r.epoch for r in session.model.timeline]
    assert epochs == sorted(epochs) and epochs[-1] == 3.0
    assert session.resumable_rest() is None       # nothing left of the plan
    # A finished run goes on with the panel's settings, continuing the timeline.
    more = session.resume_job(dataclasses.replace(CONFIG, epochs=2))
    assert (more.offset, more.begin, more.end) == (3.0, 0.0, 5.0)


def test_resume_refuses_other_layers_once_the_plan_is_done(session):
    other = dataclasses.replace(CONFIG, sizes=(784, 30, 10))
    assert session.resumable_rest() is None
    with pytest.raises(ConfigError, match="layers, activation, output and cost"):
        session.resume_job(other)


def test_teaching_continues_the_timeline_and_keeps_the_plan(session, data):
    class Drawings:
        def __len__(self):
            return 10

        def splits(self):
            images = data[0].images[:10]
            return (data[0].subset(8), data[0].subset(10)._replace(images=images[8:],
                                                                      labels=data[0].labels[8:10]))

    session.personal = Drawings()
    before, plan = list(session.model.timeline), session.model.plan
    job = session.teach_job()
    assert job.kind == "teach" and job.offset == before[-1].epoch and len(job.personal.labels) == 2
    run_job(session, job, data)
    timeline = session.model.timeline
    assert timeline[:len(before)] == before
    assert {r.segment for r in timeline[len(before):]} == {"teach"}
    assert [r.epoch for r in timeline] == sorted(r.epoch for r in timeline)
    assert session.model.plan == plan             # the shipped model's own plan


def test_teaching_needs_drawings_and_a_digits_model(session):
    with pytest.raises(ConfigError, match="Keep a few drawings first"):
        session.teach_job()


def test_a_failed_job_puts_the_previous_model_back(session, data):
    previous = session.model
    session.begin(session.train_job(CONFIG))
    network = trainer.build_network(CONFIG)
    evaluation = trainer.evaluate(network, *network.test_arrays(data[1]), 0.1, complete=False)
    session.adopt(*network.host_parameters(), evaluation)
    assert session.model is not previous and session.model.latest is evaluation
    assert session.fail() is previous and session.model is previous and not session.running


def test_a_measurement_replaces_a_partial_record_of_the_same_weights(session, data):
    model = session.model
    model.timeline[-1] = dataclasses.replace(model.latest, complete=False, total=1000,
                                             correct=983)
    job = session.measure_job()
    session.begin(job)
    net = model.network
    whole = trainer.evaluate(net, *net.test_arrays(data[1]), job.offset, segment="measure")
    session.adopt(*net.host_parameters(), whole)
    session.finish()
    assert session.model is model and model.latest.total == 500 and model.latest.complete
    assert model.latest.segment == "train"        # the same moment, now measured fully
    count = len(model.timeline)
    session.begin(session.measure_job())          # measuring again adds nothing
    session.adopt(*net.host_parameters(), whole)
    assert len(model.timeline) == count


def test_the_notice_is_true_only_while_the_data_differ(session, tmp_path, small_mnist_dir):
    assert session.notice() is None
    fashion = DataSource.fashion(small_mnist_dir)
    session.choose_dataset(fashion)
    assert "reads digits (MNIST)" in session.notice() and "clothing" in session.notice()
    session.choose_dataset(DataSource.mnist())
    assert session.notice() is None


def test_an_empty_folder_is_refused_when_chosen(session, tmp_path):
    with pytest.raises(DataFileError, match="no train images file"):
        session.choose_dataset(DataSource.of_folder(tmp_path))
    assert session.dataset == DataSource.mnist()


def test_saved_models_and_runs_carry_their_data_and_timeline(session, tmp_path, data):
    fashion = DataSource.fashion("/data/fashion")
    session.model.dataset = fashion
    session.save_model(tmp_path / "m.npz")
    assert session.model.saved and session.model.name() == "m.npz"
    other = Session()
    other.open_model(tmp_path / "m.npz")
    assert other.model.dataset == fashion and other.model.timeline == session.model.timeline
    session.save_run(tmp_path / "r.npz")
    again = Session()
    run = again.open_run(tmp_path / "r.npz")
    assert again.model.dataset == fashion and run.evaluations == session.model.timeline
    images = data[1].images[:5]
    np.testing.assert_array_equal(again.model.network.predict(images),
                                  session.model.network.predict(images))
