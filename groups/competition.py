"""The competitor rule: when two companies may not sit in the same cohort.

Two companies compete when their NAF codes agree at the chapter's granularity
(sub-class, class or group) or when a conflict between them was declared. The rule
is pure: it compares "parties" (a company, a candidate, a CSV row: anything with a
SIRET, a NAF code and a name), so the forms, the admin, the CSV import, the composer
and the command all ask the same question the same way. Declared conflicts are held
per SIREN (the legal entity), so they apply to candidates before they are companies.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from django.utils.translation import gettext as _

from groups.enums import CompetitorGranularity
from members import naf


class Party(Protocol):
    """A company-like thing: what the rule needs to know about it."""

    siret: str
    naf_code: str

    def __str__(self) -> str: ...


def activity_key(naf_code: str, granularity: str) -> str:
    """The part of a NAF code two competitors share: 62.01Z, 62.01 or 62.0."""
    code = naf.normalize_code(naf_code)
    if granularity == CompetitorGranularity.SUBCLASS:
        return code
    if granularity == CompetitorGranularity.GROUP:
        return code[:4]
    return code[:5]


def activity_label(naf_code: str, granularity: str) -> str:
    """The shared activity in words, for the refusal message: "62.01 Programmation informatique"."""
    entry = naf.lookup(naf_code)
    key = activity_key(naf_code, granularity)
    if entry is None:
        return key
    if granularity == CompetitorGranularity.SUBCLASS:
        return f"{entry.code} {entry.label}"
    if granularity == CompetitorGranularity.GROUP:
        return f"{entry.group_code} {entry.group_label}"
    return f"{entry.class_code} {entry.class_label}"


def division_of(naf_code: str) -> str:
    """The NAF division (two digits), the unit of a cohort's activity mix."""
    return naf.normalize_code(naf_code)[:2]


def siren_of(siret: str) -> str:
    return (siret or "")[:9]


def pair_key(siren_a: str, siren_b: str) -> tuple[str, str]:
    """A declared conflict is symmetric: stored and looked up in SIREN order."""
    return (siren_a, siren_b) if siren_a <= siren_b else (siren_b, siren_a)


@dataclass(frozen=True)
class Declaration:
    """A declared conflict between two legal entities, as the rule needs it."""

    siren_a: str
    siren_b: str
    description: str  # who declared it and why, for the refusal message


@dataclass(frozen=True)
class Conflict:
    """Why `party` may not join a cohort where `other` already is."""

    party: object
    other: object
    kind: str  # "activity" or "declared"
    message: str


class Rule:
    """The rule at one chapter's granularity, with the chapter's declared conflicts."""

    def __init__(self, granularity: str, declarations: Iterable[Declaration] = ()):
        self.granularity = granularity
        self.declared: dict[tuple[str, str], Declaration] = {}
        for declaration in declarations:
            self.declared.setdefault(pair_key(declaration.siren_a, declaration.siren_b), declaration)

    def conflict(self, party: Party, other: Party) -> Conflict | None:
        """The reason `party` and `other` compete, or None. The same entity never competes with itself."""
        siren, other_siren = siren_of(party.siret), siren_of(other.siret)
        if siren == other_siren:
            return None
        declaration = self.declared.get(pair_key(siren, other_siren))
        if declaration is not None:
            return Conflict(
                party,
                other,
                "declared",
                _("%(party)s cannot join: a conflict with %(other)s was declared (%(declaration)s).")
                % {"party": party, "other": other, "declaration": declaration.description},
            )
        if activity_key(party.naf_code, self.granularity) == activity_key(other.naf_code, self.granularity):
            return Conflict(
                party,
                other,
                "activity",
                _("%(party)s cannot join: %(other)s is already there with the same activity (%(activity)s).")
                % {
                    "party": party,
                    "other": other,
                    "activity": activity_label(other.naf_code, self.granularity),
                },
            )
        return None

    def conflicts(self, party: Party, others: Iterable[Party]) -> list[Conflict]:
        """Every member of `others` that competes with `party`, in the order given."""
        return [found for other in others if (found := self.conflict(party, other)) is not None]

    def pairs_within(self, parties: list[Party]) -> list[Conflict]:
        """Every competing pair inside one group (for warnings on a cohort page)."""
        found = []
        for index, party in enumerate(parties):
            for other in parties[index + 1 :]:
                conflict = self.conflict(other, party)
                if conflict is not None:
                    found.append(conflict)
        return found
