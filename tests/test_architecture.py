"""The shape of the code, checked: Qt is imported only under nndraw/gui/, and imports only go
downwards (gui -> training -> data -> core), as pyproject.toml's import-linter contracts say."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_import_contracts_hold():
    linter = shutil.which("lint-imports", path=os.path.dirname(sys.executable))
    assert linter, "import-linter is part of the test extra"
    done = subprocess.run([linter, "--config", str(ROOT / "pyproject.toml")], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2 kept, 0 broken" in done.stdout, done.stdout
