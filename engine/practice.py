"""Practice: a trainee's answers to a scenario, graded against the engine's own assessment.

Every graded item says whether the trainee got it right, missed it, or over-recommended it
(chose what the engine did not give), with the rule's `because` and sources, and the matrix
area (the rule file's area) to revise when it was not right. An intervention chosen that the
engine did not give, but that the matrix lists at a node this person's situation reached (a
node of a rule that fired), is not over-recommended: it is "in the matrix" — shown, not scored.

The score of an attempt is the share of points won, in percent:
- one point per classification key (harm status, exit route, geographic outcome, recovery type);
- one point per flag the engine raised, won when chosen; each flag chosen that the engine did not
  raise adds a point that cannot be won;
- one point per key recommendation of the scenario, won when chosen; each intervention chosen that
  the engine did not recommend adds a point that cannot be won; a non-key intervention the engine
  recommended counts one point won when chosen and nothing when left out (it is shown, not scored).

`run_terminal` is `ctm practice`: it reads the narrative, asks with input() and shows the feedback.
"""

import re
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict

from engine import conditions
from engine.assessment import CLASSIFICATION, Assessment
from engine.errors import CtmError
from engine.i18n import DEFAULT_LANG, Texts
from engine.infer import Assessor
from engine.report import LABELS
from engine.rules import Rule, RuleSet
from engine.scenarios import Scenario, by_id

GRADED = ("harm_status", "exit_route", "geographic_outcome", "recovery_type")
VERDICTS = ("right", "missed", "over", "matrix")


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
    part: str  # classification | flag | intervention
    id: str  # the classification key, flag id or intervention id
    label: str
    verdict: str  # right | missed | over | matrix
    because: str
    sources: tuple[str, ...]
    area: str  # the matrix area to revise
    rule: str | None = None  # the rule that gave the engine's answer (or would have given it)
    yours: Any = None  # classification only
    engine: Any = None  # classification only
    key: bool = False  # a key recommendation of the scenario
    scored: bool = True
    not_holding: tuple[tuple[conditions.Leaf, bool], ...] = ()  # over items: the conditions of `rule` that
    # did not hold, each with True when it is only not known


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

    def breakdown(self) -> list[tuple[str, int, int]]:
        """(what, points won, points possible) for each kind of point; they add up to `points`.
        "over" is what cost points: chosen, not given, so a point that could not be won."""

        def right(items: list[Item]) -> int:
            return sum(1 for i in items if i.verdict == "right")

        classification, flags = self.select("classification"), self.select("flag")
        interventions = self.select("intervention")
        key = [i for i in interventions if i.scored and i.verdict != "over"]
        extra = [i for i in interventions if not i.scored and i.verdict == "right"]
        over = [i for i in self.items if i.verdict == "over"]
        given_flags = [i for i in flags if i.verdict != "over"]
        return [
            (name, won, possible)
            for name, won, possible in (
                ("classification", right(classification), len(classification)),
                ("flags", right(given_flags), len(given_flags)),
                ("key", right(key), len(key)),
                ("extra", len(extra), len(extra)),
                ("over", 0, len(over)),
            )
            if possible
        ]

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
    assert scenario.case is not None  # parse_scenario gives every scenario its case
    assessment = assessor.assess(scenario.case)
    grader = _Grader(assessor.ruleset, scenario, assessment)
    items = [grader.classification(key, getattr(answer, key)) for key in GRADED]
    items += grader.sets("flag", answer.flags, {f.id: f for f in assessment.flags})
    items += grader.sets("intervention", answer.interventions, {r.intervention: r for r in assessment.recommendations})
    return Feedback(scenario, answer, assessment, items)


class _Grader:
    def __init__(self, ruleset: RuleSet, scenario: Scenario, assessment: Assessment):
        self.ruleset, self.scenario, self.assessment = ruleset, scenario, assessment
        self.facts = {**(scenario.case.answers() if scenario.case else {}), **assessment.classification}
        # The matrix nodes this person's situation reached: those of the rules that fired.
        self.nodes = {node for firing in assessment.trace for node in ruleset.by_id(firing.rule).nodes}

    def classification(self, key: str, yours: Any) -> Item:
        engine = self.assessment.classification[key]
        firing = next((f for f in self.assessment.trace if f"{key}={engine}" in f.asserted), None)
        if firing:
            rule = self.ruleset.by_id(firing.rule)
            because, sources, area = rule.because, rule.sources, rule.area
        else:
            rule = None
            because = f"No rule derived it from the case's answers, so it stays '{str(engine).replace('_', ' ')}'."
            sources, area = (), self.ruleset.derivers(key)[0].area
        return Item(
            "classification",
            key,
            LABELS[key],
            "right" if yours == engine else "missed",
            because,
            tuple(sources),
            area,
            rule.id if rule else None,
            yours=yours,
            engine=engine,
        )

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
                items.append(
                    Item(
                        part,
                        item_id,
                        label,
                        verdict,
                        out.because,
                        tuple(out.sources),
                        self.ruleset.by_id(out.rule).area,
                        out.rule,
                        key=key and part == "intervention",
                        scored=key,
                    )
                )
            else:
                items.append(self._over(part, item_id, label))
        return items

    def _over(self, part: str, item_id: str, label: str) -> Item:
        """Chosen, but not given: explain with the rule that comes closest to giving it here."""
        effect = f"flag:{item_id}" if part == "flag" else f"recommend:{item_id}"
        rules = [r for r in self.ruleset.for_kind("survivor_case") if effect in r.asserted()]
        cat = self.ruleset.catalogue
        if part == "intervention" and set(cat.interventions[item_id].nodes) & self.nodes:
            entry = cat.interventions[item_id]
            return Item(
                part, item_id, label, "matrix", "", tuple(entry.sources), cat.nodes[entry.nodes[0]].area, scored=False
            )
        if not rules:  # only an intervention: check_answer lets through only the flags some rule raises
            entry = cat.interventions[item_id]
            return Item(
                part,
                item_id,
                label,
                "over",
                f"No rule recommends it for a person's case: it is a {entry.level}-level intervention of the matrix.",
                tuple(entry.sources),
                cat.nodes[entry.nodes[0]].area,
            )
        rule = min(rules, key=self._distance)
        false, unknown = conditions.failed_leaves(rule.when, self.facts)
        not_holding = tuple((leaf, False) for leaf in false) + tuple((leaf, True) for leaf in unknown)
        return Item(
            part, item_id, label, "over", rule.because, rule.sources, rule.area, rule.id, not_holding=not_holding
        )

    def _distance(self, rule: Rule) -> int:
        false, unknown = conditions.failed_leaves(rule.when, self.facts)
        return len(false) + len(unknown)


# ------------------------------------------------ in the trainee's language (page and terminal)


def story(scenario: Scenario, t: Texts) -> tuple[str, str, list[str]]:
    """The scenario's title, narrative and learning points in this language (English: its own file)."""

    def own(field: str, english: Any) -> Any:
        return t.get("scenarios", scenario.id, field) or english

    return (
        own("title", scenario.title),
        own("narrative", scenario.narrative),
        own("learning_points", scenario.learning_points),
    )


def item_label(item: Item, t: Texts) -> str:
    if item.part == "classification":
        return t.message(f"classification.{item.id}")
    return t.label("flags" if item.part == "flag" else "interventions", item.id)


def item_because(item: Item, t: Texts) -> str:
    """The rule's reason; without a rule, the grader's own reason in words of this language."""
    if item.rule:
        return t.because(item.rule)
    if item.verdict == "matrix":
        return t.message("practice.in_matrix")
    if item.part == "classification":
        return t.message("practice.no_rule_derived", value=t.fact(item.id, item.engine))
    assert t.ruleset is not None  # the trainee's Texts carry the rule set
    level = t.ruleset.catalogue.interventions[item.id].level
    return t.message("practice.no_rule_recommends", level=t.message(f"level.{level}"))


def not_holding_text(item: Item, t: Texts) -> str:
    """The conditions that kept the rule from giving the item, as sentences in this language."""
    return "; ".join(
        t.condition(leaf.fact, leaf.op, leaf.arg) + (f" ({t.message('practice.only_not_known')})" if unknown else "")
        for leaf, unknown in item.not_holding
    )


def points_lines(feedback: Feedback, t: Texts) -> list[str]:
    """What counted and what cost, one line each (messages practice.points.<what>)."""
    return [
        t.message(f"practice.points.{what}", won=won, possible=possible) for what, won, possible in feedback.breakdown()
    ]


def areas_text(session: Session, t: Texts) -> str:
    """The matrix areas to revise, each with its number of scored mistakes, most first."""
    areas = ", ".join(f"{t.message(f'area.{area}')} ({t.number(n)})" for area, n in session.areas_to_revise())
    return t.message("practice.areas", areas=areas or t.message("practice.areas_none"))


# ---------------------------------------------------------------- the terminal session


def _plain(text: str) -> str:
    """A screen text for the terminal: without its Markdown (bold, colours)."""
    return re.sub(r":\w+\[(.*?)\]", r"\1", text).replace("**", "")


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, 96, initial_indent=indent, subsequent_indent=indent + "  ")


def _reason(item: Item, t: Texts, indent: str) -> list[str]:
    rule = t.message("practice.terminal.rule", rule=item.rule) if item.rule else t.message("practice.terminal.no_rule")
    lines = _wrap(t.message("practice.terminal.because", rule=rule, because=item_because(item, t)), indent)
    if item.not_holding:
        lines += _wrap(f"{t.message('practice.not_holding')} {not_holding_text(item, t)}", indent)
    return lines + _wrap(t.message("practice.sources", sources=", ".join(item.sources) or "—"), indent)


def feedback_text(feedback: Feedback, t: Texts) -> str:
    """The side-by-side feedback; items of one verdict given by one rule are shown together."""
    mark = {verdict: _plain(t.message(f"practice.mark.{verdict}")) for verdict in VERDICTS}

    def shown(key: str, value: Any) -> str:
        return t.fact(key, value) if value is not None else t.message("practice.dont_know")

    lines = [
        t.message("practice.terminal.feedback_on", title=story(feedback.scenario, t)[0]),
        "",
        f"  {'':26}{t.message('practice.you'):28}{t.message('practice.the_engine'):28}",
    ]
    for item in feedback.select("classification"):
        lines.append(
            f"  {item_label(item, t):26}{shown(item.id, item.yours):28}{shown(item.id, item.engine):28}"
            f"{mark[item.verdict]}"
        )
        lines += _reason(item, t, "      ")
    for part in ("flag", "intervention"):
        lines += ["", t.message(f"practice.{part}s") + ":"]
        if not feedback.select(part):
            lines.append("  " + t.message("practice.none_right"))
        for verdict in VERDICTS:
            groups: dict[tuple[Any, ...], list[Item]] = {}
            for item in feedback.select(part, verdict):
                groups.setdefault((item.rule, item.because), []).append(item)
            if groups:
                lines.append(f"  {mark[verdict]} ({t.number(len(feedback.select(part, verdict)))}):")
            for items in groups.values():
                for item in items:
                    shown_only = verdict == "missed" and not item.scored
                    tag = (
                        f" [{t.message('practice.key')}]"
                        if item.key
                        else f" [{t.message('practice.not_scored')}]"
                        if shown_only
                        else ""
                    )
                    lines += _wrap(f"- {item.id}{tag} — {item_label(item, t)}", "    ")
                lines += _reason(items[0], t, "      ")
    lines += ["", t.message("practice.learning_points") + ":"]
    for point in story(feedback.scenario, t)[2]:
        lines += _wrap(f"- {point}", "  ")
    lines += ["", t.message("practice.terminal.sources_cited")]
    for source in dict.fromkeys(s for item in feedback.items for s in item.sources):
        lines += _wrap(f"{source}: {t.citation(source) or source}", "  ")
    won, possible = feedback.points
    lines += [
        "",
        f"{t.message('practice.score')}: {t.message('practice.percent', score=feedback.score)} "
        f"({t.message('practice.points', won=won, possible=possible)})",
    ]
    lines += [f"  - {_plain(line)}" for line in points_lines(feedback, t)]
    return "\n".join(lines)


def summary_text(session: Session, t: Texts) -> str:
    if not session.attempts:
        return t.message("practice.no_attempt")
    lines = [t.message("practice.terminal.summary", count=len(session.attempts), average=session.average)]
    lines += [f"  {a.scenario.id}: {t.message('practice.percent', score=a.score)}" for a in session.attempts]
    lines.append(_plain(areas_text(session, t)))
    return "\n".join(lines)


class _Asker:
    def __init__(self, t: Texts, ask: Callable[[str], str], say: Callable[[str], None]):
        self.t, self.ask, self.say = t, ask, say

    def one(self, key: str, options: tuple[Any, ...]) -> Any:
        t, label = self.t, self.t.message(f"classification.{key}")
        self.say(f"\n{label}:")
        for number, value in enumerate(options, start=1):
            self.say(f"  {t.number(number)}. {t.fact(key, value)}")
        while True:
            reply = self.ask(t.message("practice.terminal.pick_one", label=label, n=len(options))).strip()
            if not reply:
                return None
            chosen = _pick(reply, [str(o) for o in options])
            if chosen is not None:
                return options[[str(o) for o in options].index(chosen)]
            self.say("  " + t.message("practice.terminal.not_a_choice", reply=reply, n=len(options)))

    def many(self, label: str, ids: list[str], section: str, listed: bool) -> frozenset[str]:
        t = self.t

        def show() -> None:
            for number, item_id in enumerate(ids, start=1):
                self.say(f"  {t.number(number)}. {item_id} — {t.label(section, item_id)}")

        self.say(f"\n{label}:")
        if listed:
            show()
        while True:
            prompt = "practice.terminal.pick_many" if listed else "practice.terminal.pick_many_unlisted"
            reply = self.ask(t.message(prompt, label=label)).strip()
            if reply == "?":
                show()
                continue
            parts = [p.strip() for p in reply.split(",") if p.strip()]
            picked = [_pick(p, ids) for p in parts]
            if None not in picked:
                return frozenset(p for p in picked if p is not None)
            bad = [p for p, c in zip(parts, picked) if c is None]
            self.say("  " + t.message("practice.terminal.not_in_list", items=", ".join(bad)))


def _pick(reply: str, ids: list[str]) -> str | None:
    """A number (in any script's digits: int() reads Bengali ones too) or an id."""
    if reply.isdigit() and 1 <= int(reply) <= len(ids):
        return ids[int(reply) - 1]
    return reply if reply in ids else None


def _attempt(scenario: Scenario, assessor: Assessor, asker: _Asker) -> Feedback:
    t, say = asker.t, asker.say
    title, narrative, _ = story(scenario, t)
    say(f"\n=== {title} ({t.message(f'difficulty.{scenario.difficulty}')}) ===\n")
    say(textwrap.fill(" ".join(narrative.split()), 92))
    say("\n" + _plain(t.message("practice.commit")))
    values = {key: asker.one(key, CLASSIFICATION[key]) for key in GRADED}
    flags = asker.many(t.message("practice.flags_that_apply"), flag_choices(assessor.ruleset), "flags", True)
    interventions = asker.many(
        t.message("practice.interventions_to_recommend"),
        list(assessor.ruleset.catalogue.interventions),
        "interventions",
        False,
    )
    feedback = grade(scenario, Answer(**values, flags=flags, interventions=interventions), assessor)
    say("\n" + feedback_text(feedback, t))
    return feedback


def run_terminal(
    scenarios: list[Scenario],
    assessor: Assessor,
    scenario_id: str | None = None,
    ask: Callable[[str], str] | None = None,
    say: Callable[[str], None] | None = None,
    lang: str = DEFAULT_LANG,
) -> int:
    """The practice session in the terminal; end of input (Ctrl-D) ends it cleanly."""
    ask, say = ask or input, say or print  # looked up at call time, so a test may script input()
    t = Texts(assessor.ruleset, lang)
    session, asker = Session(), _Asker(t, ask, say)
    try:
        if scenario_id is not None:
            session.attempts.append(_attempt(by_id(scenarios, scenario_id), assessor, asker))
        else:
            say(t.message("practice.terminal.scenarios"))
            for number, s in enumerate(scenarios, start=1):
                say(f"  {t.number(number):>2}. [{t.message(f'difficulty.{s.difficulty}')}] {s.id} — {story(s, t)[0]}")
            ids = [s.id for s in scenarios]
            while True:
                reply = ask("\n" + t.message("practice.terminal.which")).strip()
                if reply.lower() in ("q", "quit"):
                    break
                chosen = _pick(reply, ids)
                if chosen is None:
                    say("  " + t.message("practice.terminal.not_a_scenario", reply=reply, n=len(ids)))
                    continue
                session.attempts.append(_attempt(by_id(scenarios, chosen), assessor, asker))
    except EOFError:
        say("")
    say("\n" + summary_text(session, t))
    return 0


def terminal(rules_dir: Path, knowledge_dir: Path, scenario_id: str | None, lang: str = DEFAULT_LANG) -> int:
    """`ctm practice`: the shipped (or given) rules, and the scenarios under knowledge/scenarios/."""
    from engine.rules import load_valid_rules
    from engine.scenarios import in_teaching_order, load_scenarios

    ruleset = load_valid_rules(rules_dir, knowledge_dir)
    scenarios = in_teaching_order(load_scenarios(ruleset.catalogue, Path(knowledge_dir) / "scenarios"))
    if scenario_id is not None:
        by_id(scenarios, scenario_id)  # an unknown id is bad input: exit 2 before any question
    return run_terminal(scenarios, Assessor(ruleset), scenario_id, lang=lang)
