"""A decision letter carries the applicant's name, ID number, phone and address: only the applicant,
the handling department's staff and supervisors download it. Anyone with its verification link
learns whether it is authentic (hash, signer, validity, an uploaded copy) and nothing of its content."""

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from config import clock
from portal.models import Application
from portal.services import decision_document_attach
from reports.models import SignedDocument

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel("2026-06-01 10:00 +0800", tick=False):  # before `demo`, which counts days
        yield


@pytest.fixture
def letter(demo):
    """The demo's approved senior allowance (civil affairs), with its signed decision letter."""
    application = Application.objects.get(applicant=demo.users["citizen1"], status="approved")
    decision_document_attach(application_id=application.pk)
    application.refresh_from_db()
    return application.decision_document


def _download(client, user, document):
    if user is not None:
        client.force_login(user)
    return client.get(reverse("reports:download", args=[document.token]))


@pytest.mark.parametrize("who", ["citizen1", "civil_staff", "supervisor"])
def test_the_applicant_the_handling_staff_and_a_supervisor_download_the_letter(demo, letter, client, who):
    response = _download(client, demo.users[who], letter)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("who", ["citizen2", "hr_staff", "supplier1", "officer"])
def test_anyone_else_signed_in_is_told_the_letter_does_not_exist(demo, letter, client, who):
    assert _download(client, demo.users[who], letter).status_code == 404


def test_a_visitor_not_signed_in_is_asked_to_sign_in_and_gets_no_file(letter, client):
    response = _download(client, None, letter)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_the_public_page_confirms_the_letter_without_showing_it(demo, letter, client):
    application = Application.objects.get(decision_document=letter)
    page = client.get(reverse("reports:verify", args=[letter.token])).content.decode()
    assert 'data-valid="true"' in page and letter.sha256 in page and letter.signer_fingerprint in page
    for private in (application.reference, "王小明", "310101199001011234", "13800138000", "准予"):
        assert private not in page
    assert reverse("reports:download", args=[letter.token]) in page  # "sign in to download"
    # A holder checks their copy by uploading it: identical, without the page showing it back.
    data = letter.file.open("rb").read()
    response = client.post(
        reverse("reports:verify", args=[letter.token]),
        {"copy": SimpleUploadedFile("copy.pdf", data, content_type="application/pdf")},
    )
    assert 'id="copy-result"' in response.content.decode()
    assert "NOT" not in response.content.decode() and "不是" not in response.content.decode()
    assert application.reference not in response.content.decode()


def test_the_applicant_sees_the_title_and_the_download_link_on_the_same_page(demo, letter, client):
    client.force_login(demo.users["citizen1"])
    page = client.get(reverse("reports:verify", args=[letter.token])).content.decode()
    assert letter.title in page and 'id="download-link"' in page


def test_a_public_document_stays_downloadable_by_anyone(client):
    document = SignedDocument(
        kind="opening_record",
        title="开标记录",
        sha256="0" * 64,
        size=9,
        signer_subject="CN=Yizhan",
        signer_fingerprint="1" * 64,
        issued_at=clock.now(),
        subject_ref="tenders.tender:T1",
        public=True,
    )
    document.file.save("record.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    response = client.get(reverse("reports:download", args=[document.token]))
    assert response.status_code == 200


def test_a_private_document_with_no_reader_rule_is_refused_even_to_a_signed_in_user(demo, client):
    document = SignedDocument(
        kind="unknown",
        title="?",
        sha256="0" * 64,
        size=9,
        signer_subject="CN=Yizhan",
        signer_fingerprint="1" * 64,
        issued_at=clock.now(),
        subject_ref="elsewhere:1",
    )
    document.file.save("x.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    client.force_login(demo.users["supervisor"])
    assert client.get(reverse("reports:download", args=[document.token])).status_code == 404
