"""Compare a preset's settings on a validation split, never on the test set.

    python benchmarks/validate_preset.py [JSON overrides] [--preset robust] [--save M.npz]
    e.g. python benchmarks/validate_preset.py '{"augment": [0.75, 0.5, 0.5]}'

Trains on the first 50,000 MNIST training images and prints the book's line for each epoch
measured on the last 10,000 (with the seconds so far and the load average).
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nndraw.data.datasets import Split, load_mnist  # noqa: E402
from nndraw.training import trainer  # noqa: E402
from nndraw.training.config import preset  # noqa: E402

FIT = 50_000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("overrides", nargs="?", default="{}", help="settings as JSON")
    parser.add_argument("--preset", default="robust")
    parser.add_argument("--save", help="also save the model trained on the 50,000")
    args = parser.parse_args()
    config = preset(args.preset, **json.loads(args.overrides)).validated()
    train, _ = load_mnist()
    fit = Split(train.images[:FIT], train.labels[:FIT])
    validation = Split(train.images[FIT:], train.labels[FIT:])
    network = trainer.build_network(config)
    start = time.time()
    for event in trainer.run(network, config, fit, validation):
        if isinstance(event, trainer.Evaluation) and event.complete:
            print(f"Epoch {int(event.epoch) - 1}: {event.correct} / {event.total}  "
                  f"{time.time() - start:.0f} s, load {os.getloadavg()[0]:.1f}", flush=True)
    print("settings", json.dumps(config.to_dict()))
    if args.save:
        from nndraw.training.model_io import save_model

        save_model(args.save, network, config=config.to_dict())


if __name__ == "__main__":
    main()
