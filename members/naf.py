"""The NAF rév. 2 nomenclature (INSEE), shipped with the project as data/naf_rev2.csv.

A company's activity is its NAF/APE sub-class, written `62.01Z`. The hierarchy
(section → division → group → class → sub-class) is what the competitor rule
compares at a chapter's granularity. See data/build_naf.py for the provenance.
"""

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "naf_rev2.csv"

# What people type: "6201Z", "62.01z", "62 01 Z", "62-01Z".
_LOOSE_CODE = re.compile(r"^\s*(\d{2})[\s.\-]?(\d{2})\s*([A-Za-z])\s*$")
CANONICAL_CODE = re.compile(r"^\d{2}\.\d{2}[A-Z]\Z")


@dataclass(frozen=True, slots=True)
class NafEntry:
    code: str
    label: str
    class_code: str
    class_label: str
    group_code: str
    group_label: str
    division_code: str
    division_label: str
    section_code: str
    section_label: str

    def __str__(self) -> str:
        return f"{self.code} — {self.label}"

    @property
    def section_title(self) -> str:
        """INSEE publishes section labels in capitals; shown in sentence case."""
        return self.section_label[:1] + self.section_label[1:].lower()


@cache
def nomenclature() -> dict[str, NafEntry]:
    """Every sub-class by code, in code order (read once per process)."""
    with DATA_FILE.open(encoding="utf-8", newline="") as data:
        return {row["code"]: NafEntry(**row) for row in csv.DictReader(data)}


def normalize_code(value: str) -> str:
    """Canonical spelling `62.01Z` of a code typed loosely; the input unchanged otherwise."""
    match = _LOOSE_CODE.match(value or "")
    if not match:
        return (value or "").strip()
    division_digits, class_digits, letter = match.groups()
    return f"{division_digits}.{class_digits}{letter.upper()}"


def lookup(code: str) -> NafEntry | None:
    return nomenclature().get(normalize_code(code))


def choices() -> list[tuple[str, str]]:
    return [(entry.code, str(entry)) for entry in nomenclature().values()]
