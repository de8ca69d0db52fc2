"""Run a case through the compiled engine and build the Assessment (spec §2)."""

from functools import lru_cache
from typing import Any

from engine import conditions
from engine.assessment import (CLASSIFICATION, CLASSIFIED, SEVERITIES, UNDERIVED, Assessment, Firing, Flag,
                               Principle, Recommendation, RuleSetId)
from engine.case import CaseFile
from engine.compile import MatrixEngine, new_engine
from engine.rules import Rule, RuleSet, load_valid_rules


class Assessor:
    """One compiled engine instance per kind of case file, reused (reset) for every case it
    assesses; `engine` is the survivor cases' one, the others are built when first needed."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.engine: MatrixEngine = new_engine(ruleset)
        self._engines = {"survivor_case": self.engine}
        self._question_order = {f: i for i, f in enumerate(ruleset.catalogue.questions)}

    def run(self, answers: dict[str, Any],
            kind: str = "survivor_case") -> tuple[dict[str, Any], list[tuple[Rule, dict[str, Any]]]]:
        """The raw result: derived facts and (rule, matched facts) in firing order."""
        if kind not in self._engines:
            self._engines[kind] = new_engine(self.ruleset, kind)
        return self._engines[kind].assess_answers(answers)

    def assess(self, case: CaseFile) -> Assessment:
        answers = case.answers()
        derived, firings = self.run(answers, case.kind)
        cat = self.ruleset.catalogue
        fired = [rule for rule, _ in firings]
        flags: dict[str, Flag] = {}
        recommendations: dict[str, Recommendation] = {}
        principles: dict[str, Principle] = {}
        for rule in fired:
            for effect in rule.effects.flags:
                severity = effect.severity or cat.flags[effect.id].severity
                old = flags.get(effect.id)
                if old is None or SEVERITIES.index(severity) < SEVERITIES.index(old.severity):
                    flags[effect.id] = Flag(id=effect.id, severity=severity, rule=rule.id,
                                            because=rule.because, sources=list(rule.sources))
            for iid in rule.effects.recommend:
                entry = cat.interventions[iid]
                recommendations.setdefault(iid, Recommendation(
                    intervention=iid, label=entry.label, actor=entry.actor, rule=rule.id,
                    because=rule.because, sources=list(rule.sources)))
            for pid in rule.effects.principles:
                principle = cat.principles[pid]
                principles.setdefault(pid, Principle(id=pid, text=principle.text, sources=list(principle.sources)))
        flag_order, rec_order, pr_order = ({k: i for i, k in enumerate(d)}
                                           for d in (cat.flags, cat.interventions, cat.principles))
        return Assessment(
            case_id=case.case_id,
            ruleset=RuleSetId(version=self.ruleset.version, digest=self.ruleset.digest),
            classification={key: derived.get(key, UNDERIVED[key]) for key in CLASSIFIED[case.kind]},
            flags=sorted(flags.values(), key=lambda f: (SEVERITIES.index(f.severity), flag_order[f.id])),
            recommendations=sorted(recommendations.values(), key=lambda r: rec_order[r.intervention]),
            principles=sorted(principles.values(), key=lambda p: pr_order[p.id]),
            trace=[Firing(step=i, rule=rule.id, matched=matched, asserted=rule.asserted())
                   for i, (rule, matched) in enumerate(firings, start=1)],
            missing=self.missing(answers, derived, fired, case.kind),
        )

    def missing(self, answers: dict[str, Any], derived: dict[str, Any], fired: list[Rule],
                kind: str = "survivor_case") -> list[str]:
        """Unanswered questions that could still change the advice, most decisive first.

        A question counts when a rule that has not fired is undecided on it (or on a derived
        key that an undecided rule could still derive), or when a rule fired only because it
        is unanswered (`known: false`). Its weight is what those rules would change.
        """
        facts = {**answers, **derived}
        fired_ids = {rule.id for rule in fired}
        undecided = [r for r in self.ruleset.for_kind(kind)
                     if r.id not in fired_ids and conditions.evaluate(r.when, facts) is None]
        weights: dict[str, list[float]] = {}

        def blame(rule: Rule, fact: str, seen: frozenset[Any]) -> None:
            if fact in CLASSIFICATION:
                for deriver in undecided:
                    if fact in deriver.effects.derive and deriver.id not in seen:
                        for inner in conditions.undecided_facts(deriver.when, facts):
                            blame(rule, inner, seen | {deriver.id})
            elif answers.get(fact) is None:
                weights.setdefault(fact, []).append(_weight(rule))

        for rule in undecided:
            for fact in conditions.undecided_facts(rule.when, facts):
                blame(rule, fact, frozenset({rule.id}))
        for rule in fired:
            for leaf in conditions.leaves(rule.when):
                if leaf.op == "known" and leaf.fact in answers and answers[leaf.fact] is None:
                    weights.setdefault(leaf.fact, []).append(_weight(rule))
        # The weightiest rule a question decides counts most; the number of rules breaks ties.
        score = {fact: max(ws) + 0.1 * sum(ws) for fact, ws in weights.items()}
        last = len(self._question_order)  # a field without an interview question: last, in name order
        return sorted(score, key=lambda f: (-score[f], self._question_order.get(f, last), f))


def _weight(rule: Rule) -> float:
    """Flags (rights and safety) weigh most; then what a rule derives or recommends, more the
    earlier its stage in the matrix (screening before exit, before recovery, before integration)."""
    e = rule.effects
    flags = sum(20 if (f.severity or "high") == "high" else 8 for f in e.flags)
    return flags + (1 + 3 * len(e.derive) + min(len(e.recommend), 3)) * max(70 - rule.stage, 10) / 10


@lru_cache(maxsize=1)
def default_assessor() -> Assessor:
    """The assessor for the shipped rules and knowledge, built once per process."""
    return Assessor(load_valid_rules())
