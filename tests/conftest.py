"""Shared fixtures: one assessor per test session (the engine is compiled once); the browser
tests' rule: skipped, named in one line, where there is no Chromium — required when CI=true."""

import os
import shutil

import pytest

os.environ.setdefault("CTM_NO_CACHE", "1")  # tests load and check the YAML every run
os.environ.pop("CTM_LANG", None)  # the screens and reports start in the default language, English

from engine.infer import Assessor, default_assessor  # noqa: E402
from engine.knowledge import KNOWLEDGE_DIR  # noqa: E402
from engine.rules import RULES_DIR  # noqa: E402
from tests.ui_server import CHROMIUM  # noqa: E402

CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SKIPPED_BROWSER_TESTS: list[str] = []


def _no_browser() -> bool:
    return not os.access(CHROMIUM, os.X_OK)


def pytest_collection_modifyitems(config, items):
    if CI or not _no_browser():
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}"))
            SKIPPED_BROWSER_TESTS.append(item.nodeid)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if CI and item.get_closest_marker("browser") and _no_browser():
        pytest.fail(
            f"CI=true and no Chromium at {CHROMIUM}: the browser tests are required in CI "
            "(.ci/run installs Debian's chromium)",
            pytrace=False,
        )


def pytest_terminal_summary(terminalreporter):
    if SKIPPED_BROWSER_TESTS:
        terminalreporter.write_line(
            f"{len(SKIPPED_BROWSER_TESTS)} browser tests skipped, no Chromium at {CHROMIUM} "
            f"({', '.join(SKIPPED_BROWSER_TESTS)}); to run them: apt-get install chromium fonts-beng "
            "(as `bash .ci/run` does) or CTM_CHROMIUM=/path/to/chromium, then `uv run pytest`"
        )


@pytest.fixture(scope="session")
def assessor() -> Assessor:
    return default_assessor()


@pytest.fixture(scope="session")
def ruleset(assessor):
    return assessor.ruleset


@pytest.fixture
def copies(tmp_path):
    """Copies of the shipped rule and knowledge directories, for a test to change."""
    rules, knowledge = tmp_path / "rules", tmp_path / "knowledge"
    shutil.copytree(RULES_DIR, rules)
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    return rules, knowledge
