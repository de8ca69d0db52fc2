"""The interview as an XLSForm (the spreadsheet form format ODK Collect and KoBoToolbox read), built
from the knowledge base: every question of a kind of case file with its help, its answer options
and the three ways of not answering, in English and Bengali, and skip logic from the rules.

Layout (engine/odk.py reads the submissions back): one group per section of the case file (so an
ODK Central export names a column `harm-indicators`, KoBoToolbox `harm/indicators`), each question
named as its field. A select question offers the field's values, "none of these" for a list, and
not known / prefers not to say / not safe to ask now. A number or a text is asked in two steps:
first whether it can be answered now (`<name>_answer`: `give`, or a way of not answering), then,
if so, the answer.

Skip logic (`relevant`) is derived, not written by hand: a question is skipped only when every rule
that reads its answer also requires something of an answer given earlier in the form, and those
answers already rule each such rule out. An earlier answer that is not known never rules a rule
out (unknown is not no), and a requirement on a classification the engine derives is not used
(the form does not run the engine), so the form asks a question whenever its answer could matter.
"""

from collections.abc import Callable, Iterable, Sequence
from functools import partial
from enum import Enum
from pathlib import Path
from typing import Any

from engine import conditions
from engine.assessment import CLASSIFICATION
from engine.case import allowed_values, field_bounds, field_info
from engine.conditions import Any_, Condition, Leaf, Not
from engine.errors import CtmError
from engine.i18n import Texts
from engine.profiles import FIELDS_BY_KIND
from engine.rules import CONSISTENCY_AREA, Rule, RuleSet

LANGUAGES = {"en": "English (en)", "bn": "Bengali (bn)"}
DECLINES = ("not_known", "prefers_not_to_say", "not_safe_now")  # as the interview (ui/interview.py)
NONE = "none"  # a list answered "none of these" (an empty list), not unknown
GIVE = "give"  # a number or text question: the answer will be given now
CASE_ID = "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
COLUMNS = (
    "type",
    "name",
    *(f"label::{n}" for n in LANGUAGES.values()),
    *(f"hint::{n}" for n in LANGUAGES.values()),
    "relevant",
    "required",
    "constraint",
    *(f"constraint_message::{n}" for n in LANGUAGES.values()),
    "calculation",
)


def shape(path: str) -> str:
    """How a field is asked: select_one, select_multiple, integer or text."""
    kind, is_list = field_info(path)
    if is_list:
        return "select_multiple"
    if kind is bool or (isinstance(kind, type) and issubclass(kind, Enum)):
        return "select_one"
    return "integer" if kind is int else "text"


def name_of(path: str) -> str:
    return path.split(".", 1)[1]


def ordered_fields(ruleset: RuleSet, kind: str) -> list[str]:
    """The kind's fields, section by section, each section in the order of knowledge/questions.yaml."""
    fields = FIELDS_BY_KIND[kind]
    order = {f: i for i, f in enumerate(ruleset.catalogue.questions)}
    sections = list(dict.fromkeys(f.split(".")[0] for f in fields))
    return sorted(fields, key=lambda f: (sections.index(f.split(".")[0]), order.get(f, len(order))))


# ------------------------------------------------------------------------------ skip logic ----
def _q(value: Any) -> str:
    return f"'{value}'"


def _unknown(path: str) -> str:
    ref = "${" + name_of(path) + "}"
    if shape(path) in ("integer", "text"):
        return "(${" + name_of(path) + "_answer} != 'give' or " + ref + " = '')"
    return "(" + " or ".join([f"{ref} = ''", *(f"selected({ref}, {_q(d)})" for d in DECLINES)]) + ")"


def _test(leaf: Leaf) -> str | None:
    """The XPath that a known answer passes this leaf, or None where the form cannot tell."""
    path, op, arg = leaf.fact, leaf.op, leaf.arg
    ref, how = "${" + name_of(path) + "}", shape(path)
    kind, _ = field_info(path)

    def value(v: Any) -> str:
        return _q("yes" if v else "no") if kind is bool else (str(v) if how == "integer" else _q(v))

    def either(values: Iterable[Any], join: str) -> str:
        return (
            "("
            + f" {join} ".join(
                f"selected({ref}, {_q(v)})" if how == "select_multiple" else f"{ref} = {value(v)}" for v in values
            )
            + ")"
        )

    tests: dict[str, Callable[[], str]] = {
        "eq": lambda: f"{ref} = {value(arg)}",
        "ne": lambda: f"{ref} != {value(arg)}",
        "in": lambda: either(arg, "or"),
        "not_in": lambda: f"not{either(arg, 'or')}",
        "contains": lambda: either([arg], "or"),
        "lacks": lambda: f"not{either([arg], 'or')}",
        "contains_any": lambda: either(arg, "or"),
        "contains_none": lambda: f"not{either(arg, 'or')}",
        "contains_all": lambda: either(arg, "and"),
        "lacks_some": lambda: f"not{either(arg, 'and')}",
        "empty": lambda: f"{'' if arg else 'not'}(selected({ref}, {_q(NONE)}))",
        "gt": lambda: f"{ref} > {arg}",
        "gte": lambda: f"{ref} >= {arg}",
        "lt": lambda: f"{ref} < {arg}",
        "lte": lambda: f"{ref} <= {arg}",
    }
    if how == "text" or op not in tests:
        return None
    return tests[op]()


def _any(parts: list[str | None]) -> str | None:
    """XPath true when any part is; None when some part cannot be told."""
    known = [p for p in parts if p is not None]
    return None if len(known) < len(parts) else "(" + " or ".join(dict.fromkeys(known)) + ")"


MAX_RELEVANT = 4000  # characters: a longer condition is left out (the question is always asked)


def _possible(cond: Condition, asked: set[str], rules: Sequence[Rule], depth: int = 2) -> str | None:
    """XPath true unless the answers in `asked` make `cond` false (None: they cannot rule it out).
    A classification the engine derives is unfolded into the conditions of the rules that can
    derive such a value (`depth` levels); where no rule can, the condition is false."""
    if isinstance(cond, Leaf):
        if cond.fact in CLASSIFICATION:
            if depth == 0:
                return None
            derivers = [r for r in rules if cond.fact in r.effects.derive and cond.test(r.effects.derive[cond.fact])]
            parts = [_possible(conditions.push_not(r.when), asked, rules, depth - 1) for r in derivers]
            if not parts:
                return "false()"
            return _any(parts)
        if cond.fact not in asked:
            return None
        if cond.op == "known":
            return f"not{_unknown(cond.fact)}" if cond.arg else _unknown(cond.fact)
        test = _test(cond)
        return None if test is None else f"({_unknown(cond.fact)} or {test})"
    assert not isinstance(cond, Not)  # push_not leaves no Not above a leaf
    parts = [_possible(p, asked, rules, depth) for p in cond.parts]
    if isinstance(cond, Any_):
        return _any(parts)
    kept = list(dict.fromkeys(p for p in parts if p is not None))
    return "(" + " and ".join(kept) + ")" if kept else None


def relevance(ruleset: RuleSet, kind: str) -> dict[str, str | None]:
    """Each field's `relevant` expression, or None where it is always asked: the question is
    skipped when the answers before it rule out every rule that reads it."""
    fields = ordered_fields(ruleset, kind)
    # a consistency check compares answers already given: like the interview, it never makes a question matter
    rules = [r for r in ruleset.for_kind(kind) if r.area != CONSISTENCY_AREA]
    found: dict[str, str | None] = {}
    for index, field in enumerate(fields):
        asked = set(fields[:index])
        readers = [r for r in rules if any(leaf.fact == field for leaf in conditions.leaves(r.when))]
        guards = [_possible(conditions.push_not(r.when), asked, rules) for r in readers]
        told = [g for g in guards if g is not None]
        expression = None if not guards or len(told) < len(guards) else " or ".join(dict.fromkeys(told))
        found[field] = expression if expression and len(expression) <= MAX_RELEVANT else None
    return found


# -------------------------------------------------------------------------------- the form ----
def _texts(ruleset: RuleSet) -> dict[str, Texts]:
    return {lang: Texts(ruleset, lang) for lang in LANGUAGES}


def _option(path: str, value: str, t: Texts) -> str:
    return t.option(path, value)


def _labelled(texts: dict[str, Texts], kind: str, get: Callable[[Texts], str]) -> dict[str, str]:
    return {f"{kind}::{name}": get(texts[lang]) for lang, name in LANGUAGES.items()}


def choices(ruleset: RuleSet, kind: str) -> list[dict[str, str]]:
    texts = _texts(ruleset)
    rows: list[dict[str, str]] = []

    def add(list_name: str, value: str, get: Callable[[Texts], str]) -> None:
        rows.append({"list_name": list_name, "name": value, **_labelled(texts, "label", get)})

    declines = [(d, lambda t, d=d: t.message(f"decline.{d}")) for d in DECLINES]
    for value, get in [("yes", lambda t: t.message("value.yes")), ("no", lambda t: t.message("value.no")), *declines]:
        add("yes_no", value, get)
    for value, get in [(GIVE, lambda t: t.message("xlsform.give")), *declines]:
        add("answer_or_not", value, get)
    for path in ordered_fields(ruleset, kind):
        values = allowed_values(path)
        if values is None:
            continue
        if (NONE in values and shape(path) == "select_multiple") or set(DECLINES) & set(values):
            raise CtmError(
                f"{path}: a value is named like an XLSForm choice of ctm's own ({NONE}, {', '.join(DECLINES)})"
            )
        for value in values:
            add(name_of(path), value, partial(_option, path, value))
        if shape(path) == "select_multiple":
            add(name_of(path), NONE, lambda t: t.message("xlsform.none"))
        for value, get in declines:
            if not (value == "prefers_not_to_say" and "undisclosed" in values):  # that value says it already
                add(name_of(path), value, get)
    return rows


def survey(ruleset: RuleSet, kind: str) -> list[dict[str, str]]:
    texts = _texts(ruleset)
    relevant = relevance(ruleset, kind)
    rows = [
        {"type": "calculate", "name": "kind", "calculation": _q(kind)},
        {
            "type": "text",
            "name": "case_id",
            "required": "yes",
            "constraint": f"regex(., {_q(CASE_ID)})",
            **_labelled(texts, "label", lambda t: t.message("interview.case_ref")),
            **_labelled(texts, "hint", lambda t: t.message("legal.paste_help")),
            **_labelled(texts, "constraint_message", lambda t: t.message("xlsform.bad_case_id")),
        },
    ]
    section = None
    for path in ordered_fields(ruleset, kind):
        if path.split(".")[0] != section:
            if section:
                rows.append({"type": "end group", "name": section})
            section = path.split(".")[0]
            rows.append(
                {
                    "type": "begin group",
                    "name": section,
                    **_labelled(texts, "label", lambda t: t.message(f"xlsform.section.{section}")),
                }
            )
        name, how = name_of(path), shape(path)
        prompt = _labelled(texts, "label", lambda t: t.get("questions", path, "prompt") or path)
        hint = _labelled(texts, "hint", lambda t: t.get("questions", path, "help") or "")
        condition = relevant[path]
        skip = {"relevant": condition} if condition else {}
        if how in ("select_one", "select_multiple"):
            list_name = name if allowed_values(path) is not None else "yes_no"
            row = {"type": f"{how} {list_name}", "name": name, **prompt, **hint, **skip, "required": "yes"}
            if how == "select_multiple":
                alone = " or ".join(f"selected(., {_q(v)})" for v in (NONE, *DECLINES))
                row.update(
                    {
                        "constraint": f"not(({alone}) and count-selected(.) > 1)",
                        **_labelled(texts, "constraint_message", lambda t: t.message("xlsform.alone")),
                    }
                )
            rows.append(row)
            continue
        rows.append(
            {"type": "select_one answer_or_not", "name": f"{name}_answer", **prompt, **hint, **skip, "required": "yes"}
        )
        answer = {
            "type": how,
            "name": name,
            "required": "yes",
            "relevant": "${" + name + "_answer} = 'give'",
            **_labelled(texts, "label", lambda t: t.message("ask.answer")),
        }
        if how == "integer":
            low, high = field_bounds(path)
            answer["constraint"] = " and ".join(
                c for c in (f". >= {low}" if low is not None else "", f". <= {high}" if high is not None else "") if c
            )
        else:
            answer["constraint"] = "string-length(.) <= 200"
        answer.update(_labelled(texts, "constraint_message", lambda t: t.message("xlsform.out_of_range")))
        rows.append(answer)
    if section:
        rows.append({"type": "end group", "name": section})
    return rows


def settings(ruleset: RuleSet, kind: str) -> dict[str, str]:
    texts = _texts(ruleset)
    return {
        "form_title": texts["en"].message("xlsform.title", kind=texts["en"].message(f"kind.{kind}")),
        "form_id": f"ctm_{kind}",
        "version": f"{ruleset.version}+{ruleset.digest.split(':')[-1][:12]}",
        "default_language": LANGUAGES["en"],
    }


def write(ruleset: RuleSet, out: Path, kind: str = "survivor_case") -> None:
    """Write the XLSForm workbook (survey, choices, settings sheets) to `out`."""
    from openpyxl import Workbook

    from engine.importing import atomic_path

    book = Workbook()
    sheets = {
        "survey": (COLUMNS, survey(ruleset, kind)),
        "choices": (("list_name", "name", *(f"label::{n}" for n in LANGUAGES.values())), choices(ruleset, kind)),
        "settings": (tuple(settings(ruleset, kind)), [settings(ruleset, kind)]),
    }
    if book.active is not None:
        book.remove(book.active)
    for title, (columns, rows) in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for row in rows:
            sheet.append([row.get(c, "") for c in columns])
    with atomic_path(Path(out)) as staging:
        book.save(staging)
