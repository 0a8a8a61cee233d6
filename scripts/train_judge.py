"""Make the shipped "not a digit" judge, resources/models/judge.npz:

    python scripts/train_judge.py [--marks 30000] [--epochs 12] [--seed 0] [--save PATH]
    python scripts/train_judge.py --threshold-only [--save PATH]

Trains on MNIST training digits and generated marks (nndraw/training/judge.py says which),
then chooses the refusal threshold on validation data alone (held-back training digits, marks
of another seed), prints that sweep, and saves the threshold in the model file's settings.
About eight minutes on one CPU core. --threshold-only re-chooses it for an existing judge.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nndraw.training.judge import train_judge, validation_sweep  # noqa: E402
from nndraw.training.model_io import load_model, save_model  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", type=int, default=30000)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", default=str(ROOT / "resources" / "models" / "judge.npz"))
    parser.add_argument("--threshold-only", action="store_true")
    args = parser.parse_args()
    if args.threshold_only:
        network = load_model(args.save)
        config = network.metadata.get("config", {})
    else:
        network = train_judge(args.marks, args.epochs, args.seed,
                              progress=lambda e, n: print(f"epoch {e}/{n}", flush=True))
        config = {"what": "digit-or-mark judge", "marks": args.marks, "epochs": args.epochs,
                  "seed": args.seed}
    threshold, rows = validation_sweep(network, config.get("seed", args.seed))
    print("threshold  validation digits refused  validation marks refused")
    for t, digits, marks in rows:
        print(f"{t:9.2f}  {100 * digits:24.2f}%  {100 * marks:23.1f}%"
              + ("  <- chosen" if t == threshold else ""))
    config.update(threshold=threshold, validation=[list(row) for row in rows])
    save_model(args.save, network, config=config)
    print(f"saved {args.save} (threshold {threshold})")


if __name__ == "__main__":
    main()
