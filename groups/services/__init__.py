(
    """Writes about chapters, cohorts, memberships, sponsors, conflicts and candidates, by
subject like the views: `chapters`, `cohorts` (the lifecycle), `memberships` (the
competitor rule's gate), `sponsors`, `conflicts`, `candidates`, `composer`.

Errors are ValidationErrors with specific messages; a refused write leaves the database
as it was.
"""
    """Writes about chapters, cohorts, memberships, sponsors, conflicts and candidates, by
subject like the views: `chapters`, `cohorts` (the lifecycle), `memberships` (the
competitor rule's gate), `sponsors`, `conflicts`, `candidates`, `composer`.

Errors are ValidationErrors with specific messages; a refused write leaves the database
as it was.
"""
)

from groups.services.candidates import (
    ACKNOWLEDGE_AFTER,
    ACKNOWLEDGE_GIVE_UP,
    OPEN_CANDIDATE_STATES,
    ImportResult,
    acknowledge_application,
    create_candidate,
    decline_candidate,
    import_candidates,
    place_candidate,
    qualify_candidate,
    submit_application,
    sweep_acknowledgements,
    update_candidate,
)
from groups.services.chapters import (
    create_chapter,
    update_chapter_settings,
)
from groups.services.cohorts import (
    close_cohort,
    create_cohort,
    lock_cohort,
    save_or_explain,
    start_cohort,
    two_years_after,
    update_cohort,
)
from groups.services.composer import (
    ProposedCohort,
    composer_candidate,
    confirm_composition,
    propose_cohorts,
)
from groups.services.conflicts import (
    declare_conflict,
    withdraw_conflict,
)
from groups.services.memberships import (
    CompetitorRefused,
    active_companies,
    add_member,
    check_admission,
    conflicts_for,
    withdraw_member,
)
from groups.services.sponsors import (
    MAX_SPONSORS,
    add_sponsor,
    end_sponsorship,
)

__all__ = [
    "ACKNOWLEDGE_AFTER",
    "ACKNOWLEDGE_GIVE_UP",
    "MAX_SPONSORS",
    "OPEN_CANDIDATE_STATES",
    "CompetitorRefused",
    "ImportResult",
    "ProposedCohort",
    "acknowledge_application",
    "active_companies",
    "add_member",
    "add_sponsor",
    "check_admission",
    "close_cohort",
    "composer_candidate",
    "confirm_composition",
    "conflicts_for",
    "create_candidate",
    "create_chapter",
    "create_cohort",
    "declare_conflict",
    "decline_candidate",
    "end_sponsorship",
    "import_candidates",
    "lock_cohort",
    "place_candidate",
    "propose_cohorts",
    "qualify_candidate",
    "save_or_explain",
    "start_cohort",
    "submit_application",
    "sweep_acknowledgements",
    "two_years_after",
    "update_candidate",
    "update_chapter_settings",
    "update_cohort",
    "withdraw_conflict",
    "withdraw_member",
]
