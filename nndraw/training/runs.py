"""Run files: a trained model (.npz, see model_io) with a JSON file of the same name beside it
holding what made it: the settings, the seed, the data set (a DataSource) and the model's whole
timeline of Evaluation records (the curves).

Reopening one restores the plot and lets training resume from its weights; the curves of a
second run can be overlaid to compare settings. JSON, not pickle: readable and safe.
"""

import json
import os
from dataclasses import dataclass, field

from nndraw.data.datasets import DataSource
from nndraw.errors import ConfigError, ModelFileError
from nndraw.files import write_atomically
from nndraw.training.config import TrainConfig
from nndraw.training.model_io import load_model, save_model
from nndraw.training.records import Evaluation, chained

FORMAT = "nndraw-run"
VERSION = 2
READABLE = (1, 2)  # version 1: curves as {epoch, accuracy, cost, complete}, data set a string
MAX_RUN_BYTES = 64 << 20  # characters; a run's curves take kilobytes


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
    """(model .npz, settings .json) for a run named by either file (or by its stem)."""
    stem = os.path.splitext(os.fspath(path))[0]
    return stem + ".npz", stem + ".json"


def save_run(path, network, config, evaluations, dataset=None, plan=None):
    """Write the model and its JSON beside it; returns the .npz path."""
    model_path, json_path = paths(path)
    dataset = dataset or DataSource.mnist()
    save_model(model_path, network, history=evaluations, config=config.to_dict(),
               dataset=dataset, plan=plan)
    text = json.dumps({"format": FORMAT, "version": VERSION, "config": config.to_dict(),
                       "seed": config.seed, "dataset": dataset.to_dict(),
                       "evaluations": [e.to_dict() for e in evaluations]}, indent=1)
    write_atomically(json_path, lambda f: f.write(text.encode()))
    return model_path


def read_run_file(path):
    """The validated JSON of a run: (config, evaluations as a forward timeline of Evaluation
    records, DataSource). ModelFileError naming the file if it is missing, not JSON, or not a
    run."""
    _, json_path = paths(path)
    try:
        with open(json_path, encoding="utf-8") as f:
            text = f.read(MAX_RUN_BYTES + 1)
        if len(text) > MAX_RUN_BYTES:
            raise ValueError("larger than any run nndraw writes")
        data = json.loads(text)
    except FileNotFoundError:
        raise ModelFileError(f"{json_path}: no such run file (the settings and curves are "
                             "kept in a .json beside the model)") from None
    except (OSError, ValueError, RecursionError) as exc:  # JSON and UTF-8 errors are ValueErrors
        raise ModelFileError(f"{json_path}: not a readable run file ({exc})") from None
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
        reason = str(exc).strip("'\"") or type(exc).__name__
        raise ModelFileError(f"{json_path}: not a valid run file ({reason})") from None
    return config, evaluations, dataset


def load_run(path):
    """The Run saved at `path` (.npz or .json). ModelFileError naming the file when either
    file is bad or the model does not match its settings."""
    model_path, json_path = paths(path)
    config, evaluations, dataset = read_run_file(path)
    network = load_model(model_path)
    if tuple(network.sizes) != tuple(config.sizes):
        raise ModelFileError(f"{json_path}: describes layers {list(config.sizes)} but "
                             f"{os.path.basename(model_path)} holds {network.sizes}")
    return Run(network, config, evaluations, dataset, model_path)


def _evaluation(entry, name, index):
    """One Evaluation record; ModelFileError naming the file if malformed."""
    try:
        return Evaluation.from_dict(entry)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        raise ModelFileError(f"{name}: evaluation {index} is malformed ({exc})") from None
