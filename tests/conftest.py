"""Shared fixtures: one assessor per test session (the engine is compiled once)."""

import os

import pytest

os.environ.setdefault("CTM_NO_CACHE", "1")  # tests load and check the YAML every run
os.environ.pop("CTM_LANG", None)  # the screens and reports start in the default language, English

from engine.infer import Assessor, default_assessor  # noqa: E402


@pytest.fixture(scope="session")
def assessor() -> Assessor:
    return default_assessor()


@pytest.fixture(scope="session")
def ruleset(assessor):
    return assessor.ruleset
