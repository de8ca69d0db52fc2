"""IOM's Human Trafficking Case Data Standard (HTCDS) in and out: `ctm import htcds` reads a CSV whose
header row holds HTCDS field names, one case per row; `ctm export htcds` writes the HTCDS columns a
case file can fill. The mapping is data: knowledge/htcds.yaml, each line an HTCDS field and value.

Identifying columns (names, phones, addresses, …) are never read: only the mapped columns are, and
the case id is the organisation's case number or a pseudonym.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from engine import yamlio
from engine.case import FIELDS, CaseFile, allowed_values, field_info, parse_case
from engine.errors import CtmError
from engine.importing import Report, Table, norm, read_csv
from engine.knowledge import KNOWLEDGE_DIR

MAPPING = KNOWLEDGE_DIR / "htcds.yaml"
CASE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
SEPARATORS = re.compile(r"[;,\s]+")  # multi-select: `;` (HTCDS's spreadsheet), `,` or spaces (ODK)
TRUE, FALSE = {"true", "yes", "1", "x", "y"}, {"false", "no", "0", "n"}


@dataclass(frozen=True)
class Value:
    code: str  # the HTCDS value name
    target: str | None  # the case field it fills (None: read, not mapped)
    value: Any  # the case value
    why: str = ""
    export: bool = True
    versions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Field:
    name: str
    target: str
    kind: str  # select | checkbox | birthdate | country
    versions: tuple[str, ...]
    aliases: tuple[str, ...]
    export: bool
    values: dict[str, Value]  # by norm(code)


@dataclass(frozen=True)
class Mapping:
    fields: dict[str, Field]
    by_column: dict[str, Field]  # field names and aliases
    id_columns: tuple[str, ...]
    identifying: frozenset[str]
    not_mapped: dict[str, str]


def load_mapping(path: Path = MAPPING) -> Mapping:
    """knowledge/htcds.yaml, checked: every target a case field, every value one it allows."""
    data = yamlio.load(path)
    refs = set(data.get("references", {}))
    fields: dict[str, Field] = {}
    for name, spec in data["fields"].items():
        where = f"fields.{name}"
        target = spec.get("to")
        if target not in FIELDS:
            raise CtmError(f"{where}.to: {target!r} is not a case field", path=str(path), line=spec.line)
        versions = tuple(spec.get("in", ()))
        if not versions or set(versions) - refs:
            raise CtmError(f"{where}.in: cite the versions among {sorted(refs)}", path=str(path), line=spec.line)
        values = {}
        for code, entry in (spec.get("values") or {}).items():
            to = entry.get("to")
            field_path, value = to.split("=", 1) if isinstance(to, str) and "=" in to else (target, to)
            if value is not None:
                allowed = allowed_values(field_path)
                if field_path not in FIELDS or (allowed is not None and value not in allowed):
                    raise CtmError(
                        f"{where}.values.{code}: {to!r} is not a value of {field_path}"
                        f" (allowed: {', '.join(allowed or [])})",
                        path=str(path),
                        line=entry.line,
                    )
            cited = tuple(entry.get("in", ()))
            if not cited or set(cited) - refs:
                raise CtmError(
                    f"{where}.values.{code}.in: cite the versions among {sorted(refs)}", path=str(path), line=entry.line
                )
            values[norm(str(code))] = Value(
                str(code),
                field_path if value is not None else None,
                value,
                entry.get("why", ""),
                entry.get("export", True),
                cited,
            )
        fields[name] = Field(
            name,
            target,
            spec.get("type", "select"),
            versions,
            tuple(spec.get("aliases", ())),
            spec.get("export", True),
            values,
        )
    by_column = {alias: f for f in fields.values() for alias in (f.name, *f.aliases)}
    return Mapping(
        fields,
        by_column,
        tuple(data.get("id_columns", ())),
        frozenset(data.get("identifying", ())),
        dict(data.get("not_mapped", {})),
    )


def _codes(cell: str, known: dict[str, Value]) -> list[str]:
    """A multi-select cell's values: split at `;`, `,` or spaces, then pieces joined back where
    together they make a value of the list ("Smuggling, ransom", "Intimate partner/marriage proposition")."""
    parts = [p for p in SEPARATORS.split(cell) if p]
    found, i = [], 0
    while i < len(parts):
        j = next((j for j in range(len(parts), i, -1) if norm("".join(parts[i:j])) in known), i + 1)
        found.append(" ".join(parts[i:j]))
        i = j
    return found


def _age(cell: str, as_of: date, where: dict[str, Any]) -> int:
    try:
        born = date.fromisoformat(cell[:10])
    except ValueError:
        raise CtmError("prs_Birthdate: not a date (expected YYYY-MM-DD)", **where) from None
    age = as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))
    if not 0 <= age <= 130:
        raise CtmError(f"prs_Birthdate: gives an age of {age} on {as_of} (allowed: 0 to 130)", **where)
    return age


def row_answers(
    row: dict[str, str], mapping: Mapping, report: Report, as_of: date, where: dict[str, Any]
) -> dict[str, Any]:
    """The case answers one HTCDS row gives (dotted paths), noting in the report what it mapped."""
    answers: dict[str, Any] = {}
    conflicts: dict[str, set[str]] = defaultdict(set)
    for column, cell in row.items():
        spec = mapping.by_column.get(column)
        if spec is None or not cell:
            continue
        if spec.kind == "birthdate":
            answers[spec.target] = _age(cell, as_of, where)
            report.mapped[column]["birthdate → age"] += 1
            continue
        if spec.kind == "country":
            codes = _codes(cell, {})
            if len(codes) == 1 and re.fullmatch(r"[A-Za-z]{2,3}", codes[0]):
                answers[spec.target] = codes[0].upper()
                report.mapped[column][f"{codes[0].upper()} → {spec.target}"] += 1
            else:
                report.unmapped[column]["not one ISO 3166 code — origin left unknown"] += 1
            continue
        if spec.kind == "checkbox":
            flag = cell.lower()
            codes = ["true"] if flag in TRUE else ["false"] if flag in FALSE else [cell]
        else:
            codes = _codes(cell, spec.values)
        for code in codes:
            value = spec.values.get(norm(code))
            if value is None:
                report.unmapped[column][f"{code} — not a value of {spec.name} that ctm knows"] += 1
            elif value.target is None:
                report.unmapped[column][f"{value.code} — {value.why}"] += 1
            else:
                report.mapped[column][f"{value.code} → {value.target}: {value.value}"] += 1
                _, is_list = field_info(value.target)
                if is_list:
                    answers.setdefault(value.target, [])
                    if value.value not in answers[value.target]:
                        answers[value.target].append(value.value)
                else:
                    conflicts[value.target].add(value.value)
    for target, values in conflicts.items():
        if len(values) == 1:
            answers[target] = values.pop()
        else:
            report.unmapped[target][f"{' / '.join(sorted(values))} — contradict each other"] += 1
    for target, values in answers.items():  # a list in the order of the vocabulary
        if isinstance(values, list):
            order = allowed_values(target) or []
            values.sort(key=order.index)
    return answers


def import_rows(
    table: Table, mapping: Mapping, id_column: str | None = None, as_of: date | None = None
) -> tuple[list[tuple[CaseFile, str]], Report]:
    """Every row as a validated case file (nothing is written here), and the report."""
    as_of = as_of or date.today()
    report = Report(table.path, rows=len(table.rows))
    if id_column is not None and id_column not in table.header:
        raise CtmError(
            f"--id-column {id_column!r} is not a column of the file (columns: {', '.join(table.header)})",
            path=table.path,
            line=1,
        )
    if id_column in mapping.identifying:
        raise CtmError(
            f"--id-column {id_column!r} identifies the person: a case reference is never a name, "
            "a phone number or an address",
            path=table.path,
            line=1,
        )
    id_column = id_column or next((c for c in mapping.id_columns if c in table.header), None)
    for column in table.header:
        if column == id_column:
            continue
        why = (
            "identifying: never read or copied"
            if column in mapping.identifying
            else "no case field"
            if column in mapping.not_mapped
            else None
            if column in mapping.by_column
            else "not an HTCDS field ctm maps"
        )
        if why:
            report.not_read[why].append(column)
    cases: list[tuple[CaseFile, str]] = []
    seen: dict[str, int] = {}
    for number, (line, row) in enumerate(table.rows, start=1):
        where = {"path": table.path, "line": line}
        case_id = row.get(id_column, "") if id_column else f"HTCDS-{number:04d}"
        if not CASE_ID.match(case_id):
            raise CtmError(
                f"{id_column}: {'empty' if not case_id else 'not a case reference'} (allowed: letters, "
                "digits, '.', '_', '-', up to 64, starting with a letter or digit; never a name)",
                path=table.path,
                line=line,
            )
        if case_id in seen:
            raise CtmError(f"{id_column}: case {case_id} is also on line {seen[case_id]}", path=table.path, line=line)
        seen[case_id] = line
        data: dict[str, Any] = {"case_id": case_id}
        for path, value in row_answers(row, mapping, report, as_of, where).items():
            section, name = path.split(".")
            data.setdefault(section, {})[name] = value
        try:
            case = parse_case(data)
        except CtmError as error:
            raise CtmError(error.message, path=table.path, line=line) from None
        cases.append((case, f"HTCDS {Path(table.path).name}, line {line}"))
    return cases, report


def import_file(
    path: Path, id_column: str | None = None, as_of: date | None = None, mapping_path: Path = MAPPING
) -> tuple[list[tuple[CaseFile, str]], Report]:
    return import_rows(read_csv(path), load_mapping(mapping_path), id_column, as_of)


# ------------------------------------------------------------------------------- export ----
def export_columns(mapping: Mapping) -> dict[str, dict[tuple[str, Any], str]]:
    """HTCDS 2.0 column -> {(case field, value): the HTCDS value written} (the first 2.0 value
    listed for each case value, leaving out the lines marked `export: false`)."""
    columns: dict[str, dict[tuple[str, Any], str]] = {}
    for spec in mapping.fields.values():
        if not spec.export or "v2.0" not in spec.versions or spec.kind in ("birthdate", "country"):
            continue
        table = columns.setdefault(spec.name, {})
        for value in spec.values.values():
            if value.target and value.export and "v2.0" in value.versions:
                table.setdefault((value.target, value.value), value.code)
    return columns


def export_csv(cases: list[CaseFile], mapping: Mapping) -> tuple[str, dict[str, int]]:
    """The CSV text (CaseNumber, then the HTCDS 2.0 columns; multi-select joined with `;`), and
    the case values HTCDS has no value for, with how many cases hold each."""
    columns = export_columns(mapping)
    id_column = mapping.id_columns[0]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([id_column, *columns])
    lost: dict[str, int] = defaultdict(int)
    expressible = {key for table in columns.values() for key in table}
    for case in cases:
        answers = case.answers()
        row = [case.case_id]
        for name, table in columns.items():
            codes = []
            for (path, value), code in table.items():
                answer = answers.get(path)
                held = value in answer if isinstance(answer, tuple) else answer == value
                if held and code not in codes:
                    codes.append(code)
            if mapping.fields[name].kind == "checkbox":
                codes = [c.upper() for c in codes]
            row.append(";".join(codes))
        writer.writerow(row)
        for path in {spec.target for spec in mapping.fields.values()} | {
            v.target for spec in mapping.fields.values() for v in spec.values.values() if v.target
        }:
            answer = answers.get(path)
            for value in answer if isinstance(answer, tuple) else () if answer is None else (answer,):
                kind, _ = field_info(path)
                if isinstance(kind, type) and issubclass(kind, Enum) and (path, value) not in expressible:
                    lost[f"{path}: {value}"] += 1
    return out.getvalue(), dict(sorted(lost.items()))


def coverage(mapping: Mapping) -> dict[str, Any]:
    """How much of HTCDS the mapping covers: per field, the values mapped and not mapped."""
    return {
        name: {
            "to": spec.target,
            "mapped": sorted(v.code for v in spec.values.values() if v.target),
            "not_mapped": sorted(v.code for v in spec.values.values() if not v.target),
        }
        for name, spec in mapping.fields.items()
    }
