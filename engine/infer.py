"""Run a case through the compiled engine and build the Assessment (spec §2)."""

import dataclasses
from functools import lru_cache
from typing import Any


from engine import conditions, followup, urgency
from engine.assessment import (
    CLASSIFICATION,
    CLASSIFIED,
    SEVERITIES,
    UNDERIVED,
    Assessment,
    Firing,
    Flag,
    Principle,
    Recommendation,
    RuleSetId,
)
from engine.case import CaseFile
from engine.compile import MatrixEngine, new_engine
from engine.rules import CONSISTENCY_AREA, Rule, RuleSet, load_valid_rules


class Assessor:
    """One compiled engine instance per kind of case file, reused (reset) for every case it
    assesses; `engine` is the survivor cases' one, the others are built when first needed."""

    def __init__(self, ruleset: RuleSet):
        self.ruleset = ruleset
        self.engine: MatrixEngine = new_engine(ruleset)
        self._engines = {"survivor_case": self.engine}
        self._question_order = {f: i for i, f in enumerate(ruleset.catalogue.questions)}
        self._priority = {f: q.priority for f, q in ruleset.catalogue.questions.items()}
        self._read = {leaf.fact for rule in ruleset.rules for leaf in conditions.leaves(rule.when)}

    def run(
        self, answers: dict[str, Any], kind: str = "survivor_case"
    ) -> tuple[dict[str, Any], list[tuple[Rule, dict[str, Any]]]]:
        """The raw result: derived facts and (rule, matched facts) in firing order."""
        if kind not in self._engines:
            self._engines[kind] = new_engine(self.ruleset, kind)
        return self._engines[kind].assess_answers(answers)

    def assess(self, case: CaseFile) -> Assessment:
        """The assessment of the case as it stands; a case history adds its timeline and next visit."""
        if not case.visits:
            return self._assess(case)
        dated = [(visit.date, self._assess(state)) for visit, state in case.visits]
        latest = dated[-1][1]
        return dataclasses.replace(
            latest,
            timeline=followup.timeline(dated),
            next_visit=followup.next_visit(self.ruleset.catalogue, latest.classification, dated[-1][0]),
        )

    def _assess(self, case: CaseFile) -> Assessment:
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
                    flags[effect.id] = Flag(
                        id=effect.id, severity=severity, rule=rule.id, because=rule.because, sources=list(rule.sources)
                    )
            for iid in rule.effects.recommend:
                entry = cat.interventions[iid]
                recommendations.setdefault(
                    iid,
                    Recommendation(
                        intervention=iid,
                        label=entry.label,
                        actor=entry.actor,
                        rule=rule.id,
                        because=rule.because,
                        sources=list(rule.sources),
                    ),
                )
            for pid in rule.effects.principles:
                principle = cat.principles[pid]
                principles.setdefault(pid, Principle(id=pid, text=principle.text, sources=list(principle.sources)))
        flag_order, rec_order, pr_order = (
            {k: i for i, k in enumerate(d)} for d in (cat.flags, cat.interventions, cat.principles)
        )
        ordered = sorted(recommendations, key=rec_order.__getitem__)
        urgent, do_first = urgency.assign(
            self.ruleset.urgency,
            {**answers, **derived},
            {iid: cat.interventions[iid].level for iid in ordered},
            {f.id: f.severity for f in flags.values()},
        )
        return Assessment(
            case_id=case.case_id,
            ruleset=RuleSetId(version=self.ruleset.version, digest=self.ruleset.digest),
            classification={key: derived.get(key, UNDERIVED[key]) for key in CLASSIFIED[case.kind]},
            flags=sorted(flags.values(), key=lambda f: (SEVERITIES.index(f.severity), flag_order[f.id])),
            recommendations=[
                dataclasses.replace(
                    recommendations[iid],
                    level=cat.interventions[iid].level,
                    urgency=urgent[iid][0],
                    urgency_rule=urgent[iid][1],
                )
                for iid in ordered
            ],
            principles=sorted(principles.values(), key=lambda p: pr_order[p.id]),
            trace=[
                Firing(step=i, rule=rule.id, matched=matched, asserted=rule.asserted())
                for i, (rule, matched) in enumerate(firings, start=1)
            ],
            missing=self.missing(answers, derived, fired, case.kind),
            do_first=do_first,
        )

    def missing(
        self, answers: dict[str, Any], derived: dict[str, Any], fired: list[Rule], kind: str = "survivor_case"
    ) -> list[str]:
        """Unanswered questions that could still change the advice, most decisive first.

        A question counts when a rule that has not fired is undecided on it (or on a derived
        key that an undecided rule could still derive), or when a rule fired only because it
        is unanswered (`known: false`), or when it could make advice given urgent (an undecided
        urgency rule, knowledge/urgency.yaml). Its weight is what those rules would change.
        For a survivor case, the follow-ups that answers opened come first, then the early
        questions (knowledge/interview.yaml).
        """
        facts = {**answers, **derived}
        fired_ids = {rule.id for rule in fired}
        # a consistency check only compares answers already given: it never asks for one
        undecided = [
            r
            for r in self.ruleset.for_kind(kind)
            if r.id not in fired_ids and r.area != CONSISTENCY_AREA and conditions.evaluate(r.when, facts) is None
        ]
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
        if kind == "survivor_case":
            self._blame_urgency(answers, facts, fired, weights)
        # The weightiest rule a question decides counts most; the number of rules breaks ties.
        score = {fact: max(ws) + 0.1 * sum(ws) for fact, ws in weights.items()}
        last = len(self._question_order)  # a field without an interview question: last, in name order
        ranked = sorted(score, key=lambda f: (-score[f], self._question_order.get(f, last), f))
        if kind != "survivor_case":
            return ranked
        # For a survivor case, the order a caseworker needs: the follow-ups of the answer just given
        # (knowledge/interview.yaml), the questions whose answer keeps the person safe
        # (`priority` in knowledge/questions.yaml), the early ones, then the most decisive.
        first = sorted((f for f in score if self._priority.get(f, 0) > 0), key=lambda f: -self._priority[f])
        # A follow-up that rules read is asked only while it can still change the advice (after a
        # death, nothing about charges or fear of return); one no rule reads (the faith, for the
        # funeral rites) is asked because the answer that opened it makes it matter.
        follow_ups = [f for f in self.ruleset.asking.front(answers) if f in score or f not in self._read]
        early = [f for f in self.ruleset.asking.early if f in score]
        return list(dict.fromkeys([*follow_ups, *first, *early, *ranked]))

    def _blame_urgency(
        self, answers: dict[str, Any], facts: dict[str, Any], fired: list[Rule], weights: dict[str, list[float]]
    ) -> None:
        """The questions that could make advice already given urgent (`now`) weigh as a high flag."""
        urgency = self.ruleset.urgency
        recommended = {iid for rule in fired for iid in rule.effects.recommend}
        holding = [u for u in urgency.rules if u.urgency == "now" and conditions.evaluate(u.when, facts) is True]
        already = {iid for u in holding for iid in u.interventions}
        for rule in urgency.rules:
            if rule.urgency != "now" or not (set(rule.interventions) & recommended) - already:
                continue
            if conditions.evaluate(rule.when, facts) is None:
                for fact in conditions.undecided_facts(rule.when, facts):
                    if fact not in CLASSIFICATION and answers.get(fact) is None:
                        weights.setdefault(fact, []).append(URGENT_WEIGHT)


URGENT_WEIGHT = 40.0  # as two high flags (_weight): what could make advice already given urgent comes early


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
