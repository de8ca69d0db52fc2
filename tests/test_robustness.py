"""One failure never leaves an engine stuck or carries over into the next case.

experta keeps `running` set when a rule action raises; engine/compile.py resets it. These
tests make an action raise — a defective rule set whose rules derive two values for one key
(RuleConflict), or a `fire` that fails once — and then assess good cases with the SAME
Assessor: each must give exactly what a fresh Assessor gives. Bad case files in between
(refused before the engine) must change nothing either.
"""

import gc
import io
import os
import random
import signal
import subprocess
import sys
import time
import tracemalloc
import urllib.request
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from engine.case import parse_case
from engine.cli import main
from engine.compile import MatrixEngine
from engine.errors import CtmError, RuleConflict
from engine.infer import Assessor
from engine.knowledge import KNOWLEDGE_DIR
from engine.rules import load_rules
from engine.samples import random_cases

ROOT = Path(__file__).resolve().parent.parent
BROKEN_CASES = [
    ROOT / "tests" / "fixtures" / "invalid" / "cases" / name
    for name in ("python_tag.yaml", "alias.yaml", "wrong_enum.yaml", "unknown_key.yaml")
]


@pytest.fixture(scope="module")
def conflicting(tmp_path_factory, ruleset):
    """A tiny rule set with a defect: detained -> trafficked, escaped -> safe_migration, at one
    stage, so a case with both makes the second rule's action raise RuleConflict."""
    node, source = next(iter(ruleset.catalogue.nodes)), next(iter(ruleset.catalogue.sources))

    def rule(rule_id, when, then):
        return {
            "id": rule_id,
            "nodes": [node],
            "when": when,
            "then": then,
            "because": "An invented rule for a robustness test.",
            "sources": [source],
        }

    rules_dir = tmp_path_factory.mktemp("conflicting")
    (rules_dir / "conflict.yaml").write_text(
        yaml.safe_dump(
            {
                "area": "test",
                "stage": 10,
                "rules": [
                    rule(
                        "test.detained",
                        {"fact": "legal.detained", "eq": True},
                        {"derive": {"harm_status": "trafficked"}},
                    ),
                    rule(
                        "test.escaped",
                        {"fact": "exit.route", "eq": "escape"},
                        {"derive": {"harm_status": "safe_migration"}},
                    ),
                ],
            }
        ),
        encoding="utf-8",
    )
    (rules_dir / "later.yaml").write_text(
        yaml.safe_dump(
            {
                "area": "later",
                "stage": 20,
                "rules": [
                    rule(
                        "test.after_trafficking",
                        {"fact": "harm_status", "eq": "trafficked"},
                        {"recommend": [next(iter(ruleset.catalogue.interventions))]},
                    ),
                ],
            }
        ),
        encoding="utf-8",
    )
    loaded, problems = load_rules(rules_dir, KNOWLEDGE_DIR, deep=False)
    assert problems == []
    return loaded


def _case(**answers):
    data = {"case_id": "ROBUST-1"}
    for path, value in answers.items():
        section, name = path.split("__")
        data.setdefault(section, {})[name] = value
    return parse_case(data)


CONFLICT = _case(legal__detained=True, exit__route="escape")
GOOD = [
    _case(legal__detained=True),
    _case(exit__route="escape"),
    _case(),
    _case(legal__detained=True, exit__route="rescue_raid"),
]


def test_a_rule_action_that_raises_leaves_the_engine_ready_for_the_next_case(conflicting):
    assessor = Assessor(conflicting)
    reference = [Assessor(conflicting).assess(case) for case in GOOD]
    assert reference[0].classification["harm_status"] == "trafficked"
    assert [f.rule for f in reference[0].trace] == ["test.detained", "test.after_trafficking"]
    for _ in range(3):
        with pytest.raises(RuleConflict, match="harm_status"):
            assessor.assess(CONFLICT)
        assert assessor.engine.running is False  # experta alone would leave it True
        assert [assessor.assess(case) for case in GOOD] == reference


def test_an_action_that_fails_once_does_not_poison_the_shipped_engine(ruleset, monkeypatch):
    cases = random_cases(30, seed=41)
    fresh = Assessor(ruleset)
    reference = [fresh.assess(case) for case in cases]
    assessor = Assessor(ruleset)
    real_fire = MatrixEngine.fire
    calls = {"n": 0}

    def fails_on_the_third_firing(engine, rule):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("an action failed")
        return real_fire(engine, rule)

    monkeypatch.setattr(MatrixEngine, "fire", fails_on_the_third_firing)
    with pytest.raises(RuntimeError, match="an action failed"):
        assessor.assess(next(case for case, ref in zip(cases, reference) if len(ref.trace) >= 3))
    monkeypatch.setattr(MatrixEngine, "fire", real_fire)
    assert assessor.engine.running is False
    assert [assessor.assess(case) for case in cases] == reference


def test_the_order_of_cases_never_changes_any_answer(ruleset):
    """Cases in file order on one assessor, and shuffled with failing cases between them on
    another: every answer is the same (no state carries from one case to the next)."""
    cases = random_cases(60, seed=7)
    fresh = Assessor(ruleset)
    reference = {case.case_id: fresh.assess(case) for case in cases}
    assessor = Assessor(ruleset)
    shuffled = cases[:]
    random.Random(3).shuffle(shuffled)
    for index, case in enumerate(shuffled):
        if index % 7 == 0:
            with pytest.raises(CtmError):
                parse_case({"case_id": case.case_id, "legal": {"detained": "perhaps"}})
        assert assessor.assess(case) == reference[case.case_id]


def _cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = main(["assess", *map(str, args)])
    return code, out.getvalue()


def test_bad_case_files_between_good_ones_change_nothing_in_the_same_process(ruleset, monkeypatch):
    monkeypatch.setattr("engine.rules.load_valid_rules", lambda *args, **kwargs: ruleset)  # loaded once
    examples = [ROOT / "examples" / name for name in ("escape-destination.yaml", "rescue-custody.yaml")]
    first = [_cli(path) for path in examples]
    assert all(code == 0 for code, _ in first)
    for broken in BROKEN_CASES:
        assert _cli(broken) == (2, "")
        assert _cli(examples[0], broken) == (2, "")  # nothing printed when any case is bad
    assert [_cli(path) for path in examples] == first


def test_engines_built_and_dropped_leave_no_memory_behind(ruleset):
    """A long-running `ctm ui` builds one engine per browser session; a dropped session's
    engine must be freed completely."""
    case = parse_case({"case_id": "MEM-1", "legal": {"detained": True}})

    def sessions(count: int) -> int:
        for _ in range(count):
            Assessor(ruleset).assess(case)
        gc.collect()
        return tracemalloc.get_traced_memory()[0]

    sessions(2)  # warm up: anything built once per process is built now
    tracemalloc.start()
    try:
        before = sessions(2)
        after = sessions(8)
    finally:
        tracemalloc.stop()
    assert after - before < 8 * 2_000, f"{(after - before) / 8:.0f} bytes kept per dropped engine"


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_stopping_ctm_ui_stops_the_server():
    from tests.ui_server import free_port

    url = f"http://127.0.0.1:{free_port()}"
    process = subprocess.Popen(
        [sys.executable, "-m", "engine.cli", "ui", "--port", url.rsplit(":", 1)[1]],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # its own process group, so that nothing outlives the test
    try:
        deadline = time.monotonic() + 60
        while not _answers(url):
            assert time.monotonic() < deadline and process.poll() is None, "ctm ui did not start"
            time.sleep(0.3)
        process.terminate()  # what a service manager, a test fixture or a benchmark does
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while _answers(url) and time.monotonic() < deadline:
            time.sleep(0.3)
        assert not _answers(url), "the server still answers after `ctm ui` was stopped"
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
