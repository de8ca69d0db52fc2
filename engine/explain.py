"""Why was a flag raised or an intervention recommended — and why not?

`why` walks back from the rule that produced an item through the rules that derived the
classifications it matched on, down to the case answers — the same explanation for the
CLI, the UI and the reports.

`why_not` lists every rule that could produce an item that is absent, with the conditions
that failed and those still unknown, and `what_would_change` finds the smallest sets of
answers that would make it appear. A candidate is found by working backwards through the
rule's conditions (and the rules that derive the classifications it reads); it is only
reported once the real engine, run on the changed case, has produced the item.
"""

import difflib
from dataclasses import dataclass, field
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from engine import chain as plain_chain
from engine import space
from engine.assessment import CLASSIFICATION, Assessment, Firing
from engine.case import CaseFile, allowed_values, field_info
from engine.conditions import COUNT_OPS, All, Any_, Condition, Leaf, describe, evaluate, push_not, undecided_facts
from engine.errors import CtmError, RuleConflict
from engine.i18n import Texts

if TYPE_CHECKING:
    from engine.infer import Assessor
    from engine.rules import Rule, RuleSet

MAX_CHANGE = 3  # the largest set of answers `what_would_change` looks for
MAX_ALTERNATIVES = 24  # alternatives kept per condition while searching
MAX_CHANGES_SHOWN = 5


@dataclass
class Step:
    rule: str
    because: str
    sources: list[str]
    matched: dict[str, Any]
    asserted: list[str]
    derived_from: list["Step"] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "because": self.because,
            "sources": self.sources,
            "matched": self.matched,
            "asserted": self.asserted,
            "derived_from": [s.to_dict() for s in self.derived_from],
        }


def _producers(assessment: Assessment, item: str) -> list[Firing]:
    """Firings that asserted `item` ('flag:x', 'recommend:y', 'harm_status=trafficked')."""
    return [f for f in assessment.trace if item in f.asserted]


def chain(assessment: Assessment, ruleset: "RuleSet", firing: Firing, seen: frozenset[Any] = frozenset()) -> Step:
    rule = ruleset.by_id(firing.rule)
    step = Step(firing.rule, rule.because, list(rule.sources), dict(firing.matched), list(firing.asserted))
    for fact, value in firing.matched.items():
        if fact in CLASSIFICATION and value is not None:
            for producer in _producers(assessment, f"{fact}={value}")[:1]:
                if producer.rule not in seen:
                    step.derived_from.append(chain(assessment, ruleset, producer, seen | {firing.rule}))
    return step


def why(assessment: Assessment, ruleset: "RuleSet", item_id: str) -> list[Step]:
    """Every chain that produced the flag or intervention `item_id` (empty if none did)."""
    firings = _producers(assessment, f"flag:{item_id}") or _producers(assessment, f"recommend:{item_id}")
    return [chain(assessment, ruleset, f) for f in firings]


def why_text(steps: list[Step], ruleset: "RuleSet", indent: str = "") -> list[str]:
    return _chain_lines([s.to_dict() for s in steps], citations(ruleset, _sources_of(steps)), Texts(ruleset), indent)


def _show(value: Any) -> str:
    """A value as a case file spells it (`unknown` when not answered)."""
    if value is None:
        return "unknown"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(map(str, value)) + "]" if value else "none"
    return str(value)


# ------------------------------------------------------------------ the item asked about ----


@dataclass(frozen=True)
class Item:
    kind: str  # "flag" or "intervention"
    id: str
    label: str

    @property
    def asserted(self) -> str:
        """How a firing records it (Rule.asserted)."""
        return f"flag:{self.id}" if self.kind == "flag" else f"recommend:{self.id}"

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "label": self.label}


def find_item(ruleset: "RuleSet", item_id: str) -> Item:
    """The flag or intervention called `item_id`; a CtmError that suggests ids otherwise."""
    cat = ruleset.catalogue
    if item_id in cat.flags:
        return Item("flag", item_id, cat.flags[item_id].label)
    if item_id in cat.interventions:
        return Item("intervention", item_id, cat.interventions[item_id].label)
    close = difflib.get_close_matches(item_id, [*cat.flags, *cat.interventions], n=3)
    hint = f"did you mean: {', '.join(close)}?" if close else "`ctm catalogue` lists them"
    raise CtmError(f"'{item_id}' is neither a flag nor an intervention ({hint})")


def produced(assessment: Assessment, item: Item) -> bool:
    if item.kind == "flag":
        return any(f.id == item.id for f in assessment.flags)
    return any(r.intervention == item.id for r in assessment.recommendations)


def producing_rules(ruleset: "RuleSet", item: Item, kind: str = "survivor_case") -> list[Any]:
    """The rules for this kind of case file that can produce the item."""
    return [rule for rule in ruleset.for_kind(kind) if item.asserted in rule.asserted()]


def _derivers(ruleset: "RuleSet", key: str, kind: str) -> list[Any]:
    return [rule for rule in ruleset.derivers(key) if kind in rule.kinds]


def citations(ruleset: "RuleSet", source_ids: Iterable[str]) -> dict[str, str]:
    sources = ruleset.catalogue.sources
    return {s: sources[s].citation() for s in dict.fromkeys(source_ids) if s in sources}


def _sources_of(steps: list[Step]) -> list[str]:
    found = []
    for step in steps:
        found += step.sources + _sources_of(step.derived_from)
    return found


def why_report(assessment: Assessment, ruleset: "RuleSet", item_id: str) -> dict[str, Any]:
    """`ctm explain --why` as data: the chains that produced the item, with their sources."""
    item = find_item(ruleset, item_id)
    steps = why(assessment, ruleset, item.id)
    return {
        "case_id": assessment.case_id,
        "item": item.to_dict(),
        "produced": produced(assessment, item),
        "chains": [s.to_dict() for s in steps],
        "citations": citations(ruleset, _sources_of(steps)),
    }


def why_report_text(report: dict[str, Any], texts: Texts | None = None) -> str:
    """The report for people, in the language of `texts` (default: the report's own English)."""
    t = texts or Texts(None)
    item = report["item"]
    lines = [
        t.message(f"explain.why.{item['kind']}", id=item["id"], label=_label(t, item), case_id=report["case_id"]),
        "",
    ]
    if not report["produced"]:
        lines.append(t.message(f"explain.not_produced.{item['kind']}", id=item["id"]))
    lines += _chain_lines(report["chains"], report["citations"], t)
    return "\n".join(lines + [""])


def _label(t: Texts, item: dict[str, Any]) -> str:
    return t.get("flags" if item["kind"] == "flag" else "interventions", item["id"], "label") or item["label"]


def _chain_lines(chains: list[dict[str, Any]], cited: dict[str, str], t: Texts, indent: str = "") -> list[str]:
    lines = []
    for step in chains:
        facts = "; ".join(
            f"{_named(t, k)}: {t.fact(k, v)}" if t.ruleset else f"{k} = {t.fact(k, v)}"
            for k, v in step["matched"].items()
        )
        lines.append(
            f"{indent}- {t.message('explain.rule', rule=step['rule'])}: {t.because(step['rule']) or step['because']}"
        )
        lines.append(f"{indent}  {t.message('explain.matched')} {facts}")
        lines.append(
            f"{indent}  {t.message('explain.sources')} "
            + "; ".join(t.citation(s) or cited.get(s, s) for s in step["sources"])
        )
        lines += _chain_lines(step["derived_from"], cited, t, indent + "  ")
    return lines


# ------------------------------------------------------------------------------ why not ----


@dataclass
class Blocker:
    """One condition that keeps a rule from firing: false, or unknown until `answers` are given."""

    condition: str
    fact: str
    value: Any
    answers: list[str] = field(default_factory=list)
    leaf: Leaf | None = None  # the condition itself: read as a sentence in the reader's language

    def to_dict(self) -> dict[str, Any]:
        return {"condition": self.condition, "fact": self.fact, "value": _plain(self.value), "answers": self.answers}


@dataclass
class RuleCheck:
    rule: str
    because: str
    sources: list[str]
    when: str
    status: str  # "does_not_apply" or "cannot_tell_yet"
    failed: list[Blocker]
    unknown: list[Blocker]

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "status": self.status,
            "because": self.because,
            "sources": self.sources,
            "when": self.when,
            "failed": [b.to_dict() for b in self.failed],
            "unknown": [b.to_dict() for b in self.unknown],
        }


@dataclass
class Change:
    """Answers that make the item appear, confirmed by assessing the changed case."""

    answers: dict[str, Any]
    rule: str  # the rule that produced the item in the confirming run

    def to_dict(self) -> dict[str, Any]:
        return {"answers": {k: _plain(v) for k, v in self.answers.items()}, "rule": self.rule, "confirmed": True}


@dataclass
class WhyNot:
    case_id: str
    kind: str  # of the case file: only rules for that kind count
    item: Item
    produced: bool
    rules: list[RuleCheck]
    changes: list[Change]
    cited: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {
            "case_id": self.case_id,
            "kind": self.kind,
            "item": self.item.to_dict(),
            "produced": self.produced,
            "rules": [r.to_dict() for r in self.rules],
            "what_would_change": [c.to_dict() for c in self.changes],
            "max_change_searched": MAX_CHANGE,
            "citations": self.cited,
        }


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def blockers(cond: Condition, facts: dict[str, Any]) -> list[Leaf]:
    """The leaves of `cond` (in negation normal form) that keep it from being true.

    Unlike every false leaf, this leaves out the branches of an `any` that do not matter
    because another branch already holds, and the parts of an `all` that hold.
    """
    if evaluate(cond, facts) is True:
        return []
    if isinstance(cond, Leaf):
        return [cond]
    assert isinstance(cond, (All, Any_))  # negation normal form: a `not` is on a leaf
    found: list[Leaf] = []
    for part in cond.parts:
        found += [leaf for leaf in blockers(part, facts) if leaf not in found]
    return found


def open_answers(
    ruleset: "RuleSet",
    fact: str,
    facts: dict[str, Any],
    kind: str = "survivor_case",
    seen: frozenset[Any] = frozenset(),
) -> list[str]:
    """The unanswered case questions that an unknown fact waits for (through derived keys)."""
    if fact not in CLASSIFICATION:
        return [fact] if facts.get(fact) is None else []
    found: list[str] = []
    for deriver in _derivers(ruleset, fact, kind):
        if deriver.id in seen or evaluate(deriver.when, facts) is not None:
            continue
        for inner in undecided_facts(deriver.when, facts):
            found += [f for f in open_answers(ruleset, inner, facts, kind, seen | {deriver.id}) if f not in found]
    return found


def condition_text(leaf: Leaf) -> str:
    """`legal.detained eq true`: a leaf as it is written in a rule file."""
    if leaf.op in COUNT_OPS:
        return f"{leaf.fact} {leaf.op} {leaf.arg[0]} of {', '.join(map(_show, leaf.arg[1]))}"
    arg = ", ".join(map(_show, leaf.arg)) if isinstance(leaf.arg, tuple) else _show(leaf.arg)
    return f"{leaf.fact} {leaf.op} {arg}"


def check_rule(ruleset: "RuleSet", rule: "Rule", facts: dict[str, Any], kind: str = "survivor_case") -> RuleCheck:
    """What stands between `rule` and firing on these facts."""
    failed, unknown = [], []
    for leaf in blockers(push_not(rule.when), facts):
        value = facts.get(leaf.fact)
        if leaf.test(value) is False:
            failed.append(Blocker(condition_text(leaf), leaf.fact, value, leaf=leaf))
        else:
            unknown.append(
                Blocker(condition_text(leaf), leaf.fact, value, open_answers(ruleset, leaf.fact, facts, kind), leaf)
            )
    status = "cannot_tell_yet" if evaluate(rule.when, facts) is None else "does_not_apply"
    return RuleCheck(rule.id, rule.because, list(rule.sources), describe(rule.when), status, failed, unknown)


def facts_of_case(assessor: "Assessor", case: CaseFile) -> tuple[dict[str, Any], dict[str, Any]]:
    """(answers, answers and derived classifications) as the engine ends with them."""
    answers = case.answers()
    derived, _ = assessor.run(answers, case.kind)
    return answers, {**answers, **derived}


def why_not(assessor: "Assessor", case: CaseFile, item_id: str, assessment: Assessment | None = None) -> WhyNot:
    """Every rule that could produce the item, what blocks each, and what would change it."""
    ruleset = assessor.ruleset
    item = find_item(ruleset, item_id)
    assessment = assessment or assessor.assess(case)
    if produced(assessment, item):
        return WhyNot(case.case_id, case.kind, item, True, [], [], {})
    answers, facts = facts_of_case(assessor, case)
    rules = producing_rules(ruleset, item, case.kind)
    checks = [check_rule(ruleset, rule, facts, case.kind) for rule in rules]
    changes = what_would_change(assessor, case, item, answers, facts)
    return WhyNot(
        case.case_id,
        case.kind,
        item,
        False,
        checks,
        changes,
        citations(ruleset, [s for rule in rules for s in rule.sources]),
    )


# ------------------------------------------------------------------ what would change it ----


def what_would_change(
    assessor: "Assessor",
    case: CaseFile,
    item: Item,
    answers: dict[str, Any] | None = None,
    facts: dict[str, Any] | None = None,
) -> list[Change]:
    """The smallest sets of answers (at most MAX_CHANGE) that make the item appear.

    Candidates come from working backwards through the conditions; each one is kept only if
    assessing the changed case with the real engine produces the item. Answers are only
    given or changed, never taken back: "unknown" is not something to aim for.
    """
    if answers is None or facts is None:
        answers, facts = facts_of_case(assessor, case)
    search = _Search(assessor.ruleset, case.kind, answers, facts)
    candidates: list[dict[str, Any]] = []
    for rule in producing_rules(assessor.ruleset, item, case.kind):
        candidates += search.condition(push_not(rule.when), frozenset({rule.id}))
    ordered = plain_chain.ordered(assessor.ruleset, case.kind)
    confirmed: list[Change] = []
    for answers_to_give in search.smallest(candidates):
        if confirmed and len(answers_to_give) > len(confirmed[0].answers):
            break  # only the smallest confirmed size is "what would change"
        if len(confirmed) == MAX_CHANGES_SHOWN:
            break
        change = _confirm(assessor, case, item, answers_to_give, ordered)
        if change:
            confirmed.append(change)
    return confirmed


def _confirm(
    assessor: "Assessor", case: CaseFile, item: Item, answers_to_give: dict[str, Any], ordered: list[Any]
) -> Change | None:
    try:
        changed = changed_case(case, answers_to_give)
        _, fired = plain_chain.run(ordered, changed.answers())  # cheap first look
        if not any(item.asserted in rule.asserted() for rule in fired):
            return None
        assessment = assessor.assess(changed)  # the real engine decides
    except (ValidationError, RuleConflict):
        return None
    if not produced(assessment, item):
        return None
    rule = next(f.rule for f in assessment.trace if item.asserted in f.asserted)
    return Change(dict(answers_to_give), rule)


def changed_case(case: CaseFile, answers: dict[str, Any]) -> CaseFile:
    """The same case file with these answers given (validated like any case file)."""
    data = case.model_dump(mode="json")
    for path, value in answers.items():
        section, name = path.split(".", 1)
        data[section][name] = _plain(value)
    return type(case).model_validate(data)


class _Search:
    """Backward search for answers that make a condition true (conditions in negation normal form)."""

    def __init__(self, ruleset: "RuleSet", kind: str, answers: dict[str, Any], facts: dict[str, Any]):
        self.ruleset, self.kind, self.answers, self.facts = ruleset, kind, answers, facts

    def condition(self, cond: Condition, seen: frozenset[Any]) -> list[dict[str, Any]]:
        if evaluate(cond, self.facts) is True:
            return [{}]
        if isinstance(cond, Leaf):
            return self.leaf(cond, seen)
        if isinstance(cond, Any_):
            return self.smallest([option for part in cond.parts for option in self.condition(part, seen)])
        assert isinstance(cond, All)  # negation normal form: a `not` is on a leaf
        combined: list[dict[str, Any]] = [{}]
        for part in cond.parts:
            options = self.condition(part, seen)
            combined = self.smallest(
                [merged for a in combined for b in options if (merged := _merge(a, b)) is not None]
            )
            if not combined:
                break
        return combined

    def leaf(self, leaf: Leaf, seen: frozenset[Any]) -> list[dict[str, Any]]:
        if leaf.fact not in CLASSIFICATION:
            return [{leaf.fact: value} for value in self.values(leaf)]
        options: list[dict[str, Any]] = []
        for value in CLASSIFICATION[leaf.fact]:
            if leaf.test(value) is not True:
                continue
            for deriver in _derivers(self.ruleset, leaf.fact, self.kind):
                if deriver.effects.derive[leaf.fact] == value and deriver.id not in seen:
                    options += self.condition(push_not(deriver.when), seen | {deriver.id})
        return self.smallest(options)

    def values(self, leaf: Leaf) -> list[Any]:
        """Answers to `leaf.fact` that make the leaf true, nearest to the current answer first."""
        current = self.answers.get(leaf.fact)
        if leaf.op == "known" and not leaf.arg:
            return []  # never suggest taking an answer back
        if field_info(leaf.fact)[1]:
            candidates = _list_values(leaf, current)
        else:
            candidates = [v for v in space.candidates(leaf.fact, [leaf]) if v is not None]
        fitting = [v for v in candidates if v != current and leaf.test(v) is True]
        if fitting and isinstance(leaf.arg, (int, float)) and not isinstance(leaf.arg, bool):
            return [min(fitting, key=lambda v: abs(v - leaf.arg))]  # the threshold itself
        return fitting

    def smallest(self, options: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Distinct options of at most MAX_CHANGE answers, no option a superset of another,
        fewest answers first, then those that fill in unknowns before those that change answers."""
        unique = {tuple(sorted(o.items(), key=repr)): o for o in options if len(o) <= MAX_CHANGE}
        items = sorted(unique.values(), key=self._order)
        kept: list[dict[str, Any]] = []
        for option in items:
            if not any(_within(smaller, option) for smaller in kept):
                kept.append(option)
        return kept[:MAX_ALTERNATIVES]

    def _order(self, option: dict[str, Any]) -> tuple[int, int, str]:
        changed = sum(self.answers.get(f) is not None for f in option)
        return len(option), changed, repr(sorted(option.items(), key=repr))


def _within(smaller: dict[str, Any], larger: dict[str, Any]) -> bool:
    return all(f in larger and larger[f] == v for f, v in smaller.items())


def _merge(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any] | None:
    merged = dict(a)
    for fact, value in b.items():
        old = merged.get(fact, value)
        if old == value:
            merged[fact] = value
        elif isinstance(old, tuple) and isinstance(value, tuple):
            merged[fact] = tuple(dict.fromkeys(old + value))  # two items added to one list
        else:
            return None
    return merged


def _list_values(leaf: Leaf, current: Any) -> list[tuple[Any, ...]]:
    have = tuple(current or ())
    allowed = allowed_values(leaf.fact) or []

    def ordered(items: Iterable[Any]) -> tuple[Any, ...]:
        return tuple(sorted(set(items), key=lambda v: allowed.index(v) if v in allowed else len(allowed)))

    def adding(*items: Any) -> tuple[Any, ...]:
        return ordered(have + items)

    def removing(*items: Any) -> tuple[Any, ...]:
        return ordered(v for v in have if v not in items)

    op, arg = leaf.op, leaf.arg

    def _held(count_arg: Any) -> int:
        return sum(x in have for x in count_arg[1])

    table: dict[str, Callable[[], list[tuple[Any, ...]]]] = {
        "contains": lambda: [adding(arg)],
        "contains_any": lambda: [adding(x) for x in arg],
        "contains_all": lambda: [adding(*arg)],
        "lacks": lambda: [removing(arg)],
        "contains_none": lambda: [removing(*arg)],
        "lacks_some": lambda: [removing(x) for x in arg],
        "empty": lambda: [()] if arg else [adding(allowed[0])] if allowed else [],
        "known": lambda: [()],
        # a count: add the first missing items until n are held, or take away held ones until fewer
        "at_least": lambda: [adding(*[x for x in arg[1] if x not in have][: max(0, arg[0] - _held(arg))])],
        "fewer_than": lambda: [removing(*[x for x in arg[1] if x in have][: max(0, _held(arg) - arg[0] + 1)])],
    }
    return table[op]()


def why_not_text(result: WhyNot, texts: Texts | None = None) -> str:
    """The answer for people, in the language of `texts` (default: the result's own English)."""
    t = texts or Texts(None)
    item = result.item
    lines = [
        t.message(f"explain.why_not.{item.kind}", id=item.id, label=_label(t, item.to_dict()), case_id=result.case_id),
        "",
    ]
    if result.produced:
        return "\n".join(lines + [t.message(f"explain.produced.{item.kind}", id=item.id), ""])
    if not result.rules:
        return "\n".join(lines + [t.message("explain.no_rule", kind=t.message(f"kind.{result.kind}")), ""])
    lines.append(t.message(f"explain.could_have.{item.kind}"))
    for check in result.rules:
        lines.append(
            f"- {t.message('explain.rule', rule=check.rule)} ({t.message(f'status.{check.status}')}): "
            f"{t.because(check.rule) or check.because}"
        )
        for blocker in check.failed:
            lines.append(
                "  - "
                + t.message(
                    "explain.not_met", condition=_condition(t, blocker), answer=t.fact(blocker.fact, blocker.value)
                )
            )
        for blocker in check.unknown:
            waiting = "; ".join(_named(t, a) for a in blocker.answers) or t.message("explain.no_open_question")
            lines.append("  - " + t.message("explain.unknown", condition=_condition(t, blocker), waiting=waiting))
        lines.append(
            f"  {t.message('explain.sources')} "
            + "; ".join(t.citation(s) or result.cited.get(s, s) for s in check.sources)
        )
    lines += ["", t.message("explain.would_change")]
    if not result.changes:
        lines.append("- " + t.message("explain.nothing_changes", most=MAX_CHANGE))
    for change in result.changes:
        given = "; ".join(f"{_named(t, k)}: {t.fact(k, v)}" for k, v in change.answers.items())
        lines.append(f"- {given} → " + t.message(f"explain.changed_by.{item.kind}", rule=change.rule))
    return "\n".join(lines + [""])


def _condition(t: Texts, blocker: Blocker) -> str:
    """For people, a sentence in their language; without the rule set (the CLI's English), as written."""
    return (
        t.condition(blocker.leaf.fact, blocker.leaf.op, blocker.leaf.arg)
        if t.ruleset and blocker.leaf
        else f"`{blocker.condition}`"
    )


def _named(t: Texts, fact: str) -> str:
    """A fact by its question, in quotes, when the rule set is at hand; else by its id."""
    return f"“{t.question(fact)}”" if t.ruleset else fact
