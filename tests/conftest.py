"""Shared fixtures: test settings, the Plato 56 world and one signed-in user per role.

The world is small but complete: Plato 56 (the coordinator's chapter) with an active
cohort "Golfe du Morbihan" (a member, a sponsor, a facilitator) and a closed cohort
"Pays de Lorient" (an alumni), and Plato 35 with its own coordinator and company, so
that every scoping rule has something it could leak.
"""

import copy
import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template.base import Node
from django.test import Client
from django.test.utils import override_settings
from django.utils import translation

from members.identifiers import make_siret, vat_number_for
from tests import factories, world
from tests.world import ROLES

BASE_DIR = Path(django_settings.BASE_DIR).resolve()
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Template variables that do not exist fail the tests ---------------------------------


class InvalidTemplateVariableError(Exception):
    pass


def _origin_of_rendering_node() -> str | None:
    """The template file of the innermost node being rendered (the one using the variable)."""
    frame = sys._getframe(2)
    while frame is not None:
        node = frame.f_locals.get("self")
        if isinstance(node, Node):
            origin = getattr(node, "origin", None)
            return getattr(origin, "name", None)
        frame = frame.f_back
    return None


def is_our_template(origin_name: str | None) -> bool:
    if not origin_name:
        return False
    try:
        path = Path(origin_name).resolve()
    except (TypeError, ValueError):
        return False
    return path.is_relative_to(BASE_DIR) and not path.is_relative_to(BASE_DIR / ".venv")


class InvalidTemplateVariable(str):
    """`string_if_invalid` that raises for our templates only.

    Django renders `string_if_invalid % variable` for a variable that does not resolve.
    Third-party templates may rely on such variables rendering as "": with a strict
    check everywhere, this suite fails in allauth's mfa/index.html, which reads
    `authenticators.recovery_codes.generate_codes` for a user without recovery codes.
    We neither own nor can fix those templates (allauth, the admin, crispy), so for
    them the string stays empty, as in production. For a template of this project
    (anything under the project directory but outside .venv) a missing variable is a
    bug: the test fails naming the template and the variable. The template is the one
    of the node doing the rendering, so a crispy field rendered from our page is crispy's.
    """

    def __mod__(self, variable):
        origin = _origin_of_rendering_node()
        if is_our_template(origin):
            name = getattr(variable, "var", variable)  # Django passes a Variable or a str
            raise InvalidTemplateVariableError(f"Undefined template variable '{name}' in {origin}")
        return ""


def _templates_failing_on_invalid_variables():
    templates = copy.deepcopy(django_settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = InvalidTemplateVariable("%s")
    return templates


@pytest.fixture(autouse=True, scope="session")
def _session_settings():
    """Settings for the whole session, set once so that compiled templates stay cached.

    (Setting TEMPLATES per test would rebuild the template engines, and recompile every
    template, in each test.) The cache is in-memory whatever REDIS_URL says: allauth's
    rate limits live in it and each test starts with it empty.
    """
    # Files written by tests (invoice PDFs, documents, exports) go to a temporary
    # directory, never into var/media where the demo keeps its own.
    media_root = tempfile.mkdtemp(prefix="plato-tests-media-")
    overrides = override_settings(
        MEDIA_ROOT=media_root,
        TEMPLATES=_templates_failing_on_invalid_variables(),
        PASSWORD_HASHERS=FAST_HASHERS,  # also for data built outside a test (module fixtures)
        CACHES={
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "plato-tests",
            }
        },
    )
    overrides.enable()
    yield
    overrides.disable()
    shutil.rmtree(media_root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    # Staff MFA is a production default; tests that need it turn it on themselves.
    settings.PLATO_REQUIRE_STAFF_MFA = False
    cache.clear()
    yield
    cache.clear()
    translation.deactivate()  # a request in English leaves English active in this thread


from tests.celery_workers import broker_queue_empty  # noqa: E402, F401 (a fixture for worker tests)
from tests.samples import module_world, samples  # noqa: E402, F401 (the URL walks' sample world)


@pytest.fixture(autouse=True)
def _tasks_inline(request):
    """Celery tasks run inline, as in embedded mode, whatever REDIS_URL says: only the
    tests marked `celery_worker` hand them to a real worker through Redis."""
    from celery._state import _set_task_join_will_block

    # Celery marks "inside a task" in a process-wide flag that an inline task sets and
    # restores; two inline tasks in two threads at once (a live server's and the test's)
    # can restore it wrongly. Each test starts outside any task.
    _set_task_join_will_block(False)
    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    from plato.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def marked_fields(request, name: str) -> dict:
    """The keyword arguments of the closest `@pytest.mark.<name>(...)`: how a module (or a
    test) states the fields its tests rely on for a shared fixture, e.g.
    `pytestmark = pytest.mark.plenary(capacity=3)` for the `plenary` of tests/plenaries."""
    marker = request.node.get_closest_marker(name)
    return dict(marker.kwargs) if marker else {}


@pytest.fixture
def media_root(settings, tmp_path):
    """Files written by the test (PDFs, documents) go to its own directory, returned as a Path.
    Modules writing files use it for all their tests: `pytestmark = pytest.mark.usefixtures("media_root")`."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# --- The world (see tests/world.py) ----------------------------------------------------------


@pytest.fixture
def region(db):
    return world.make_region()


@pytest.fixture
def chapter(region):
    """The coordinator's chapter, Plato 56."""
    return world.make_chapter(region)


@pytest.fixture
def other_chapter(region):
    return world.make_other_chapter(region)


@pytest.fixture
def cohort(chapter):
    return world.make_cohort(chapter)


@pytest.fixture
def closed_cohort(chapter):
    return world.make_closed_cohort(chapter)


@pytest.fixture
def other_company(other_chapter):
    return world.make_other_company(other_chapter)


@pytest.fixture
def admin(db):
    return world.make_admin()


@pytest.fixture
def coordinator(chapter):
    return world.make_coordinator(chapter)


@pytest.fixture
def other_chapter_coordinator(other_chapter, other_company):
    return world.make_other_chapter_coordinator(other_chapter)


@pytest.fixture
def facilitator(chapter, cohort):
    return world.make_facilitator(chapter, cohort)


@pytest.fixture
def member_membership(cohort):
    return world.make_member_membership(cohort)


@pytest.fixture
def member(member_membership):
    return member_membership.person


@pytest.fixture
def company(member_membership):
    """A company of the coordinator's chapter (the member's)."""
    return member_membership.company


@pytest.fixture
def sponsor(cohort):
    return world.make_sponsor(cohort)


@pytest.fixture
def alumni(closed_cohort):
    return world.make_alumni(closed_cohort)


@pytest.fixture
def outsider(db):
    """Signed in, with no role anywhere."""
    return world.make_outsider()


@pytest.fixture
def users(request):
    """Every role's user, by role name (anonymous is None)."""
    return {role: None if role == "anonymous" else request.getfixturevalue(role) for role in ROLES}


@pytest.fixture
def login():
    """`login(user)` → a test client signed in as the user (anonymous for None)."""

    def _login(user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return _login


# --- Billing: Plato 56 with its invoicing details (tests/billing, browser journeys) ----------


@pytest.fixture
def invoicing_chapter(chapter):
    """Plato 56 as a CCI fills it in: legal name, address, SIRET and VAT number, 20 % VAT."""
    siret = make_siret(1)
    chapter.issuer_legal_name = "Chambre de commerce et d'industrie du Morbihan"
    chapter.issuer_address = "21 quai des Indes"
    chapter.issuer_postcode = "56100"
    chapter.issuer_town = "Lorient"
    chapter.issuer_siret = siret
    chapter.issuer_vat_number = vat_number_for(siret)
    chapter.issuer_iban = "FR7630006000011234567890189"
    chapter.issuer_bic = "AGRIFRPP"
    chapter.programme_commitment = "16 demi-journées de réunion, 2 plénières départementales et 2 régionales."
    try:
        chapter.full_clean()
    except ValidationError as error:  # the fixture itself must be a valid chapter
        pytest.fail(f"invalid invoicing chapter: {error}")
    chapter.save()
    return chapter


@pytest.fixture
def buyer(invoicing_chapter, member_membership):
    """The member's company, with a full address."""
    company = member_membership.company
    company.address = "4 rue du Port"
    company.postcode = "56000"
    company.town = "Vannes"
    company.save()
    return member_membership


@pytest.fixture
def memberships(invoicing_chapter, cohort):
    return [factories.MembershipFactory(cohort=cohort) for _ in range(3)]
