"""Exports: the XLSX and CSV of a filtered list hold exactly that list's rows, every page of it;
private lists are for their users only; every public notice prints as a PDF in Chinese with its
hash and its ledger entry."""

import csv
import io
import re
import shutil
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tenders import views_public
from tenders.models import Announcement, Tender

pytestmark = pytest.mark.django_db


def _listed_references(client, query: dict) -> list[str]:
    """The references the notice list shows for `query`, page after page."""
    references, page = [], 1
    while True:
        html = client.get(reverse("notices:index"), {**query, "page": page}).content.decode()
        found = re.findall(
            r'<h3 class="govuk-heading-s"><a class="govuk-link" href="/notices/([^/"#]+)/">', html
        )
        references += found
        if 'rel="next"' not in html:
            return references
        page += 1


def test_the_xlsx_of_a_filtered_notice_list_holds_exactly_its_rows(client, demo, monkeypatch):
    monkeypatch.setattr(views_public, "PAGE_SIZE", 2)  # so the list runs over several pages
    query = {"method": "open_tender", "sort": "budget_desc"}
    listed = _listed_references(client, query)
    assert len(listed) > 2, "the demo should have more open tenders than one page holds"
    assert (
        len(listed)
        < Tender.objects.filter(
            status__in=[
                "published",
                "awarded",
                "failed",
                "cancelled",
                "opening",
                "evaluation",
                "awaiting_award",
            ]
        ).count()
    )

    response = client.get(reverse("exports:list", args=["notices", "xlsx"]), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "编号" or rows[0][0]  # a header row (its wording is the list's column titles)
    assert [row[0] for row in rows[1:]] == listed
    budgets = [row[6] for row in rows[1:]]
    assert budgets == sorted(budgets, reverse=True)  # the list's own order, numbers as numbers


def test_the_csv_export_is_the_same_list_in_utf8(client, demo):
    query = {"method": "open_tender"}
    listed = _listed_references(client, query)
    response = client.get(reverse("exports:list", args=["notices", "csv"]), query)
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert [row[0] for row in rows[1:]] == listed


def test_private_lists_are_exported_only_to_their_users(client, demo):
    assert client.get(reverse("exports:list", args=["officer-tenders", "xlsx"])).status_code == 302  # sign in
    client.force_login(demo.users["citizen1"])
    assert client.get(reverse("exports:list", args=["officer-tenders", "xlsx"])).status_code == 403
    assert client.get(reverse("exports:list", args=["staff-applications", "csv"])).status_code == 403
    client.force_login(demo.users["officer"])
    response = client.get(reverse("exports:list", args=["officer-tenders", "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    exported = [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]
    from tenders.selectors import tenders_of_officer

    assert exported == [t.reference for t in tenders_of_officer(user=demo.users["officer"])]
    assert client.get(reverse("exports:list", args=["nothing", "xlsx"])).status_code == 404
    assert client.get(reverse("exports:list", args=["notices", "ods"])).status_code == 404


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) reads the PDF's text"
)
def test_a_public_notice_prints_as_a_pdf_with_its_hash_and_ledger_entry(client, demo, tmp_path):
    announcement = (
        Announcement.objects.filter(kind="tender_notice", ledger_index__isnull=False)
        .select_related("tender")
        .first()
    )
    assert announcement is not None
    tender = announcement.tender
    response = client.get(reverse("exports:notice_pdf", args=[tender.reference, announcement.sequence]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(response.content)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "CJK" in fonts  # the Chinese font is embedded
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert tender.title.replace(" ", "") in flat and tender.buyer.name in flat
    assert announcement.payload_sha256 in flat
    from ledger.selectors import ledger_entry_get

    assert bytes(ledger_entry_get(index=announcement.ledger_index).leaf_hash).hex() in flat

    draft = Tender.objects.filter(status="draft").first()
    if draft is not None:
        assert client.get(reverse("exports:notice_pdf", args=[draft.reference, 1])).status_code == 404


def test_the_results_list_exports_its_winners_and_amounts(client, demo):
    """The public results list (awards) downloads as the page lists it, with winner and amount."""
    import time_machine
    from django.test import override_settings

    from awards import demo as awards_demo
    from awards.models import ResultAnnouncement
    from evaluation import demo as evaluation_demo

    with (
        override_settings(EVALUATION_DEMO_TENDER=True),
        time_machine.travel("2026-10-08 10:00 +0800", tick=False),
    ):
        evaluation_demo.load(demo)
        awards_demo.load(demo)

    page = client.get(reverse("awards:results")).content.decode()
    assert reverse("exports:list", args=["results", "xlsx"]) in page
    response = client.get(reverse("exports:list", args=["results", "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    announced = ResultAnnouncement.objects.select_related(
        "announcement__tender", "decision__supplier__organisation"
    )
    expected = {(r.announcement.tender.reference, r.decision.supplier.organisation.name) for r in announced}
    assert expected and {(row[0], row[4]) for row in rows[1:]} == expected
    assert all(row[5] for row in rows[1:])  # every result has its amount
