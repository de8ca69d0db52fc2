"""Practice: grading a trainee's answers against the engine, and `ctm practice` in the terminal.

The reference is always the engine's own assessment of the scenario's case, so these tests
hold for any scenario and any rule set; the terminal is driven with scripted input().
"""

import shutil

import pytest

from engine.assessment import CLASSIFICATION
from engine.cli import main
from engine.errors import CtmError
from engine.knowledge import KNOWLEDGE_DIR
from engine.i18n import Texts
from engine.practice import GRADED, Answer, Session, feedback_text, flag_choices, grade
from engine.scenarios import SCENARIOS_DIR, in_teaching_order, load_scenarios

IDS = sorted(p.stem for p in SCENARIOS_DIR.glob("*.yaml"))


@pytest.fixture(scope="module")
def library(ruleset) -> dict:
    return {s.id: s for s in load_scenarios(ruleset.catalogue)}


def engine_answer(assessor, scenario, interventions=None) -> Answer:
    """The engine's own answer: classification and flags, and the given (default: all) interventions."""
    found = assessor.assess(scenario.case)
    if interventions is None:
        interventions = [r.intervention for r in found.recommendations]
    return Answer(
        **{key: found.classification[key] for key in GRADED},
        flags=frozenset(f.id for f in found.flags),
        interventions=frozenset(interventions),
    )


# ---------------------------------------------------------------- grading ----------


@pytest.mark.parametrize("scenario_id", IDS)
def test_the_engines_own_answer_is_all_right_and_scores_100(library, assessor, scenario_id):
    feedback = grade(library[scenario_id], engine_answer(assessor, library[scenario_id]), assessor)
    assert {item.verdict for item in feedback.items} == {"right"}
    assert feedback.score == 100 and feedback.mistakes == []


def test_an_empty_answer_misses_everything_the_engine_found_and_scores_0(library, assessor):
    scenario = library["jail-fourteen-months"]
    found = assessor.assess(scenario.case)
    feedback = grade(scenario, Answer(), assessor)
    assert [i.id for i in feedback.select("classification", "missed")] == list(GRADED)
    assert {i.id for i in feedback.select("flag", "missed")} == {f.id for f in found.flags}
    assert {i.id for i in feedback.select("intervention", "missed")} == {r.intervention for r in found.recommendations}
    assert feedback.select("flag", "over") == [] and feedback.select("intervention", "over") == []
    assert feedback.score == 0


def test_only_the_key_recommendations_count_when_left_out_the_others_are_shown(library, assessor):
    scenario = library["jail-fourteen-months"]
    keys = scenario.expected.recommendations
    feedback = grade(scenario, engine_answer(assessor, scenario, interventions=keys), assessor)
    assert feedback.score == 100
    others = feedback.select("intervention", "missed")
    assert others and all(not i.scored and not i.key for i in others)


def test_leaving_out_one_key_recommendation_costs_exactly_its_point(library, assessor):
    scenario = library["kidnapped-in-country-shelter"]
    keys = scenario.expected.recommendations
    feedback = grade(scenario, engine_answer(assessor, scenario, interventions=keys[1:]), assessor)
    flags = len(assessor.assess(scenario.case).flags)
    possible = len(GRADED) + flags + len(keys)
    assert feedback.points == (possible - 1, possible)
    assert feedback.score == round(100 * (possible - 1) / possible)
    [missed] = feedback.mistakes
    assert missed.id == keys[0] and missed.key and missed.verdict == "missed"


def test_a_wrong_classification_shows_both_answers_and_the_rule_behind_the_engines(library, assessor, ruleset):
    scenario = library["jail-fourteen-months"]
    answer = engine_answer(assessor, scenario).model_copy(update={"recovery_type": "facilitated"})
    feedback = grade(scenario, answer, assessor)
    [item] = feedback.mistakes
    found = assessor.assess(scenario.case)
    assert (item.id, item.yours, item.engine) == ("recovery_type", "facilitated", found.classification["recovery_type"])
    producer = next(f.rule for f in found.trace if f"recovery_type={item.engine}" in f.asserted)
    rule = ruleset.by_id(producer)
    assert (item.rule, item.because, item.sources, item.area) == (rule.id, rule.because, rule.sources, rule.area)


def test_a_flag_the_engine_did_not_raise_is_over_recommended_with_the_rule_that_would_raise_it(library, assessor):
    scenario = library["escape-domestic-work"]  # nobody detained or charged
    answer = engine_answer(assessor, scenario)
    feedback = grade(scenario, answer.model_copy(update={"flags": answer.flags | {"non_punishment"}}), assessor)
    [item] = feedback.mistakes
    assert (item.part, item.id, item.verdict, item.rule) == ("flag", "non_punishment", "over", "rights.non_punishment")
    assert any(leaf.fact == "held" for leaf, _ in item.not_holding), item.not_holding  # held: issue 14 §3
    assert item.because and item.sources and feedback.score < 100


def test_an_intervention_the_engine_did_not_give_is_over_recommended_with_what_did_not_hold(library, assessor):
    scenario = library["involuntary-repatriation-fisher"]  # sent home against his will; he never asked
    answer = engine_answer(assessor, scenario)
    extra = {"interventions": answer.interventions | {"children_outside_brothel"}}  # nothing in his story
    feedback = grade(scenario, answer.model_copy(update=extra), assessor)
    [item] = feedback.mistakes
    assert (item.id, item.verdict) == ("children_outside_brothel", "over")
    assert item.not_holding, item.not_holding


def test_right_and_missed_items_carry_the_rule_because_and_sources_the_engine_gave(library, assessor):
    scenario = library["unknown-link-forged-papers"]
    found = assessor.assess(scenario.case)
    feedback = grade(scenario, Answer(flags=frozenset({"non_punishment"})), assessor)
    given = {f.id: f for f in found.flags}
    for item in feedback.select("flag"):
        assert (item.rule, item.because, list(item.sources)) == (
            given[item.id].rule,
            given[item.id].because,
            given[item.id].sources,
        )
    assert [i.id for i in feedback.select("flag", "right")] == ["non_punishment"]


def test_answers_outside_the_vocabulary_are_refused_with_the_allowed_values(library, assessor):
    scenario = library["escape-domestic-work"]
    with pytest.raises(CtmError, match="exit_route: 'flew' is not allowed .*escape"):
        grade(scenario, Answer(exit_route="flew"), assessor)
    with pytest.raises(CtmError, match="interventions: unknown id.*hug"):
        grade(scenario, Answer(interventions=frozenset({"hug"})), assessor)
    with pytest.raises(CtmError, match="flags: urgnt_health not a flag of a survivor's case .*urgent_health"):
        grade(scenario, Answer(flags=frozenset({"urgnt_health"})), assessor)


def test_the_flags_to_choose_from_are_those_a_survivors_case_can_raise(ruleset):
    from tests.test_scenarios import SURVIVOR_FLAGS

    choices = flag_choices(ruleset)
    assert set(SURVIVOR_FLAGS) <= set(choices)
    for flag in set(ruleset.catalogue.flags) - set(choices):  # e.g. a potential migrant's flags
        assert not any(flag == f.id for r in ruleset.for_kind("survivor_case") for f in r.effects.flags)


def test_the_session_names_the_matrix_areas_of_the_mistakes_most_first(library, assessor):
    session = Session()
    for scenario_id, wrong in (
        ("jail-fourteen-months", {"recovery_type": "facilitated", "harm_status": "unclear"}),
        ("thrown-out-pregnant-hiv", {"recovery_type": "regressive_facilitated"}),
        ("escape-domestic-work", {}),
    ):
        scenario = library[scenario_id]
        session.attempts.append(grade(scenario, engine_answer(assessor, scenario).model_copy(update=wrong), assessor))
    mistakes = [i.area for a in session.attempts for i in a.mistakes]
    assert len(mistakes) == 3
    expected = sorted({a: mistakes.count(a) for a in mistakes}.items(), key=lambda kv: (-kv[1], kv[0]))
    assert session.areas_to_revise() == expected
    assert session.areas_to_revise()[0][1] == 2  # both wrong recovery types point to one area
    assert session.average == round(sum(a.score for a in session.attempts) / 3)


def test_the_feedback_text_puts_the_answers_side_by_side_with_reasons_and_learning_points(library, assessor, ruleset):
    scenario = library["involuntary-repatriation-fisher"]
    answer = Answer(exit_route="rescue_raid", flags=frozenset({"reverse_trafficking", "reprisal_risk"}))
    text = feedback_text(grade(scenario, answer, assessor), Texts(ruleset))
    assert "You" in text and "The engine" in text
    assert (
        Texts(ruleset).fact("exit_route", "rescue_raid") in text and "✗ missed" in text and "+ over-recommended" in text
    )
    assert "because (rule geography.reverse_trafficking)" in text
    assert all(" ".join(point.split()[:6]) in " ".join(text.split()) for point in scenario.learning_points)
    assert "Sources cited:" in text and "Score: " in text


# ---------------------------------------------------------------- the terminal ----------


def scripted(monkeypatch, lines: list[str]) -> list[str]:
    """input() answers from `lines`, then end of input (Ctrl-D)."""
    prompts = []
    replies = iter(lines)

    def fake_input(prompt: str = "") -> str:
        prompts.append(prompt)
        try:
            return next(replies)
        except StopIteration:
            raise EOFError from None

    monkeypatch.setattr("builtins.input", fake_input)
    return prompts


def typed(assessor, scenario) -> list[str]:
    """What a trainee types to give the engine's own answer: numbers for the choices, ids for interventions."""
    found = assessor.assess(scenario.case)
    flags = flag_choices(assessor.ruleset)
    lines = [str(CLASSIFICATION[key].index(found.classification[key]) + 1) for key in GRADED]
    lines.append(",".join(str(flags.index(f.id) + 1) for f in found.flags))
    lines.append(", ".join(r.intervention for r in found.recommendations))
    return lines


def test_ctm_practice_reads_the_narrative_asks_and_grades_a_perfect_answer(monkeypatch, capsys, library, assessor):
    scenario = library["safe-custody-witness"]
    prompts = scripted(monkeypatch, typed(assessor, scenario))
    code = main(["practice", "--scenario", scenario.id])
    out = capsys.readouterr().out
    assert code == 0
    assert " ".join(scenario.narrative.split()[:12]) in " ".join(out.split())
    assert len(prompts) == len(GRADED) + 2
    assert "Score: 100%" in out and "Session summary: 1 attempt(s), average score 100%" in out
    assert "Matrix areas to revise: none" in out


def test_ctm_practice_re_asks_after_a_bad_reply_and_shows_missed_and_over_items(monkeypatch, capsys, library, assessor):
    scenario = library["involuntary-repatriation-fisher"]
    lines = typed(assessor, scenario)
    lines[1:2] = ["99", "rescue_raid"]  # not a choice, then a wrong exit route typed as an id
    lines[-1:] = ["?", "children_outside_brothel, nonsense", "children_outside_brothel"]
    scripted(monkeypatch, lines)
    assert main(["practice", "--scenario", scenario.id]) == 0
    out = capsys.readouterr().out
    assert "'99' is not one of the choices" in out and "not in the list: nonsense" in out
    assert "safe_migration_support — " in out  # '?' listed the whole catalogue
    assert "✗ missed" in out and "+ over-recommended (1):" in out
    assert "- children_outside_brothel — " in out
    areas = next(line for line in out.splitlines() if line.startswith("Matrix areas to revise: "))
    assert "exit (1)" in areas and "geography (" in areas  # the wrong exit route; the missed return advice


def test_ctm_practice_ends_cleanly_at_end_of_input(monkeypatch, capsys):
    scripted(monkeypatch, [])
    assert main(["practice", "--scenario", "death-abroad-body-home"]) == 0
    captured = capsys.readouterr()
    assert "No scenario answered yet." in captured.out and "Traceback" not in captured.err


def test_ctm_practice_without_a_scenario_lets_the_trainee_choose_until_end_of_input(
    monkeypatch, capsys, library, assessor
):
    first, second = in_teaching_order(library.values())[:2]
    assert first.difficulty == "introductory"
    scripted(monkeypatch, ["nope", "1", *typed(assessor, first), second.id, "1"])  # ends in the middle of a second
    assert main(["practice"]) == 0
    out = capsys.readouterr().out
    assert f"[{first.difficulty}] {first.id}" in out and "'nope' is not a scenario" in out
    assert "Session summary: 1 attempt(s), average score 100%" in out


def test_ctm_practice_q_finishes_with_the_summary(monkeypatch, capsys):
    scripted(monkeypatch, ["q"])
    assert main(["practice"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("No scenario answered yet.")


def test_ctm_practice_in_bengali_asks_grades_and_reads_bengali_digits(monkeypatch, capsys, library, assessor, ruleset):
    scenario = library["safe-custody-witness"]
    bengali = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
    lines = typed(assessor, scenario)
    prompts = scripted(monkeypatch, [line.translate(bengali) for line in lines[:-1]] + lines[-1:])
    assert main(["practice", "--scenario", scenario.id, "--lang", "bn"]) == 0
    out = capsys.readouterr().out
    t = Texts(ruleset, "bn")
    assert t.get("scenarios", scenario.id, "title") in out
    assert t.message("practice.score") + ": ১০০%" in out  # a perfect answer, given in Bengali digits
    assert t.message("classification.exit_route") in prompts[1] and "don't know" not in " ".join(prompts)
    assert "Feedback on" not in out and "Session summary" not in out


def test_an_unknown_scenario_is_bad_input_exit_2_with_the_known_ids(monkeypatch, capsys):
    scripted(monkeypatch, [])
    assert main(["practice", "--scenario", "no-such-scenario"]) == 2
    err = capsys.readouterr().err
    assert "unknown scenario 'no-such-scenario'" in err and IDS[0] in err


def test_a_broken_scenario_file_is_bad_input_exit_2_with_file_and_line(tmp_path, monkeypatch, capsys):
    knowledge = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, knowledge)
    broken = knowledge / "scenarios" / "escape-domestic-work.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("difficulty: introductory", "difficulty: easy"), encoding="utf-8"
    )
    scripted(monkeypatch, [])
    assert main(["practice", "--knowledge", str(knowledge)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:1: difficulty: Input should be" in err and "Traceback" not in err
