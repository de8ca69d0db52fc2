"""`ctm assess DIR_OR_FILES… --jobs N [--summary]`: whole caseloads. Every case is invented."""

import io
import json
from pathlib import Path

import pytest

from engine import batch
from engine.cli import main
from engine.infer import default_assessor
from engine.samples import random_cases

EXAMPLES = Path(__file__).parent.parent / "examples"


@pytest.fixture(scope="module")
def caseload(tmp_path_factory) -> Path:
    """60 generated cases and the examples, in a directory with a subdirectory."""
    folder = tmp_path_factory.mktemp("caseload")
    (folder / "more").mkdir()
    for case in random_cases(60, seed=5):
        (folder / f"{case.case_id}.json").write_text(json.dumps(case.to_file_dict()), encoding="utf-8")
    for example in EXAMPLES.iterdir():
        (folder / "more" / example.name).write_bytes(example.read_bytes())
    return folder


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(["assess", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_two_jobs_give_the_same_output_as_one(caseload, capsys):
    one, two = _run(capsys, caseload, "--jobs", "1"), _run(capsys, caseload, "--jobs", "2")
    assert one == two and one[0] == 0
    lines = one[1].splitlines()
    assert [json.loads(line)["case_id"] for line in lines[:3]] == ["SIM-00000", "SIM-00001", "SIM-00002"]
    assert len(lines) == len(batch.expand([caseload]))


def test_a_bad_file_is_reported_with_its_name_and_never_stops_the_rest(caseload, tmp_path, capsys):
    bad = tmp_path / "a-bad.yaml"
    bad.write_text("case_id: X\nexit: {route: flew}\n")
    files = [bad, EXAMPLES / "escape-destination.yaml", tmp_path / "missing.yaml", EXAMPLES / "minimal.json"]
    code, out, err = _run(capsys, *files, "--jobs", "2")
    assert code == 2 and "Traceback" not in err
    assert [json.loads(line)["case_id"] for line in out.splitlines()] == ["EX-0001", "EX-0003"]
    assert err.splitlines() == [
        f"ctm: error: {bad}:2: exit.route: 'flew' is not allowed (allowed: not_exited, "
        "opportunity_to_leave, thrown_out, contract_over, escape, rescue_raid, death)",
        f"ctm: error: {tmp_path / 'missing.yaml'}: file not found",
    ]


def test_the_summary_counts_cases_per_classification_flag_and_do_first_item(caseload, capsys):
    code, out, _ = _run(capsys, caseload, "--summary", "--format", "json", "--jobs", "2")
    data = json.loads(out)
    assessor = default_assessor()
    from engine.case import load_case

    assessments = [assessor.assess(load_case(p)) for p in batch.expand([caseload])]
    assert code == 0 and data["assessed"] == len(assessments) and data["errors"] == 0
    trafficked = sum(a.classification.get("harm_status") == "trafficked" for a in assessments)
    assert data["classification"]["harm_status"]["trafficked"] == trafficked
    for flag, count in data["flags"].items():
        assert count == sum(any(f.id == flag for f in a.flags) for a in assessments)
    markdown = _run(capsys, caseload, "--summary")[1]
    assert markdown.startswith("# Caseload: ") and "| harm_status | trafficked |" in markdown


def test_the_summary_counts_do_first_items():
    summary = batch.Summary()
    for do_first in (["contact_bangladesh_mission"], ["contact_bangladesh_mission", "health_care"], []):
        summary.add({"classification": {"harm_status": "trafficked"}, "flags": [], "do_first": do_first})
    summary.add(None)
    assert summary.to_dict()["do_first"] == {"contact_bangladesh_mission": 2, "health_care": 1}
    assert summary.to_dict()["errors"] == 1 and "| contact_bangladesh_mission | 2 |" in summary.to_markdown()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_only_on_a_terminal():
    piped, terminal = io.StringIO(), _Terminal()
    for stream in (piped, terminal):
        bar = batch.Progress(10, stream)
        bar(10)
        bar.clear()
    assert piped.getvalue() == "" and "10/10 cases" in terminal.getvalue()


def test_jobs_must_be_at_least_one(capsys):
    code, out, err = _run(capsys, EXAMPLES / "minimal.json", "--jobs", "0")
    assert code == 2 and out == "" and "--jobs: 0 (allowed: 1 or more processes)" in err
