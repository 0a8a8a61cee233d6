"""Run files: a trained model (.npz, see model_io) holding, in the same file, a JSON text of
what made it: the settings, the seed, the data set (a DataSource) and the model's whole
timeline of Evaluation records (the curves).

One file, written atomically, so the weights and the curves can never disagree after a failed
or interrupted save. Runs saved by older nndraw versions, a .npz with a .json of the same name
beside it, still open. Reopening one restores the plot and lets training resume from its
weights; the curves of a second run can be overlaid to compare settings. JSON, not pickle:
readable and safe.
"""

import json
import os
import stat
from dataclasses import dataclass, field

from nndraw.data.datasets import DataSource
from nndraw.errors import ConfigError, ModelFileError, brief
from nndraw.training.config import TrainConfig
from nndraw.training.model_io import load_model, read_text, save_model
from nndraw.training.records import Evaluation, chained

FORMAT = "nndraw-run"
VERSION = 2
READABLE = (1, 2)  # version 1: curves as {epoch, accuracy, cost, complete}, data set a string
MAX_RUN_BYTES = 64 << 20  # characters; a run's curves take kilobytes
RUN_MEMBER = "run"        # the JSON's name inside the .npz


@dataclass
class Run:
    network: object
    config: TrainConfig
    evaluations: list = field(default_factory=list)  # Evaluation records, a forward timeline
    dataset: DataSource = field(default_factory=DataSource.mnist)
    path: str = ""

    @property
    def seed(self):
        return self.config.seed


def paths(path):
    """(model .npz, settings .json of an older run) for a run named by either file (or by its
    stem)."""
    stem = os.path.splitext(os.fspath(path))[0]
    return stem + ".npz", stem + ".json"


def save_run(path, network, config, evaluations, dataset=None, plan=None):
    """Write the model and its JSON into one .npz, atomically; returns the .npz path."""
    model_path, _ = paths(path)
    dataset = dataset or DataSource.mnist()
    text = json.dumps({"format": FORMAT, "version": VERSION, "config": config.to_dict(),
                       "seed": config.seed, "dataset": dataset.to_dict(),
                       "evaluations": [e.to_dict() for e in evaluations]}, indent=1)
    save_model(model_path, network, history=evaluations, config=config.to_dict(),
               dataset=dataset, plan=plan, texts={RUN_MEMBER: text})
    return model_path


def read_run_file(path):
    """The validated JSON of a run: (config, evaluations as a forward timeline of Evaluation
    records, DataSource). ModelFileError naming the file if it is missing, not JSON, or not a
    run."""
    text, json_path = _run_text(path)
    try:
        if len(text) > MAX_RUN_BYTES:
            raise ValueError("larger than any run nndraw writes")
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSON and UTF-8 errors are ValueErrors
        raise ModelFileError(f"{json_path}: not a readable run file "
                             f"({brief(exc)})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ModelFileError(f"{json_path}: not an nndraw run file")
    if data.get("version") not in READABLE:
        raise ModelFileError(f"{json_path}: run file version {data.get('version')!r}, this "
                             f"nndraw reads version {VERSION}")
    try:
        config = TrainConfig.from_dict(data["config"]).validated()
        evaluations = data["evaluations"]
        if not isinstance(evaluations, list):
            raise ValueError("evaluations must be a list")
        evaluations = chained([_evaluation(e, json_path, i) for i, e in enumerate(evaluations)])
        dataset = DataSource.from_dict(data.get("dataset", "mnist"))
    except ModelFileError:
        raise
    except (KeyError, TypeError, ValueError, ConfigError) as exc:
        raise ModelFileError(f"{json_path}: not a valid run file ({brief(exc)})") from None
    return config, evaluations, dataset


def load_run(path):
    """The Run saved at `path` (.npz, or either file of an older pair). ModelFileError naming
    the file when it is bad or the model does not match its settings."""
    model_path, _ = paths(path)
    config, evaluations, dataset = read_run_file(path)
    network = load_model(model_path)
    if tuple(network.sizes) != tuple(config.sizes):
        described_in = _run_text(path)[1]       # the .npz itself, or an older run's .json
        raise ModelFileError(f"{described_in}: describes layers {list(config.sizes)} but "
                             f"{os.path.basename(model_path)} holds {network.sizes}")
    return Run(network, config, evaluations, dataset, model_path)


def _run_text(path):
    """(the run's JSON text, the file it came from): the .npz's own copy, or for a run saved
    by an older nndraw the .json beside it. Never opens a pipe or device (it could block)."""
    model_path, json_path = paths(path)
    if os.path.exists(model_path):
        text = read_text(model_path, RUN_MEMBER, 4 * MAX_RUN_BYTES)  # numpy keeps 4 bytes/char
        if text is not None:
            return text, model_path
    elif not os.path.exists(json_path):
        raise ModelFileError(f"{os.fspath(path)}: no such run file")
    try:
        if not stat.S_ISREG(os.stat(json_path).st_mode):
            raise ModelFileError(f"{json_path}: not a regular file (a pipe, device or folder); "
                                 "not read")
        with open(json_path, encoding="utf-8") as f:
            return f.read(MAX_RUN_BYTES + 1), json_path
    except FileNotFoundError:
        raise ModelFileError(f"{json_path}: no such run file ({os.path.basename(model_path)} "
                             "is a model without a run's settings and curves)") from None
    except (OSError, ValueError) as exc:      # UTF-8 errors are ValueErrors
        raise ModelFileError(f"{json_path}: not a readable run file "
                             f"({brief(exc)})") from None


def _evaluation(entry, name, index):
    """One Evaluation record; ModelFileError naming the file if malformed."""
    try:
        return Evaluation.from_dict(entry)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ModelFileError(f"{name}: evaluation {index} is malformed ({exc})") from None
