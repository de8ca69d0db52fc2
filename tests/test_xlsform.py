"""`ctm xlsform` and `ctm import odk`: the interview as an XLSForm for ODK Collect / KoBoToolbox, and
its submissions back into case files. The form is converted with pyxform, as ODK Central and
KoBoToolbox do; the submissions are written as ODK Central exports them (lib/data/briefcase.js of
getodk/central-backend: SubmissionDate, the fields by group path joined with '-', a multiple choice
as its choices separated by spaces and optionally one 0/1 column per choice, then KEY, SubmitterID,
SubmitterName, AttachmentsPresent, AttachmentsExpected, Status, ReviewState, DeviceID, Edits,
FormVersion) and as KoBoToolbox does ('/' between group and question, its own _id, _uuid… columns).
Every case is invented."""

import csv
import dataclasses
import random
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import xls2xform_convert

from engine import xlsform
from engine.case import allowed_values, load_case, parse_case
from engine.cli import main
from engine.errors import CtmError
from engine.infer import default_assessor
from engine.profiles import FIELDS_BY_KIND
from engine.rules import load_valid_rules
from engine.samples import random_answer, random_case

EXAMPLES = Path(__file__).parent.parent / "examples"
XF = "{http://www.w3.org/2002/xforms}"
CENTRAL_AFTER = [
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
]


@pytest.fixture(scope="module")
def forms(tmp_path_factory):
    """Each kind's XLSForm, written by `ctm xlsform` and converted by pyxform: {kind: (xlsx, xml)}."""
    folder = tmp_path_factory.mktemp("forms")
    made = {}
    for kind in FIELDS_BY_KIND:
        xlsx, xml = folder / f"{kind}.xlsx", folder / f"{kind}.xml"
        assert main(["xlsform", "--out", str(xlsx), "--kind", kind]) == 0
        warnings = xls2xform_convert(xlsx, xml, validate=False)
        assert warnings == [], warnings
        made[kind] = (xlsx, xml)
    return made


def _sheet(path, name):
    rows = list(load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], (c or "" for c in row))) for row in rows[1:]]


@pytest.mark.parametrize("kind", list(FIELDS_BY_KIND))
def test_every_question_is_in_the_form_with_english_and_bengali_help_and_options(forms, kind):
    survey, choices = _sheet(forms[kind][0], "survey"), _sheet(forms[kind][0], "choices")
    asked = {
        row["name"].removesuffix("_answer")
        for row in survey
        if row["type"].split()[0] in ("select_one", "select_multiple")
    }
    assert {f.split(".")[1] for f in FIELDS_BY_KIND[kind]} <= asked
    for row in survey:
        if row["type"].startswith("select"):
            assert row["label::English (en)"] and row["label::Bengali (bn)"] and row["hint::Bengali (bn)"]
            assert re.search(r"[\u0980-\u09FF]", row["label::Bengali (bn)"])  # Bengali script
            listed = {c["name"] for c in choices if c["list_name"] == row["type"].split()[1]}
            assert {"not_known", "not_safe_now"} <= listed
    for choice in choices:
        assert choice["label::English (en)"] and re.search(r"[\u0980-\u09FF]", choice["label::Bengali (bn)"])


def test_the_xform_has_both_languages_and_skip_logic(forms):
    text = forms["survivor_case"][1].read_text(encoding="utf-8")
    assert 'lang="English (en)"' in text and 'lang="Bengali (bn)"' in text
    relevant = {
        b.get("nodeset").split("/")[-1]: b.get("relevant")
        for b in ET.parse(forms["survivor_case"][1]).iter(f"{XF}bind")
        if b.get("relevant")
    }
    assert "route" in relevant["health"]  # not after a death (advice for the living)
    assert "age" in relevant["movement"]  # not for a child (referred to child protection)


def _leaves(xml: Path) -> list[tuple[str, ...]]:
    """The paths of the XForm's primary instance's answers, in order (as Central walks them)."""
    root = next(ET.parse(xml).iter(f"{XF}instance"))[0]

    def walk(node, path):
        for child in node:
            name = child.tag.removeprefix(XF)
            if len(child):
                yield from walk(child, path + (name,))
            else:
                yield path + (name,)

    return list(walk(root, ()))


def _answers(case) -> dict[str, str]:
    """What ODK Collect submits for a case answered with this form (an unknown answer: a way of
    not answering, chosen at random)."""
    rng = random.Random(case.case_id)
    out = {"kind": case.kind, "case_id": case.case_id}
    for path, value in case.answers().items():
        name, how = path.split(".")[1], xlsform.shape(path)
        if how in ("integer", "text"):
            out[f"{name}_answer"] = rng.choice(xlsform.DECLINES) if value is None else "give"
            out[name] = "" if value is None else str(value)
        elif value is None:
            out[name] = rng.choice(["not_known", "not_safe_now"])
        elif how == "select_multiple":
            order = allowed_values(path)
            out[name] = " ".join(sorted(value, key=order.index)) if value else "none"
        else:
            out[name] = ("yes" if value else "no") if isinstance(value, bool) else value
    return out


def central_csv(xml: Path, cases, path: Path, split: bool = True, kobo: bool = False) -> Path:
    """The submissions as ODK Central (or KoBoToolbox) would export them."""
    header, sources = ["_id"] if kobo else ["SubmissionDate"], [None]
    for leaf in _leaves(xml):
        name = ("/" if kobo else "-").join(leaf)
        header.append(name)
        sources.append(leaf[-1] if leaf[0] != "meta" else "instanceID")
        field = next((f for f in FIELDS_BY_KIND[cases[0].kind] if f.split(".")[1] == leaf[-1]), None)
        if split and field and xlsform.shape(field) == "select_multiple":
            for value in allowed_values(field) + ["none", *xlsform.DECLINES]:
                header.append(f"{name}/{value}")
                sources.append((leaf[-1], value))
    if kobo:
        header += [
            "_uuid",
            "_submission_time",
            "_validation_status",
            "_notes",
            "_status",
            "_submitted_by",
            "__version__",
            "_tags",
            "_index",
        ]
    else:
        header += CENTRAL_AFTER
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for number, case in enumerate(cases):
            given = {**_answers(case), "instanceID": f"uuid:0000-{number}"}
            row = []
            for source in sources + [None] * (len(header) - len(sources)):
                if isinstance(source, tuple):
                    row.append("1" if source[1] in given.get(source[0], "").split() else "0")
                else:
                    row.append(given.get(source, "") if source else f"meta-{number}")
            writer.writerow(row)
    return path


def _ordered(case):
    """The answers with every list in the vocabulary's order (the order a form's choices have)."""
    return {
        k: tuple(sorted(v, key=allowed_values(k).index)) if isinstance(v, tuple) else v
        for k, v in case.answers().items()
    }


def test_a_submission_in_odk_centrals_shape_imports_back_into_the_case_file(forms, tmp_path, capsys):
    original = load_case(EXAMPLES / "rescue-custody.yaml")
    exported = central_csv(forms["survivor_case"][1], [original], tmp_path / "submissions.csv")
    assert "harm-indicators" in exported.read_text().splitlines()[0]
    out = tmp_path / "cases"
    assert main(["import", "odk", str(exported), "--out", str(out)]) == 0
    back = load_case(out / f"{original.case_id}.yaml")
    assert back.to_file_dict() == original.to_file_dict()
    report = capsys.readouterr().out
    assert "Not read (ODK Central / KoBoToolbox columns): SubmissionDate" in report


@pytest.mark.parametrize("kobo", [False, True], ids=["odk-central", "kobotoolbox"])
def test_generated_cases_of_every_kind_survive_the_round_trip(forms, tmp_path, kobo):
    for kind in FIELDS_BY_KIND:
        rng = random.Random(kind)
        cases = [random_case(rng, i, known=0.7, kind=kind) for i in range(25)]
        exported = central_csv(forms[kind][1], cases, tmp_path / f"{kind}.csv", split=not kobo, kobo=kobo)
        out = tmp_path / f"{kind}-{kobo}"
        assert main(["import", "odk", str(exported), "--out", str(out)]) == 0
        for case in cases:
            assert _ordered(load_case(out / f"{case.case_id}.yaml")) == _ordered(case)


@pytest.mark.parametrize(
    "change, says",
    [
        ({"route": "flew"}, "exit.route: 'flew' is not allowed (allowed: not_exited"),
        ({"age_answer": "give", "age": "twenty"}, "person.age: 'twenty' is not a whole number"),
        ({"case_id": "Invented Name"}, "case_id"),
    ],
)
def test_a_bad_submission_names_file_line_and_field_and_nothing_is_written(forms, tmp_path, capsys, change, says):
    cases = [load_case(EXAMPLES / name) for name in ("escape-destination.yaml", "rescue-custody.yaml")]
    exported = central_csv(forms["survivor_case"][1], cases, tmp_path / "s.csv", split=False)
    with exported.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for column in rows[1]:
        if column.split("-")[-1] in change:
            rows[1][column] = change[column.split("-")[-1]]
    with exported.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "out"
    assert main(["import", "odk", str(exported), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{exported}:3: " in err and says in err and "Traceback" not in err
    assert not out.exists()


def _holds(expression: str, row: dict) -> bool:
    """Evaluate the form's `relevant` XPath (the small part of XPath ctm writes) on a submission."""
    python = re.sub(r"\$\{(\w+)\}", r'v["\1"]', expression)
    python = python.replace("selected(", "sel(").replace(" = ", " == ").replace("false()", "False")
    values = {k: int(x) if x.lstrip("-").isdigit() else x for k, x in row.items()}
    return eval(python, {"sel": lambda a, b: b in str(a).split(), "v": values})  # noqa: S307 - our own XPath


@pytest.mark.parametrize("kind, count", [("survivor_case", 150), ("potential_migrant", 60), ("community", 60)])
def test_a_question_the_form_skips_cannot_change_the_advice(kind, count):
    """Soundness of the skip logic: wherever the form would skip a question, every answer to it
    (or none) gives the same classification, flags, recommendations and principles."""
    ruleset = load_valid_rules()
    relevant = xlsform.relevance(ruleset, kind)
    assessor = default_assessor()
    rng = random.Random(7)
    skipped = 0
    names = {f.split(".")[1]: f for f in FIELDS_BY_KIND[kind]}
    cases = [random_case(rng, i, known=0.9, kind=kind) for i in range(count)]
    for case in cases:
        row = {name: "" for name in names} | {f"{n}_answer": "" for n in names} | _answers(case)
        advice = _advice(assessor.assess(case))
        for field, expression in relevant.items():
            if expression is None or _holds(expression, row):
                continue
            skipped += 1
            for other in (None, random_answer(field, rng), random_answer(field, rng)):
                data = case.model_dump(mode="json")
                section, name = field.split(".")
                data[section][name] = other
                try:
                    changed = parse_case(data)
                except CtmError:  # refused at input (e.g. an events date outside the events year)
                    continue
                assert _advice(assessor.assess(changed)) == advice, (case.case_id, field, other)
    assert skipped > 10  # the form does skip questions on these cases


def _advice(assessment):
    """What a skipped question must not change; a clash between answers does not count: the form
    skipping the question is what keeps the two answers from clashing."""
    data = dataclasses.asdict(assessment)
    data["flags"] = [f for f in data["flags"] if f["id"] != "answers_inconsistent"]
    # what is advised, not how urgent it is: urgency (knowledge/urgency.yaml) orders the advice
    data["recommendations"] = [r["intervention"] for r in data["recommendations"]]
    return {k: data[k] for k in ("classification", "flags", "recommendations", "principles")}
