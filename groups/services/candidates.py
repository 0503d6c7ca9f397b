"""Candidates: the public application and its acknowledgement, the coordinator's entry,
the CSV import, qualifying, declining and placing one in a cohort."""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from groups.candidate_csv import RowError, parse_candidates
from groups.enums import CandidateSource, CandidateState, CohortState, MembershipState
from groups.models import Candidate, Chapter, Cohort, Membership
from groups.services.cohorts import save_or_explain
from groups.services.memberships import CompetitorRefused, add_member, conflicts_for
from members.models import Company, User
from members.services import save_person
from plato.emails import build_email
from plato.tasks import enqueue_each, enqueue_on_commit

OPEN_CANDIDATE_STATES = [CandidateState.NEW, CandidateState.QUALIFIED]


def _already_in(chapter: Chapter, sirets: list[str]) -> dict[str, str]:
    """SIRET → why that company may not apply again (an open application, a place in an
    open cohort), in two queries whatever the number of SIRETs."""
    applying = set(
        Candidate.objects.filter(
            chapter=chapter, siret__in=sirets, state__in=OPEN_CANDIDATE_STATES
        ).values_list("siret", flat=True)
    )
    members = dict(
        Membership.objects.filter(
            cohort__chapter=chapter, company__siret__in=sirets, state=MembershipState.ACTIVE
        )
        .exclude(cohort__state=CohortState.CLOSED)
        .values_list("company__siret", "cohort__name")
    )
    reasons = {}
    for siret in sirets:
        if siret in applying:
            reasons[siret] = _("An application for SIRET %(siret)s is already under way.") % {"siret": siret}
        elif siret in members:
            reasons[siret] = _("The company with SIRET %(siret)s is already a member of %(cohort)s.") % {
                "siret": siret,
                "cohort": members[siret],
            }
    return reasons


def _save_new_candidate(candidate: Candidate, *, source: str) -> Candidate:
    candidate.source = source
    candidate.email = candidate.email.strip().lower()
    candidate.full_clean(validate_constraints=False)
    problem = _already_in(candidate.chapter, [candidate.siret]).get(candidate.siret)
    if problem:
        raise ValidationError({"siret": problem})
    candidate.validate_constraints()
    save_or_explain(
        candidate, {"siret": _("This company already has an application under way in this chapter.")}
    )
    return candidate


def _mark_duplicate(candidate: Candidate) -> None:
    """What a public application repeats: the company's application still under way (the
    first one, when there are several), its place in an open cohort of the chapter."""
    open_applications = Candidate.objects.filter(
        chapter=candidate.chapter, siret=candidate.siret, state__in=OPEN_CANDIDATE_STATES
    ).exclude(pk=candidate.pk)
    candidate.duplicate_of = (
        open_applications.filter(duplicate_of__isnull=True).first()
        or open_applications.order_by("created_at", "pk").first()
    )
    candidate.duplicate_of_membership = (
        Membership.objects.filter(
            cohort__chapter=candidate.chapter, company__siret=candidate.siret, state=MembershipState.ACTIVE
        )
        .exclude(cohort__state=CohortState.CLOSED)
        .select_related("cohort")
        .first()
    )


@transaction.atomic
def submit_application(candidate: Candidate) -> Candidate:
    """A leader applies through the public form; they get an acknowledgement by e-mail
    (a Celery task enqueued after the commit; `sweep_acknowledgements` if the broker was down).

    Every valid application is kept and acknowledged alike, so that the form tells no
    visitor whether a company (its SIRET is public) is a member or already applying. One
    that repeats an application under way or a member's place is marked as a duplicate
    of it, for the coordinator to see on the candidates' list and decline."""
    candidate.state = CandidateState.NEW
    candidate.source = CandidateSource.FORM
    candidate.email = candidate.email.strip().lower()
    candidate.full_clean(validate_constraints=False)
    _mark_duplicate(candidate)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        # The same company's application was saved at the same moment: this one repeats it.
        _mark_duplicate(candidate)
        candidate.save()
    enqueue_on_commit("groups.acknowledge_application", candidate.pk)
    return candidate


# An application from the form still unacknowledged this long after it came in lost its
# task (the broker was down, a worker died): the sweep hands it over again, for two days.
ACKNOWLEDGE_AFTER = datetime.timedelta(minutes=10)
ACKNOWLEDGE_GIVE_UP = datetime.timedelta(days=2)


def acknowledge_application(candidate_id: int) -> bool:
    """The applicant's acknowledgement e-mail (sent by a Celery task after the commit), at
    most once: the application is locked (another worker holding it is left to it) and
    stamped `acknowledged_at` in the transaction that sent the e-mail; a failure leaves it
    unstamped for the task's retry, then for the sweep. Its Message-ID is fixed by the
    application, so the one window left (killed between the server's "250" and the commit)
    shows as one message. Returns False when gone or already acknowledged.

    Anyone may type anyone's address on the public form: the e-mail carries nothing the
    applicant typed but their first name (not the company, the motivation, the town…),
    so that the form cannot carry someone's text to somebody else's mailbox.
    """
    with transaction.atomic():
        candidate = (
            Candidate.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("chapter")
            .filter(pk=candidate_id, acknowledged_at__isnull=True)
            .first()
        )
        if candidate is None:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Your application to %(chapter)s") % {"chapter": candidate.chapter.name}
        build_email(
            "groups/application_received",
            {"first_name": candidate.first_name, "chapter": candidate.chapter},
            subject=subject,
            to=[candidate.email],
            message_of=("application", candidate),
        ).send()
        Candidate.objects.filter(pk=candidate.pk).update(acknowledged_at=timezone.now())
    return True


def sweep_acknowledgements(*, older_than: datetime.timedelta = ACKNOWLEDGE_AFTER) -> int:
    """Run by beat: applications from the form whose acknowledgement is still unsent a while
    after they came in go back to the task. Returns how many were handed over."""
    now = timezone.now()
    ids = list(
        Candidate.objects.filter(
            source=CandidateSource.FORM,
            acknowledged_at__isnull=True,
            created_at__lte=now - older_than,
            created_at__gt=now - ACKNOWLEDGE_GIVE_UP,
        )
        .exclude(email="")
        .values_list("pk", flat=True)
    )
    enqueue_each("groups.acknowledge_application", ids)
    return len(ids)


@transaction.atomic
def create_candidate(candidate: Candidate, *, actor) -> Candidate:
    """A coordinator enters a candidate met in person."""
    return _save_new_candidate(candidate, source=CandidateSource.COORDINATOR)


@transaction.atomic
def update_candidate(candidate: Candidate, *, actor) -> Candidate:
    """A coordinator corrects an application still under way."""
    stored = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if stored.state not in OPEN_CANDIDATE_STATES:
        raise ValidationError(_("A placed or declined candidate can no longer be changed."))
    candidate.email = candidate.email.strip().lower()
    if candidate.is_duplicate:
        # A corrected SIRET may no longer repeat anything (or repeat something else).
        _mark_duplicate(candidate)
    candidate.full_clean()
    candidate.save()
    return candidate


@dataclass
class ImportResult:
    created: list[Candidate] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def import_candidates(
    chapter: Chapter, data: bytes, *, actor, qualified: bool = False, cohort: Cohort | None = None
) -> ImportResult:
    """All the file's candidates, or none: every bad row is reported with its line and reason.

    With `cohort`, every candidate is also placed in that cohort, in the file's order,
    through the competitor rule: a row competing with a member (or an earlier row), or
    one row too many for the cohort's size, cancels the whole import.
    """
    parsed = parse_candidates(data)
    result = ImportResult(errors=list(parsed.errors))
    already = _already_in(chapter, [row.siret for row in parsed.rows])
    result.errors += [RowError(row.line, already[row.siret]) for row in parsed.rows if row.siret in already]
    if cohort is not None and cohort.chapter_id != chapter.pk:
        result.errors.append(RowError(0, _("The cohort belongs to another chapter.")))
    if result.errors:
        result.errors.sort(key=lambda error: error.line)
        return result
    state = CandidateState.QUALIFIED if qualified or cohort is not None else CandidateState.NEW
    try:
        with transaction.atomic():
            result.created = Candidate.objects.bulk_create(
                Candidate(
                    chapter=chapter,
                    state=state,
                    source=CandidateSource.IMPORT,
                    company_name=row.company_name,
                    siret=row.siret,
                    naf_code=row.naf_code,
                    postcode=row.postcode,
                    town=row.town,
                    first_name=row.leader_first_name,
                    last_name=row.leader_last_name,
                    email=row.email,
                )
                for row in parsed.rows
            )
            if cohort is not None:
                for row, candidate in zip(parsed.rows, result.created, strict=True):
                    try:
                        place_candidate(candidate, cohort, actor=actor)
                    except ValidationError as error:
                        result.errors.extend(RowError(row.line, message) for message in error.messages)
            if result.errors:
                raise _ImportCancelled
    except _ImportCancelled:
        result.created = []
    return result


class _ImportCancelled(Exception):
    """Rolls back a placement import that found errors (the errors are the result)."""


def _move(candidate: Candidate, allowed: set[str], target: str, message: str) -> Candidate:
    if candidate.state not in allowed:
        raise ValidationError(message)
    candidate.state = target
    return candidate


def _refuse_a_standing_duplicate(candidate: Candidate) -> None:
    """A duplicate is qualified only once what it repeats is over (declined, placed, left)."""
    original = candidate.duplicate_of
    if original is not None and original.state in OPEN_CANDIDATE_STATES:
        raise ValidationError(
            _(
                "This application repeats the one of %(company)s received on %(date)s, still under way. "
                "Decline one of the two first."
            )
            % {"company": original.company_name, "date": formats.date_format(original.created_at.date())}
        )
    place = candidate.duplicate_of_membership
    if (
        place is not None
        and place.state == MembershipState.ACTIVE
        and place.cohort.state != CohortState.CLOSED
    ):
        raise ValidationError(
            _("This company is already a member of %(cohort)s: decline this application.")
            % {"cohort": place.cohort.name}
        )


@transaction.atomic
def qualify_candidate(candidate: Candidate, *, actor) -> Candidate:
    """new → qualified: the coordinator met the leader; the composer may now place them.
    A duplicate is refused while what it repeats stands; after that, it loses its mark."""
    _move(
        candidate,
        {CandidateState.NEW},
        CandidateState.QUALIFIED,
        _("Only a new candidate can be qualified."),
    )
    if candidate.is_duplicate:
        _refuse_a_standing_duplicate(candidate)
        candidate.duplicate_of = candidate.duplicate_of_membership = None
    save_or_explain(
        candidate, {"siret": _("This company already has an application under way in this chapter.")}
    )
    return candidate


@transaction.atomic
def decline_candidate(candidate: Candidate, *, actor, reason: str) -> Candidate:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the application is declined.")})
    _move(
        candidate,
        {CandidateState.NEW, CandidateState.QUALIFIED},
        CandidateState.DECLINED,
        _("A placed or declined candidate cannot be declined."),
    )
    candidate.decline_reason = reason.strip()
    candidate.save(update_fields=["state", "decline_reason", "updated_at"])
    return candidate


def _company_and_leader(candidate: Candidate, *, actor) -> tuple[Company, User]:
    """The candidate's company and leader as records: found by SIRET and e-mail, or created."""
    chapter = candidate.chapter
    company = Company.objects.filter(chapter=chapter, siret=candidate.siret).first()
    if company is None:
        company = Company(
            chapter=chapter,
            name=candidate.company_name,
            siret=candidate.siret,
            naf_code=candidate.naf_code,
            size_band=candidate.size_band,
            postcode=candidate.postcode,
            town=candidate.town,
        )
        company.full_clean()
        company.save()
    person = User.objects.filter(email__iexact=candidate.email).first()
    if person is None:
        person = User(
            email=candidate.email,
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            phone=candidate.phone,
            chapter=chapter,
            company=company,
        )
        save_person(person, actor=actor)
    elif person.company_id is None:
        if (
            person.is_superuser
            or person.chapter_roles.exists()
            or person.chapter_id not in (None, chapter.pk)
        ):
            raise ValidationError(
                _(
                    "The e-mail %(email)s belongs to an account of the CCI or of another chapter: "
                    "give the candidate their own address."
                )
                % {"email": candidate.email}
            )
        person.company = company
        person.save(update_fields=["company"])
    elif person.company_id != company.pk:
        raise ValidationError(
            _("The e-mail %(email)s already belongs to %(person)s of %(company)s.")
            % {"email": candidate.email, "person": person, "company": person.company}
        )
    return company, person


@transaction.atomic
def place_candidate(
    candidate: Candidate,
    cohort: Cohort,
    *,
    actor,
    justification: str = "",
    joined_on: datetime.date | None = None,
) -> Membership:
    """A qualified candidate joins a cohort: company and leader recorded, the rule asked."""
    candidate = Candidate.objects.select_for_update().select_related("chapter").get(pk=candidate.pk)
    if candidate.state != CandidateState.QUALIFIED:
        raise ValidationError(_("Only a qualified candidate can be placed in a cohort."))
    if cohort.chapter_id != candidate.chapter_id:
        raise ValidationError(_("The cohort belongs to another chapter."))
    # Ask the rule before creating any record, so that a refusal leaves nothing behind.
    if not justification.strip():
        conflicts = conflicts_for(cohort, candidate)
        if conflicts:
            raise CompetitorRefused(conflicts)
    company, person = _company_and_leader(candidate, actor=actor)
    membership = add_member(
        cohort, company, person=person, actor=actor, justification=justification, joined_on=joined_on
    )
    candidate.state = CandidateState.PLACED
    candidate.membership = membership
    candidate.save(update_fields=["state", "membership", "updated_at"])
    return membership
