"""Bengali a caseworker and a lawyer can rely on (issue 21): questions about "the person", words
to read aloud apart, one term for one thing (knowledge/i18n/bn/glossary.yaml, enforced by
`ctm validate`), and a legal check whose labels and sentences say what the law says."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from engine import legal, yamlio
from engine.case import parse_case
from engine.cli import main
from engine.i18n import Texts, glossary_findings
from engine.knowledge import KNOWLEDGE_DIR
from engine.report import to_markdown

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
SECOND_PERSON = re.compile("আপনি|আপনার|আপনাকে|আপনাদের|তুমি|তোমার|তোমাকে|তোর|তুই")
STATUSES = ("engaged", "not_engaged", "cannot_tell_yet", "does_not_apply")


def _bn(section: str) -> dict:
    return yamlio.load(KNOWLEDGE_DIR / "i18n" / "bn" / f"{section}.yaml")[section]


def _run(capsys, *args) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().out


# ------------------------------------------------------------------ whose voice ----


def test_no_bengali_prompt_speaks_to_the_person_in_the_second_person():
    spoken = {
        field: entry["prompt"] for field, entry in _bn("questions").items() if SECOND_PERSON.search(entry["prompt"])
    }
    assert spoken == {}


def test_words_to_read_aloud_are_in_both_languages_or_in_neither(ruleset):
    bengali = _bn("questions")
    english = {field: bool(q.say) for field, q in ruleset.catalogue.questions.items()}
    assert english == {field: bool(bengali.get(field, {}).get("say")) for field in english}
    assert sum(english.values()) >= 20  # the questions put to the person have gentle words to say


def test_no_question_is_put_to_a_bereaved_family_as_if_they_were_the_person(ruleset):
    """exit.route is answered by the family after a death: about the person, never "you"."""
    bn = Texts(ruleset, "bn")
    assert not ruleset.catalogue.questions["exit.route"].say  # nothing to read aloud as if to the person
    for field in ("exit.route", "exit.religion"):
        assert not SECOND_PERSON.search(bn.get("questions", field, "prompt"))
        assert "person" in ruleset.catalogue.questions[field].prompt
    assert "ব্যক্তি মারা গেছেন" == bn.option("exit.route", "death")
    assert "মারা গেছেন" in bn.get("questions", "exit.route", "help") and "তিনিই সেই ব্যক্তি" in bn.get(
        "questions", "exit.route", "help"
    )


def test_validate_requires_the_bengali_say_when_the_english_has_one(copies, capsys):
    rules, knowledge = copies
    path = knowledge / "i18n" / "bn" / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'\n    say: "আপনার বয়স কত[^"]*"', "", text), encoding="utf-8")
    code, out = _run(capsys, "validate", "--rules", str(rules), "--knowledge", str(knowledge))
    assert code == 1 and f"{path}: no bn text for questions.person.age.say" in out


def test_validate_requires_the_english_say_when_the_bengali_has_one(copies, capsys):
    rules, knowledge = copies
    path = knowledge / "i18n" / "bn" / "questions.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('  "exit.route":\n', '  "exit.route":\n    say: "একটি পড়ে শোনানোর কথা"\n'), encoding="utf-8"
    )
    code, out = _run(capsys, "validate", "--rules", str(rules), "--knowledge", str(knowledge))
    assert code == 1
    assert re.search(r"knowledge/questions\.yaml:\d+: no en text for questions\.exit\.route\.say", out)


def test_reports_show_the_prompts_and_never_the_words_to_read_aloud(assessor, ruleset):
    case = parse_case({"case_id": "T-VOICE-1", "exit": {"route": "rescue_raid"}, "legal": {"detained": True}})
    assessment = assessor.assess(case)
    for lang in ("en", "bn"):
        t = Texts(ruleset, lang)
        report = to_markdown(assessment, ruleset, "2026-12-08", lang)
        check = legal.to_markdown(legal.report(assessor, case, t), ruleset.catalogue.questions, t)
        says = [t.get("questions", f, "say") for f in ruleset.catalogue.questions if t.get("questions", f, "say")]
        for text in (report, check):
            assert not [say for say in says if say in text]
            assert t.get("questions", assessment.missing[0], "prompt") in report


def test_the_interview_shows_the_words_to_read_aloud_under_the_prompt(ruleset):
    at = AppTest.from_file(APP, default_timeout=60).run()
    for lang in ("en", "bn"):
        at = at.radio(key="lang_choice").set_value(lang).run()
        t = Texts(ruleset, lang)
        for _ in range(40):
            keys = [w.key for w in [*at.radio, *at.multiselect, *at.number_input, *at.text_input] if w.key]
            field = next(k.removeprefix("q_") for k in keys if k.startswith("q_"))
            if t.get("questions", field, "say"):
                break
            at = at.button(key="decline_not_known").click().run()
        assert at.header[0].value == t.get("questions", field, "prompt")
        assert t.message("ask.say", say=t.get("questions", field, "say")) in [c.value for c in at.caption]


# ------------------------------------------------------------------ the glossary ----


def test_the_shipped_bengali_uses_no_forbidden_word_and_no_other_rendering_of_a_term(ruleset):
    assert glossary_findings(ruleset) == ([], [])


def test_validate_fails_naming_file_id_and_word_when_a_forbidden_word_is_used(copies, capsys):
    rules, knowledge = copies
    path = knowledge / "i18n" / "bn" / "scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("যৌনপল্লিতে", "পতিতালয়ে", 1), encoding="utf-8")
    code, out = _run(capsys, "validate", "--rules", str(rules), "--knowledge", str(knowledge))
    assert code == 1
    assert re.search(
        rf"{re.escape(str(path))}:\d+: scenarios\.[a-z-]+\.narrative: 'পতিতালয়' is not to be used: "
        r"write 'যৌনপল্লি'",
        out,
    )


def test_an_instruments_official_title_keeps_its_words(ruleset):
    """The SAARC Convention's title says "for Prostitution": its gloss may say so, nothing else may."""
    assert "পতিতাবৃত্তি" in _bn("sources")["saarc.art9"]["gloss"]
    assert glossary_findings(ruleset)[0] == []


def test_validate_warns_when_a_glossary_term_is_rendered_another_way_and_still_passes(copies, capsys):
    rules, knowledge = copies
    path = knowledge / "i18n" / "bn" / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert "জবরদস্তিমূলক শ্রম" in text
    path.write_text(text.replace("জবরদস্তিমূলক শ্রম", "বাধ্যতামূলক শ্রম"), encoding="utf-8")
    code, out = _run(capsys, "validate", "--rules", str(rules), "--knowledge", str(knowledge))
    assert code == 0
    assert re.search(
        rf"warning: {re.escape(str(path))}:\d+: rules\.[a-z_.]+\.because: the English says "
        r"'forced labour', the Bengali lacks the glossary's 'জবরদস্তিমূলক শ্রম'",
        out,
    )


def test_a_broken_glossary_is_one_clear_problem(copies, capsys):
    rules, knowledge = copies
    (knowledge / "i18n" / "bn" / "glossary.yaml").write_text('glossary:\n  never:\n    - word: "x"\n', encoding="utf-8")
    code, out = _run(capsys, "validate", "--rules", str(rules), "--knowledge", str(knowledge))
    assert code == 1 and "glossary.yaml: broken glossary: never[0] needs use, why, word" in out


# ------------------------------------------------------------------ the legal check ----


def test_the_four_statuses_read_apart_in_bengali():
    messages = _bn("messages")
    labels = [messages[f"status.{status}"] for status in STATUSES]
    assert not [a for a in labels for b in labels if a != b and a in b]
    assert messages["status.not_engaged"] == "এ পর্যন্ত জানা তথ্যে প্রযোজ্য নয়"


def test_the_bengali_legal_check_for_a_planned_return_she_fears(assessor, ruleset):
    case = parse_case(
        {
            "case_id": "T-RET-1",
            "person": {"cross_border": True},
            "harm": {"status": "trafficked"},
            "location": {"current": "destination_outside_harm", "wishes": "stay", "return_planned": True},
            "legal": {"fears_return": True},
        }
    )
    t = Texts(ruleset, "bn")
    text = legal.to_markdown(legal.report(assessor, case, t), ruleset.catalogue.questions, t)
    assert f"## {t.message('legal.non_refoulement.title')} — এই কেসে প্রযোজ্য" in text
    assert "নিপীড়ন, নির্যাতন বা অন্য গুরুতর ক্ষতির" in text  # persecution, torture, other serious harm
    assert not SECOND_PERSON.search(text)  # the questions it waits for speak of the person


def test_the_bengali_legal_texts_say_what_the_standards_require():
    messages = _bn("messages")
    assert "জোর করে দেশে ফেরত পাঠানো যাবে না" in messages["legal.reflection_period.requires"]
    assert "কোথাও সরিয়ে" not in messages["legal.reflection_period.requires"]
    assert "জনসমক্ষে প্রকাশ" in messages["legal.privacy.requires"]
    assert "মামলাতেও না" not in messages["legal.privacy.requires"]
    assert "রিমান্ড" not in messages["legal.custody.requires"]


@pytest.mark.parametrize("key", ["interview.case_ref", "planner.reference"])
def test_the_case_reference_asks_for_a_code_never_a_name_or_nickname(key):
    assert _bn("messages")[key] == "কেস কোড — কোনো নাম বা ডাকনাম নয়"


def test_voluntary_return_is_not_said_with_the_verb_of_being_sent_back():
    assert "ফেরত পাঠা" not in _bn("interventions")["quick_repatriation_on_request"]["label"]
    assert "ফেরত পাঠা" not in _bn("nodes")["geography.repatriation"]["label"]
    assert "ফেরত পাঠা" in _bn("nodes")["geography.repatriated_involuntary"]["label"]
