"""factory_boy factories, one module per app (tests/factories/<app>.py).

They are gathered here because a test's world crosses apps (a meeting needs a cohort,
which needs a chapter): a test writes `factories.MeetingFactory(cohort=cohort)` whichever
app the factory belongs to. Factories build rows that pass `full_clean`; none imports the
demo (demo/): the demo is built from the apps, never the other way round.
"""

from tests.factories.billing import InvoiceFactory
from tests.factories.dates import _in_days
from tests.factories.groups import (
    CandidateFactory,
    ChapterFactory,
    ChapterRoleFactory,
    CohortFactory,
    CompetitorOverrideFactory,
    DeclaredConflictFactory,
    MembershipFactory,
    RegionFactory,
    SponsorshipFactory,
)
from tests.factories.meetings import (
    ActionItemFactory,
    MeetingDocumentFactory,
    MeetingFactory,
    ThemeFactory,
    TopicFactory,
)
from tests.factories.members import (
    FIRST_NAMES,
    LAST_NAMES,
    NAF_CODES,
    PASSWORD,
    AdminFactory,
    CompanyFactory,
    UserFactory,
)
from tests.factories.plenaries import (
    LocalNetworkFactory,
    PlenaryFactory,
    ProgramItemFactory,
    RegistrationFactory,
)

__all__ = [
    "FIRST_NAMES",
    "LAST_NAMES",
    "NAF_CODES",
    "PASSWORD",
    "ActionItemFactory",
    "AdminFactory",
    "CandidateFactory",
    "ChapterFactory",
    "ChapterRoleFactory",
    "CohortFactory",
    "CompanyFactory",
    "CompetitorOverrideFactory",
    "DeclaredConflictFactory",
    "InvoiceFactory",
    "LocalNetworkFactory",
    "MeetingDocumentFactory",
    "MeetingFactory",
    "MembershipFactory",
    "PlenaryFactory",
    "ProgramItemFactory",
    "RegionFactory",
    "RegistrationFactory",
    "SponsorshipFactory",
    "ThemeFactory",
    "TopicFactory",
    "UserFactory",
    "_in_days",
]
