"""Make the shipped "not a digit" judge, resources/models/judge.npz:

    python scripts/train_judge.py [--marks 40000] [--epochs 12] [--seed 0] [--save PATH]

Trains on MNIST training digits and generated marks (nndraw/training/judge.py says which), and
prints the validation figures. About two minutes on one CPU core.
"""

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nndraw.training.judge import train_judge  # noqa: E402
from nndraw.training.model_io import save_model  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marks", type=int, default=40000)
    parser.add_argument("--epochs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--save", default=str(ROOT / "resources" / "models" / "judge.npz"))
    args = parser.parse_args()
    network, figures = train_judge(args.marks, args.epochs, args.seed,
                                   progress=lambda e, n: print(f"epoch {e}/{n}", flush=True))
    config = {"what": "digit-or-mark judge", "marks": args.marks, "epochs": args.epochs,
              "seed": args.seed, "validation": figures}
    save_model(args.save, network, config=config)
    print(f"saved {args.save}: on validation, {100 * figures['digits refused']:.2f}% of MNIST "
          f"training digits held back and {100 * figures['marks refused']:.1f}% of fresh marks "
          "refused at p(mark) > 0.5")


if __name__ == "__main__":
    main()
