"""Texts in the caseworker's language: English (en) and Bengali (bn).

Rule logic never depends on the language: only what people read is looked up here, by id.
English texts of the knowledge base live in the knowledge files themselves; everything else,
and every Bengali text, lives in knowledge/i18n/<lang>/<section>.yaml:

    interventions: {<id>: {label}}          flags:     {<id>: {label, description}}
    principles:    {<id>: {text}}           nodes:     {<id>: {label}}
    questions:     {<field>: {prompt, help}} rules:    {<rule id>: {because}}
    sources:       {<id>: {gloss}}          (bn: a Bengali gloss; the official name stays)
    options:       {<field>: {<value>: label}}   (answer options and classification values)
    messages:      {<id>: text}             (the screens' own words, `{name}` placeholders)
    scenarios:     {<id>: {title, narrative, learning_points: [...]}}   (bn: the practice stories;
                   English in knowledge/scenarios/<id>.yaml, as many learning points)

`ctm validate` lists every id without its text (exit 1); the test suite requires none.
"""

import os
from functools import lru_cache
from pathlib import Path
from collections.abc import Iterable
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
    "interventions": ("label",), "flags": ("label", "description"), "principles": ("text",),
    "nodes": ("label",), "questions": ("prompt", "help"),
}
OWN_SECTIONS = ("rules", "sources", "options", "messages", "scenarios")
IN_KNOWLEDGE_FILES = (*CATALOGUE_FIELDS, "rules", "sources", "scenarios")  # English needs no i18n file
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
        if section in (*CATALOGUE_FIELDS, "rules"):
            if self.ruleset is None:
                return None  # Texts(None): the screens' own words only; callers fall back to their data
            if section == "rules":
                rule = next((r for r in self.ruleset.rules if r.id == key), None)
                return rule.because if rule else None
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
        return self.get(section, key, field) or key.replace("_", " ")

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

    def number(self, value: Any) -> str:
        return str(value).translate(DIGITS[self.lang]) if self.lang in DIGITS else str(value)

    def message(self, key: str, **values: Any) -> str:
        text = self.get("messages", key) or key
        if not values:
            return text
        return text.format(**{k: self.number(v) if isinstance(v, int) and not isinstance(v, bool) else v
                              for k, v in values.items()})

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
    return [f"{lang}: {section}.{key}" + (f".{field}" if field else "")
            for lang, section, key, field in missing_texts(ruleset, directory)]


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
    return found


def counts(ruleset: "RuleSet", directory: Path | None = None) -> dict[str, int]:
    """How many texts people read each language has: gaps()' inputs, less its gaps (a gloss is Bengali only)."""
    needed, missing = _needed(ruleset, _directory(directory)), missing_texts(ruleset, directory)
    return {lang: sum(1 for n in needed if lang != "en" or n[0] != "sources")
            - sum(1 for m in missing if m[0] == lang) for lang in LANGS}


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
