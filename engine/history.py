"""A case over time (case-vocabulary.md §4): a case file may hold `visits:`, each giving only
the answers given or changed that day. The answers are the visits applied in date order; an
answer written `null` at a visit is withdrawn (unknown again). The latest state is the case.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from engine import yamlio
from engine.errors import CtmError


@dataclass(frozen=True)
class Visit:
    date: str  # YYYY-MM-DD
    answers: dict[str, dict[str, Any]]  # the sections given that day, as written (null = withdrawn)


def _date(value: Any, where: str, path: str | None, line: int | None) -> str:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value).isoformat()
        except ValueError:
            pass
    raise CtmError(f"{where}.date: {value!r} is not a date (write YYYY-MM-DD)", path=path, line=line)


def split_visits(data: dict[str, Any], path: str | None = None) -> tuple[dict[str, Any], list[Visit]]:
    """The file without its visits, and the visits in date order (a file's order breaks ties)."""
    base = {k: v for k, v in data.items() if k != "visits"}
    if "visits" not in data:
        return base, []
    raw = data["visits"]
    if not isinstance(raw, list) or not raw:
        raise CtmError(
            "visits: expected a list of visits, each with a date", path=path, line=yamlio.line_of(data, ("visits",))
        )
    visits = []
    for i, entry in enumerate(raw):
        where = f"visits.{i}"
        line = getattr(entry, "line", None)
        if not isinstance(entry, dict) or "date" not in entry:
            raise CtmError(
                f"{where}: a visit is a mapping with a `date` and the sections given that day",
                path=path,
                line=line or yamlio.line_of(data, ("visits",)),
            )
        sections = {k: v for k, v in entry.items() if k != "date"}
        for name, section in sections.items():
            if name in ("case_id", "kind"):
                raise CtmError(f"{where}.{name}: belongs at the top of the file, not in a visit", path=path, line=line)
            if not isinstance(section, dict):
                raise CtmError(f"{where}.{name}: expected a mapping of answers", path=path, line=line)
        visits.append(Visit(_date(entry["date"], where, path, line), sections))
    return base, sorted(visits, key=lambda v: v.date)


def apply(state: dict[str, Any], visit: Visit) -> dict[str, Any]:
    """The file's data after this visit: its answers override, `null` withdraws."""
    new = {k: (dict(v) if isinstance(v, dict) else v) for k, v in state.items()}
    for name, answers in visit.answers.items():
        section = new.setdefault(name, {})
        for field, value in answers.items():
            if value is None:
                section.pop(field, None)
            else:
                section[field] = value
    return new


def states(data: dict[str, Any], visits: list[Visit]) -> list[dict[str, Any]]:
    """The file's data as it stood after each visit, in date order."""
    out, state = [], data
    for visit in visits:
        state = apply(state, visit)
        out.append(state)
    return out


def file_dict(case_id: str, kind: str, visits: list[Visit]) -> dict[str, Any]:
    """A history as a case file: the visits only (the first visit holds what was known then)."""
    data: dict[str, Any] = {"case_id": case_id}
    if kind != "survivor_case":
        data["kind"] = kind
    data["visits"] = [{"date": v.date, **_plain(v.answers)} for v in visits]
    return data


def _plain(value: Any) -> Any:
    """Plain dicts and lists (a loaded file's mappings remember their lines: YAML cannot write those)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def changes(old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """What a visit must write to go from the answers `old` to `new` (by section; None = withdrawn)."""
    out: dict[str, dict[str, Any]] = {}
    for section in sorted(set(old) | set(new), key=lambda s: (s not in new, s)):
        before, after = old.get(section, {}), new.get(section, {})
        diff = {
            f: after.get(f)
            for f in list(after) + [f for f in before if f not in after]
            if before.get(f) != after.get(f)
        }
        if diff:
            out[section] = diff
    return out
