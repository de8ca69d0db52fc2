"""ctm as a user installs it, and the test suite as a fresh machine runs it.

The tests marked `index` build the wheel and install it into fresh environments, so they need
the package index (PyPI); uv's cache keeps them to about a minute. Every installed `ctm` is run
from an empty directory, never from this repository.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from engine import __version__
from engine.knowledge import KNOWLEDGE_DIR
from engine.rules import RULES_DIR, _digest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "escape-destination.yaml"
UV = os.environ.get("UV") or shutil.which("uv") or "uv"  # `uv run` names itself in $UV
index = pytest.mark.index


def _run(command: list, cwd: Path, env: dict | None = None, timeout: int = 300) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, (command, result.stdout[-2000:], result.stderr[-2000:])
    return result


def _works_from_anywhere(ctm: Path, where: Path) -> None:
    """`ctm --version`, `ctm validate` and `ctm assess` from an empty directory, the cache on."""
    where.mkdir(exist_ok=True)
    env = {"XDG_CACHE_HOME": str(where / "cache"), "CTM_NO_CACHE": "0", "CTM_LANG": "en"}
    digest = _digest(RULES_DIR, KNOWLEDGE_DIR)
    assert _run([ctm, "--version"], where, env).stdout == f"ctm {__version__}, rule set {digest}\n"
    assert _run([ctm, "validate"], where, env).stdout.startswith("OK: ")
    for _ in range(2):  # the second time from the start-up cache
        assessment = json.loads(_run([ctm, "assess", EXAMPLE], where, env).stdout)
        assert assessment["ruleset"] == {"version": __version__, "digest": digest}
        assert assessment["classification"]["harm_status"] == "trafficked" and assessment["recommendations"]
    assert list((where / "cache" / "ctm").glob(f"ruleset-{__version__}-*.json"))


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    _run([UV, "build", "--wheel", "--out-dir", out, ROOT], ROOT)
    (built,) = out.glob("ctm-*.whl")
    return built


@index
def test_the_wheel_installed_into_a_fresh_venv_works_from_any_directory(wheel, tmp_path):
    # `uv pip install` resolves as pip does (experta's frozendict==1.2 pin included), from uv's cache.
    _run([UV, "venv", "--quiet", tmp_path / "venv"], tmp_path)
    python = tmp_path / "venv" / "bin" / "python"
    _run([UV, "pip", "install", "--quiet", "--python", python, wheel], tmp_path)
    versions = _run([UV, "pip", "freeze", "--python", python], tmp_path).stdout
    assert "frozendict==1.2\n" in versions  # what experta requires; engine/compile.py makes it import
    _works_from_anywhere(tmp_path / "venv" / "bin" / "ctm", tmp_path / "elsewhere")
    # the installed interview page runs, from the installed package
    page = (
        "from importlib import resources; from streamlit.testing.v1 import AppTest; "
        "at = AppTest.from_file(str(resources.files('ui') / 'app.py'), default_timeout=60).run(); "
        "assert not at.exception, at.exception; print(resources.files('ui'))"
    )
    where = _run([python, "-c", page], tmp_path / "elsewhere").stdout
    assert str(tmp_path / "venv") in where


@index
@pytest.mark.parametrize("source", ["wheel", "checkout"])
def test_uv_tool_install_works_from_any_directory(source, wheel, tmp_path):
    env = {"UV_TOOL_DIR": str(tmp_path / "tools"), "UV_TOOL_BIN_DIR": str(tmp_path / "bin")}
    _run([UV, "tool", "install", "--quiet", wheel if source == "wheel" else ROOT], tmp_path, env)
    _works_from_anywhere(tmp_path / "bin" / "ctm", tmp_path / "elsewhere")


@index
def test_the_readme_install_section_works_as_written(wheel, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Install\n", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    assert wheel.name in block  # the README names the wheel this version builds
    shutil.copy(wheel, tmp_path / wheel.name)
    bin_dir = tmp_path / "bin"
    env = {
        "UV_TOOL_DIR": str(tmp_path / "tools"),
        "UV_TOOL_BIN_DIR": str(bin_dir),
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
    }
    out = _run(["bash", "-euo", "pipefail", "-c", block], tmp_path, env).stdout
    assert f"ctm {__version__}, rule set sha256:" in out and "\nOK: " in out and "(none missing)" in out


# ----------------------------------------------------------- a machine without a browser ----


def _pytest_browser_tests(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("CI", "CTM_CHROMIUM")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "tests/test_browser.py"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_without_chromium_the_browser_tests_are_skipped_and_named_in_one_line(tmp_path):
    result = _pytest_browser_tests(CTM_CHROMIUM=str(tmp_path / "no-chromium"))
    assert result.returncode == 0, result.stdout[-3000:]
    (line,) = [line for line in result.stdout.splitlines() if "browser tests skipped" in line]
    assert "tests/test_browser.py::test_a_whole_interview_in_the_browser" in line
    assert "apt-get install chromium" in line and "CTM_CHROMIUM" in line
    assert re.search(r"\b\d+ skipped\b", result.stdout) and "passed" not in result.stdout


def test_with_ci_true_the_browser_tests_fail_without_chromium(tmp_path):
    result = _pytest_browser_tests(CI="true", CTM_CHROMIUM=str(tmp_path / "no-chromium"))
    assert result.returncode == 1
    assert "CI=true and no Chromium at" in result.stdout and "skipped" not in result.stdout
