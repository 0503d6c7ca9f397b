"""Reads for the plenary pages, each a fixed number of queries whatever the number of
registrations (the door page loads 300 people in three queries)."""

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.enums import CohortState, MembershipState, StaffRole
from groups.models import Chapter, ChapterRole, Membership, Sponsorship
from members.models import User
from plenaries import permissions
from plenaries.enums import HOLDS_PLACE, Attendee, PlenaryScope, RegistrationState
from plenaries.models import CohortQuota, LocalNetwork, Plenary, Registration

State = RegistrationState


# --- Who may come -----------------------------------------------------------------------------


def concerned_chapters(plenary: Plenary):
    """The chapters whose people a plenary is for: its own, or every chapter of its region."""
    if plenary.scope == PlenaryScope.DEPARTMENTAL:
        return Chapter.objects.filter(pk=plenary.chapter_id)
    return Chapter.objects.filter(region_id=plenary.region_id)


@dataclass(frozen=True)
class Eligibility:
    attendee: str
    cohort_id: int | None
    chapter_id: int  # the chapter the person comes from (their cohort's, or where they facilitate)


def eligibility(plenary: Plenary, person) -> Eligibility | None:
    """Why `person` may register, or None: an active member, a sponsor or a facilitator of
    a chapter concerned, or an alumni of one (in that order, the first that holds)."""
    chapters = concerned_chapters(plenary).values("pk")
    membership = (
        Membership.objects.filter(
            person=person,
            state=MembershipState.ACTIVE,
            cohort__state=CohortState.ACTIVE,
            cohort__chapter__in=chapters,
        )
        .order_by("-joined_on")
        .values_list("cohort_id", "cohort__chapter_id")
        .first()
    )
    if membership:
        return Eligibility(Attendee.MEMBER, *membership)
    sponsorship = (
        Sponsorship.objects.filter(
            person=person,
            ended_on__isnull=True,
            cohort__state=CohortState.ACTIVE,
            cohort__chapter__in=chapters,
        )
        .order_by("-started_on")
        .values_list("cohort_id", "cohort__chapter_id")
        .first()
    )
    if sponsorship:
        return Eligibility(Attendee.SPONSOR, *sponsorship)
    facilitated = (
        ChapterRole.objects.filter(user=person, role=StaffRole.FACILITATOR, chapter__in=chapters)
        .order_by("chapter_id")
        .values_list("chapter_id", flat=True)
        .first()
    )
    if facilitated:
        return Eligibility(Attendee.FACILITATOR, None, facilitated)
    alumni = (
        Membership.objects.filter(person=person, cohort__chapter__in=chapters)
        .filter(Q(state=MembershipState.ALUMNI) | Q(cohort__state=CohortState.CLOSED))
        .exclude(state=MembershipState.WITHDRAWN)
        .order_by("-joined_on")
        .values_list("cohort_id", "cohort__chapter_id")
        .first()
    )
    if alumni:
        return Eligibility(Attendee.ALUMNI, *alumni)
    return None


def invitees(plenary: Plenary, chapter_ids: frozenset[int] | None = None) -> list:
    """Everyone who may register, each once (for the invitation and the closing reminder);
    with `chapter_ids`, the people of these chapters only."""
    chapters = concerned_chapters(plenary)
    if chapter_ids is not None:
        chapters = chapters.filter(pk__in=chapter_ids)
    chapters = chapters.values("pk")
    return list(User.objects.filter(is_active=True).filter(_may_register(chapters)).order_by("pk"))


def _may_register(chapters) -> Q:
    """People of `chapters` (a subquery of their ids) who may register: active members and
    alumni, current sponsors of active cohorts, facilitators. Each kind is a subquery of
    its own, never a join: joined with DISTINCT, the people multiplied by their
    memberships, sponsorships and roles (195 ms for one page on the national database)."""
    members = (
        Membership.objects.filter(
            cohort__chapter__in=chapters, state__in=[MembershipState.ACTIVE, MembershipState.ALUMNI]
        )
        .filter(
            Q(state=MembershipState.ALUMNI) | Q(cohort__state__in=[CohortState.ACTIVE, CohortState.CLOSED])
        )
        .values("person_id")
    )
    sponsors = Sponsorship.objects.filter(
        cohort__chapter__in=chapters, ended_on__isnull=True, cohort__state=CohortState.ACTIVE
    ).values("person_id")
    facilitators = ChapterRole.objects.filter(chapter__in=chapters, role=StaffRole.FACILITATOR).values(
        "user_id"
    )
    return Q(pk__in=members) | Q(pk__in=sponsors) | Q(pk__in=facilitators)


# --- Places held ---------------------------------------------------------------------------


@dataclass
class Usage:
    capacity: int
    held: int
    by_cohort: Counter
    quotas: dict[int, int]

    def fits(self, registration: Registration) -> bool:
        if self.held + registration.places > self.capacity:
            return False
        quota = self.quotas.get(registration.cohort_id)
        return quota is None or self.by_cohort[registration.cohort_id] + registration.places <= quota

    def take(self, registration: Registration) -> None:
        self.held += registration.places
        self.by_cohort[registration.cohort_id] += registration.places

    @property
    def free(self) -> int:
        return max(self.capacity - self.held, 0)


def usage(plenary: Plenary) -> Usage:
    """Places held (registered and offered, guests included), overall and per cohort."""
    by_cohort: Counter = Counter()
    held = 0
    rows = Registration.objects.filter(plenary=plenary, state__in=HOLDS_PLACE).values_list(
        "cohort_id", "plus_one"
    )
    for cohort_id, plus_one in rows:
        places = 2 if plus_one else 1
        held += places
        by_cohort[cohort_id] += places
    quotas = dict(CohortQuota.objects.filter(plenary=plenary).values_list("cohort_id", "places"))
    return Usage(capacity=plenary.capacity, held=held, by_cohort=by_cohort, quotas=quotas)


def has_registrations(plenary: Plenary) -> bool:
    """Somebody has answered: the people invited can no longer change (scope, chapter, region)."""
    return Registration.objects.filter(plenary=plenary).exists()


def _places_expression():
    return Case(When(plus_one=True, then=Value(2)), default=Value(1), output_field=IntegerField())


def _held_subquery():
    return Coalesce(
        Subquery(
            Registration.objects.filter(plenary=OuterRef("pk"), state__in=HOLDS_PLACE)
            .values("plenary")
            .annotate(total=Sum(_places_expression()))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def _waiting_subquery():
    return Coalesce(
        Subquery(
            Registration.objects.filter(plenary=OuterRef("pk"), state=State.WAITING)
            .values("plenary")
            .annotate(total=Count("pk"))
            .values("total")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def with_places_held(plenaries):
    """`held` on each plenary of the queryset: its places taken (guests included), in the same query."""
    return plenaries.annotate(held=_held_subquery())


@dataclass
class PlenaryList:
    upcoming: list
    past: list


def plenary_list(user, *, now=None) -> PlenaryList:
    """The plenaries the user may see with their places held, the waiting count and the
    user's own answer; upcoming first (soonest first), then past ones (latest first)."""
    now = now or timezone.now()
    mine = Registration.objects.filter(plenary=OuterRef("pk"), person=user)
    plenaries = list(
        Plenary.objects.visible_to(user)
        .select_related("chapter", "region")
        .annotate(
            held=_held_subquery(),
            waiting=_waiting_subquery(),
            my_state=Subquery(mine.values("state")[:1]),
        )
        .order_by("starts_at", "pk")
    )
    for plenary in plenaries:
        plenary.places_left = max(plenary.capacity - plenary.held, 0)
        plenary.my_state_label = State(plenary.my_state).label if plenary.my_state else ""
    return PlenaryList(
        upcoming=[plenary for plenary in plenaries if plenary.ends_at >= now],
        past=[plenary for plenary in reversed(plenaries) if plenary.ends_at < now],
    )


def plenary_for(user, pk: int) -> Plenary:
    """One visible plenary with its chapter and region (404 outside the user's scope)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Plenary.objects.visible_to(user).select_related("chapter", "region"), pk=pk)


def program(plenary: Plenary) -> list:
    return list(plenary.program.select_related("network"))


def waiting_rank(registration: Registration) -> int:
    """1 for the first of the queue."""
    return (
        Registration.objects.filter(plenary_id=registration.plenary_id, state=State.WAITING)
        .filter(
            Q(queued_at__lt=registration.queued_at)
            | Q(queued_at=registration.queued_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def state_counts(plenary: Plenary) -> dict[str, int]:
    """People per state, guests, and who is checked in, in one query."""
    counts = Registration.objects.filter(plenary=plenary).aggregate(
        registered=Count("pk", filter=Q(state=State.REGISTERED)),
        offered=Count("pk", filter=Q(state=State.OFFERED)),
        waiting=Count("pk", filter=Q(state=State.WAITING)),
        cancelled=Count("pk", filter=Q(state__in=[State.CANCELLED, State.EXPIRED])),
        guests=Count("pk", filter=Q(state__in=HOLDS_PLACE, plus_one=True)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return counts


@dataclass
class PlenaryPage:
    plenary: Plenary
    program: list
    usage: Usage
    mine: Registration | None
    my_rank: int | None
    can_register: bool
    registration_open: bool
    can_manage: bool
    can_manage_registrations: bool
    can_run_door: bool
    now: object = None
    counts: dict = field(default_factory=dict)

    @property
    def places_left(self) -> int:
        return self.usage.free


def plenary_page(plenary: Plenary, user, *, now=None) -> PlenaryPage:
    now = now or timezone.now()
    mine = Registration.objects.filter(plenary=plenary, person=user).first()
    active = mine is not None and mine.state in (State.REGISTERED, State.OFFERED, State.WAITING)
    can_manage = permissions.can_manage_plenary(user, plenary)
    registration_open = (
        not plenary.is_cancelled
        and plenary.registration_opens_at <= now < plenary.registration_closes_at
        and now < plenary.starts_at
    )
    return PlenaryPage(
        plenary=plenary,
        program=program(plenary),
        usage=usage(plenary),
        mine=mine,
        my_rank=waiting_rank(mine) if mine is not None and mine.state == State.WAITING else None,
        can_register=not active and eligibility(plenary, user) is not None,
        registration_open=registration_open,
        can_manage=can_manage,
        can_manage_registrations=permissions.can_manage_registrations(user, plenary),
        can_run_door=permissions.can_run_door(user, plenary),
        now=now,
        counts=state_counts(plenary) if can_manage else {},
    )


# --- The managers' registrations page ----------------------------------------------------


@dataclass
class RegistrationsPage:
    registered: list
    offered: list
    waiting: list
    ended: list
    counts: dict
    usage: Usage
    quotas: list
    cohorts: list
    candidates: list  # invitees not registered, matching the search
    candidates_total: int


def registrations_of(plenary: Plenary, chapter_ids: frozenset[int] | None):
    """The plenary's registrations, or only those of these chapters' people (None: all)."""
    registrations = Registration.objects.filter(plenary=plenary)
    if chapter_ids is not None:
        registrations = registrations.filter(chapter_id__in=chapter_ids)
    return registrations


def _registrations(plenary: Plenary, chapter_ids: frozenset[int] | None = None):
    return registrations_of(plenary, chapter_ids).select_related("person__company", "cohort")


def registrations_page(
    plenary: Plenary, *, query: str = "", chapter_ids: frozenset[int] | None = None
) -> RegistrationsPage:
    """The managers' page: every registration, or with `chapter_ids` (a regional
    plenary's other chapters) those of these chapters' people, their cohorts' quotas and
    their people to register. The counts and places are the plenary's, all chapters."""
    rows = list(_registrations(plenary, chapter_ids).order_by("queued_at", "pk"))
    by_state: dict[str, list] = {state: [] for state in State.values}
    for row in rows:
        by_state[row.state].append(row)
    for rank, row in enumerate(by_state[State.WAITING], start=1):
        row.rank = rank
    held = usage(plenary)
    quotas = CohortQuota.objects.filter(plenary=plenary).select_related("cohort")
    if chapter_ids is not None:
        quotas = quotas.filter(cohort__chapter_id__in=chapter_ids)
    quotas = list(quotas)
    for quota in quotas:
        quota.held = held.by_cohort.get(quota.cohort_id, 0)
    cohorts = list(
        quota_cohorts(plenary, chapter_ids).select_related("chapter").order_by("chapter__code", "name")
    )
    answered = {row.person_id for row in rows if row.state in (*HOLDS_PLACE, State.WAITING)}
    invited = [person for person in invitee_people(plenary, chapter_ids) if person.pk not in answered]
    matching = [person for person in invited if matches(person, query)] if query else []
    return RegistrationsPage(
        registered=sorted(by_state[State.REGISTERED], key=_by_name),
        offered=by_state[State.OFFERED],
        waiting=by_state[State.WAITING],
        ended=by_state[State.CANCELLED] + by_state[State.EXPIRED],
        counts=state_counts(plenary),
        usage=held,
        quotas=quotas,
        cohorts=cohorts,
        candidates=matching[:20],
        candidates_total=len(invited),
    )


def quota_cohorts(plenary: Plenary, chapter_ids: frozenset[int] | None = None):
    """The cohorts whose quota may be set: the chapters concerned (or these of them)."""
    from groups.models import Cohort

    cohorts = Cohort.objects.filter(chapter__in=concerned_chapters(plenary))
    if chapter_ids is not None:
        cohorts = cohorts.filter(chapter_id__in=chapter_ids)
    return cohorts


def invitee_people(plenary: Plenary, chapter_ids: frozenset[int] | None = None) -> list:
    """Everyone invited (or these chapters' people), with their company, sorted by name
    (two queries)."""
    from members.models import User

    ids = [person.pk for person in invitees(plenary, chapter_ids)]
    return list(User.objects.filter(pk__in=ids).select_related("company").order_by("last_name", "first_name"))


# --- At the door ---------------------------------------------------------------------------


def fold(text: str) -> str:
    """Lower case without accents: « Gaëlle » and « gaelle » are the same search."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def matches(person, query: str) -> bool:
    """Every word of the query appears in the person's name, e-mail or company."""
    company = person.company.name if person.company_id and person.company else ""
    haystack = fold(f"{person.first_name} {person.last_name} {person.email} {company}")
    return all(word in haystack for word in fold(query).split())


def _by_name(registration: Registration):
    person = registration.person
    return (fold(person.last_name), fold(person.first_name), person.pk)


@dataclass
class Door:
    rows: list
    registered: int
    checked_in: int
    guests: int
    query: str


def door(plenary: Plenary, *, query: str = "") -> Door:
    """The registered people (one query with their companies), filtered in Python by
    name or company without accents, and the counter."""
    rows = sorted(_registrations(plenary).filter(state=State.REGISTERED), key=_by_name)
    shown = [row for row in rows if matches(row.person, query)] if query.strip() else rows
    return Door(
        rows=shown,
        registered=len(rows),
        checked_in=sum(1 for row in rows if row.checked_in_at),
        guests=sum(1 for row in rows if row.plus_one),
        query=query,
    )


def door_counter(plenary: Plenary) -> dict[str, int]:
    return Registration.objects.filter(plenary=plenary, state=State.REGISTERED).aggregate(
        registered=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
    )


def networks_for(plenary: Plenary):
    """The local networks that may present at this plenary: those of the chapters concerned."""
    return LocalNetwork.objects.filter(chapter__in=concerned_chapters(plenary)).order_by("name")
