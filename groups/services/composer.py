"""The composer: its proposal for a chapter's qualified candidates, and the confirmation that creates the cohorts."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups import selectors
from groups.composer import ComposerCandidate, Proposal, compose
from groups.models import Candidate, Chapter, Cohort
from groups.services.candidates import place_candidate
from groups.services.cohorts import create_cohort


@dataclass(frozen=True)
class ProposedCohort:
    name: str
    candidate_ids: list[int]


@transaction.atomic
def confirm_composition(
    chapter: Chapter,
    proposed: list[ProposedCohort],
    *,
    actor,
    start_date: datetime.date | None = None,
    min_size: int | None = None,
) -> list[Cohort]:
    """The coordinator confirms the composer's proposal: forming cohorts, candidates placed.

    All or nothing: a competitor pair (the rule is asked again, declarations may have
    changed), a candidate no longer qualified or a taken name cancels the whole.
    """
    if not proposed:
        raise ValidationError(_("The proposal has no cohort to create."))
    seen: set[int] = set()
    candidates = {
        candidate.pk: candidate
        for candidate in Candidate.objects.filter(
            chapter=chapter, pk__in=[pk for group in proposed for pk in group.candidate_ids]
        )
    }
    cohorts = []
    min_size = chapter.group_min_size if min_size is None else min_size
    for group in proposed:
        if len(group.candidate_ids) < min_size:
            raise ValidationError(
                ngettext(
                    "%(name)s has %(size)d member: a group needs at least %(min)d.",
                    "%(name)s has %(size)d members: a group needs at least %(min)d.",
                    len(group.candidate_ids),
                )
                % {"name": group.name, "size": len(group.candidate_ids), "min": min_size}
            )
        if len(group.candidate_ids) > chapter.group_max_size:
            raise ValidationError(
                _("%(name)s has %(size)d members: a group has at most %(max)d.")
                % {"name": group.name, "size": len(group.candidate_ids), "max": chapter.group_max_size}
            )
        if Cohort.objects.filter(chapter=chapter, name__iexact=group.name.strip()).exists():
            raise ValidationError(
                _("A cohort named “%(name)s” already exists in this chapter: choose another name.")
                % {"name": group.name}
            )
        cohort = create_cohort(chapter, name=group.name, start_date=start_date, actor=actor)
        for candidate_id in group.candidate_ids:
            candidate = candidates.get(candidate_id)
            if candidate is None or candidate_id in seen:
                raise ValidationError(
                    _("The proposal no longer matches the candidates: run the composer again.")
                )
            seen.add(candidate_id)
            place_candidate(candidate, cohort, actor=actor, joined_on=start_date)
        cohorts.append(cohort)
    return cohorts


# The composer -------------------------------------------------------------------------


def composer_candidate(candidate: Candidate) -> ComposerCandidate:
    return ComposerCandidate(
        key=str(candidate.pk),
        siret=candidate.siret,
        naf_code=candidate.naf_code,
        postcode=candidate.postcode,
        town=candidate.town,
        name=candidate.company_name,
    )


def propose_cohorts(chapter: Chapter, *, min_size: int, max_size: int, time_limit: float = 8.0) -> Proposal:
    """The composer's proposal for the chapter's qualified candidates (keys are candidate ids).

    Nothing is written: the coordinator looks, moves people, then confirms
    (`confirm_composition`).
    """
    candidates = [composer_candidate(candidate) for candidate in selectors.qualified_candidates(chapter)]
    return compose(
        candidates,
        rule=selectors.competitor_rule(chapter),
        min_size=min_size,
        max_size=max_size,
        time_limit=time_limit,
    )
