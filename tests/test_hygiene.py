"""Hygiene that runs by itself: ruff (lint and format) and mypy as pyproject.toml configures them
(engine/ strict, ui/ checked), and every package the code imports declared as a dependency."""

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
# import name -> distribution name, where they differ
DISTRIBUTION = {"yaml": "pyyaml", "z3": "z3-solver", "pytest_bdd": "pytest-bdd"}


def _tool(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, timeout=600)


@pytest.mark.parametrize(
    "command",
    [("ruff", "check"), ("ruff", "format", "--check"), ("mypy",)],
    ids=["ruff check", "ruff format --check", "mypy"],
)
def test_the_code_passes(command):
    result = _tool(*command)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].lower() for r in requirements}


def _imports(paths: list[Path]) -> set[str]:
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {name for name in found if name not in sys.stdlib_module_names}


@pytest.mark.parametrize("where", ["runtime", "dev"])
def test_every_imported_package_is_declared(where):
    own = {"engine", "ui", "tests", "bench"}
    if where == "runtime":
        code = [*ROOT.glob("engine/*.py"), *ROOT.glob("ui/*.py")]
        declared = _names(PYPROJECT["project"]["dependencies"])
    else:
        code = [*ROOT.glob("tests/*.py"), *ROOT.glob("bench/*.py")]
        declared = _names(PYPROJECT["project"]["dependencies"] + PYPROJECT["dependency-groups"]["dev"])
    missing = {DISTRIBUTION.get(name, name) for name in _imports(code) - own} - declared
    assert not missing, f"imported but not declared in pyproject.toml: {sorted(missing)}"
