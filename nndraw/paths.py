"""Where the bundled files live: `resources/` beside the package in a checkout, or
`nndraw/_resources/` inside an installed wheel."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def resources_dir():
    for candidate in (_PACKAGE / "_resources", _PACKAGE.parent / "resources"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("nndraw's resources folder is missing; reinstall nndraw")


def resource_path(*parts):
    return resources_dir().joinpath(*parts)
