"""Member documents: a member's certificate and a cohort's directory as PDF, the chapter's
roster built by a background task with its progress; coordinators and admins only."""

import datetime
import time

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from documents import member_documents as documents
from documents import selectors, services, tasks
from documents.enums import ExportState
from documents.models import ExportJob
from groups.enums import CohortState, MembershipState
from tests import factories
from tests.celery_workers import app_configured_for, unreachable_redis_url
from tests.pages import assert_hides, assert_shows
from tests.pdf import pdf_text
from tests.queries import count_queries, describe


def response_bytes(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def group(invoicing_chapter, cohort, member_membership, sponsor, facilitator):
    """The active Plato 56 cohort as a directory shows it: the member shares an e-mail
    address but not a phone; a classmate shares a phone but not an e-mail address."""
    member = member_membership.person
    member.job_title = "Directeur général"
    member.phone = "02 97 00 00 01"
    member.share_email, member.share_phone = True, False
    member.save()
    company = member_membership.company
    company.address, company.postcode, company.town = "4 rue du Port", "56000", "Vannes"
    company.save()
    classmate = factories.MembershipFactory(
        cohort=cohort,
        company__name="Biscuiterie de Quiberon",
        company__naf_code="10.72Z",
        company__town="Quiberon",
        company__postcode="56170",
        person__email="maelle.jego@biscuiterie.test",
        person__first_name="Maëlle",
        person__last_name="Jégo",
        person__phone="06 12 34 56 78",
        person__share_phone=True,
    )
    facilitator.phone = "02 97 11 22 33"
    facilitator.save()
    return {"member": member_membership, "classmate": classmate}


def certificate_url(membership) -> str:
    return reverse("billing:membership_certificate", kwargs={"pk": membership.pk})


def directory_url(cohort) -> str:
    return reverse("billing:cohort_directory_pdf", kwargs={"pk": cohort.pk})


def exports_url(chapter) -> str:
    return reverse("billing:chapter_exports", kwargs={"code": chapter.code})


def job_url(job) -> str:
    return reverse("billing:export_job", kwargs={"code": job.chapter.code, "job": job.pk})


def download_url(job) -> str:
    return reverse("billing:export_download", kwargs={"code": job.chapter.code, "job": job.pk})


# --- The certificate ---------------------------------------------------------------------------


def test_certificate_says_who_is_a_member_of_which_group_and_until_when(group, coordinator, login, tmp_path):
    response = login(coordinator).get(certificate_url(group["member"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="attestation-adhesion-gwenael-le-floch.pdf"' in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Attestation d’adhésion",
        "Chambre de commerce et d'industrie du Morbihan",
        "21 quai des Indes",
        "Gwenaël Le Floch",
        "Directeur général",
        "Kerlann Informatique",
        f"SIRET {group['member'].company.siret[:3]} ",
        "« Golfe du Morbihan » (Plato 56 — CCI du Morbihan)",
        "depuis le 2 septembre 2025",
        "jusqu’au 2 septembre 2027",
        "16 demi-journées de réunion",
        "pour servir et valoir ce que de droit",
        "Fait à Lorient, le",
        "Gaëlle Le Nours",  # the coordinator who asked signs
        "Signature et cachet",
        "Page 1 / 1",
    ):
        assert expected in text, f"{expected!r} not in {text!r}"


def test_certificate_of_a_member_who_left_speaks_of_the_past(group, coordinator, login, tmp_path):
    membership = group["classmate"]
    membership.state, membership.left_on = MembershipState.WITHDRAWN, datetime.date(2026, 3, 1)
    membership.save()

    text = pdf_text(login(coordinator).get(certificate_url(membership)).content, tmp_path)

    assert "a été membre du groupe Plato « Golfe du Morbihan »" in text
    assert "du 2 septembre 2025 au 1er mars 2026" in text


def test_certificate_asked_by_an_admin_is_signed_by_the_chapter_coordinator(
    group, coordinator, admin, login, tmp_path
):
    text = pdf_text(login(admin).get(certificate_url(group["member"])).content, tmp_path)

    assert "Gaëlle Le Nours" in text
    assert "Sophie Martin" not in text


# --- The directory -----------------------------------------------------------------------------


def test_directory_lists_the_people_with_only_the_contact_details_they_share(
    group, coordinator, cohort, login, tmp_path
):
    response = login(coordinator).get(directory_url(cohort))

    assert response.status_code == 200
    assert 'filename="annuaire-golfe-du-morbihan.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    for expected in (
        "Annuaire du groupe « Golfe du Morbihan »",
        "Gwenaël Le Floch",
        "Directeur général",
        "Kerlann Informatique",
        "Programmation informatique",  # the NAF label of 62.01Z
        "56000 Vannes",
        "member@plato.test",  # shared
        "Maëlle Jégo",
        "Biscuiterie de Quiberon",
        "06 12 34 56 78",  # shared
        "Catherine Le Bras",  # the sponsor
        "Crédit Maritime Armoricain",
        "Kévin Le Guennec",  # the facilitator, with the phone of the CCI
        "02 97 11 22 33",
        "Membres (2)",
    ):
        assert expected in text, f"{expected!r} not in {text!r}"
    assert "02 97 00 00 01" not in text  # the member keeps their phone to themselves
    assert "maelle.jego@biscuiterie.test" not in text  # and Maëlle her e-mail address


def test_directory_hides_the_job_title_of_who_does_not_share_it(group, coordinator, cohort, login, tmp_path):
    member = group["member"].person
    member.share_job_title = False
    member.save()

    text = pdf_text(login(coordinator).get(directory_url(cohort)).content, tmp_path)

    assert "Gwenaël Le Floch" in text
    assert "Directeur général" not in text


# --- Who may ask -------------------------------------------------------------------------------


@pytest.fixture
def done_job(invoicing_chapter, coordinator, cohort, closed_cohort, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, _created = services.request_roster(invoicing_chapter, actor=coordinator)
    job.refresh_from_db()
    return job


@pytest.fixture
def every_url(group, done_job, cohort):
    return {
        "certificate": certificate_url(group["member"]),
        "directory": directory_url(cohort),
        "exports": exports_url(done_job.chapter),
        "job": job_url(done_job),
        "download": download_url(done_job),
    }


@pytest.mark.parametrize("name", ["certificate", "directory", "exports", "job", "download"])
@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("other_chapter_coordinator", 404),
        ("facilitator", 403),
        ("member", 403),
        ("sponsor", 403),
        ("outsider", 403),
    ],
)
def test_only_the_chapter_coordinators_and_admins_get_the_documents(
    name, role, status, every_url, users, login
):
    response = login(users[role]).get(every_url[name])

    assert response.status_code == status
    assert response.get("Content-Type", "") != "application/pdf"


@pytest.mark.parametrize("name", ["certificate", "directory", "exports", "job", "download"])
def test_anonymous_visitors_are_sent_to_sign_in(name, every_url, client):
    response = client.get(every_url[name])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_job_of_another_chapter_is_not_found_under_this_chapter(done_job, other_chapter, login, admin):
    url = reverse("billing:export_download", kwargs={"code": other_chapter.code, "job": done_job.pk})

    assert login(admin).get(url).status_code == 404


# --- The roster, built in the background -------------------------------------------------------


def test_asking_for_the_roster_builds_it_after_the_commit_and_offers_the_download(
    invoicing_chapter, group, alumni, coordinator, login, django_capture_on_commit_callbacks, tmp_path
):
    factories.CohortFactory(chapter=invoicing_chapter, name="Presqu’île de Rhuys", state=CohortState.FORMING)
    client = login(coordinator)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client.post(exports_url(invoicing_chapter), {"action": "roster"})
    page = client.get(exports_url(invoicing_chapter))

    assert len(callbacks) == 1
    job = ExportJob.objects.get()
    assert (job.state, job.done, job.total, job.requested_by) == (ExportState.DONE, 3, 3, coordinator)
    assert job.file.name.startswith("exports/")
    assert_shows(page, "La liste des adhérents est en cours de préparation", "Télécharger la liste (PDF)")
    download = client.get(download_url(job))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "no-store" in download["Cache-Control"]
    text = pdf_text(response_bytes(download), tmp_path)
    for expected in (
        "Liste des adhérents",
        "Plato 56 — CCI du Morbihan",
        "Totaux",
        "1 en cours · 1 en constitution · 1 clos",
        "Golfe du Morbihan Actif 02/09/2025 – 02/09/2027 2 0 0",  # members, alumni, left
        "Presqu’île de Rhuys En constitution",
        "Pays de Lorient Clos 07/09/2021 – 06/09/2023 0 1 0",
        "Gwenaël Le Floch",
        "Maëlle Jégo",
        "Loïc Kerhervé",  # the alumni of the closed cohort
        "Catherine Le Bras",
        "Kévin Le Guennec",
        "Page 1",
    ):
        assert expected in text, f"{expected!r} not in {text!r}"


def test_the_roster_reports_each_cohort_done_and_numbers_its_pages_on(
    invoicing_chapter, group, closed_cohort, tmp_path
):
    cohorts = selectors.roster_cohorts(invoicing_chapter)
    reported = []

    pdf = documents.chapter_roster(
        invoicing_chapter, cohorts, today=datetime.date(2026, 11, 28), on_cohort_done=reported.append
    )

    assert reported == [1, 2]
    assert [cohort.name for cohort in cohorts] == ["Golfe du Morbihan", "Pays de Lorient"]  # running first
    text = pdf_text(pdf, tmp_path)
    assert "Page 1" in text and "Page 2" in text and "Page 3" in text
    assert "Liste des adhérents au 28/11/2026" in text


def test_a_done_job_is_not_built_again(done_job):
    before = (done_job.file.name, done_job.finished_at)

    tasks.build_export(done_job.pk)

    done_job.refresh_from_db()
    assert (done_job.file.name, done_job.finished_at) == before
    assert ExportJob.objects.count() == 1


def test_a_job_that_no_longer_exists_is_left_alone(db):
    assert tasks.build_export(987654) is None


def test_a_failed_build_shows_its_reason_and_can_be_tried_again(
    invoicing_chapter, group, coordinator, login, settings, tmp_path, django_capture_on_commit_callbacks
):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("the storage cannot write under a file")
    settings.MEDIA_ROOT = blocked  # the storage is out of order
    client = login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(exports_url(invoicing_chapter), {"action": "roster"})
    page = client.get(exports_url(invoicing_chapter))

    job = ExportJob.objects.get()
    assert job.state == ExportState.FAILED
    assert job.error == "Le fichier n’a pas pu être enregistré (NotADirectoryError)."
    assert_shows(page, "La liste n’a pas pu être établie", job.error, "Réessayer")
    assert_hides(page, str(blocked))  # no server path on the page

    settings.MEDIA_ROOT = tmp_path / "media"  # repaired
    with django_capture_on_commit_callbacks(execute=True):
        client.post(exports_url(invoicing_chapter), {"action": "retry", "job": job.pk})
    page = client.get(exports_url(invoicing_chapter))

    job.refresh_from_db()
    assert (job.state, job.error, job.done, job.total) == (ExportState.DONE, "", 1, 1)
    assert_shows(page, "Télécharger la liste (PDF)")
    assert client.get(download_url(job)).status_code == 200


def test_only_a_failed_job_can_be_tried_again(done_job, coordinator, login):
    page = login(coordinator).post(
        exports_url(done_job.chapter), {"action": "retry", "job": done_job.pk}, follow=True
    )

    assert_shows(page, "Seule une liste en échec peut être relancée.")


@pytest.mark.parametrize("job_id", ["abc", "", "1.5", "-1", "9" * 30])
def test_a_retry_of_a_job_that_is_not_there_is_a_404(done_job, coordinator, login, job_id):
    response = login(coordinator).post(exports_url(done_job.chapter), {"action": "retry", "job": job_id})

    assert response.status_code == 404
    done_job.refresh_from_db()
    assert done_job.state == ExportState.DONE


def test_a_retry_under_another_chapter_does_not_reach_this_chapters_job(
    done_job, other_chapter, login, admin
):
    response = login(admin).post(exports_url(other_chapter), {"action": "retry", "job": done_job.pk})

    assert response.status_code == 404


def test_a_second_click_while_the_roster_is_waiting_builds_no_second_one(
    invoicing_chapter, cohort, coordinator, login
):
    client = login(coordinator)

    client.post(exports_url(invoicing_chapter), {"action": "roster"})  # its task waits for the commit
    page = client.post(exports_url(invoicing_chapter), {"action": "roster"}, follow=True)

    assert ExportJob.objects.count() == 1
    assert_shows(page, "Une liste des adhérents est déjà en préparation")


def test_a_broker_that_does_not_answer_leaves_the_job_waiting_for_the_sweep(
    invoicing_chapter, cohort, coordinator, django_capture_on_commit_callbacks
):
    with app_configured_for(unreachable_redis_url()):  # as in production, Redis down
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            job, created = services.request_roster(invoicing_chapter, actor=coordinator)
        asked_in = time.monotonic() - started

    job.refresh_from_db()
    assert created and asked_in < 1
    assert (job.state, job.error) == (ExportState.PENDING, ""), "waiting, not failed"

    with django_capture_on_commit_callbacks(execute=True):  # the broker is back (tasks inline)
        assert services.sweep_exports() == 0, "a job asked for a moment ago is not sent twice"
        assert services.sweep_exports(older_than=datetime.timedelta(0)) == 1
    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.attempts) == (ExportState.DONE, 1, 1, 1)


# --- A build whose worker died ------------------------------------------------------------------


def stalled(job: ExportJob, *, attempts: int = 1, silent_for: float = 61) -> ExportJob:
    """The job as a worker killed halfway leaves it: running, its heartbeat stopped."""
    last_beat = timezone.now() - datetime.timedelta(seconds=silent_for)
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportState.RUNNING,
        done=1,
        total=2,
        started_at=last_beat,
        heartbeat_at=last_beat,
        attempts=attempts,
    )
    job.refresh_from_db()
    return job


@pytest.fixture
def waiting_job(invoicing_chapter, cohort, closed_cohort, coordinator):
    job, _created = services.request_roster(invoicing_chapter, actor=coordinator)  # its task never ran
    return job


def test_a_build_whose_heartbeat_stopped_shows_as_stopped_with_a_retry_not_in_progress(
    waiting_job, coordinator, login, settings
):
    job = stalled(waiting_job)
    client = login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    partial = client.get(job_url(job), headers={"HX-Request": "true"})
    page = client.get(exports_url(job.chapter))

    for response in (partial, page):
        assert_hides(response, "Building the list")
        assert_shows(response, "The list stopped being built", "Try again")
    assert f'name="job" value="{job.pk}"' in partial.content.decode()


def test_a_build_still_beating_shows_its_progress(waiting_job, coordinator, login, settings):
    job = stalled(waiting_job, silent_for=5)  # a heartbeat 5 s ago: alive
    client = login(coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(job_url(job), headers={"HX-Request": "true"})

    assert_shows(response, "Building the list: 1 of 2 cohorts done")
    assert_hides(response, "The list stopped being built")
    assert services.sweep_exports() == 0


def test_the_sweep_starts_a_dead_build_over_and_it_finishes(waiting_job, django_capture_on_commit_callbacks):
    job = stalled(waiting_job)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_exports() == 1

    job.refresh_from_db()
    assert (job.state, job.done, job.total, job.attempts, job.error) == (ExportState.DONE, 2, 2, 2, "")
    assert job.file.name.startswith("exports/")


def test_a_build_that_lost_its_worker_too_often_fails_with_the_reason(
    waiting_job, django_capture_on_commit_callbacks
):
    job = stalled(waiting_job, attempts=services.MAX_ATTEMPTS)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.sweep_exports() == 0

    job.refresh_from_db()
    assert job.state == ExportState.FAILED
    with translation.override("fr"):  # stored as the CCI reads it, whatever the catalogue says
        reason = ngettext(
            "The build stopped %(count)s time without finishing (its worker was lost).",
            "The build stopped %(count)s times without finishing (its worker was lost).",
            3,
        ) % {"count": 3}
    assert job.error == reason


def test_a_coordinator_may_start_a_dead_build_over_at_once(
    waiting_job, coordinator, login, django_capture_on_commit_callbacks
):
    job = stalled(waiting_job)

    with django_capture_on_commit_callbacks(execute=True):
        login(coordinator).post(exports_url(job.chapter), {"action": "retry", "job": job.pk})

    job.refresh_from_db()
    assert (job.state, job.attempts) == (ExportState.DONE, 2)


def test_a_dead_build_does_not_block_a_new_list(
    waiting_job, coordinator, login, django_capture_on_commit_callbacks
):
    job = stalled(waiting_job)

    with django_capture_on_commit_callbacks(execute=True):
        page = login(coordinator).post(exports_url(job.chapter), {"action": "roster"}, follow=True)

    assert_hides(page, "Une liste des adhérents est déjà en préparation")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (ExportState.DONE, 2)
    assert ExportJob.objects.count() == 1


def test_a_retry_of_a_build_still_alive_is_refused(waiting_job, coordinator, login):
    job = stalled(waiting_job, silent_for=5)

    page = login(coordinator).post(exports_url(job.chapter), {"action": "retry", "job": job.pk}, follow=True)

    assert_shows(page, "Seule une liste en échec peut être relancée.")
    job.refresh_from_db()
    assert (job.state, job.attempts) == (ExportState.RUNNING, 1)


def test_the_status_partial_polls_until_the_job_is_done(invoicing_chapter, cohort, coordinator, login):
    job = ExportJob.objects.create(chapter=invoicing_chapter, requested_by=coordinator, total=4, done=1)
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.RUNNING)
    client = login(coordinator)

    running = client.get(job_url(job), headers={"HX-Request": "true"})
    without_javascript = client.get(job_url(job))
    ExportJob.objects.filter(pk=job.pk).update(state=ExportState.FAILED, error="Disque plein")
    failed = client.get(job_url(job), headers={"HX-Request": "true"})

    html = running.content.decode()
    assert f'hx-get="{job_url(job)}" hx-trigger="every 1s" hx-swap="outerHTML"' in html
    assert 'max="4" value="1"' in html
    assert "<html" not in html  # the fragment alone
    assert_shows(running, "Préparation de la liste : 1 sur 4 groupes")
    assert_shows(without_javascript, "Liste des adhérents (PDF)", "Rafraîchir")
    assert f'href="{job_url(job)}"' in without_javascript.content.decode()
    assert "hx-trigger" not in failed.content.decode()  # polling stops
    assert_shows(failed, "Disque plein", "Réessayer")


def test_a_job_not_done_has_nothing_to_download_yet(invoicing_chapter, coordinator, login):
    job = ExportJob.objects.create(chapter=invoicing_chapter, requested_by=coordinator)

    response = login(coordinator).get(download_url(job), follow=True)

    assert_shows(response, "Cette liste n’est pas encore prête.")


def test_the_exports_page_takes_a_fixed_number_of_queries(invoicing_chapter, cohort, coordinator, login):
    def grow(count):
        for _ in range(count):
            ExportJob.objects.create(
                chapter=invoicing_chapter,
                requested_by=factories.ChapterRoleFactory(chapter=invoicing_chapter).user,
                state=ExportState.DONE,
                file="exports/2026/adherents.pdf",
                total=1,
                done=1,
            )

    client = login(coordinator)
    grow(1)
    client.get(exports_url(invoicing_chapter))
    small = count_queries(client, exports_url(invoicing_chapter))
    grow(6)
    large = count_queries(client, exports_url(invoicing_chapter))

    assert large == small, describe(small, large, (1, 7))


# --- Where the documents are offered -----------------------------------------------------------


def test_cohort_page_offers_the_directory_and_each_certificate_to_coordinators_only(
    group, cohort, coordinator, facilitator, login
):
    for_coordinator = login(coordinator).get(cohort.get_absolute_url())
    for_facilitator = login(facilitator).get(cohort.get_absolute_url())

    assert_shows(
        for_coordinator,
        directory_url(cohort),
        certificate_url(group["member"]),
        certificate_url(group["classmate"]),
    )
    assert_hides(for_facilitator, directory_url(cohort), certificate_url(group["member"]))


def test_chapter_page_links_the_member_documents_for_coordinators(
    invoicing_chapter, coordinator, facilitator, login
):
    assert_shows(login(coordinator).get(invoicing_chapter.get_absolute_url()), exports_url(invoicing_chapter))
    assert_hides(login(facilitator).get(invoicing_chapter.get_absolute_url()), exports_url(invoicing_chapter))
