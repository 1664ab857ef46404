"""CSV files with a header row: choosing the target and feature columns, deciding between
classification and regression, and refusing text or missing cells with the row and column.

Python's csv module and numpy; no pandas, no torch.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
from pathlib import Path

import numpy as np

from .dataset import Loaded
from .errors import DataError
from .options import Options

OPTIONS = {
    "target": "the column to predict (default: the last one), or 'input' for an autoencoder",
    "features": "comma-separated columns to learn from (default: every other column)",
    "task": "classification or regression (default: decided from the target column)",
}

# A numeric target with at most this many distinct whole values is read as class labels.
MAX_INTEGER_CLASSES = 20
_MISSING = {"", "na", "n/a", "nan", "null", "none", "?", "-"}
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


def load_csv(location: str, opts: Options, *, reconstruct: bool) -> Loaded:
    path = Path(location).expanduser()
    header, rows, lines = _read(path)
    target_name = None if reconstruct else opts.text("target", header[-1])
    target = None if target_name is None else _column(header, target_name, path)
    task = opts.choice("task", ("classification", "regression"))
    if reconstruct and task is not None:
        raise DataError(f"task={task} does not apply with target=input, which always reconstructs "
                        "the input — remove task=")

    if "features" in opts:
        names = [f.strip() for f in opts.text("features").split(",") if f.strip()]
        features = list(dict.fromkeys(_column(header, f, path) for f in names))
        if target in features:
            raise DataError(f"'{header[target]}' is the target, so it cannot also be a feature — "
                            f"remove it from features=")
    else:
        features = [i for i in range(len(header)) if i != target]
    if not features:
        raise DataError(f"{path.name} has no feature columns besides the target '{header[target]}' — "
                        "add columns to learn from")

    columns = {i: [row[i] for row in rows] for i in (*features, *([target] if target is not None else []))}
    _refuse_text_features(header, features, columns, lines, path)
    _refuse_missing(header, columns, lines, path)
    x = np.array([[float(v) for v in columns[i]] for i in features], dtype=np.float64).T
    _refuse_infinite(header, features, x, lines, path)

    description = (f"{len(rows)} rows of {path.name} with {len(features)} feature"
                   f"{'s' if len(features) != 1 else ''}")
    if target is None:
        return Loaded(path.stem, description + ", reconstructed.", "reconstruction",
                      x.astype(np.float32), None, standardize=True)
    task, y, class_names = _target(header[target], columns[target], task, lines, path)
    what = f"{len(class_names)} classes" if class_names else "a number"
    return Loaded(path.stem, f"{description}, predicting '{header[target]}' ({what}).", task,
                  x.astype(np.float32), y, class_names, standardize=True)


def decode(raw: bytes) -> str:
    """A CSV file's text: UTF-8 (with or without a byte-order mark), else the Windows code page
    that spreadsheets on Windows often save in."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def delimiter_of(first_line: str) -> str:
    """Comma, semicolon or tab: whichever the header line uses most (comma when none)."""
    return max(",;\t", key=first_line.count) if any(d in first_line for d in ",;\t") else ","


def _read(path: Path) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, data rows and each row's line number as a spreadsheet counts it (header = 1)."""
    if not path.is_file():
        where = "is a folder, not a file" if path.is_dir() else "does not exist"
        raise DataError(f"the CSV file {path} {where} — check the path after csv: "
                        f"(a relative path starts from {Path.cwd()})")
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise DataError(f"the CSV file {path} cannot be read ({e.strerror}) — check its permissions") from None
    text = decode(raw)
    delimiter = delimiter_of(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = []
    try:
        for record in reader:
            if any(cell.strip() for cell in record):  # blank lines are not samples
                records.append((reader.line_num, [cell.strip() for cell in record]))
    except csv.Error as e:
        raise DataError(f"{path.name} is not a readable CSV file near row {reader.line_num} ({e}) — "
                        "fix that row or export the file again") from None
    if not records:
        raise DataError(f"{path.name} is empty — it needs a header row with column names, then one row per sample")
    (_, header), body = records[0], records[1:]
    if all(_is_number(h) for h in header):
        raise DataError(f"the first row of {path.name} holds numbers, but it must name the columns — "
                        "add a header row such as: " + ",".join(f"x{i + 1}" for i in range(len(header) - 1)) + ",label")
    for i, name in enumerate(header):
        if not name:
            raise DataError(f"column {i + 1} of {path.name} has no name in the header row — give it one")
        if name in header[:i]:
            raise DataError(f"{path.name} has two columns named '{name}' — rename one of them")
    if not body:
        raise DataError(f"{path.name} has a header but no rows of data")
    for line, row in body:
        if len(row) != len(header):
            raise DataError(f"row {line} of {path.name} has {len(row)} cells but the header has "
                            f"{len(header)} columns — fix that row")
    return header, [row for _, row in body], [line for line, _ in body]


def _column(header: list[str], name: str, path: Path) -> int:
    if name in header:
        return header.index(name)
    message = f"the CSV has no column '{name}'; its columns are: {', '.join(header)}"
    lowered = {h.lower(): h for h in header}
    close = ([lowered[name.lower()]] if name.lower() in lowered
             else difflib.get_close_matches(name, header, n=1, cutoff=0.6))
    raise DataError(message + (f" — did you mean '{close[0]}'?" if close else " — use one of those names"))


def _refuse_text_features(header: list[str], features: list[int], columns: dict[int, list[str]],
                          lines: list[int], path: Path) -> None:
    text = {}  # feature index → (row line, cell) of its first non-number
    for i in features:
        for line, cell in zip(lines, columns[i]):
            if cell.lower() not in _MISSING and not _is_number(cell):
                text[i] = (line, cell)
                break
    if not text:
        return
    i, (line, cell) = next(iter(text.items()))
    if _DECIMAL_COMMA.match(cell):
        raise DataError(f"column '{header[i]}' of {path.name} holds '{cell}' in row {line}: a decimal comma "
                        "is not read as a number — save the CSV with decimal points (3.5, not 3,5)")
    numeric = [header[j] for j in features if j not in text]
    if len(text) == 1:
        what, fix_it = f"column '{header[i]}' of {path.name} holds", "leave it out"
    else:
        named = ", ".join(f"'{header[j]}'" for j in text)
        what, fix_it = f"columns {named} of {path.name} hold", "leave them out"
    fix = (f"{fix_it} with features={','.join(numeric)}" if numeric
           else "turn the text into numbers first (for example one 0/1 column per category)")
    raise DataError(f"{what} text ('{cell}' in row {line}), not numbers — {fix}")


def _refuse_missing(header: list[str], columns: dict[int, list[str]], lines: list[int], path: Path) -> None:
    for r, line in enumerate(lines):
        for i, cells in columns.items():
            if cells[r].lower() in _MISSING:
                shown = "is empty" if not cells[r] else f"holds the missing value '{cells[r]}'"
                raise DataError(f"row {line} of {path.name} {shown} in column '{header[i]}' — "
                                "fill it in or delete the row")


def _refuse_infinite(header: list[str], features: list[int], x: np.ndarray, lines: list[int], path: Path) -> None:
    bad = np.argwhere(~np.isfinite(x))
    if len(bad):
        r, c = bad[0]
        raise DataError(f"row {lines[r]} of {path.name} holds an infinite value in column "
                        f"'{header[features[c]]}' — replace it with a finite number or delete the row")


def _target(name: str, cells: list[str], task: str | None, lines: list[int],
            path: Path) -> tuple[str, np.ndarray, list[str] | None]:
    numeric = all(_is_number(c) for c in cells)
    if not numeric:
        if task == "regression":
            example = next(c for c in cells if not _is_number(c))
            raise DataError(f"the target column '{name}' holds text ('{example}'), so it can only be "
                            "predicted as classes — remove task=regression")
        classes = sorted(set(cells))
        index = {c: k for k, c in enumerate(classes)}
        y = np.array([index[c] for c in cells], dtype=np.int64)
        return "classification", y, _at_least_two(classes, name)
    values = np.array([float(c) for c in cells])
    bad = np.flatnonzero(~np.isfinite(values))
    if len(bad):
        raise DataError(f"row {lines[bad[0]]} of {path.name} holds an infinite value in column '{name}' — "
                        "replace it with a finite number or delete the row")
    distinct = np.unique(values)
    looks_like_classes = bool(np.all(distinct == np.round(distinct))) and len(distinct) <= MAX_INTEGER_CLASSES
    if task == "regression" or (task is None and not looks_like_classes):
        return "regression", values.astype(np.float32).reshape(-1, 1), None
    y = np.searchsorted(distinct, values).astype(np.int64)
    return "classification", y, _at_least_two([f"{v:g}" for v in distinct], name)


def _at_least_two(classes: list[str], name: str) -> list[str]:
    if len(classes) < 2:
        raise DataError(f"the target column '{name}' has only one value ('{classes[0]}'); a classifier "
                        "needs at least two classes — choose another target or add samples of other classes")
    return classes


def _is_number(cell: str) -> bool:
    try:
        value = float(cell)
    except ValueError:
        return False
    return not math.isnan(value)  # 'nan' parses, but it marks a missing value
