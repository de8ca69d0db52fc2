"""`ctm import htcds` and `ctm export htcds`: IOM's Human Trafficking Case Data Standard in and out.
Every person here is invented."""

import json
from pathlib import Path

import pytest

from engine import htcds
from engine.case import load_case
from engine.cli import main

NAME, PHONE, EMAIL = "Invented Testperson", "+8801711000000", "nobody@example.org"
HEADER = (
    "prs_FirstName,prs_SecondName,prs_MobilePhone,prs_Email,prs_MailingStreet,prs_Birthdate,prs_Gender,"
    "prs_Deceased,vic_TraffickingStatus,vic_MethodsOfControl,vic_TypeOfLabourExploitation,"
    "vic_TypeOfSexExploitation,vic_MethodOfRecruitment,vic_RelationshipToTrafficker,cas_Status,Remarks"
)
ROWS = [
    f"Invented,Testperson,{PHONE},{EMAIL},1 Nowhere Lane,1998-03-01,Feminine,FALSE,ActualVictimOfTrafficking,"
    '"DebtBondage;WithholdsDocuments;ExcessiveWorkingHours;PsychologicalAbuse",Agriculture,,'
    '"Intimate partner/marriage proposition, Smuggling, ransom",,Active,' + NAME,
    f"Other,Inventedname,{PHONE},,,1980-12-31,Masculine,TRUE,PossibleVictimOfTrafficking,SexualAbuse,,"
    "PrivateSexualServices,,Familial,Closed,",
]


def _csv(tmp_path: Path, rows=ROWS, header=HEADER) -> Path:
    path = tmp_path / "htcds.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _import(tmp_path, capsys, *extra) -> tuple[int, str, str, Path]:
    out = tmp_path / "cases"
    code = main(["import", "htcds", str(_csv(tmp_path)), "--out", str(out), "--as-of", "2026-06-01", *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err, out


def test_an_htcds_csv_maps_as_documented(tmp_path, capsys):
    code, out, _, directory = _import(tmp_path, capsys)
    assert code == 0
    first, second = (load_case(directory / f"HTCDS-000{n}.yaml") for n in (1, 2))
    assert first.person.age == 28 and first.person.gender == "female"
    assert first.harm.status == "trafficked"
    assert first.harm.indicators == ["debt_bondage", "documents_withheld", "excessive_working_hours"]
    assert first.harm.sectors == ["agriculture"]
    assert first.harm.perpetrators == ["spouse_partner"]  # intimate-partner recruitment (HTCDS 0.1)
    assert first.exit.route is None  # not deceased says nothing of how the person left
    assert second.exit.route == "death" and second.person.age == 45
    assert second.harm.sectors == ["sex_industry"] and second.harm.indicators == ["sexual_violence"]
    assert second.harm.status == "unclear" and second.harm.perpetrators == ["family_member"]


def test_no_name_phone_email_or_address_reaches_a_case_file_or_the_report(tmp_path, capsys):
    code, out, err, directory = _import(tmp_path, capsys)
    written = "".join(p.read_text(encoding="utf-8") for p in directory.iterdir())
    for secret in (NAME, "Invented", "Testperson", "Inventedname", PHONE, EMAIL, "Nowhere"):
        assert secret not in written and secret not in out + err
    assert "prs_FirstName" in out and "prs_MobilePhone" in out  # named as not read, never their cells


def test_the_import_reports_per_field_the_values_it_could_not_map(tmp_path, capsys):
    _, out, _, _ = _import(tmp_path, capsys)
    unmapped = out.split("Could not map")[1]
    assert "vic_MethodsOfControl: PsychologicalAbuse" in unmapped
    assert "vic_MethodOfRecruitment: Smuggling, ransom" in unmapped
    assert "DebtBondage → harm.indicators: debt_bondage (1)" in out.split("Could not map")[0]
    assert "Remarks" in out.split("Not read (not an HTCDS field ctm maps)")[1]


def test_imported_cases_assess(tmp_path, capsys):
    _, _, _, directory = _import(tmp_path, capsys)
    assert main(["assess", *sorted(map(str, directory.iterdir()))]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [json.loads(line)["classification"]["harm_status"] for line in lines] == ["trafficked", "unclear"]


def test_the_case_number_column_is_the_case_id(tmp_path, capsys):
    rows = ["BD-2026-7,Feminine", "BD-2026-8,Masculine"]
    path = _csv(tmp_path, rows, "CaseNumber,prs_Gender")
    assert main(["import", "htcds", str(path), "--out", str(tmp_path / "out")]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["BD-2026-7.yaml", "BD-2026-8.yaml"]


@pytest.mark.parametrize(
    "rows, says",
    [
        (["BD-1,1990-02-30"], ":3: prs_Birthdate: not a date (expected YYYY-MM-DD)"),
        (["Invented Name,1990-01-01"], ":3: CaseNumber: not a case reference (allowed: letters"),
        (["BD-1,1990-01-01", "BD-1,1991-01-01"], ":4: CaseNumber: case BD-1 is also on line 3"),
        (["BD-1,1990-01-01,extra"], ":3: 3 cells where the header row names 2 columns"),
    ],
)
def test_bad_rows_name_file_line_and_field_and_nothing_is_written(tmp_path, capsys, rows, says):
    path = _csv(tmp_path, ["BD-0,1990-01-01", *rows], "CaseNumber,prs_Birthdate")
    out = tmp_path / "out"
    assert main(["import", "htcds", str(path), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{path}{says}" in err and "Traceback" not in err and len(err.splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob(".ctm-*"))


def test_an_existing_case_file_is_never_overwritten(tmp_path, capsys):
    code, _, _, directory = _import(tmp_path, capsys)
    before = {p.name: p.read_text() for p in directory.iterdir()}
    assert main(["import", "htcds", str(tmp_path / "htcds.csv"), "--out", str(directory)]) == 2
    assert "HTCDS-0001.yaml already exists" in capsys.readouterr().err
    assert {p.name: p.read_text() for p in directory.iterdir()} == before


def test_an_identifying_column_is_never_taken_for_the_case_id(tmp_path, capsys):
    path = _csv(tmp_path)
    assert main(["import", "htcds", str(path), "--out", str(tmp_path / "o"), "--id-column", "prs_FirstName"]) == 2
    err = capsys.readouterr().err
    assert "identifies the person" in err and "Invented" not in err and not (tmp_path / "o").exists()


def test_multi_select_cells_split_at_semicolons_commas_or_spaces():
    values = htcds.load_mapping().fields["vic_MethodsOfControl"].values
    assert htcds._codes("DebtBondage; Threats,FalsePromises  Other", values) == [
        "DebtBondage",
        "Threats",
        "FalsePromises",
        "Other",
    ]
    recruitment = htcds.load_mapping().fields["vic_MethodOfRecruitment"].values
    assert htcds._codes("Smuggling, ransom;Abduction", recruitment) == ["Smuggling ransom", "Abduction"]


def test_export_writes_the_htcds_columns_and_imports_back(tmp_path, capsys):
    _, _, _, directory = _import(tmp_path, capsys)
    exported = tmp_path / "back.csv"
    assert main(["export", "htcds", *sorted(map(str, directory.iterdir())), "--out", str(exported)]) == 0
    text = exported.read_text()
    assert text.splitlines()[0].startswith("CaseNumber,prs_Gender,prs_Deceased,vic_TraffickingStatus")
    assert "DebtBondage;WithholdsDocuments;ExcessiveWorkingHours" in text
    assert "spouse_partner" in capsys.readouterr().out  # not expressible in HTCDS 2.0: said so
    again = tmp_path / "again"
    assert main(["import", "htcds", str(exported), "--out", str(again), "--as-of", "2026-06-01"]) == 0
    for path in directory.iterdir():
        before, after = load_case(path).answers(), load_case(again / path.name).answers()
        kept = {k: v for k, v in before.items() if v is not None and k not in ("person.age", "harm.perpetrators")}
        assert {k: after[k] for k in kept} == kept


def test_the_mapping_is_checked_and_its_coverage_counted():
    mapping = htcds.load_mapping()
    cover = htcds.coverage(mapping)
    assert "ExcessiveWorkingHours" in cover["vic_MethodsOfControl"]["mapped"]
    assert "PsychologicalAbuse" in cover["vic_MethodsOfControl"]["not_mapped"]
    assert mapping.by_column["vic_Methods_of_Control"].name == "vic_MethodsOfControl"  # the survey toolkit's name
    assert {"prs_FirstName", "prs_MobilePhone", "prs_MailingStreet"} <= mapping.identifying
