"""The sample world of the URL walks: every role's user and client, one object of each
kind the URLs point at, and the path of every discovered URL pattern for those objects.

Shared by the URL × role table (tests/plato/test_permissions.py) and the fuzz of every
form (tests/plato/test_fuzz.py). A test module imports `module_world` and `samples` (both
fixtures) to get its own world, built once per module inside a transaction rolled back at
its end; each test runs in a savepoint of it.
"""

import datetime

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin as django_admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse

from billing.models import Invoice
from billing.services import issue_invoice
from documents.enums import ExportState
from documents.models import ExportJob
from meetings.rsvp import rsvp_link_token
from members.services import calendar_feed_for
from tests import factories, world
from tests.urlwalk import discover
from tests.world import build_world

DISCOVERED = discover()

# --- Sample URL arguments --------------------------------------------------------------


def _give_invoicing_details(chapter) -> None:
    chapter.issuer_legal_name = "Chambre de commerce et d'industrie du Morbihan"
    chapter.issuer_address = "21 quai des Indes"
    chapter.issuer_postcode = "56100"
    chapter.issuer_town = "Lorient"
    chapter.issuer_siret = "31423845200010"
    chapter.issuer_vat_number = "FR13314238452"
    chapter.save()


def render_stored_pdf(invoice):
    """The invoice's PDF in storage, as the Celery task leaves it (a minimal stand-in file
    here: what the URL × role walk checks is who may fetch it, not its content)."""
    from django.core.files.base import ContentFile

    name = default_storage.save(f"invoices/{invoice.number}.pdf", ContentFile(b"%PDF-1.7 sample"))
    Invoice.objects.filter(pk=invoice.pk).update(pdf=name)
    return name


def stored_export(chapter, coordinator) -> ExportJob:
    """A roster already built, its file in storage (a stand-in: the walk checks who may
    fetch it, tests/billing/test_exports.py what it holds)."""
    from django.core.files.base import ContentFile

    name = default_storage.save("exports/adherents-56.pdf", ContentFile(b"%PDF-1.7 sample"))
    return ExportJob.objects.create(
        chapter=chapter, requested_by=coordinator, state=ExportState.DONE, total=2, done=2, file=name
    )


@pytest.fixture(scope="module")
def module_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole world and a signed-in client per role, built once for this module's ~100
    tests, inside a transaction rolled back at the end (each test runs in a savepoint).

    Besides the role fixtures' objects: the coordinator's chapter, a company and a person
    of it are what the URLs point at, and every model registered in the admin has a row.
    """
    media_root = tmp_path_factory.mktemp("media")  # the sample document's file, outside the repository
    with django_db_blocker.unblock(), transaction.atomic(), override_settings(MEDIA_ROOT=media_root):
        built = build_world()
        built["media_root"] = media_root
        built["group"] = Group.objects.create(name="Comptabilité")
        built["authenticator"] = Authenticator.objects.create(
            user=factories.UserFactory(email="recovery-codes@plato.test"),  # none of the role users
            type=Authenticator.Type.RECOVERY_CODES,
            data={"seed": "0" * 40, "used_mask": 0},
        )
        built["person"] = built["member"]
        built["sponsorship"] = built["sponsor"].sponsorships.get()
        built["candidate"] = factories.CandidateFactory(chapter=built["chapter"])
        built["declared_conflict"] = factories.DeclaredConflictFactory(chapter=built["chapter"])
        built["override"] = factories.CompetitorOverrideFactory(
            cohort=built["cohort"], actor=built["coordinator"]
        )
        built["meeting"] = factories.MeetingFactory(cohort=built["cohort"])
        built["topic"] = factories.TopicFactory(cohort=built["cohort"], proposed_by=built["member"])
        built["document"] = factories.MeetingDocumentFactory(
            meeting=built["meeting"], uploaded_by=built["facilitator"]
        )
        built["action_item"] = factories.ActionItemFactory(
            meeting=factories.MeetingFactory(cohort=built["cohort"], starts_at=factories._in_days(-30)),
            person=built["member"],
        )
        _give_invoicing_details(built["chapter"])
        built["invoice"] = issue_invoice(
            built["member"].memberships.get(), actor=built["coordinator"], today=datetime.date(2026, 9, 1)
        )
        built["invoice_pdf"] = render_stored_pdf(built["invoice"])
        built["export_job"] = stored_export(built["chapter"], built["coordinator"])
        built["plenary"] = world.make_plenary(built["chapter"])
        built["local_network"] = world.make_local_network(built["chapter"])
        built["program_item"] = world.make_program_item(built["plenary"], built["local_network"])
        built["registration"] = world.make_registration(built["plenary"], built["member"])
        built["clients"] = {}
        for role, user in built["users"].items():
            client = Client()
            if user is not None:
                client.force_login(user)
            built["clients"][role] = client
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def samples(module_world, db, settings):
    # /healthz's answer depends on Redis and workers (tests/plato/test_health.py covers
    # that); who may ask it does not. Embedded mode keeps this table independent of them.
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.MEDIA_ROOT = module_world["media_root"]
    return module_world


APP_KWARGS = {
    "members:company_detail": lambda s: {"pk": s["company"].pk},
    "members:company_update": lambda s: {"pk": s["company"].pk},
    "members:person_detail": lambda s: {"pk": s["person"].pk},
    "members:person_update": lambda s: {"pk": s["person"].pk},
    "groups:chapter_detail": lambda s: {"code": s["chapter"].code},
    "groups:chapter_update": lambda s: {"code": s["chapter"].code},
    **{
        name: lambda s: {"code": s["chapter"].code}
        for name in (
            "groups:cohort_create",
            "groups:conflict_list",
            "groups:application",
            "groups:application_thanks",
            "groups:candidate_list",
            "groups:candidate_create",
            "groups:candidate_import",
            "groups:composer",
            "groups:composer_proposal",
            "groups:composer_move",
            "groups:composer_confirm",
        )
    },
    **{
        name: lambda s: {"pk": s["cohort"].pk}
        for name in (
            "groups:cohort_detail",
            "groups:cohort_update",
            "groups:cohort_start",
            "groups:cohort_close",
            "groups:membership_add",
            "groups:sponsorship_add",
            "groups:cohort_directory",
            "groups:member_conflict",
        )
    },
    "groups:membership_withdraw": lambda s: {"pk": s["member_membership"].pk},
    "meetings:cohort_meetings": lambda s: {"pk": s["cohort"].pk},
    "meetings:topic_create": lambda s: {"pk": s["cohort"].pk},
    "meetings:meeting_detail": lambda s: {"pk": s["meeting"].pk},
    "meetings:vote_toggle": lambda s: {"pk": s["meeting"].pk, "topic_pk": s["topic"].pk},
    "meetings:agenda": lambda s: {"pk": s["meeting"].pk},
    "meetings:urgent": lambda s: {"pk": s["meeting"].pk},
    "meetings:rsvp_link": lambda s: {"token": rsvp_link_token(s["meeting"], s["member"], "yes")},
    "meetings:rsvp": lambda s: {"pk": s["meeting"].pk},
    "meetings:attendance": lambda s: {"pk": s["meeting"].pk},
    "meetings:meeting_ics": lambda s: {"pk": s["meeting"].pk},
    "meetings:meeting_create": lambda s: {"pk": s["cohort"].pk},
    **{
        name: lambda s: {"pk": s["meeting"].pk}
        for name in (
            "meetings:meeting_edit",
            "meetings:meeting_cancel",
            "meetings:document_create",
            "meetings:action_items",
        )
    },
    **{
        name: lambda s: {"pk": s["meeting"].pk, "doc_pk": s["document"].pk}
        for name in ("meetings:document_download", "meetings:document_delete")
    },
    **{
        name: lambda s: {"pk": s["action_item"].pk}
        for name in ("meetings:action_item_done", "meetings:action_item_delete")
    },
    "meetings:calendar_feed": lambda s: {"token": calendar_feed_for(s["member"]).token},
    "billing:chapter_invoices": lambda s: {"code": s["chapter"].code},
    "billing:invoice_export": lambda s: {"code": s["chapter"].code},
    "billing:cohort_invoices": lambda s: {"pk": s["cohort"].pk},
    "billing:membership_invoice": lambda s: {"pk": s["member"].memberships.get().pk},
    "billing:invoice_detail": lambda s: {"pk": s["invoice"].pk},
    "billing:invoice_pdf": lambda s: {"pk": s["invoice"].pk},
    "billing:membership_certificate": lambda s: {"pk": s["member_membership"].pk},
    "billing:cohort_directory_pdf": lambda s: {"pk": s["cohort"].pk},
    "billing:attendance_certificate": lambda s: {"pk": s["alumni"].memberships.get().pk},
    "billing:cohort_attendance_certificates": lambda s: {"pk": s["closed_cohort"].pk},
    "billing:chapter_exports": lambda s: {"code": s["chapter"].code},
    **{
        name: lambda s: {"code": s["chapter"].code, "job": s["export_job"].pk}
        for name in ("billing:export_job", "billing:export_download")
    },
    "groups:sponsorship_end": lambda s: {"pk": s["sponsorship"].pk},
    "groups:conflict_withdraw": lambda s: {"pk": s["declared_conflict"].pk},
    **{
        name: lambda s: {"pk": s["candidate"].pk}
        for name in (
            "groups:candidate_detail",
            "groups:candidate_update",
            "groups:candidate_qualify",
            "groups:candidate_decline",
            "groups:candidate_place",
        )
    },
    **{
        name: lambda s: {"pk": s["plenary"].pk}
        for name in (
            "plenaries:plenary_detail",
            "plenaries:plenary_edit",
            "plenaries:plenary_cancel",
            "plenaries:register",
            "plenaries:confirm_offer",
            "plenaries:cancel_mine",
            "plenaries:program_item_create",
            "plenaries:registrations",
            "plenaries:register_someone",
            "plenaries:set_quota",
            "plenaries:door",
            "plenaries:attendees_pdf",
            "plenaries:attendees_csv",
            "plenaries:badges_pdf",
        )
    },
    **{
        name: lambda s: {"pk": s["plenary"].pk, "item_pk": s["program_item"].pk}
        for name in ("plenaries:program_item_edit", "plenaries:program_item_delete")
    },
    **{
        name: lambda s: {"pk": s["plenary"].pk, "registration_pk": s["registration"].pk}
        for name in ("plenaries:cancel_someone", "plenaries:door_check_in", "plenaries:door_undo")
    },
    **{
        name: lambda s: {"pk": s["local_network"].pk}
        for name in ("plenaries:network_detail", "plenaries:network_edit")
    },
    "account_confirm_email": lambda s: {"key": "not-a-real-key"},
    "account_reset_password_from_key": lambda s: {"uidb36": "zz", "key": "not-a-real-key"},
}

ADMIN_ACTIONS = ("change", "delete", "history")


def _admin_object(app_label: str, model_name: str):
    for model in django_admin.site._registry:
        if (model._meta.app_label, model._meta.model_name) == (app_label, model_name):
            obj = model._default_manager.order_by("pk").first()
            assert obj is not None, f"no sample row of {model.__name__}: add one to `samples`"
            return obj
    raise AssertionError(f"{app_label}.{model_name} is not registered in the admin")


def _admin_kwargs(name: str, samples) -> dict:
    if name == "admin:app_list":
        return {"app_label": "members"}
    if name == "admin:view_on_site":
        company = samples["company"]
        return {"content_type_id": ContentType.objects.get_for_model(company).pk, "object_id": company.pk}
    if name == "admin:auth_user_password_change":
        return {"id": samples["person"].pk}
    for action in ADMIN_ACTIONS:
        suffix = f"_{action}"
        if name.endswith(suffix):
            prefix = name.removeprefix("admin:").removesuffix(suffix)
            for model in django_admin.site._registry:
                if prefix == f"{model._meta.app_label}_{model._meta.model_name}":
                    return {"object_id": _admin_object(model._meta.app_label, model._meta.model_name).pk}
    return {}


def sample_path(key: str, samples) -> str:
    url = DISCOVERED[key]
    if url.name is None:
        route = url.route
        if route.endswith("<path:object_id>/"):
            app_label, model_name = route.removeprefix("admin/").split("/")[:2]
            return f"/{route.removesuffix('<path:object_id>/')}{_admin_object(app_label, model_name).pk}/"
        if "(?P<url>" in route:
            return "/admin/nowhere/"
        if "media/" in route:
            return "/media/nothing-here.pdf"
        raise AssertionError(f"no sample path for the unnamed pattern {route!r}: add one in sample_path")
    if url.namespace == "admin":
        kwargs = _admin_kwargs(url.name, samples)
    else:
        kwargs = APP_KWARGS.get(url.name, lambda s: {})(samples)
    return reverse(url.name, kwargs=kwargs)
