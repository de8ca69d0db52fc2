"""Shared fixtures: one assessor per test session (the engine is compiled once)."""

import os
import shutil

import pytest

os.environ.setdefault("CTM_NO_CACHE", "1")  # tests load and check the YAML every run
os.environ.pop("CTM_LANG", None)  # the screens and reports start in the default language, English

from engine.infer import Assessor, default_assessor  # noqa: E402
from engine.knowledge import KNOWLEDGE_DIR  # noqa: E402
from engine.rules import RULES_DIR  # noqa: E402


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
