"""The model in use and the rules about it, with no Qt in it (napari's ViewerModel idea).

The window shows a Session and sends it intents; everything it says about its model comes from
here, so every view tells the same story: one network, the data set it reads, one forward
timeline of Evaluation records, its settings, where it came from and whether it is saved. A
run is planned here as a `Job` (train, resume, teach, measure) that the window's run
controller hands to a worker thread; what the run reports is adopted here, and if the run
fails the previous model is put back.
"""

import dataclasses
import os
from dataclasses import dataclass, field

from nndraw.core.network import Network
from nndraw.data.datasets import DataSource, Split
from nndraw.errors import ConfigError, ModelFileError, NndrawError
from nndraw.training import model_io, runs
from nndraw.training.config import TrainConfig
from nndraw.training.teach import teach_config

INPUTS = 784


@dataclass
class Job:
    """One run for the worker: what to do, with which settings, on which data, from which
    weights, and where on the model's timeline its epochs go."""

    kind: str                       # "train", "resume", "teach" or "measure"
    config: TrainConfig
    source: DataSource
    start: tuple | None = None      # host (weights, biases) to begin from; None: fresh
    begin: float = 0.0              # the epoch of `config`'s plan to start at (resume)
    offset: float = 0.0             # where the job's epoch 0 lies on the model's timeline
    personal: Split | None = None   # the person's held-out drawings, measured as it runs
    teach: Split | None = None      # the drawings to teach, mixed into the training data

    @property
    def end(self):
        """The timeline epoch the job ends at."""
        return self.offset + (0.0 if self.kind == "measure" else self.config.epochs)

    def describe(self):
        """What the job does, in a sentence for the status bar."""
        if self.kind == "train":
            return (f"Training a {'-'.join(map(str, self.config.sizes))} network on "
                    f"{self.source.name}, on the {self.config.device.upper()}: keep drawing "
                    "and watch it learn")
        if self.kind == "resume":
            return f"Training on from epoch {self.offset + self.begin:g} to {self.end:g}"
        if self.kind == "teach":
            return (f"Teaching the network your {len(self.teach.labels)} drawings, mixed "
                    "with MNIST so it keeps what it knew")
        return "Measuring the model in use on its whole test set"


@dataclass
class Model:
    """The network that reads the drawing (always on the CPU) and what is known about it."""

    network: Network
    dataset: DataSource
    timeline: list = field(default_factory=list)   # Evaluations, epochs never decreasing
    config: TrainConfig | None = None
    path: str | None = None          # the file it was opened from or last saved to
    origin: str = "file"             # "shipped", "file", "run" or "trained"
    saved: bool = True
    plan: tuple = (0.0, None)        # (offset, end): the training plan resume would finish

    @property
    def latest(self):
        return self.timeline[-1] if self.timeline else None

    @property
    def epoch(self):
        return self.latest.epoch if self.timeline else 0.0

    def name(self):
        if self.path:
            return os.path.basename(self.path)
        return "the shipped model" if self.origin == "shipped" else "untitled network"

    def accuracy_text(self):
        """'98.34 % of the 10,000 MNIST test images', or '' when never measured."""
        return self.latest.describe(self.dataset.name) if self.timeline else ""

    def summary(self):
        """The one-line 'In use' description."""
        layers = " · ".join(str(s) for s in self.network.sizes)
        score = f", {self.accuracy_text()}" if self.timeline else ", not measured yet"
        reads = "" if self.dataset.reads_digits else f", reads {self.dataset.name}"
        return f"In use: {self.name()} (layers {layers}{reads}{score})"


class Session:
    """The state of one window: the model in use, the data set chosen for training, the
    person's drawings, and the job running (if any)."""

    def __init__(self, dataset=None, personal=None):
        self.model = None
        self.dataset = dataset or DataSource.mnist()
        self.personal = personal
        self.job = None
        self.data = {}                   # DataSource -> (train, test), loaded once
        self._previous = None            # the model to put back if the job fails
        self._pending = None             # the job's model, in use from its first report

    # ------------------------------------------------------------------ the model in use
    def use(self, network, origin="file", *, saved=True, path=None, timeline=None,
            config=None, dataset=None, plan=None):
        """Make `network` the model in use, taking what its file said about it from its
        metadata unless given."""
        meta = getattr(network, "metadata", {}) or {}
        if network.device != "cpu":
            network = network.copy(device="cpu")
        if config is None:
            config = _config_or_none(meta.get("config"))
        timeline = list(timeline if timeline is not None else meta.get("history", []))
        if plan is None:
            plan = tuple(meta.get("plan") or (0.0, config.epochs if config else None))
        self.model = Model(network, dataset or meta.get("dataset") or DataSource.mnist(),
                           timeline, config, path if path is not None else meta.get("path"),
                           origin, saved, plan)
        return self.model

    def use_shipped(self):
        network = model_io.pretrained()
        return self.use(network, "shipped", path="")

    def open_model(self, path):
        """Read the model at `path` and use it; ModelFileError (the model in use unchanged)
        if it cannot be read or does not take 28x28 images."""
        network = model_io.load_model(path)
        if network.sizes[0] != INPUTS:
            raise ModelFileError(f"{path}: this model takes {network.sizes[0]} inputs, not "
                                 "28x28 images")
        return self.use(network, "file", path=os.fspath(path))

    def save_model(self, path):
        model = self._require_model()
        model_io.save_model(path, model.network, history=model.timeline,
                            config=model.config.to_dict() if model.config else None,
                            dataset=model.dataset, plan=model.plan)
        model.path, model.saved = os.fspath(path), True
        if model.origin == "shipped":
            model.origin = "file"

    def open_run(self, path):
        """Use the run's model with its timeline, settings and data set; returns the Run."""
        run = runs.load_run(path)
        self.use(run.network, "run", path=run.path, timeline=run.evaluations,
                 config=run.config, dataset=run.dataset)
        return run

    def save_run(self, path):
        model = self._require_model()
        config = model.config or teach_config(model.network)
        saved = runs.save_run(path, model.network, config, model.timeline, model.dataset,
                              plan=model.plan)
        model.path, model.saved, model.config = saved, True, config
        return saved

    def _require_model(self):
        if self.model is None:
            raise NndrawError("there is no model yet: train one or open a model file")
        return self.model

    # ------------------------------------------------------------------ what it reads
    def choose_dataset(self, source):
        """Train on `source` from now on; DataFileError (nothing changed) if its folder
        cannot be a data set."""
        source.check()
        self.dataset = source

    def notice(self):
        """A sentence while the model in use reads other things than the chosen data set
        holds (None otherwise): its readings of them would mean nothing."""
        model = self.model
        if model is None or model.dataset.class_names == self.dataset.class_names:
            return None
        return (f"The model in use reads {model.dataset.things} ({model.dataset.name}); its "
                f"readings of {self.dataset.things} would mean nothing. Train a network on "
                f"{self.dataset.name}, or open a model trained on it.")

    # ------------------------------------------------------------------ planning jobs
    def train_job(self, config):
        """A fresh network for `config`, trained on the chosen data set."""
        return Job("train", config, self.dataset, personal=self._held_out(self.dataset))

    def resume_problem(self, config):
        """Why the model in use cannot go on training (None if it can)."""
        model = self.model
        if model is None:
            return "There is no model to resume: train one or open a run."
        if self.resumable_rest() is None:
            structure = ("sizes", "activation", "output", "cost")
            if tuple(config.sizes) != tuple(model.network.sizes) or any(
                    model.network.options[k] != getattr(config, k) for k in structure[1:]):
                return ("To train the model in use further, the panel's layers, activation, "
                        "output and cost must be its own (open its run to load them).")
        return None

    def resumable_rest(self):
        """(begin, config) when the model in use stopped before the end of its training plan,
        so Resume trains exactly the rest of it; None when there is no rest."""
        model = self.model
        if model is None or model.config is None or model.plan[1] is None or not model.timeline:
            return None
        offset, end = model.plan
        if model.latest.segment not in ("train", "resume") or not offset <= model.epoch < end:
            return None
        return model.epoch - offset, model.config

    def resume_job(self, config):
        """The rest of the model's plan if it was stopped; otherwise `config.epochs` more
        epochs with the panel's `config`, continuing the timeline."""
        problem = self.resume_problem(config)
        if problem:
            raise ConfigError(problem)
        model = self.model
        rest = self.resumable_rest()
        start = model.network.host_parameters()
        if rest is not None:
            begin, plan_config = rest
            return Job("resume", plan_config, model.dataset, start, begin, model.plan[0],
                       self._held_out(model.dataset))
        return Job("resume", config, model.dataset, start, 0.0, model.epoch,
                   self._held_out(model.dataset))

    def teach_problem(self):
        model = self.model
        if self.personal is None or len(self.personal) == 0:
            return "Keep a few drawings first: draw, pick the right digit, Keep."
        if model is None or not model.dataset.reads_digits or \
                model.network.sizes[-1] != 10:
            return ("Teaching needs a digits model: use the shipped model or train one on "
                    "MNIST first.")
        return None

    def teach_job(self):
        problem = self.teach_problem()
        if problem:
            raise ConfigError(problem)
        model = self.model
        taught, held = self.personal.splits()
        config = teach_config(model.network, seed=len(self.personal))
        return Job("teach", config, DataSource.mnist(), model.network.host_parameters(),
                   0.0, model.epoch, held if len(held.labels) else None, taught)

    def measure_job(self):
        model = self._require_model()
        return Job("measure", model.config or teach_config(model.network), model.dataset,
                   model.network.host_parameters(), 0.0, model.epoch,
                   self._held_out(model.dataset))

    def _held_out(self, source):
        if self.personal is None or not source.reads_digits:
            return None
        held = self.personal.splits()[1]
        return held if len(held.labels) else None

    # ------------------------------------------------------------------ a job's life
    def begin(self, job):
        """Remember the model in use (to put back on failure) and prepare the job's own; its
        network is made from the job's first report, so nothing is allocated here before the
        worker has checked that it fits."""
        self.job, self._previous = job, self.model
        if job.kind == "measure":
            self._pending = None
            return
        timeline = [] if job.kind == "train" else list(self.model.timeline)
        plan = (job.offset, job.offset + job.config.epochs)
        if job.kind == "teach":     # teaching keeps the model's own plan and settings
            plan, config = self.model.plan, self.model.config
        else:
            config = job.config
        self._pending = Model(None, job.source, timeline, config, None, "trained", False, plan)

    def adopt(self, weights, biases, evaluation=None):
        """Take a run's latest weights (and its Evaluation onto the timeline); from the
        first report on, the job's model is the model in use."""
        if self.job is None:
            return
        if self.job.kind == "measure":
            if evaluation is not None:
                self._record_measurement(evaluation)
            return
        model = self._pending
        if model.network is None:
            cpu = dataclasses.replace(self.job.config, device="cpu")
            model.network = Network(cpu.sizes, **cpu.network_options())
        model.network.set_parameters(weights, biases)
        if evaluation is not None:
            model.timeline.append(evaluation)
        self.model = model

    def _record_measurement(self, evaluation):
        """A measurement of unchanged weights joins the timeline at its latest epoch: it
        replaces a record of that epoch on fewer images, and is not added twice."""
        model = self.model
        latest = model.latest
        if latest is not None and latest.epoch == evaluation.epoch and latest.complete and \
                latest.correct == evaluation.correct and latest.total == evaluation.total:
            if evaluation.personal is not None and latest.personal != evaluation.personal:
                model.timeline[-1] = dataclasses.replace(latest, personal=evaluation.personal)
            return
        if latest is not None and latest.epoch == evaluation.epoch and not latest.complete:
            model.timeline[-1] = dataclasses.replace(evaluation, segment=latest.segment,
                                                     train_cost=latest.train_cost)
            return
        model.timeline.append(evaluation)

    def fail(self):
        """The job failed: put the previous model back. Returns its Model (or None)."""
        self.model, self._pending, self.job = self._previous, None, None
        return self.model

    def finish(self):
        """The job ended (finished or stopped); its model stays in use."""
        self.job, self._pending, self._previous = None, None, None

    @property
    def running(self):
        return self.job is not None


def _config_or_none(values):
    try:
        return TrainConfig.from_dict(values).validated() if values else None
    except (NndrawError, TypeError, ValueError):
        return None
