"""Who a user is in Plato, derived from the data rather than stored.

admin        network staff: `is_superuser`, everything across chapters
coordinator  ChapterRole(role=coordinator): runs one chapter
facilitator  ChapterRole(role=facilitator): runs groups of one chapter
member       an active membership in a cohort that is not closed
sponsor      a sponsorship of a cohort that is not closed
alumni       a membership of a closed cohort (or marked alumni)

One person may hold several roles; `primary` picks the home page.

They live in groups because they are groups' rows read back (they lived in plato, which
imported groups' models for them: a cycle between the core and an app). The rows are
read through the user's reverse relations, so this module imports no model and
groups/models.py may import it. plato, which may import no app, is handed `roles_for`
(plato.home.register_roles, in groups/apps.py) for the home pages and the navigation bar.
"""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from groups.enums import CohortState, MembershipState, StaffRole


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Member")
    SPONSOR = "sponsor", _("Sponsor")
    ALUMNI = "alumni", _("Alumni")


_PRIORITY = [Role.ADMIN, Role.COORDINATOR, Role.FACILITATOR, Role.MEMBER, Role.SPONSOR, Role.ALUMNI]


@dataclass(frozen=True)
class UserRoles:
    is_admin: bool = False
    coordinator_chapter_ids: frozenset[int] = field(default_factory=frozenset)
    facilitator_chapter_ids: frozenset[int] = field(default_factory=frozenset)
    member_cohort_ids: frozenset[int] = field(default_factory=frozenset)
    sponsor_cohort_ids: frozenset[int] = field(default_factory=frozenset)
    alumni_cohort_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def staff_chapter_ids(self) -> frozenset[int]:
        """Chapters where the user is CCI staff (coordinator or facilitator)."""
        return self.coordinator_chapter_ids | self.facilitator_chapter_ids

    @property
    def cohort_ids(self) -> frozenset[int]:
        return self.member_cohort_ids | self.sponsor_cohort_ids | self.alumni_cohort_ids

    @property
    def roles(self) -> list[Role]:
        held = {
            Role.ADMIN: self.is_admin,
            Role.COORDINATOR: bool(self.coordinator_chapter_ids),
            Role.FACILITATOR: bool(self.facilitator_chapter_ids),
            Role.MEMBER: bool(self.member_cohort_ids),
            Role.SPONSOR: bool(self.sponsor_cohort_ids),
            Role.ALUMNI: bool(self.alumni_cohort_ids),
        }
        return [role for role in _PRIORITY if held[role]]

    @property
    def primary(self) -> Role | None:
        roles = self.roles
        return roles[0] if roles else None

    def has(self, role: Role) -> bool:
        return role in self.roles


_NOBODY = UserRoles()


def roles_for(user) -> UserRoles:
    """The user's roles, computed once per user object (three small queries)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return _NOBODY
    cached = getattr(user, "_plato_roles", None)
    if cached is not None:
        return cached

    coordinator, facilitator = set(), set()
    for chapter_id, role in user.chapter_roles.values_list("chapter_id", "role"):
        (coordinator if role == StaffRole.COORDINATOR else facilitator).add(chapter_id)

    member, alumni = set(), set()
    memberships = user.memberships.exclude(state=MembershipState.WITHDRAWN)
    for cohort_id, state, cohort_state in memberships.values_list("cohort_id", "state", "cohort__state"):
        if state == MembershipState.ALUMNI or cohort_state == CohortState.CLOSED:
            alumni.add(cohort_id)
        else:
            member.add(cohort_id)

    sponsor = set(
        user.sponsorships.filter(ended_on__isnull=True)
        .exclude(cohort__state=CohortState.CLOSED)
        .values_list("cohort_id", flat=True)
    )
    roles = UserRoles(
        is_admin=user.is_superuser,
        coordinator_chapter_ids=frozenset(coordinator),
        facilitator_chapter_ids=frozenset(facilitator),
        member_cohort_ids=frozenset(member),
        sponsor_cohort_ids=frozenset(sponsor),
        alumni_cohort_ids=frozenset(alumni),
    )
    user._plato_roles = roles
    return roles
