"""Runs every Gherkin feature in features/ with the step vocabulary of tests/steps.py."""

from pytest_bdd import scenarios

from tests.steps import *  # noqa: F401,F403 - the step definitions

scenarios("../features")
