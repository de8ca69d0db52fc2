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

`ctm validate --texts` lists every id without its text; the test suite requires none.
"""

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from engine import yamlio
from engine.errors import CtmError

LANGS = ("en", "bn")
DEFAULT_LANG = "en"
# section -> fields people read, taken from the catalogue for English
CATALOGUE_FIELDS = {
    "interventions": ("label",), "flags": ("label", "description"), "principles": ("text",),
    "nodes": ("label",), "questions": ("prompt", "help"),
}
OWN_SECTIONS = ("rules", "sources", "options", "messages")


def default_lang() -> str:
    lang = os.environ.get("CTM_LANG", DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise CtmError(f"unknown language '{lang}' (allowed: {', '.join(LANGS)})")
    return lang


@lru_cache(maxsize=8)
def _files(directory: str, lang: str) -> dict[str, dict]:
    """{section: {key: value}} for one language; a missing file is an empty section."""
    found: dict[str, dict] = {}
    for path in sorted(Path(directory, lang).glob("*.yaml")):
        data = yamlio.load(path)
        if not isinstance(data, dict) or set(data) != {path.stem}:
            raise CtmError(f"expected one top-level key '{path.stem}:'", path=str(path))
        found[path.stem] = data[path.stem] or {}
    return found


class Texts:
    """Look texts up by section and id, in one language, falling back to English."""

    def __init__(self, ruleset, lang: str = DEFAULT_LANG, directory: Path | None = None):
        from engine.knowledge import KNOWLEDGE_DIR

        self.ruleset = ruleset
        self.lang = check_lang(lang)
        self.directory = str(directory or KNOWLEDGE_DIR / "i18n")

    def _own(self, lang: str, section: str) -> dict:
        return _files(self.directory, lang).get(section, {})

    def _english(self, section: str, key: str, field: str | None) -> str | None:
        if section in CATALOGUE_FIELDS:
            entry = getattr(self.ruleset.catalogue, section).get(key)
            return getattr(entry, field, None) if entry else None
        if section == "rules":
            rule = next((r for r in self.ruleset.rules if r.id == key), None)
            return rule.because if rule else None
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
        return self.get("options", field, str(value)) or str(value).replace("_", " ")

    def message(self, key: str, **values: Any) -> str:
        text = self.get("messages", key) or key
        return text.format(**values) if values else text

    def because(self, rule_id: str) -> str:
        return self.get("rules", rule_id, "because") or ""


def _pick(section: dict, key: str, field: str | None) -> str | None:
    entry = section.get(key)
    if field is None:
        return entry if isinstance(entry, str) else None
    return entry.get(field) if isinstance(entry, dict) else None


def gaps(ruleset, directory: Path | None = None) -> list[str]:
    """Every text that a language lacks, as 'bn: interventions.info_where_to_go.label'."""
    from engine.knowledge import KNOWLEDGE_DIR

    directory = str(directory or KNOWLEDGE_DIR / "i18n")
    english = Texts(ruleset, "en", Path(directory))
    needed: list[tuple[str, str, str | None]] = []
    for section, fields in CATALOGUE_FIELDS.items():
        for key, entry in getattr(ruleset.catalogue, section).items():
            needed += [(section, key, f) for f in fields if getattr(entry, f, None)]
    needed += [("rules", rule.id, "because") for rule in ruleset.rules]
    needed += [("sources", key, "gloss") for key in ruleset.catalogue.sources]
    for field, values in _answer_options().items():
        needed += [("options", field, value) for value in values]
    needed += [("messages", key, None) for key in english._own("en", "messages")]
    found = []
    for lang in LANGS:
        own = _files(directory, lang)
        for section, key, field in needed:
            if lang == "en" and (section in CATALOGUE_FIELDS or section in ("rules", "sources")):
                continue  # English lives in the knowledge files themselves (sources need no gloss)
            if not _pick(own.get(section, {}), key, field):
                found.append(f"{lang}: {section}.{key}" + (f".{field}" if field else ""))
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
