"""Every upload is checked by config/uploads.py: size, type read from the content (not the name),
and the number of files in one request. A 60 MiB HTML "qualification", a 60 MiB tender document
and a program renamed .pdf are refused with a message, and nothing is stored."""

import io
import zipfile

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation
from rest_framework.test import APIClient

from config.uploads import SCANS, TENDER_DOCUMENTS, upload_kind, upload_problem
from suppliers.models import Qualification
from tenders.models import DocumentVersion
from tests.conftest import choose_english

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\0" * 200
HTML_60_MIB = b"<html><body>" + b"A" * (60 * 1024 * 1024) + b"</body></html>"


def _zip(names: list[str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            # A fixed timestamp: the bytes name the test's parameters, which every xdist worker
            # must collect identically.
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), "<ofd/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("a.pdf", PDF, "pdf"),
        ("scan.png", PNG, "png"),
        ("invoice.pdf", EXE, "exe"),  # a program renamed .pdf is still a program
        ("notes.txt", "采购文件（演示）\n".encode(), "txt"),
        ("page.txt", b"<!DOCTYPE html><script>alert(1)</script>", None),  # markup is not plain text
        ("doc.ofd", _zip(["OFD.xml", "Doc_0/Document.xml"]), "ofd"),
        ("bundle.zip", _zip(["a.txt"]), "zip"),
    ],
)
def test_kind_is_read_from_the_content(name, content, kind):
    assert upload_kind(SimpleUploadedFile(name, content)) == kind


def test_policies_refuse_by_size_kind_and_emptiness():
    translation.activate("en")
    assert upload_problem(SimpleUploadedFile("a.pdf", PDF), SCANS) is None
    assert "PDF" in upload_problem(SimpleUploadedFile("a.pdf", EXE), SCANS)
    assert upload_problem(SimpleUploadedFile("a.pdf", b""), SCANS)
    assert upload_problem(SimpleUploadedFile("a.docx", _zip(["a.txt"])), TENDER_DOCUMENTS) is None
    with override_settings(UPLOAD_MAX_BYTES=1000):
        assert "at most" in upload_problem(SimpleUploadedFile("a.pdf", PDF + b"\0" * 1000), SCANS)


# ------------------------------------------------------------------ supplier qualifications (page)


@pytest.fixture
def supplier_admin(db):
    from tests.suppliers.factories import UserFactory, supplier_make

    admin = UserFactory(username="upload-admin")
    supplier_make(admin=admin, name="上传测试有限公司")
    return admin


@pytest.mark.parametrize(
    ("name", "content"), [("big.html", HTML_60_MIB), ("licence.pdf", EXE), ("licence.pdf", HTML_60_MIB[:500])]
)
def test_qualification_page_refuses_big_html_and_disguised_programs(client, supplier_admin, name, content):
    client.force_login(supplier_admin)
    choose_english(client)
    response = client.post(
        "/suppliers/qualifications/",
        {"kind": "business_licence", "title": "营业执照", "file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200  # the form again, with the message
    body = response.content.decode()
    assert "at most" in body or "whatever its name says" in body
    assert not Qualification.objects.exists()


def test_qualification_page_accepts_a_real_pdf(client, supplier_admin):
    client.force_login(supplier_admin)
    client.post(
        "/suppliers/qualifications/",
        {"kind": "business_licence", "title": "营业执照", "file": SimpleUploadedFile("l.pdf", PDF)},
    )
    assert Qualification.objects.count() == 1


def test_qualification_service_checks_too(supplier_admin):
    """The service checks on its own, so no entry point (API, admin, import) can skip the check."""
    from config.uploads import UploadRefused
    from suppliers import services

    supplier = supplier_admin.memberships.first().organisation.supplier
    with pytest.raises(UploadRefused):
        services.qualification_add(
            supplier=supplier,
            by=supplier_admin,
            kind="business_licence",
            title="x",
            expires_on=None,
            file=SimpleUploadedFile("l.pdf", EXE),
        )


# ------------------------------------------------------------------ tender documents (API and page)


@pytest.fixture
def draft_tender(demo_at_a_fixed_date):
    from tests.tenders.factories import at, make_tender

    return make_tender(demo_at_a_fixed_date, issue=at("2026-03-09"), deadline=at("2026-04-10"))


@pytest.fixture
def demo_at_a_fixed_date(db):
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False):
        from accounts.management.commands.load_demo import demo_build

        yield demo_build()


def _officer_api(demo) -> APIClient:
    client = APIClient()
    client.force_authenticate(demo.users["officer"])
    return client


def test_tender_document_api_refuses_60_mib(draft_tender, demo_at_a_fixed_date):
    before = DocumentVersion.objects.count()
    response = _officer_api(demo_at_a_fixed_date).post(
        f"/api/tenders/{draft_tender.pk}/documents/",
        {
            "title": "补充文件",
            "file": SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"\0" * (60 * 1024 * 1024)),
        },
        format="multipart",
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert DocumentVersion.objects.count() == before


@override_settings(UPLOAD_MAX_BYTES=1024 * 1024)
def test_tender_document_api_refuses_a_file_over_the_limit_inside_a_small_body(
    draft_tender, demo_at_a_fixed_date
):
    response = _officer_api(demo_at_a_fixed_date).post(
        f"/api/tenders/{draft_tender.pk}/documents/",
        {
            "title": "补充文件",
            "file": SimpleUploadedFile("big.pdf", b"%PDF-1.4" + b"\0" * (1024 * 1024 + 10)),
        },
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "at most" in str(response.json()["fields"]["file"])


def test_tender_document_api_refuses_a_renamed_program(draft_tender, demo_at_a_fixed_date):
    before = DocumentVersion.objects.count()
    response = _officer_api(demo_at_a_fixed_date).post(
        f"/api/tenders/{draft_tender.pk}/documents/",
        {"title": "补充文件", "file": SimpleUploadedFile("tender.pdf", EXE)},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert "无论文件名" in str(response.json()["fields"]["file"])
    assert DocumentVersion.objects.count() == before


def test_tender_document_page_refuses_60_mib_html(client, draft_tender, demo_at_a_fixed_date):
    before = DocumentVersion.objects.count()
    client.force_login(demo_at_a_fixed_date.users["officer"])
    with time_machine.travel("2026-03-02 11:00 +0800", tick=False):
        response = client.post(
            f"/tenders/{draft_tender.pk}/documents/",
            {"document-title": "补充文件", "document-file": SimpleUploadedFile("big.html", HTML_60_MIB)},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    assert response.status_code in (200, 302)
    assert DocumentVersion.objects.count() == before


def test_too_many_files_in_one_request_are_refused(client, supplier_admin):
    client.force_login(supplier_admin)
    files = {f"f{i}": SimpleUploadedFile(f"{i}.pdf", PDF) for i in range(21)}
    response = client.post("/suppliers/qualifications/", {"kind": "business_licence", "title": "x", **files})
    assert response.status_code == 400
    assert not Qualification.objects.exists()


# ------------------------------------------------------------------ portal application materials


def test_application_material_refuses_a_renamed_program_and_keeps_the_earlier_file(demo_at_a_fixed_date):
    from config.uploads import UploadRefused
    from portal import services
    from portal.models import Service

    citizen = demo_at_a_fixed_date.users["citizen1"]
    with time_machine.travel("2026-03-02 11:00 +0800", tick=False):
        application = services.application_start(
            user=citizen, service=Service.objects.get(code="marriage-registration")
        )
        services.attachment_add(
            user=citizen,
            application=application,
            material_key="male-id",
            upload=SimpleUploadedFile("id.pdf", PDF),
        )
        with pytest.raises(UploadRefused):
            services.attachment_add(
                user=citizen,
                application=application,
                material_key="male-id",
                upload=SimpleUploadedFile("id.pdf", EXE),
            )
    kept = application.attachments.get(material_key="male-id", superseded=False)
    assert kept.file.read().startswith(b"%PDF")
