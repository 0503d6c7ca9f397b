"""Writes about chapters, cohorts, memberships, sponsors, conflicts and candidates.

Every path that puts a company in a cohort — the forms, the admin, the CSV import,
the composer's confirmation, the demo — goes through `add_member`, which asks the
competitor rule (groups.competition) and records a coordinator's override in the
audit log (CompetitorOverride). Errors are ValidationErrors with French messages;
a refused write leaves the database as it was.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from groups import competition, permissions, selectors
from groups.candidate_csv import RowError, parse_candidates
from groups.composer import ComposerCandidate, Proposal, compose
from groups.enums import (
    CandidateSource,
    CandidateState,
    CohortState,
    ConflictSource,
    MembershipState,
    StaffRole,
)
from groups.models import (
    Candidate,
    Chapter,
    ChapterRole,
    Cohort,
    CompetitorOverride,
    DeclaredConflict,
    Membership,
    Sponsorship,
)
from members.models import Company, User
from members.services import save_person
from plato.emails import build_email
from plato.tasks import enqueue_each, enqueue_on_commit

MAX_SPONSORS = 3


class CompetitorRefused(ValidationError):
    """The competitor rule refused a company; `conflicts` says with whom and why."""

    def __init__(self, conflicts: list[competition.Conflict]):
        self.conflicts = conflicts
        super().__init__([conflict.message for conflict in conflicts], code="competitor")


@transaction.atomic
def update_chapter_settings(chapter: Chapter, *, actor) -> Chapter:
    """Validate every setting and the chapter's constraints, then save."""
    chapter.full_clean()
    chapter.save()
    return chapter


# Cohorts ---------------------------------------------------------------------------


def two_years_after(start: datetime.date) -> datetime.date:
    """The programme lasts two years: 2026-09-15 → 2028-09-14 (29 February → 28 February)."""
    if start.year > datetime.MAXYEAR - 2:
        raise ValidationError({"start_date": _("This start date is not plausible: check the year.")})
    try:
        anniversary = start.replace(year=start.year + 2)
    except ValueError:
        anniversary = start.replace(year=start.year + 2, day=28)
    return anniversary - datetime.timedelta(days=1)


def _check_facilitators(chapter: Chapter, facilitators) -> None:
    allowed = set(
        ChapterRole.objects.filter(chapter=chapter, role=StaffRole.FACILITATOR).values_list(
            "user_id", flat=True
        )
    )
    strangers = [person for person in facilitators if person.pk not in allowed]
    if strangers:
        raise ValidationError(
            {
                "facilitators": ngettext(
                    "%(names)s is not a facilitator of %(chapter)s.",
                    "%(names)s are not facilitators of %(chapter)s.",
                    len(strangers),
                )
                % {"names": ", ".join(str(person) for person in strangers), "chapter": chapter}
            }
        )


@transaction.atomic
def create_cohort(
    chapter: Chapter, *, name: str, start_date: datetime.date | None, facilitators=(), actor
) -> Cohort:
    """A new cohort, forming; its end is two years after its start."""
    cohort = Cohort(chapter=chapter, name=name.strip(), start_date=start_date, state=CohortState.FORMING)
    cohort.end_date = two_years_after(start_date) if start_date else None
    cohort.full_clean()
    _check_facilitators(chapter, facilitators)
    _save_or_explain(cohort, {"name": _("Another cohort of this chapter already has this name.")})
    cohort.facilitators.set(facilitators)
    return cohort


def _save_or_explain(instance, errors: dict) -> None:
    """Save; if a unique constraint was beaten by a concurrent request, say so on the form."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError:
        raise ValidationError(errors) from None


@transaction.atomic
def update_cohort(cohort: Cohort, *, name: str, start_date, facilitators=(), actor) -> Cohort:
    if cohort.is_closed:
        raise ValidationError(_("A closed cohort can no longer be changed."))
    cohort.name = name.strip()
    if start_date != cohort.start_date:
        cohort.start_date = start_date
        cohort.end_date = two_years_after(start_date) if start_date else None
    cohort.full_clean()
    _check_facilitators(cohort.chapter, facilitators)
    cohort.save()
    cohort.facilitators.set(facilitators)
    return cohort


def _locked(cohort: Cohort) -> Cohort:
    """The cohort row locked until the transaction ends: size checks and lifecycle
    changes on one cohort are serialised (two coordinators adding the 12th member)."""
    return Cohort.objects.select_for_update().select_related("chapter").get(pk=cohort.pk)


@transaction.atomic
def start_cohort(cohort: Cohort, *, actor) -> Cohort:
    """forming → active: the cohort has a start date and at least its minimum size.
    Its meetings for the two years are generated (meetings.services.generate_schedule)."""
    cohort = _locked(cohort)
    if cohort.state != CohortState.FORMING:
        raise ValidationError(_("Only a forming cohort can start."))
    if cohort.start_date is None:
        raise ValidationError(_("Set the start date before starting the cohort."))
    size = cohort.memberships.filter(state=MembershipState.ACTIVE).count()
    if size < cohort.min_size:
        raise ValidationError(
            ngettext(
                "The cohort has %(size)d member; it needs at least %(min)d to start.",
                "The cohort has %(size)d members; it needs at least %(min)d to start.",
                size,
            )
            % {"size": size, "min": cohort.min_size}
        )
    cohort.state = CohortState.ACTIVE
    cohort.save(update_fields=["state"])
    from meetings.services import generate_schedule  # meetings builds on groups, not the reverse

    generate_schedule(cohort, actor=actor)
    return cohort


@transaction.atomic
def close_cohort(cohort: Cohort, *, actor, closed_on: datetime.date | None = None) -> Cohort:
    """active → closed: members become alumni (their history stays), sponsorships end.

    `actor` is None when Celery beat closes a cohort whose two years are over (nothing is
    audited about a closing: the memberships' `left_on` and state record it). Each new
    alumni's end-of-programme certificate is e-mailed to them once, after the commit
    (billing.exports.services.plan_certificate_emails)."""
    cohort = _locked(cohort)
    if cohort.state != CohortState.ACTIVE:
        raise ValidationError(_("Only an active cohort can be closed."))
    closed_on = closed_on or timezone.localdate()
    new_alumni = list(cohort.memberships.filter(state=MembershipState.ACTIVE).values_list("pk", flat=True))
    cohort.memberships.filter(pk__in=new_alumni).update(state=MembershipState.ALUMNI, left_on=closed_on)
    cohort.sponsorships.filter(ended_on__isnull=True).update(ended_on=closed_on)
    cohort.state = CohortState.CLOSED
    cohort.save(update_fields=["state"])
    from documents.services import plan_certificate_emails  # billing builds on groups

    plan_certificate_emails(new_alumni)
    return cohort


# Members ---------------------------------------------------------------------------


def active_companies(cohort: Cohort, *, exclude_company: Company | None = None) -> list[Company]:
    memberships = cohort.memberships.filter(state=MembershipState.ACTIVE).select_related("company")
    if exclude_company is not None:
        memberships = memberships.exclude(company=exclude_company)
    return [membership.company for membership in memberships]


def conflicts_for(
    cohort: Cohort, party, *, rule: competition.Rule | None = None
) -> list[competition.Conflict]:
    """What the competitor rule says about `party` joining `cohort` as it is now."""
    rule = rule or selectors.competitor_rule(cohort.chapter)
    others = [company for company in active_companies(cohort) if company.siret != party.siret]
    return rule.conflicts(party, others)


def check_admission(
    cohort: Cohort, company: Company, *, person: User, actor, justification: str = ""
) -> list[competition.Conflict]:
    """Every reason `add_member` would refuse, without writing anything (forms and the admin
    call it to show errors on the form). Returns the conflicts a justification overrides."""
    chapter = cohort.chapter
    if cohort.is_closed:
        raise ValidationError(_("%(cohort)s is closed: it takes no new members.") % {"cohort": cohort})
    if company.chapter_id != chapter.pk:
        raise ValidationError(
            _("%(company)s belongs to another chapter than %(cohort)s.")
            % {"company": company, "cohort": cohort}
        )
    if person.company_id != company.pk:
        raise ValidationError(
            _("%(person)s is not recorded as working for %(company)s: attach them to the company first.")
            % {"person": person, "company": company}
        )
    elsewhere = (
        Membership.objects.filter(company=company, state=MembershipState.ACTIVE)
        .exclude(cohort__state=CohortState.CLOSED)
        .select_related("cohort")
        .first()
    )
    if elsewhere is not None:
        if elsewhere.cohort_id == cohort.pk:
            raise ValidationError(
                _("%(company)s is already a member of %(cohort)s.") % {"company": company, "cohort": cohort}
            )
        raise ValidationError(
            _("%(company)s already holds a place in %(cohort)s: a company sits in one cohort at a time.")
            % {"company": company, "cohort": elsewhere.cohort}
        )
    size = cohort.memberships.filter(state=MembershipState.ACTIVE).count()
    if size >= cohort.max_size:
        raise ValidationError(
            _("%(cohort)s is full: it already has %(size)d members, the most a group may have.")
            % {"cohort": cohort, "size": size}
        )
    conflicts = conflicts_for(cohort, company)
    if conflicts:
        if not justification.strip():
            raise CompetitorRefused(conflicts)
        if not permissions.is_coordinator_of(actor, chapter):
            raise ValidationError(_("Only a coordinator of the chapter may let a competitor in."))
    return conflicts


@transaction.atomic
def add_member(
    cohort: Cohort,
    company: Company,
    *,
    person: User,
    actor,
    justification: str = "",
    joined_on: datetime.date | None = None,
) -> Membership:
    """Give `company`, led by `person`, a place in `cohort`.

    Refused (ValidationError) when the cohort is closed or full, when the person does
    not lead the company, when either is of another chapter, when the company already
    holds a place in an open cohort, and — CompetitorRefused — when a competitor is
    already there. A coordinator may override the last with a written justification:
    each conflict overridden is written to the audit log (CompetitorOverride).
    """
    cohort = _locked(cohort)
    # One place per company across open cohorts cannot be a database constraint (the
    # cohort's state is another table): the company's row serialises its admissions.
    Company.objects.select_for_update().filter(pk=company.pk).first()
    conflicts = check_admission(cohort, company, person=person, actor=actor, justification=justification)
    justification = justification.strip()
    membership = Membership(
        cohort=cohort,
        company=company,
        person=person,
        state=MembershipState.ACTIVE,
        joined_on=joined_on or timezone.localdate(),
    )
    membership.full_clean(validate_constraints=False)
    membership.save()
    CompetitorOverride.objects.bulk_create(
        CompetitorOverride(
            cohort=cohort,
            company=company,
            competitor=conflict.other,
            conflict=conflict.message,
            justification=justification,
            actor=actor,
        )
        for conflict in conflicts
    )
    if person.chapter_id is None:
        person.chapter = cohort.chapter
        person.save(update_fields=["chapter"])
    membership.overridden = [conflict.other for conflict in conflicts]
    return membership


@transaction.atomic
def withdraw_member(
    membership: Membership, *, actor, reason: str, left_on: datetime.date | None = None
) -> Membership:
    """A member leaves before the end: the place is freed, the history kept."""
    if membership.state != MembershipState.ACTIVE:
        raise ValidationError(_("This member has already left the cohort."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the member leaves: it stays in their history.")})
    left_on = left_on or timezone.localdate()
    if left_on < membership.joined_on:
        raise ValidationError({"left_on": _("A member cannot leave before joining.")})
    membership.state = MembershipState.WITHDRAWN
    membership.left_on = left_on
    membership.left_reason = reason.strip()
    membership.save(update_fields=["state", "left_on", "left_reason"])
    return membership


# Sponsors --------------------------------------------------------------------------


@transaction.atomic
def add_sponsor(
    cohort: Cohort, *, person: User, actor, started_on: datetime.date | None = None
) -> Sponsorship:
    """An executive of a larger company sponsors the cohort: 3 at most, never twice at once."""
    cohort = _locked(cohort)
    if cohort.is_closed:
        raise ValidationError(_("%(cohort)s is closed: it takes no new sponsor.") % {"cohort": cohort})
    if person.company_id is None:
        raise ValidationError(
            _("Record %(person)s's company first: a sponsor represents a company.") % {"person": person}
        )
    current = list(cohort.sponsorships.filter(ended_on__isnull=True).select_related("person"))
    if any(sponsorship.person_id == person.pk for sponsorship in current):
        raise ValidationError(
            _("%(person)s already sponsors %(cohort)s.") % {"person": person, "cohort": cohort}
        )
    if len(current) >= MAX_SPONSORS:
        raise ValidationError(
            _("A cohort has at most %(max)d sponsors: %(names)s already sponsor %(cohort)s.")
            % {
                "max": MAX_SPONSORS,
                "names": ", ".join(str(sponsorship.person) for sponsorship in current),
                "cohort": cohort,
            }
        )
    if Membership.objects.filter(cohort=cohort, person=person, state=MembershipState.ACTIVE).exists():
        raise ValidationError(_("%(person)s is a member of this cohort, not a sponsor.") % {"person": person})
    return Sponsorship.objects.create(
        cohort=cohort,
        person=person,
        company_id=person.company_id,
        started_on=started_on or timezone.localdate(),
    )


@transaction.atomic
def end_sponsorship(sponsorship: Sponsorship, *, actor, ended_on: datetime.date | None = None) -> Sponsorship:
    if sponsorship.ended_on is not None:
        raise ValidationError(_("This sponsorship has already ended."))
    sponsorship.ended_on = max(ended_on or timezone.localdate(), sponsorship.started_on)
    sponsorship.save(update_fields=["ended_on"])
    return sponsorship


# Declared conflicts ----------------------------------------------------------------


@transaction.atomic
def declare_conflict(
    chapter: Chapter,
    *,
    siren: str,
    name: str,
    other_siren: str,
    other_name: str,
    reason: str,
    actor,
    declared_as: str = ConflictSource.COORDINATOR,
) -> DeclaredConflict:
    """Two companies must not sit together, whatever their NAF codes say."""
    if siren == other_siren:
        raise ValidationError(_("A company cannot be declared in conflict with itself."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why these two companies compete.")})
    (siren_a, name_a), (siren_b, name_b) = sorted([(siren, name.strip()), (other_siren, other_name.strip())])
    conflict = DeclaredConflict(
        chapter=chapter,
        siren_a=siren_a,
        name_a=name_a,
        siren_b=siren_b,
        name_b=name_b,
        reason=reason.strip(),
        declared_by=actor,
        declared_as=declared_as,
    )
    conflict.full_clean()
    conflict.save()
    return conflict


@transaction.atomic
def withdraw_conflict(conflict: DeclaredConflict, *, actor) -> None:
    conflict.delete()


# Candidates ------------------------------------------------------------------------


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
    _save_or_explain(
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
    from groups.tasks import acknowledge_application as task  # the task module imports this one

    enqueue_on_commit(task, candidate.pk)
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
    from groups.tasks import acknowledge_application as task  # the task module imports this one

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
    enqueue_each(task, ids)
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
    _save_or_explain(
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
