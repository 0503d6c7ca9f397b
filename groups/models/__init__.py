"""The network's models by subject: `network` (regions, chapters and their staff, cohorts,
memberships, sponsorships, the competitor rule's records) and `candidates`. Models are
imported from here (`from groups.models import Chapter`), as Django and the migrations do."""

from groups.models.candidates import DECLINE_REASON_MAX_LENGTH, MOTIVATION_MAX_LENGTH, Candidate
from groups.models.network import (
    Chapter,
    ChapterRole,
    Cohort,
    CompetitorOverride,
    DeclaredConflict,
    Membership,
    Region,
    Sponsorship,
    _default_months_off,  # named by migration 0001 as groups.models._default_months_off
)

__all__ = [
    "DECLINE_REASON_MAX_LENGTH",
    "MOTIVATION_MAX_LENGTH",
    "Candidate",
    "Chapter",
    "ChapterRole",
    "Cohort",
    "CompetitorOverride",
    "DeclaredConflict",
    "Membership",
    "Region",
    "Sponsorship",
    "_default_months_off",
]
