"""Texts in the caseworker's language: English (en) and Bengali (bn).

Rule logic never depends on the language: only what people read is looked up here, by id.
English texts of the knowledge base live in the knowledge files themselves; everything else,
and every Bengali text, lives in knowledge/i18n/<lang>/<section>.yaml:

    interventions: {<id>: {label}}          flags:     {<id>: {label, description}}
    principles:    {<id>: {text}}           nodes:     {<id>: {label}}
    questions:     {<field>: {prompt, help, say}} rules: {<rule id>: {because}}
                   (prompt: about "the person", never "you"; say: optional words to read aloud
                   to the person, in every language or in none)
    sources:       {<id>: {gloss}}          (bn: a Bengali gloss; the official name stays)
    options:       {<field>: {<value>: label}}   (answer options and classification values)
    messages:      {<id>: text}             (the screens' own words, `{name}` placeholders)
    urgency:       {<urgency rule id>: {because}}   (English in knowledge/urgency.yaml)
    scenarios:     {<id>: {title, narrative, learning_points: [...]}}   (bn: the practice stories;
                   English in knowledge/scenarios/<id>.yaml, as many learning points)

`ctm validate` lists every id without its text (exit 1); the test suite requires none. It also
holds the Bengali to bn/glossary.yaml (glossary_findings below).
"""

import os
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterable
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from engine import yamlio
from engine.errors import CtmError

if TYPE_CHECKING:
    from engine.rules import RuleSet

LANGS = ("en", "bn")
DEFAULT_LANG = "en"
LANG_NAMES = {"en": "English", "bn": "বাংলা"}
DIGITS = {"bn": str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")}
# section -> fields people read, taken from the catalogue for English
CATALOGUE_FIELDS = {
    "interventions": ("label",),
    "flags": ("label", "description"),
    "principles": ("text",),
    "nodes": ("label",),
    "questions": ("prompt", "help", "say"),
    "followup": ("text",),
}
OWN_SECTIONS = ("rules", "urgency", "sources", "options", "messages", "scenarios")
IN_KNOWLEDGE_FILES = (*CATALOGUE_FIELDS, "rules", "urgency", "sources", "scenarios")  # English needs no i18n file
SCENARIO_FIELDS = ("title", "narrative", "learning_points")


def default_lang() -> str:
    lang = os.environ.get("CTM_LANG", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise CtmError(f"unknown language '{lang}' (allowed: {', '.join(LANGS)})")
    return lang


@lru_cache(maxsize=8)
def _files(directory: str, lang: str) -> dict[str, dict[str, Any]]:
    """{section: {key: value}} for one language; a missing file is an empty section."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(directory, lang).glob("*.yaml")):
        data = yamlio.load(path)
        if not isinstance(data, dict) or set(data) != {path.stem}:
            raise CtmError(f"expected one top-level key '{path.stem}:'", path=str(path))
        found[path.stem] = data[path.stem] or {}
    return found


class Texts:
    """Look texts up by section and id, in one language, falling back to English."""

    def __init__(self, ruleset: "RuleSet | None", lang: str = DEFAULT_LANG, directory: Path | None = None):
        from engine.knowledge import KNOWLEDGE_DIR

        self.ruleset = ruleset
        self.lang = check_lang(lang)
        self.directory = str(directory or KNOWLEDGE_DIR / "i18n")

    def _own(self, lang: str, section: str) -> dict[str, Any]:
        return _files(self.directory, lang).get(section, {})

    def _english(self, section: str, key: str, field: str | None) -> str | None:
        if section in (*CATALOGUE_FIELDS, "rules", "urgency"):
            if self.ruleset is None:
                return None  # Texts(None): the screens' own words only; callers fall back to their data
            if section == "rules":
                rule = next((r for r in self.ruleset.rules if r.id == key), None)
                return rule.because if rule else None
            if section == "urgency":
                urgent = next((r for r in self.ruleset.urgency.rules if r.id == key), None)
                return urgent.because if urgent else None
            entry = getattr(self.ruleset.catalogue, section).get(key)
            return getattr(entry, field, None) if entry and field else None
        return _pick(self._own("en", section), key, field)

    def get(self, section: str, key: str, field: str | None = None) -> str | None:
        """The text in this language, else English, else None."""
        if self.lang != "en":
            found = _pick(self._own(self.lang, section), key, field)
            if found:
                return found
        return self._english(section, key, field)

    def label(self, section: str, key: str, field: str = "label") -> str:
        """How an entry reads; an entry that rests on practice says it is the authors' reading."""
        text = self.get(section, key, field) or key.replace("_", " ")
        entry = (
            getattr(self.ruleset.catalogue, section).get(key) if self.ruleset and section in CATALOGUE_FIELDS else None
        )
        return text + self.message("basis.practice") if getattr(entry, "basis", None) == "practice" else text

    def option(self, field: str, value: Any) -> str:
        """How an answer option or classification value reads (`field` as in the case file)."""
        if value is None:
            return self.message("value.unknown")
        if isinstance(value, bool):
            return self.message("value.yes" if value else "value.no")
        if isinstance(value, (int, float)):
            return self.number(value)
        return self.get("options", field, str(value)) or str(value).replace("_", " ")

    def answer(self, field: str, value: Any) -> str:
        """An answer as it reads: a list joined, an empty list "none"."""
        if isinstance(value, (list, tuple)):
            return ", ".join(self.option(field, v) for v in value) if value else self.message("value.none")
        return self.option(field, value)

    def fact(self, name: str, value: Any) -> str:
        """A fact the engine matched: a case answer (`exit.route`) or a classification key (`exit_route`)."""
        return self.answer(name if "." in name else f"classification.{name}", value)

    def question(self, fact: str) -> str:
        """What a fact is called on a screen: its question (`legal.detained`), the classification's
        name (`exit_route`), else its last word — never the id itself."""
        return (
            self.get("questions", fact, "prompt")
            or self.get("messages", f"classification.{fact}")
            or fact.rsplit(".", 1)[-1].replace("_", " ")
        )

    def condition(self, fact: str, op: str, arg: Any) -> str:
        """A rule's condition as a sentence in this language: "The answer to “Is the person
        currently held…?” is Yes", not `legal.detained eq true` (sentences: messages cond.*)."""
        what = self.message("cond.derived" if "." not in fact else "cond.asked", question=self.question(fact))
        if op in ("known", "empty"):  # cond.known / cond.not_known, cond.empty / cond.not_empty
            text = self.message(f"cond.{op if arg else 'not_' + op}", what=what)
        elif op in ("at_least", "fewer_than"):  # a count: (n, the items counted)
            text = self.message(f"cond.{op}", what=what, n=arg[0], value=", ".join(self.fact(fact, v) for v in arg[1]))
        else:
            values = arg if isinstance(arg, (list, tuple)) else (arg,)
            text = self.message(f"cond.{op}", what=what, value=", ".join(self.fact(fact, v) for v in values))
        return text[:1].upper() + text[1:]

    def number(self, value: Any) -> str:
        return str(value).translate(DIGITS[self.lang]) if self.lang in DIGITS else str(value)

    def message(self, key: str, **values: Any) -> str:
        text = self.get("messages", key) or key
        if not values:
            return text
        return text.format(
            **{k: self.number(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()}
        )

    def because(self, rule_id: str) -> str:
        return self.get("rules", rule_id, "because") or ""

    def citation(self, source_id: str) -> str | None:
        """English: the official citation. Otherwise "<official instrument name> — <gloss>", the
        gloss saying in this language what the instrument and the provision are."""
        source = self.ruleset.catalogue.sources.get(source_id) if self.ruleset else None
        gloss = self.get("sources", source_id, "gloss") if source and self.lang != "en" else None
        if not gloss or source is None:
            return source.citation() if source else None
        mark = "" if source.verified else " " + self.message("source.not_verified")
        return f"{source.instrument}{mark} — {gloss}"

    def cite(self, source_ids: Iterable[str]) -> str:
        return "; ".join(self.citation(s) or s for s in source_ids)


def _pick(section: dict[str, Any], key: str, field: str | None) -> str | None:
    entry = section.get(key)
    if field is None:
        return entry if isinstance(entry, str) else None
    return entry.get(field) if isinstance(entry, dict) else None


def gaps(ruleset: "RuleSet", directory: Path | None = None) -> list[str]:
    """Every text that a language lacks, as 'bn: interventions.info_where_to_go.label'."""
    return [
        f"{lang}: {section}.{key}" + (f".{field}" if field else "")
        for lang, section, key, field in missing_texts(ruleset, directory)
    ]


def missing_texts(ruleset: "RuleSet", directory: Path | None = None) -> list[tuple[str, str, str, str | None]]:
    """(lang, section, key, field) of every text that a language lacks."""
    folder = _directory(directory)
    needed = _needed(ruleset, folder)
    points = {key: len(story["learning_points"]) for key, story in _scenarios(folder).items()}
    found = []
    for lang in LANGS:
        own = _files(folder, lang)
        for section, key, field in needed:
            if lang == "en" and section in IN_KNOWLEDGE_FILES:
                continue  # English lives in the knowledge files themselves (sources need no gloss)
            text = _pick(own.get(section, {}), key, field)
            if not text or (field == "learning_points" and len(text) != points[key]):
                found.append((lang, section, key, field))
        # words to read aloud exist in every language or in none: one the English lacks is missing there
        found += [
            ("en", "questions", key, "say")
            for key, entry in own.get("questions", {}).items()
            if lang != "en"
            and isinstance(entry, dict)
            and entry.get("say")
            and key in ruleset.catalogue.questions
            and not ruleset.catalogue.questions[key].say
        ]
    return found


def counts(ruleset: "RuleSet", directory: Path | None = None) -> dict[str, int]:
    """How many texts people read each language has: gaps()' inputs, less its gaps (a gloss is Bengali only)."""
    needed, missing = _needed(ruleset, _directory(directory)), missing_texts(ruleset, directory)
    return {
        lang: sum(1 for n in needed if lang != "en" or n[0] != "sources") - sum(1 for m in missing if m[0] == lang)
        for lang in LANGS
    }


def _directory(directory: Path | None) -> str:
    from engine.knowledge import KNOWLEDGE_DIR

    return str(directory or KNOWLEDGE_DIR / "i18n")


def _needed(ruleset: "RuleSet", directory: str) -> list[tuple[str, str, str | None]]:
    """Every text people read, as (section, key, field)."""
    needed: list[tuple[str, str, str | None]] = []
    for section, fields in CATALOGUE_FIELDS.items():
        for key, entry in getattr(ruleset.catalogue, section).items():
            needed += [(section, key, f) for f in fields if getattr(entry, f, None)]
    needed += [("rules", rule.id, "because") for rule in ruleset.rules]
    needed += [("urgency", rule.id, "because") for rule in ruleset.urgency.rules]
    needed += [("sources", key, "gloss") for key in ruleset.catalogue.sources]
    for field, values in _answer_options().items():
        needed += [("options", field, value) for value in values]
    needed += [("messages", key, None) for key in _files(directory, "en").get("messages", {})]
    needed += [("scenarios", key, field) for key in _scenarios(directory) for field in SCENARIO_FIELDS]
    return needed


def _scenarios(directory: str) -> dict[str, dict[str, Any]]:
    """The practice stories' English, by scenario id (the knowledge directory's scenarios/)."""
    found = {}
    for path in sorted(Path(directory).parent.glob("scenarios/*.yaml")):
        data = yamlio.load(path)
        if isinstance(data, dict) and isinstance(data.get("learning_points"), list):
            found[str(data.get("id", path.stem))] = data
    return found


def _answer_options() -> dict[str, list[str]]:
    """Every enum answer of every case field, and every classification value."""
    from enum import Enum

    from engine.assessment import CLASSIFICATION
    from engine.case import field_info
    from engine.profiles import ALL_FIELDS

    options: dict[str, list[str]] = {}
    for field in ALL_FIELDS:
        kind, _ = field_info(field)
        if isinstance(kind, type) and issubclass(kind, Enum):
            options[field] = [m.value for m in kind]
    for key, values in CLASSIFICATION.items():
        options[f"classification.{key}"] = [v for v in values if isinstance(v, str)]
    return options


# ------------------------------------------------------------------ the Bengali glossary ----
# knowledge/i18n/bn/glossary.yaml: `terms` (one Bengali term for one English one, with the law or
# body it comes from) and `never` (words no Bengali text may use, each with its replacement).


def glossary_findings(
    ruleset: "RuleSet", directory: Path | None = None
) -> tuple[list[tuple[str, int | None, str, str]], list[tuple[str, int | None, str, str]]]:
    """(errors, warnings), each (path, line, id, message): an error for every word the glossary
    forbids in a Bengali text, a warning for every glossary term whose English is in the text's
    English but whose Bengali is not in the Bengali."""
    where = _directory(directory)
    own = _files(where, "bn")
    glossary = _checked_glossary(own.get("glossary", {}), Path(where, "bn", "glossary.yaml"))
    errors: list[tuple[str, int | None, str, str]] = []
    warnings: list[tuple[str, int | None, str, str]] = []
    for section, key, field, text in _bengali_texts(own):
        text_id = ".".join(p for p in (section, key, field) if p)
        path = str(Path(where, "bn", f"{section}.yaml"))
        for entry in glossary.get("never", []):
            if entry["word"] in text and not any(_covers(k, text_id) for k in entry.get("keep_in", [])):
                errors.append(
                    (
                        path,
                        _line_of(path, key, entry["word"]),
                        text_id,
                        f"'{entry['word']}' is not to be used: write '{entry['use']}' ({entry['why']})",
                    )
                )
        english = _english_text(ruleset, where, section, key, field) or ""
        for term in glossary.get("terms", []) if english else []:
            said = [e for e in _as_list(term["en"]) if e.lower() in english.lower()]
            if said and not any(m in text for m in _as_list(term.get("match", term["bn"]))):
                warnings.append(
                    (
                        path,
                        _line_of(path, key, None),
                        text_id,
                        f"the English says '{said[0]}', the Bengali lacks the glossary's '{term['bn']}'",
                    )
                )
    return errors, warnings


GLOSSARY_KEYS = {"terms": ({"en", "bn", "from"}, {"match"}), "never": ({"word", "use", "why"}, {"keep_in"})}


def _checked_glossary(glossary: Any, path: Path) -> dict[str, Any]:
    """The glossary, or a clear error naming the entry and the keys it needs."""
    if not isinstance(glossary, dict) or not set(glossary) <= set(GLOSSARY_KEYS):
        raise CtmError("broken glossary: expected 'terms:' and 'never:' lists", path=str(path))
    for part, (needed, optional) in GLOSSARY_KEYS.items():
        entries = glossary.get(part) or []
        for index, entry in enumerate(entries if isinstance(entries, list) else [None]):
            keys = set(entry) if isinstance(entry, dict) else set()
            if not needed <= keys or not keys <= needed | optional:
                raise CtmError(
                    f"broken glossary: {part}[{index}] needs {', '.join(sorted(needed))}"
                    f" (may have {', '.join(sorted(optional))})",
                    path=str(path),
                )
    return glossary


def _as_list(value: Any) -> list[str]:
    return value if isinstance(value, list) else [value]


def _covers(pattern: str, text_id: str) -> bool:
    """`keep_in` entries name a text id, or every id under it (`sources.saarc`)."""
    return text_id == pattern or text_id.startswith(pattern + ".") or text_id.startswith(pattern + "[")


def _bengali_texts(own: dict[str, Any]) -> Iterator[tuple[str, str, str | None, str]]:
    """(section, key, field, text) of every Bengali text; a list's items as field[i]."""
    for section, entries in own.items():
        if section == "glossary":
            continue
        for key, entry in entries.items():
            fields = entry.items() if isinstance(entry, dict) else [(None, entry)]
            for field, value in fields:
                if isinstance(value, list):
                    yield from (
                        (section, str(key), f"{field}[{i}]", v) for i, v in enumerate(value) if isinstance(v, str)
                    )
                elif isinstance(value, str):
                    yield section, str(key), field, value


def _english_text(ruleset: "RuleSet", directory: str, section: str, key: str, field: str | None) -> str | None:
    """The English of the same text, where there is one to compare (a source's gloss has none)."""
    if section == "sources":
        return None
    index = None
    if field and field.endswith("]"):
        field, index = field[:-1].split("[")
    if section == "scenarios":
        found = _scenarios(directory).get(key, {}).get(field or "")
    elif section in (*CATALOGUE_FIELDS, "rules"):
        found = Texts(ruleset, "en", Path(directory))._english(section, key, field)
    else:
        found = _pick(_files(directory, "en").get(section, {}), key, field)
    if index is not None:
        found = found[int(index)] if isinstance(found, list) and int(index) < len(found) else None
    return found if isinstance(found, str) else None


def _line_of(path: str, key: str, word: str | None) -> int | None:
    """The line of `word` in the entry `key` of a text file (else the entry's own line)."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    start = next(
        (
            n
            for n, line in enumerate(lines)
            if line.strip().strip('"').startswith(f'{key}"') or line.strip().startswith(f"{key}:")
        ),
        None,
    )
    if start is None:
        return None
    if word:
        return next((n + 1 for n in range(start, len(lines)) if word in lines[n]), start + 1)
    return start + 1
