"""Practice: a trainee's answers to a scenario, graded against the engine's own assessment.

Every graded item says whether the trainee got it right, missed it, or over-recommended it
(chose what the engine did not give), with the rule's `because` and sources, and the matrix
area (the rule file's area) to revise when it was not right.

The score of an attempt is the share of points won, in percent:
- one point per classification key (harm status, exit route, geographic outcome, recovery type);
- one point per flag the engine raised, won when chosen; each flag chosen that the engine did not
  raise adds a point that cannot be won;
- one point per key recommendation of the scenario, won when chosen; each intervention chosen that
  the engine did not recommend adds a point that cannot be won; a non-key intervention the engine
  recommended counts one point won when chosen and nothing when left out (it is shown, not scored).

`run_terminal` is `ctm practice`: it reads the narrative, asks with input() and shows the feedback.
"""

import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict

from engine import conditions
from engine.assessment import CLASSIFICATION, Assessment
from engine.errors import CtmError
from engine.infer import Assessor
from engine.report import LABELS
from engine.rules import Rule, RuleSet
from engine.scenarios import Scenario, by_id

GRADED = ("harm_status", "exit_route", "geographic_outcome", "recovery_type")


class Answer(BaseModel):
    """What the trainee committed to; None means "I don't know"."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    harm_status: str | None = None
    exit_route: str | None = None
    geographic_outcome: str | None = None
    recovery_type: str | None = None
    flags: frozenset[str] = frozenset()
    interventions: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Item:
    part: str                  # classification | flag | intervention
    id: str                    # the classification key, flag id or intervention id
    label: str
    verdict: str               # right | missed | over
    because: str
    sources: tuple[str, ...]
    area: str                  # the matrix area to revise
    rule: str | None = None    # the rule that gave the engine's answer (or would have given it)
    yours: Any = None          # classification only
    engine: Any = None         # classification only
    key: bool = False          # a key recommendation of the scenario
    scored: bool = True
    not_holding: tuple[str, ...] = ()  # over items: the conditions of `rule` that did not hold


@dataclass
class Feedback:
    scenario: Scenario
    answer: Answer
    assessment: Assessment
    items: list[Item]

    def select(self, part: str, verdict: str | None = None) -> list[Item]:
        return [i for i in self.items if i.part == part and (verdict is None or i.verdict == verdict)]

    @property
    def points(self) -> tuple[int, int]:
        won = sum(1 for i in self.items if i.verdict == "right")
        possible = sum(1 for i in self.items if i.scored or i.verdict == "right")
        return won, possible

    @property
    def score(self) -> int:
        won, possible = self.points
        return round(100 * won / possible) if possible else 100

    @property
    def mistakes(self) -> list[Item]:
        return [i for i in self.items if i.scored and i.verdict != "right"]


@dataclass
class Session:
    attempts: list[Feedback] = field(default_factory=list)

    def areas_to_revise(self) -> list[tuple[str, int]]:
        """Matrix areas by the number of scored mistakes in them, most first."""
        counts = Counter(item.area for attempt in self.attempts for item in attempt.mistakes)
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))

    @property
    def average(self) -> int:
        return round(sum(a.score for a in self.attempts) / len(self.attempts)) if self.attempts else 0


def flag_choices(ruleset: RuleSet) -> list[str]:
    """The flags a survivor's case can raise (catalogue order): the ones a trainee chooses from."""
    raised = {f.id for r in ruleset.for_kind("survivor_case") for f in r.effects.flags}
    return [flag for flag in ruleset.catalogue.flags if flag in raised]


def check_answer(answer: Answer, ruleset: RuleSet) -> None:
    """Refuse values outside the vocabulary, naming the allowed ones."""
    for key in GRADED:
        value = getattr(answer, key)
        if value is not None and value not in CLASSIFICATION[key]:
            raise CtmError(f"{key}: '{value}' is not allowed (allowed: {', '.join(map(str, CLASSIFICATION[key]))})")
    flags = flag_choices(ruleset)
    unknown = sorted(answer.flags - set(flags))
    if unknown:
        raise CtmError(f"flags: {', '.join(unknown)} not a flag of a survivor's case (allowed: {', '.join(flags)})")
    unknown = sorted(answer.interventions - set(ruleset.catalogue.interventions))
    if unknown:
        raise CtmError(f"interventions: unknown id(s) {', '.join(unknown)} (see `ctm catalogue`)")


def grade(scenario: Scenario, answer: Answer, assessor: Assessor) -> Feedback:
    check_answer(answer, assessor.ruleset)
    assessment = assessor.assess(scenario.case)
    grader = _Grader(assessor.ruleset, scenario, assessment)
    items = [grader.classification(key, getattr(answer, key)) for key in GRADED]
    items += grader.sets("flag", answer.flags, {f.id: f for f in assessment.flags})
    items += grader.sets("intervention", answer.interventions,
                         {r.intervention: r for r in assessment.recommendations})
    return Feedback(scenario, answer, assessment, items)


class _Grader:
    def __init__(self, ruleset: RuleSet, scenario: Scenario, assessment: Assessment):
        self.ruleset, self.scenario, self.assessment = ruleset, scenario, assessment
        self.facts = {**scenario.case.answers(), **assessment.classification}

    def classification(self, key: str, yours: Any) -> Item:
        engine = self.assessment.classification[key]
        firing = next((f for f in self.assessment.trace if f"{key}={engine}" in f.asserted), None)
        if firing:
            rule = self.ruleset.by_id(firing.rule)
            because, sources, area = rule.because, rule.sources, rule.area
        else:
            rule = None
            because = f"No rule derived it from the case's answers, so it stays '{_words(engine)}'."
            sources, area = (), self.ruleset.derivers(key)[0].area
        return Item("classification", key, LABELS[key], "right" if yours == engine else "missed", because,
                    tuple(sources), area, rule.id if rule else None, yours=yours, engine=engine)

    def sets(self, part: str, chosen: frozenset[str], given: dict[str, Any]) -> list[Item]:
        cat = self.ruleset.catalogue
        entries = cat.flags if part == "flag" else cat.interventions
        order = list(entries)
        key_recs = set(self.scenario.expected.recommendations) if part == "intervention" else set(given)
        items = []
        for item_id in sorted(set(given) | set(chosen), key=order.index):
            label = entries[item_id].label
            if item_id in given:
                out = given[item_id]
                key = item_id in key_recs
                verdict = "right" if item_id in chosen else "missed"
                items.append(Item(part, item_id, label, verdict, out.because, tuple(out.sources),
                                  self.ruleset.by_id(out.rule).area, out.rule, key=key and part == "intervention",
                                  scored=key))
            else:
                items.append(self._over(part, item_id, label))
        return items

    def _over(self, part: str, item_id: str, label: str) -> Item:
        """Chosen, but not given: explain with the rule that comes closest to giving it here."""
        effect = f"flag:{item_id}" if part == "flag" else f"recommend:{item_id}"
        rules = [r for r in self.ruleset.for_kind("survivor_case") if effect in r.asserted()]
        if not rules:  # only an intervention: check_answer lets through only the flags some rule raises
            cat = self.ruleset.catalogue
            entry = cat.interventions[item_id]
            return Item(part, item_id, label, "over", "No rule recommends it for a person's case: it is a "
                        f"{entry.level}-level intervention of the matrix.", tuple(entry.sources),
                        cat.nodes[entry.nodes[0]].area)
        rule = min(rules, key=self._distance)
        false, unknown = conditions.failed_leaves(rule.when, self.facts)
        not_holding = tuple(str(leaf) for leaf in false) + tuple(f"{leaf} (not known)" for leaf in unknown)
        return Item(part, item_id, label, "over", rule.because, rule.sources, rule.area, rule.id,
                    not_holding=not_holding)

    def _distance(self, rule: Rule) -> int:
        false, unknown = conditions.failed_leaves(rule.when, self.facts)
        return len(false) + len(unknown)


# ---------------------------------------------------------------- the terminal session

MARK = {"right": "✓ right", "missed": "✗ missed", "over": "+ over-recommended"}


def _words(value: Any) -> str:
    if value is None:
        return "don't know"
    return str(value).replace("_", " ")


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, 96, initial_indent=indent, subsequent_indent=indent + "  ")


def _reason(item: Item, indent: str) -> list[str]:
    lines = _wrap(f"because ({f'rule {item.rule}' if item.rule else 'no rule'}): {item.because}", indent)
    if item.not_holding:
        lines += _wrap("not given here, because this did not hold: " + "; ".join(item.not_holding), indent)
    return lines + _wrap(f"sources: {', '.join(item.sources) or '—'}", indent)


def feedback_text(feedback: Feedback, ruleset: RuleSet) -> str:
    """The side-by-side feedback; items of one verdict given by one rule are shown together."""
    won, possible = feedback.points
    lines = [f"Feedback on '{feedback.scenario.title}'", "", f"  {'':26}{'you':28}{'the engine':28}"]
    for item in feedback.select("classification"):
        lines.append(f"  {item.label:26}{_words(item.yours):28}{_words(item.engine):28}{MARK[item.verdict]}")
        lines += _reason(item, "      ")
    for part, title in (("flag", "Flags"), ("intervention", "Interventions")):
        lines += ["", f"{title}:"]
        if not feedback.select(part):
            lines.append("  none raised, none chosen — ✓ right")
        for verdict in ("right", "missed", "over"):
            groups: dict[tuple, list[Item]] = {}
            for item in feedback.select(part, verdict):
                groups.setdefault((item.rule, item.because), []).append(item)
            if groups:
                lines.append(f"  {MARK[verdict]} ({len(feedback.select(part, verdict))}):")
            for items in groups.values():
                for item in items:
                    shown_only = verdict == "missed" and not item.scored
                    mark = " [key]" if item.key else (" [not scored]" if shown_only else "")
                    lines += _wrap(f"- {item.id}{mark} — {item.label}", "    ")
                lines += _reason(items[0], "      ")
    lines += ["", "Learning points:"]
    for point in feedback.scenario.learning_points:
        lines += _wrap(f"- {point}", "  ")
    cited = dict.fromkeys(s for item in feedback.items for s in item.sources)
    known = ruleset.catalogue.sources
    lines += ["", "Sources cited:"]
    for source in cited:
        lines += _wrap(f"{source}: {known[source].citation() if source in known else source}", "  ")
    lines += ["", f"Score: {feedback.score}% ({won} of {possible} points)"]
    return "\n".join(lines)


def summary_text(session: Session) -> str:
    if not session.attempts:
        return "No scenario answered in this session."
    lines = [f"Session summary: {len(session.attempts)} attempt(s), average score {session.average}%"]
    lines += [f"  {a.scenario.id}: {a.score}%" for a in session.attempts]
    areas = session.areas_to_revise()
    lines.append("Matrix areas to revise: " + (", ".join(f"{area} ({n})" for area, n in areas)
                                               if areas else "none — well done."))
    return "\n".join(lines)


class _Asker:
    def __init__(self, ask: Callable[[str], str], say: Callable[[str], None]):
        self.ask, self.say = ask, say

    def one(self, label: str, options: tuple) -> Any:
        self.say(f"\n{label}:")
        for number, value in enumerate(options, start=1):
            self.say(f"  {number}. {_words(value)}")
        while True:
            reply = self.ask(f"{label} [1-{len(options)}, Enter = don't know]: ").strip()
            if not reply:
                return None
            chosen = _pick(reply, [str(o) for o in options])
            if chosen is not None:
                return options[[str(o) for o in options].index(chosen)]
            self.say(f"  '{reply}' is not one of the choices: give a number from 1 to {len(options)}.")

    def many(self, label: str, ids: list[str], labels: dict[str, str], listed: bool) -> frozenset[str]:
        def show():
            for number, item_id in enumerate(ids, start=1):
                self.say(f"  {number}. {item_id} — {labels[item_id]}")
        self.say(f"\n{label}:")
        if listed:
            show()
        while True:
            reply = self.ask(f"{label} (numbers or ids, separated by commas; "
                             f"{'' if listed else '? lists them; '}Enter = none): ").strip()
            if reply == "?":
                show()
                continue
            parts = [p.strip() for p in reply.split(",") if p.strip()]
            picked = [_pick(p, ids) for p in parts]
            if None not in picked:
                return frozenset(picked)
            bad = [p for p, c in zip(parts, picked) if c is None]
            self.say(f"  not in the list: {', '.join(bad)} — type ? to see the choices.")


def _pick(reply: str, ids: list[str]) -> str | None:
    if reply.isdigit() and 1 <= int(reply) <= len(ids):
        return ids[int(reply) - 1]
    return reply if reply in ids else None


def _attempt(scenario: Scenario, assessor: Assessor, asker: _Asker) -> Feedback:
    cat = assessor.ruleset.catalogue
    say = asker.say
    say(f"\n=== {scenario.title} ({scenario.difficulty}) ===\n")
    say(textwrap.fill(" ".join(scenario.narrative.split()), 92))
    say("\nCommit to your answers before you see the engine's.")
    values = {key: asker.one(LABELS[key], CLASSIFICATION[key]) for key in GRADED}
    flags = asker.many("Flags that apply", flag_choices(assessor.ruleset),
                       {k: v.label for k, v in cat.flags.items()}, True)
    interventions = asker.many("Interventions you recommend", list(cat.interventions),
                               {k: v.label for k, v in cat.interventions.items()}, False)
    feedback = grade(scenario, Answer(**values, flags=flags, interventions=interventions), assessor)
    say("\n" + feedback_text(feedback, assessor.ruleset))
    return feedback


def run_terminal(scenarios: list[Scenario], assessor: Assessor, scenario_id: str | None = None,
                 ask: Callable[[str], str] | None = None, say: Callable[[str], None] | None = None) -> int:
    """The practice session in the terminal; end of input (Ctrl-D) ends it cleanly."""
    ask, say = ask or input, say or print  # looked up at call time, so a test may script input()
    session, asker = Session(), _Asker(ask, say)
    try:
        if scenario_id is not None:
            session.attempts.append(_attempt(by_id(scenarios, scenario_id), assessor, asker))
        else:
            say("Practice scenarios:")
            for number, s in enumerate(scenarios, start=1):
                say(f"  {number:2}. [{s.difficulty}] {s.id} — {s.title}")
            ids = [s.id for s in scenarios]
            while True:
                reply = ask("\nScenario number or id (q to finish): ").strip()
                if reply.lower() in ("q", "quit"):
                    break
                chosen = _pick(reply, ids)
                if chosen is None:
                    say(f"  '{reply}' is not a scenario: give a number from 1 to {len(ids)}, or an id.")
                    continue
                session.attempts.append(_attempt(by_id(scenarios, chosen), assessor, asker))
    except EOFError:
        say("")
    say("\n" + summary_text(session))
    return 0


def terminal(rules_dir: Path, knowledge_dir: Path, scenario_id: str | None) -> int:
    """`ctm practice`: the shipped (or given) rules, and the scenarios under knowledge/scenarios/."""
    from engine.rules import load_valid_rules
    from engine.scenarios import in_teaching_order, load_scenarios

    ruleset = load_valid_rules(rules_dir, knowledge_dir)
    scenarios = in_teaching_order(load_scenarios(ruleset.catalogue, Path(knowledge_dir) / "scenarios"))
    if scenario_id is not None:
        by_id(scenarios, scenario_id)  # an unknown id is bad input: exit 2 before any question
    return run_terminal(scenarios, Assessor(ruleset), scenario_id)
