"""Documents of a meeting: shared by its staff, downloaded through a view that checks who sees
the meeting (never from a public media URL), refused when too large or of a risky type."""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from meetings import services
from meetings.models import MeetingDocument
from meetings.validators import DOCUMENT_MAX_SIZE
from tests import factories
from tests.pages import assert_hides, assert_shows, in_english

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def document(meeting, facilitator):
    return factories.MeetingDocumentFactory(meeting=meeting, uploaded_by=facilitator, title="Bilan 2025")


def upload(name="bilan.pdf", content=b"%PDF-1.4 bilan", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def create_url(meeting):
    return reverse("meetings:document_create", kwargs={"pk": meeting.pk})


def download_url(document):
    return reverse("meetings:document_download", kwargs={"pk": document.meeting_id, "doc_pk": document.pk})


def delete_url(document):
    return reverse("meetings:document_delete", kwargs={"pk": document.meeting_id, "doc_pk": document.pk})


def test_the_facilitator_shares_a_document(meeting, facilitator, login, media_root):
    response = login(facilitator).post(
        create_url(meeting), {"title": "Slides de l'intervenant", "file": upload("slides.pdf")}
    )

    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url() + "#documents"
    document = meeting.documents.get()
    assert (document.title, document.uploaded_by) == ("Slides de l'intervenant", facilitator)
    assert document.file.name.startswith(f"meetings/{meeting.uid}/")
    assert (media_root / document.file.name).read_bytes() == b"%PDF-1.4 bilan"


def test_an_empty_title_becomes_the_file_name(meeting, facilitator):
    document = services.add_document(
        meeting, title=" ", file=upload("Budget prévisionnel.xlsx"), actor=facilitator
    )

    assert document.title == "Budget prévisionnel"


def test_everyone_who_sees_the_meeting_downloads_it_as_an_attachment(document, users, login):
    for role in ("admin", "coordinator", "facilitator", "member", "sponsor"):
        response = login(users[role]).get(download_url(document))

        assert response.status_code == 200, role
        assert response["Content-Disposition"].startswith("attachment;"), role
        assert 'filename="compte-rendu' in response["Content-Disposition"], role
        assert b"".join(response.streaming_content) == b"%PDF-1.4 compte rendu", role


def test_people_outside_the_cohort_get_404(
    chapter, document, outsider, alumni, other_chapter_coordinator, login
):
    stranger = factories.MembershipFactory(cohort=factories.CohortFactory(chapter=chapter)).person

    for person in (stranger, outsider, alumni, other_chapter_coordinator):
        assert login(person).get(download_url(document)).status_code == 404, person
    assert login(None).get(download_url(document)).status_code == 302  # to the sign-in page


def test_a_document_of_another_meeting_is_not_found_through_this_one(cohort, document, member, login):
    other_meeting = factories.MeetingFactory(cohort=cohort, starts_at=factories._in_days(50))
    url = reverse("meetings:document_download", kwargs={"pk": other_meeting.pk, "doc_pk": document.pk})

    assert login(member).get(url).status_code == 404


def test_the_document_of_another_cohort_never_shows(chapter, member, login, facilitator):
    other = factories.MeetingDocumentFactory(
        meeting=factories.MeetingFactory(cohort=factories.CohortFactory(chapter=chapter)),
        title="Confidentiel : plan social",
    )

    assert login(member).get(download_url(other)).status_code == 404
    assert login(facilitator).get(download_url(other)).status_code == 200  # the chapter's staff do


def test_the_meeting_page_lists_the_documents_with_the_view_link(meeting, document, member, login):
    page = login(member).get(meeting.get_absolute_url())

    assert_shows(page, "Bilan 2025", download_url(document))
    assert_hides(page, settings.MEDIA_URL, delete_url(document), create_url(meeting))


def test_the_staff_see_the_upload_and_delete_controls(meeting, document, facilitator, login):
    assert_shows(
        login(facilitator).get(meeting.get_absolute_url()), create_url(meeting), delete_url(document)
    )


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("macro.exe", b"MZ", "A file of type “exe” cannot be shared here."),
        ("page.html", b"<script>", "A file of type “html” cannot be shared here."),
        ("sans-extension", b"data", "A file of type “” cannot be shared here."),
        (
            "video.pdf",
            b"0" * (DOCUMENT_MAX_SIZE + 1),
            "a document may weigh up to 10 MB.",
        ),
    ],
)
def test_risky_or_large_files_are_refused_with_a_reason(meeting, facilitator, login, name, content, message):
    response = in_english(login(facilitator)).post(
        create_url(meeting), {"title": "Mon titre", "file": upload(name, content)}
    )

    assert response.status_code == 200
    assert_shows(response, message, "Mon titre")
    assert not MeetingDocument.objects.exists()


def test_a_file_of_exactly_10_mb_is_accepted(meeting, facilitator):
    document = services.add_document(
        meeting, title="Rapport", file=upload("rapport.pdf", b"0" * DOCUMENT_MAX_SIZE), actor=facilitator
    )

    assert document.file.size == DOCUMENT_MAX_SIZE


def test_no_file_is_explained_in_french(meeting, facilitator, login):
    response = login(facilitator).post(create_url(meeting), {"title": "Mon titre"})

    assert response.status_code == 200
    assert_shows(response, "Choisissez un fichier à partager.")


def test_the_service_refuses_risky_files_too(meeting, facilitator):
    with pytest.raises(ValidationError):
        services.add_document(meeting, title="x", file=upload("script.js", b"alert(1)"), actor=facilitator)

    assert not MeetingDocument.objects.exists()


@pytest.mark.parametrize("role", ["member", "sponsor"])
def test_members_and_sponsors_cannot_share_or_delete(meeting, document, role, request, login):
    client = login(request.getfixturevalue(role))

    assert client.get(create_url(meeting)).status_code == 403
    assert client.post(create_url(meeting), {"title": "x", "file": upload()}).status_code == 403
    assert client.post(delete_url(document)).status_code == 403
    assert MeetingDocument.objects.get() == document


def test_the_facilitator_deletes_a_document_and_its_file(
    meeting, document, facilitator, login, media_root, django_capture_on_commit_callbacks
):
    path = media_root / document.file.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = login(facilitator).post(delete_url(document))

    assert response.status_code == 302
    assert not MeetingDocument.objects.exists()
    assert not path.exists()


def test_a_missing_file_is_a_404_not_a_500(document, member, media_root, login):
    (media_root / document.file.name).unlink()

    assert login(member).get(download_url(document)).status_code == 404


def test_a_cancelled_meeting_takes_no_new_document(meeting, facilitator, login):
    services.cancel_meeting(meeting, reason="Salle indisponible", actor=facilitator)

    with pytest.raises(ValidationError):
        services.add_document(meeting, title="x", file=upload(), actor=facilitator)
    assert login(facilitator).get(create_url(meeting)).status_code == 302


def test_removing_a_document_asks_first(meeting, document, facilitator, login):
    page = login(facilitator).get(meeting.get_absolute_url())

    assert (
        'data-confirm="Retirer « Bilan 2025 » de la réunion ? Son fichier est supprimé."'
        in page.content.decode()
    )
