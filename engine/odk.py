"""`ctm import odk`: the submissions of the `ctm xlsform` form, as ODK Central or KoBoToolbox export
them (CSV), back into case files.

ODK Central names a column by its group path joined with `-` (`harm-indicators`), KoBoToolbox with
`/` (`harm/indicators`); either may add one 0/1 column per choice of a multiple choice
(`harm-indicators/debt_bondage`), which is not needed (the question's own column holds the choices,
separated by spaces). Central's and KoBoToolbox's own columns (SubmissionDate, KEY, meta-instanceID,
_id, _uuid, …) are not read. A question not answered, or answered "not known", "prefers not to say"
or "not safe to ask now", stays unknown in the case file.
"""

import re
from collections import Counter
from pathlib import Path
from typing import Any

from engine.case import KINDS, CaseFile, allowed_values, field_info, parse_case
from engine.errors import CtmError
from engine.importing import Report, Table, read_csv
from engine.profiles import FIELDS_BY_KIND
from engine.xlsform import DECLINES, GIVE, NONE, name_of, shape

CENTRAL = {
    "SubmissionDate",
    "KEY",
    "SubmitterID",
    "SubmitterName",
    "AttachmentsPresent",
    "AttachmentsExpected",
    "Status",
    "ReviewState",
    "DeviceID",
    "Edits",
    "FormVersion",
}


def _columns(header: list[str], kind: str, report: Report) -> dict[str, tuple[str, str]]:
    """column -> (field, "value" | "answer"): which column holds which field's answer, or whether
    it can be answered now (`<name>_answer`, for numbers and texts)."""
    fields = FIELDS_BY_KIND[kind]
    by_name = Counter(name_of(f) for f in fields)
    found: dict[str, tuple[str, str]] = {}
    for column in header:
        if column in ("case_id", "kind"):
            continue
        parts = re.split(r"[-/]", column)
        if column in CENTRAL or column.startswith("_") or parts[0] in ("meta", "start", "end", "today", "deviceid"):
            report.not_read["ODK Central / KoBoToolbox columns"].append(column)
            continue
        section, name = (parts[0], parts[1]) if len(parts) >= 2 else (None, parts[0])
        if section is None:  # exported without group names: a name that only one field has
            section = next(
                (
                    f.split(".")[0]
                    for f in fields
                    if name_of(f) == name.removesuffix("_answer") and by_name[name_of(f)] == 1
                ),
                None,
            )
        path, role = f"{section}.{name}", "value"
        if path not in fields and name.endswith("_answer"):
            path, role = f"{section}.{name.removesuffix('_answer')}", "answer"
        if path not in fields:
            report.not_read["not a question of the form"].append(column)
        elif len(parts) > 2:
            report.not_read["one column per choice: the question's own column is read"].append(column)
        else:
            found[column] = (path, role)
    return found


def _value(path: str, cell: str, where: dict[str, Any]) -> Any:
    """A select's cell as the case value; None when not answered or declined."""
    how, allowed = shape(path), allowed_values(path)
    choices = (allowed or ["yes", "no"]) + ([NONE] if how == "select_multiple" else [])
    picked = cell.split()
    if not picked or set(picked) & set(DECLINES):
        return None
    wrong = [v for v in picked if v not in choices]
    if wrong or (how == "select_one" and len(picked) > 1):
        raise CtmError(
            f"{path}: {wrong[0] if wrong else cell!r} is not allowed (allowed: {', '.join(choices + list(DECLINES))})",
            **where,
        )
    if how == "select_multiple":
        return [] if NONE in picked else sorted(set(picked), key=choices.index)
    value = picked[0]
    kind, _ = field_info(path)
    return value == "yes" if kind is bool else value


def row_case(
    row: dict[str, str], columns: dict[str, tuple[str, str]], kind: str, report: Report, where: dict[str, Any]
) -> CaseFile:
    data: dict[str, Any] = {"case_id": row.get("case_id", ""), "kind": kind}
    if not data["case_id"]:
        raise CtmError("case_id: empty (every submission needs its case reference)", **where)
    answers = {path: cell for column, (path, role) in columns.items() for cell in [row[column]] if role == "value"}
    given = {path: row[column] for column, (path, role) in columns.items() if role == "answer"}
    for column, (path, role) in columns.items():
        if role != "value":
            continue
        cell = answers[path]
        if shape(path) in ("integer", "text"):
            state = given.get(path, GIVE if cell else "")
            if state != GIVE or not cell:
                if state in DECLINES:
                    report.unmapped[column][f"declined: {state}"] += 1
                continue
            value: Any = cell
            if shape(path) == "integer":
                try:
                    value = int(cell)
                except ValueError:
                    raise CtmError(f"{path}: {cell!r} is not a whole number", **where) from None
        else:
            declined = next((d for d in DECLINES if d in cell.split()), None)
            if declined:
                report.unmapped[column][f"declined: {declined}"] += 1
            value = _value(path, cell, where)
            if value is None:
                continue
        report.mapped[column][f"→ {path}"] += 1
        section, name = path.split(".")
        data.setdefault(section, {})[name] = value
    try:
        return parse_case(data)
    except CtmError as error:
        raise CtmError(error.message, **where) from None


def import_rows(table: Table) -> tuple[list[tuple[CaseFile, str]], Report]:
    report = Report(table.path, rows=len(table.rows))
    if "case_id" not in table.header or "kind" not in table.header:
        raise CtmError(
            "not an export of the `ctm xlsform` form: it needs the columns case_id and kind "
            "(export with the questions' names as headers, not their labels)",
            path=table.path,
            line=1,
        )
    kinds = {row["kind"] for _, row in table.rows}
    wrong = kinds - set(KINDS)
    if wrong or len(kinds) > 1:
        line = next(line for line, row in table.rows if row["kind"] in wrong or row["kind"] != min(kinds))
        raise CtmError(
            f"kind: {sorted(kinds)} — one form per file (allowed: {', '.join(KINDS)})", path=table.path, line=line
        )
    kind = kinds.pop() if kinds else "survivor_case"
    columns = _columns(table.header, kind, report)
    cases: list[tuple[CaseFile, str]] = []
    seen: dict[str, int] = {}
    for line, row in table.rows:
        where = {"path": table.path, "line": line}
        case = row_case(row, columns, kind, report, where)
        if case.case_id in seen:
            raise CtmError(
                f"case_id: case {case.case_id} is also on line {seen[case.case_id]}", path=table.path, line=line
            )
        seen[case.case_id] = line
        cases.append((case, f"ODK submission {Path(table.path).name}, line {line}"))
    return cases, report


def import_file(path: Path) -> tuple[list[tuple[CaseFile, str]], Report]:
    return import_rows(read_csv(path))
