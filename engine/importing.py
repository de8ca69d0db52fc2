"""What `ctm import htcds` and `ctm import odk` share: reading a CSV export, writing the case files
all or nothing, and the report of what was mapped and what was not.

Bad input is a CtmError naming the file, the line, the column and the allowed values; nothing is
written until every row has become a valid case file.
"""

import csv
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from engine.case import CaseFile
from engine.errors import CtmError

MAX_BYTES = 200_000_000


@dataclass
class Table:
    path: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line in the file, {column: cell})


def read_csv(path: Path | str) -> Table:
    """A CSV export (UTF-8, with or without Excel's byte-order mark): the header row and each row
    with its line number. Duplicate or empty column names and ragged rows are refused."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise CtmError(f"file is larger than {MAX_BYTES:,} bytes", path=str(path))
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle)
            header = next(reader, None)
            if not header or not any(h.strip() for h in header):
                raise CtmError("no header row (the first row must name the columns)", path=str(path), line=1)
            header = [h.strip() for h in header]
            seen = Counter(header)
            twice = [h for h, n in seen.items() if n > 1 or not h]
            if twice:
                raise CtmError(
                    f"column {twice[0]!r} appears {seen[twice[0]]} times in the header row"
                    if twice[0]
                    else "a column of the header row has no name",
                    path=str(path),
                    line=1,
                )
            rows = []
            for cells in reader:
                if not any(c.strip() for c in cells):
                    continue
                if len(cells) != len(header):
                    raise CtmError(
                        f"{len(cells)} cells where the header row names {len(header)} columns",
                        path=str(path),
                        line=reader.line_num,
                    )
                rows.append((reader.line_num, dict(zip(header, (c.strip() for c in cells)))))
    except FileNotFoundError:
        raise CtmError("file not found", path=str(path)) from None
    except IsADirectoryError:
        raise CtmError("is a directory, expected a CSV file", path=str(path)) from None
    except UnicodeDecodeError:
        raise CtmError("not UTF-8 text (save the CSV as UTF-8)", path=str(path)) from None
    except csv.Error as error:
        raise CtmError(f"not a readable CSV file: {error}", path=str(path)) from None
    return Table(str(path), header, rows)


def norm(text: str) -> str:
    """A value as compared: case, spaces and punctuation ignored ("Forced labour" = "ForcedLabour")."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


@dataclass
class Report:
    """What an import did, for the person running it: mapped values with their counts, values it
    could not map (with why), and the columns it did not read (by name only, never their cells)."""

    source: str
    rows: int = 0
    mapped: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # column -> "code → value"
    unmapped: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # column -> "code — why"
    not_read: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # why -> columns

    def text(self, written: list[Path], out: Path) -> str:
        lines = [f"{self.rows} row(s) of {self.source} -> {len(written)} case file(s) in {out}"]
        if self.mapped:
            lines.append("Mapped:")
            lines += [
                f"  {column}: " + ", ".join(f"{what} ({n})" for what, n in sorted(counts.items()))
                for column, counts in self.mapped.items()
            ]
        if self.unmapped:
            lines.append("Could not map (left unknown):")
            lines += [
                f"  {column}: " + "; ".join(f"{what} ({n})" for what, n in sorted(counts.items()))
                for column, counts in self.unmapped.items()
            ]
        for why, columns in self.not_read.items():
            lines.append(f"Not read ({why}): " + ", ".join(columns))
        return "\n".join(lines)


def case_text(case: CaseFile, origin: str) -> str:
    return (
        f"# imported by ctm from {origin}\n"
        "# A pseudonymous reference only: never add a name, an address or a photograph.\n"
        + yaml.safe_dump(case.to_file_dict(), sort_keys=False, allow_unicode=True)
    )


def write_case_files(files: list[tuple[CaseFile, str]], out: Path) -> list[Path]:
    """Write each case as OUT/<case_id>.yaml, all or none: an existing file of the same name is
    refused before anything is written, and the files are written aside and then moved in."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CtmError("exists and is not a directory", path=str(out))
    names = [f"{case.case_id}.yaml" for case, _ in files]
    clash = next((n for n in names if (out / n).exists()), None)
    if clash:
        raise CtmError(f"{clash} already exists there: nothing was written (choose another --out)", path=str(out))
    parent = out if out.is_dir() else out.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".ctm-import-", dir=parent))
    try:
        for (case, origin), name in zip(files, names):
            (staging / name).write_text(case_text(case, origin), encoding="utf-8")
        if out.is_dir():
            for name in names:
                os.replace(staging / name, out / name)
            staging.rmdir()
        else:
            os.rename(staging, out)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise CtmError(f"could not write the case files: {error.strerror}", path=str(out)) from None
    return [out / name for name in names]


@contextmanager
def atomic_path(path: Path) -> Iterator[str]:
    """A path to write a whole file at, moved over `path` only once written (else `path` is left as it was)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, staging = tempfile.mkstemp(prefix=".ctm-", suffix=path.suffix, dir=path.parent)
    os.close(handle)
    try:
        yield staging
        os.replace(staging, path)
    except OSError as error:
        raise CtmError(f"could not write: {error.strerror}", path=str(path)) from None
    finally:
        Path(staging).unlink(missing_ok=True)


def write_text_atomic(path: Path, text: str) -> None:
    with atomic_path(path) as staging:
        Path(staging).write_text(text, encoding="utf-8", newline="")
