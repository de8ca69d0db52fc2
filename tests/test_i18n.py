"""English and Bengali (engine/i18n.py): every text in both, and the language never changes the advice."""

import ast
import json
import re
import string
from pathlib import Path
from typing import get_args

import pytest

from engine import legal, yamlio
from engine.assessment import CLASSIFICATION, SEVERITIES
from engine.case import load_case
from engine.conditions import OPERATORS
from engine.cli import main
from engine.i18n import LANGS, Texts, counts, gaps
from engine.knowledge import KNOWLEDGE_DIR, Intervention
from engine.practice import VERDICTS
from engine.profiles import KINDS, MODELS
from engine.report import FONT_STACK, LABELS, to_html, to_markdown
from engine.scenarios import DIFFICULTIES, SCENARIOS_DIR, load_scenarios
from engine.urgency import URGENCIES
from ui.matrix_map import COLUMNS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
CASE_FILES = sorted([*EXAMPLES.glob("*.yaml"), *EXAMPLES.glob("*.json")])
BENGALI = re.compile("[\u0980-\u09ff]")
DATE = "2026-11-28"
REPORT_HEADINGS = (
    "report.heading.flags",
    "report.heading.classification",
    "report.heading.recommendations",
    "report.heading.principles",
    "report.heading.questions",
    "report.heading.do_first",
    "report.heading.sources",
)


def _messages(lang: str) -> dict[str, str]:
    return yamlio.load(KNOWLEDGE_DIR / "i18n" / lang / "messages.yaml")["messages"]


def _run(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


# ------------------------------------------------------------------ every text in both ----


def test_every_text_people_read_is_there_in_english_and_bengali(ruleset):
    assert gaps(ruleset) == []
    found = counts(ruleset)
    assert found["en"] > 0 and found["bn"] > found["en"]  # Bengali also glosses every source


def test_both_message_files_have_the_same_ids_and_the_same_placeholders():
    english, bengali = _messages("en"), _messages("bn")
    assert set(english) == set(bengali)
    fields = lambda text: {f for _, f, _, _ in string.Formatter().parse(text) if f}  # noqa: E731
    for key in english:
        assert fields(english[key]) == fields(bengali[key]), key
        words = re.sub(
            r"`[^`]*`|\{[^}]*\}|ctm|Language|YAML|JSON|HTML|Markdown|CASE|legal\.events_year|case_id", "", bengali[key]
        )
        assert BENGALI.search(bengali[key]) or not re.search("[A-Za-z]", words), key  # nothing left in English


def _ids_in_code() -> tuple[set[str], set[str]]:
    """Message ids the code asks for: literal ones, and f-string ones as patterns ("actor.*")."""
    literal, patterns = set(), set()

    def collect(node) -> None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            literal.add(node.value)
        elif isinstance(node, ast.JoinedStr):
            patterns.add("".join(v.value if isinstance(v, ast.Constant) else "*" for v in node.values))
        elif isinstance(node, ast.IfExp):
            collect(node.body)
            collect(node.orelse)

    files = [p for p in (ROOT / "ui").glob("*.py") if p.name != "coverage.py"] + list((ROOT / "engine").glob("*.py"))
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "message" and node.args:
                collect(node.args[0])
    return literal, patterns


def _decline_reasons() -> set[str]:
    found = set()
    for page in ("interview.py", "prevention.py"):
        tree = ast.parse((ROOT / "ui" / page).read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "DECLINE":
                value = ast.literal_eval(node.value)
                found |= set(value) if isinstance(value, tuple) else {r for v in value.values() for r in v}
    return found


def _families(ruleset) -> dict[str, set[str]]:
    """What fills in each f-string message id of the code."""
    items = {"flag", "intervention"}
    verdicts = set(VERDICTS)
    statuses = {legal.ENGAGED, legal.NOT_ENGAGED, legal.CANNOT_TELL, "does_not_apply"}
    areas = {r.area for r in ruleset.rules} | {n.area for n in ruleset.catalogue.nodes.values()}
    fields = Intervention.model_fields
    return {
        "classification.*": set(CLASSIFICATION),
        "severity.*": set(SEVERITIES),
        "status.*": statuses,
        "actor.*": set(get_args(fields["actor"].annotation)),
        "level.*": set(get_args(fields["level"].annotation)),
        "area.*": areas,
        "kind.*": set(KINDS),
        "planner.kind.*": set(KINDS) - {"survivor_case"},
        "decline.*": _decline_reasons(),
        "urgency.*": set(URGENCIES),
        "difficulty.*": set(DIFFICULTIES),
        "map.*": {c[0] for c in COLUMNS},
        "item.*": items,
        "practice.*s": items,
        "verdict.*": verdicts,
        "practice.mark.*": verdicts,
        **{
            f"explain.{what}.*": items
            for what in ("why", "why_not", "produced", "not_produced", "could_have", "changed_by")
        },
        "cond.*": set(OPERATORS) | {"not_known", "not_empty", "asked", "derived"},
        "practice.points.*": {"classification", "flags", "key", "extra", "over"},
        "legal.*.title": {s.id for s in legal.STANDARDS},
        "legal.*.requires": {s.id for s in legal.STANDARDS},
        "xlsform.section.*": {section for model in MODELS.values() for section in model.sections()},
    }


def test_every_message_the_code_asks_for_is_there_in_both_languages(ruleset):
    literal, patterns = _ids_in_code()
    families = _families(ruleset)
    assert patterns <= set(families), f"a new family of message ids: add it to _families: {patterns - set(families)}"
    wanted = literal | {p.replace("*", value) for p in patterns for value in families[p]}
    assert len(literal) > 100
    for lang in LANGS:
        assert sorted(wanted - set(_messages(lang))) == [], lang


def test_the_english_words_of_the_legal_check_and_the_report_are_its_json_contract():
    english = _messages("en")
    for standard in legal.STANDARDS:
        assert english[f"legal.{standard.id}.title"] == standard.title
        assert english[f"legal.{standard.id}.requires"] == standard.requires
    assert {key: english[f"status.{key}"] for key in legal.STATUS_WORDS} == legal.STATUS_WORDS
    assert {key: english[f"classification.{key}"] for key in LABELS} == LABELS


# ------------------------------------------------------------ the language never changes the advice ----


@pytest.fixture(scope="module")
def scenario_cases(ruleset) -> dict:
    return {s.id: s.case for s in load_scenarios(ruleset.catalogue)}


def _shape(report: str) -> list[str]:
    """Where each line sits in the report: its heading level or list depth."""
    return [re.match(r"(#*\s*-?)", line).group(1) for line in report.splitlines()]


@pytest.mark.parametrize("name", [p.name for p in CASE_FILES] + sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml")))
def test_the_same_case_in_both_languages_gives_the_same_advice(name, assessor, scenario_cases, capsys, tmp_path):
    case = load_case(EXAMPLES / name) if (EXAMPLES / name).exists() else scenario_cases[name]
    file = tmp_path / "case.json"
    file.write_text(json.dumps(case.to_file_dict()), encoding="utf-8")
    code_en, json_en, _ = _run(capsys, "assess", str(file))
    code_bn, json_bn, _ = _run(capsys, "assess", str(file), "--lang", "bn")
    assert code_en == code_bn == 0 and json_bn == json_en  # the JSON contract is English whatever the language

    assessment = assessor.assess(case)
    reports = {lang: to_markdown(assessment, assessor.ruleset, DATE, lang) for lang in LANGS}
    cited = {lang: re.findall(r"`([a-z0-9_.]+)`", text) for lang, text in reports.items()}
    assert cited["bn"] == cited["en"]  # the same rules and questions, in the same order
    assert _shape(reports["bn"]) == _shape(reports["en"])  # the same flags, interventions, principles
    for key, value in assessment.classification.items():
        for lang, text in reports.items():
            words = Texts(assessor.ruleset, lang)
            assert f"- {words.message(f'classification.{key}')}: {words.fact(key, value)}" in text


@pytest.mark.parametrize(
    "path", [EXAMPLES / "rescue-custody.yaml", EXAMPLES / "escape-destination.yaml"], ids=lambda p: p.stem
)
def test_the_legal_check_in_bengali_has_the_same_findings(path, assessor):
    case = load_case(path)
    english = legal.report(assessor, case)
    bengali = legal.report(assessor, case, Texts(assessor.ruleset, "bn"))

    def ids(data):
        return [
            (f["id"], f["status"], f["engaged_by"], f["missing"], [b["rule"] for b in f["because"]])  # noqa: E731
            for f in data["findings"]
        ]

    assert ids(bengali) == ids(english)
    assert all(BENGALI.search(f["title"]) and BENGALI.search(f["requires"]) for f in bengali["findings"])


# --------------------------------------------------------------------------- the reports ----


def test_a_bengali_report_has_bengali_headings_and_no_english_one(assessor):
    case = load_case(EXAMPLES / "rescue-custody.yaml")
    assessment = assessor.assess(case)
    english, bengali = Texts(assessor.ruleset, "en"), Texts(assessor.ruleset, "bn")
    report = to_markdown(assessment, assessor.ruleset, DATE, "bn")
    headings = [line for line in report.splitlines() if line.startswith("#")]
    assert len(headings) >= 7 and all(BENGALI.search(line) for line in headings)
    for key in REPORT_HEADINGS:
        assert f"## {bengali.message(key)}" in report and f"## {english.message(key)}" not in report
    rec = next(r for r in assessment.recommendations if r.intervention not in assessment.do_first)
    assert (
        f"**{bengali.label('interventions', rec.intervention)}** ({bengali.message(f'actor.{rec.actor}')}) — "
        f"{bengali.because(rec.rule)}"
    ) in report
    assert english.because(rec.rule) not in report


def test_a_bengali_citation_keeps_the_official_name_and_adds_the_gloss(ruleset):
    bengali = Texts(ruleset, "bn")
    source = ruleset.catalogue.sources["bd.pshta_2012.s17"]
    cited = bengali.citation(source.id)
    assert cited.startswith(source.instrument) and cited.endswith(bengali.get("sources", source.id, "gloss"))
    assert Texts(ruleset, "en").citation(source.id) == source.citation()


def test_the_bengali_html_report_says_its_language_and_uses_a_bengali_font(assessor):
    assessment = assessor.assess(load_case(EXAMPLES / "rescue-custody.yaml"))
    html = to_html(assessment, assessor.ruleset, DATE, "bn")
    assert '<html lang="bn">' in html and FONT_STACK in html and "Bengali" in FONT_STACK
    assert BENGALI.search(html) and "<script" not in html
    assert '<html lang="en">' in to_html(assessment, assessor.ruleset, DATE)


def test_counts_are_shown_in_bengali_digits(ruleset):
    bengali = Texts(ruleset, "bn")
    assert bengali.message("ask.review", answered=12, aside=3) == _messages("bn")["ask.review"].format(
        answered="১২", aside="৩"
    )
    assert bengali.option("person.age", 27) == "২৭" and Texts(ruleset).option("person.age", 27) == "27"


# ---------------------------------------------------------------------- the command line ----


def test_assess_writes_the_markdown_report_in_bengali(capsys):
    code, out, _ = _run(capsys, "assess", str(EXAMPLES / "rescue-custody.yaml"), "--format", "markdown", "--lang", "bn")
    assert code == 0 and f"## {_messages('bn')['report.heading.flags']}" in out
    assert f"## {_messages('en')['report.heading.flags']}" not in out


def test_the_language_comes_from_ctm_lang_unless_the_flag_says_otherwise(capsys, monkeypatch):
    case = str(EXAMPLES / "rescue-custody.yaml")
    monkeypatch.setenv("CTM_LANG", "bn")
    _, out, _ = _run(capsys, "assess", case, "--format", "markdown")
    assert f"## {_messages('bn')['report.heading.flags']}" in out
    _, out, _ = _run(capsys, "assess", case, "--format", "markdown", "--lang", "en")
    assert f"## {_messages('en')['report.heading.flags']}" in out


def test_legal_writes_its_check_in_bengali_and_its_json_in_english(capsys):
    case = str(EXAMPLES / "rescue-custody.yaml")
    code, out, _ = _run(capsys, "legal", case, "--lang", "bn")
    assert code == 0 and out.startswith(f"# {_messages('bn')['legal.report_title'].format(case_id='EX-0002')}")
    assert f"## {_messages('bn')['legal.law_in_time']}" in out
    _, english, _ = _run(capsys, "legal", case, "--format", "json")
    _, bengali, _ = _run(capsys, "legal", case, "--format", "json", "--lang", "bn")
    assert bengali == english and not BENGALI.search(english)


@pytest.mark.parametrize(
    "command", [["assess", str(EXAMPLES / "minimal.json")], ["legal", str(EXAMPLES / "minimal.json")], ["ui"]]
)
def test_an_unknown_language_exits_2_naming_the_allowed_ones(command, capsys):
    code, out, err = _run(capsys, *command, "--lang", "fr")
    assert code == 2 and out == ""
    assert "'fr'" in err and all(lang in err for lang in LANGS) and "Traceback" not in err


def test_an_unknown_ctm_lang_exits_2_too(capsys, monkeypatch):
    monkeypatch.setenv("CTM_LANG", "xx")
    code, out, err = _run(capsys, "assess", str(EXAMPLES / "minimal.json"), "--format", "markdown")
    assert code == 2 and out == "" and "'xx'" in err


# ------------------------------------------------------------------ completeness enforced ----


def test_validate_names_every_missing_bengali_text_and_fails(copies, capsys):
    rules, knowledge = copies
    messages = knowledge / "i18n" / "bn" / "messages.yaml"
    text = messages.read_text(encoding="utf-8")
    messages.write_text(re.sub(r'\n  "ask\.save": "[^"]*"', "", text), encoding="utf-8")
    because = knowledge / "i18n" / "bn" / "rules.yaml"
    text = because.read_text(encoding="utf-8")
    because.write_text(re.sub(r'\n  "exit\.rescue":\n    because: "[^"]*"', "", text), encoding="utf-8")
    code, out, err = _run(capsys, "validate", "--rules", str(rules), "--knowledge", str(knowledge))
    assert code == 1 and err == "2 problem(s) found.\n"
    assert f"{messages}: no bn text for messages.ask.save" in out
    assert re.search(r"exit\.yaml:\d+: rule 'exit\.rescue' no bn text for rules\.exit\.rescue\.because", out)


def test_validate_names_a_broken_text_file(copies, capsys):
    rules, knowledge = copies
    (knowledge / "i18n" / "bn" / "messages.yaml").write_text('messages:\n  "a": "x"\n  "a": "y"\n', encoding="utf-8")
    code, out, _ = _run(capsys, "validate", "--rules", str(rules), "--knowledge", str(knowledge))
    assert code == 1 and "messages.yaml:3: duplicate key 'a'" in out
