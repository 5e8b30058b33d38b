"""The harness finds `openapi/` in the repository and, in an installed wheel, inside the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from caldasa_conformance.bundled import CONTRACT_FILE, REPO_OPENAPI, find_openapi_dir, openapi_dir
from caldasa_conformance.config import BUNDLED_SPEC
from caldasa_conformance.requirements import INELIGIBLE_PATH, REQUIREMENTS_PATH


def _openapi(at: Path) -> Path:
    at.mkdir(parents=True)
    (at / CONTRACT_FILE).write_text("openapi: 3.1.0\n", encoding="utf-8")
    return at


def test_the_repository_layout_comes_first(tmp_path: Path) -> None:
    repo = _openapi(tmp_path / "repo" / "openapi")
    packaged = _openapi(tmp_path / "site" / "caldasa_conformance" / "_bundled" / "openapi")
    assert find_openapi_dir(repo, packaged) == repo


def test_an_installed_wheel_reads_the_copy_inside_the_package(tmp_path: Path) -> None:
    packaged = _openapi(tmp_path / "site" / "caldasa_conformance" / "_bundled" / "openapi")
    assert find_openapi_dir(tmp_path / "site" / "openapi", packaged) == packaged


def test_with_neither_the_repository_path_is_named(tmp_path: Path) -> None:
    repo = tmp_path / "repo" / "openapi"
    assert find_openapi_dir(repo, tmp_path / "site" / "_bundled" / "openapi") == repo


def test_every_openapi_file_of_the_harness_comes_from_one_directory() -> None:
    assert openapi_dir() == REPO_OPENAPI  # this checkout
    assert {BUNDLED_SPEC.parent, REQUIREMENTS_PATH.parent, INELIGIBLE_PATH.parent} == {openapi_dir()}
    assert BUNDLED_SPEC.is_file()
    assert REQUIREMENTS_PATH.is_file()
    assert INELIGIBLE_PATH.is_file()


def test_the_wheel_ships_openapi_where_the_harness_looks() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    pyproject = tomllib.loads((REPO_OPENAPI.parent / "pyproject.toml").read_text(encoding="utf-8"))
    force_include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force_include["openapi"] == "caldasa_conformance/_bundled/openapi"
