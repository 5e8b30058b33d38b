"""Where the contract's files are: the repository's `openapi/`, or the copy a wheel ships inside the package.

A source checkout (and an editable install) reads `openapi/` next to the package; the wheel has no such
directory and force-includes it as `caldasa_conformance/_bundled/openapi` instead (pyproject.toml,
`[tool.hatch.build.targets.wheel.force-include]`). Every part of the harness that needs a file of `openapi/`
(the contract, requirements.yaml, ineligible.yaml) finds the directory through `openapi_dir()`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

CONTRACT_FILE = "caldasa.yaml"
REPO_OPENAPI = Path(__file__).resolve().parent.parent / "openapi"


def openapi_dir() -> Path:
    """The `openapi/` directory: the repository's if it is there, else the one inside the installed wheel."""
    return find_openapi_dir(REPO_OPENAPI, resources.files("caldasa_conformance") / "_bundled" / "openapi")


def find_openapi_dir(repo: Path, packaged: Traversable) -> Path:
    """`repo` when it holds the contract, else `packaged` when it does (and is a directory on disk).

    With neither, `repo` is returned, so that the error of the first read names the repository's path.
    """
    if (repo / CONTRACT_FILE).is_file():
        return repo
    if isinstance(packaged, Path) and (packaged / CONTRACT_FILE).is_file():
        return packaged
    return repo
