"""The `ctm` command line."""

import json
import os
import subprocess
import sys
from pathlib import Path

from engine.cli import main

EXAMPLES = Path(__file__).parent.parent / "examples"


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_assess_prints_one_json_object_in_the_public_shape(capsys):
    code, out, _ = run(capsys, "assess", str(EXAMPLES / "escape-destination.yaml"))
    assert code == 0
    data = json.loads(out)
    assert list(data) == [
        "case_id",
        "ruleset",
        "classification",
        "flags",
        "recommendations",
        "principles",
        "trace",
        "missing",
        "do_first",
    ]
    assert set(data["classification"]) == {
        "harm_status",
        "exit_route",
        "remains_in_harm",
        "held",
        "geographic_outcome",
        "recovery_type",
        "integration_outcome",
    }
    assert data["ruleset"]["digest"].startswith("sha256:")
    assert set(data["flags"][0]) == {"id", "severity", "rule", "because", "sources"}
    assert set(data["recommendations"][0]) == {
        "intervention",
        "label",
        "actor",
        "rule",
        "because",
        "sources",
        "level",
        "urgency",
        "urgency_rule",
    }
    assert set(data["trace"][0]) == {"step", "rule", "matched", "asserted"}


def test_several_cases_give_one_json_line_each(capsys):
    files = [str(EXAMPLES / name) for name in ("escape-destination.yaml", "rescue-custody.yaml", "minimal.json")]
    code, out, _ = run(capsys, "assess", *files)
    lines = out.strip().splitlines()
    assert code == 0 and [json.loads(line)["case_id"] for line in lines] == ["EX-0001", "EX-0002", "EX-0003"]


def test_the_markdown_report_puts_do_first_then_flags_first(capsys):
    code, out, _ = run(capsys, "assess", str(EXAMPLES / "rescue-custody.yaml"), "--format", "markdown")
    assert code == 0
    assert (
        out.index("## Do first")
        < out.index("## Flags")
        < out.index("## Answers given")
        < out.index("## Advice for this person, by urgency")
        < out.index("## For the organisation / for policy")
        < out.index("## Sources")
    )
    assert "Non-punishment" in out or "non-punishment" in out.lower()


def test_catalogue_lists_every_kind_of_entry(capsys):
    code, out, _ = run(capsys, "catalogue")
    data = json.loads(out)
    assert list(data) == ["interventions", "flags", "principles", "nodes", "rules", "sources"]
    spec_flags = [
        "non_punishment",
        "reverse_trafficking",
        "stranded_in_custody",
        "consent_not_respected",
        "confidentiality_risk",
        "reprisal_risk",
        "official_misconduct",
        "child_protection_referral",
        "not_trafficking",
        "screening_needed",
        "urgent_health",
        "remains_in_harm",
    ]
    assert len(data["interventions"]) > 100 and [f["id"] for f in data["flags"]][:12] == spec_flags


def test_catalogue_markdown(capsys):
    code, out, _ = run(capsys, "catalogue", "--format", "markdown")
    assert code == 0 and out.startswith("# ctm catalogue")


def test_schema_prints_the_case_json_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0 and json.loads(out)["title"] == "Case"


def test_the_installed_command_exits_2_without_a_traceback_on_bad_input(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("case_id: X\nexit: {route: flew}\n")
    result = subprocess.run([sys.executable, "-m", "engine.cli", "assess", str(bad)], capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "allowed: not_exited" in result.stderr and result.stdout == ""


def test_a_python_tag_in_a_case_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "ran"
    bad = tmp_path / "evil.yaml"
    bad.write_text(f'case_id: X\nperson: !!python/object/apply:os.system ["touch {marker}"]\n')
    result = subprocess.run([sys.executable, "-m", "engine.cli", "assess", str(bad)], capture_output=True, text=True)
    assert result.returncode == 2 and not marker.exists()


def test_a_cold_assess_of_a_survivor_case_loads_only_what_it_needs(tmp_path):
    """ctm switches pydantic plugins off, so their discovery (importlib.metadata, a third of
    the import time of a cold start) is not imported either, once the rule set is cached; nor
    are the models of the other kinds of case file."""
    code = (
        "import sys; from engine.cli import main; main(['assess', 'examples/minimal.json']); "
        "print(sorted({'importlib.metadata', 'engine.profiles'} & set(sys.modules)), file=sys.stderr)"
    )
    env = {**os.environ, "CTM_NO_CACHE": "0", "XDG_CACHE_HOME": str(tmp_path)}
    runs = [
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=EXAMPLES.parent, env=env)
        for _ in range(2)
    ]  # the first run fills the cache
    assert runs[1].returncode == 0 and runs[1].stderr.strip() == "[]", runs[1].stderr


def test_ui_starts_streamlit_private_and_quiet(monkeypatch):
    started = {}
    monkeypatch.setattr(os, "execve", lambda path, command, env: started.update(command=command, env=env))
    main(["ui", "--port", "8599", "--lang", "bn"])
    command = started["command"]
    flags = dict(zip(command[5::2], command[6::2]))  # python -m streamlit run APP, then --flag value pairs
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4].endswith("ui/app.py")
    assert flags["--server.address"] == "127.0.0.1" and flags["--server.port"] == "8599"
    assert flags["--browser.gatherUsageStats"] == "false"  # no analytics
    assert flags["--client.showErrorDetails"] == "none"  # no traceback shown to a user
    assert flags["--server.maxUploadSize"] == "1"
    assert flags["--runner.postScriptGC"] == "false"
    assert started["env"]["CTM_LANG"] == "bn"
