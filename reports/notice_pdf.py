"""Printable PDFs of public notices: the content of the notice's page, with the announcement's
hash and its ledger entry (index and leaf hash), in CJK fonts through WeasyPrint."""

from django.urls import reverse

from ledger.selectors import ledger_entry_get
from reports.pdf import qr_svg_data_uri, render_pdf
from tenders.constants import AnnouncementKind
from tenders.models import Announcement


def notice_pdf_context(announcement: Announcement) -> dict:
    tender = announcement.tender
    entry = None
    if announcement.ledger_index is not None:
        try:
            entry = ledger_entry_get(index=announcement.ledger_index)
        except Exception:  # noqa: BLE001 - a missing entry prints as "not in the ledger", never fails the PDF
            entry = None
    page = reverse("notices:detail", args=[tender.reference]) + f"#announcement-{announcement.sequence}"
    return {
        "tender": tender,
        "announcement": announcement,
        "is_tender_notice": announcement.kind == AnnouncementKind.TENDER_NOTICE,
        "lots": tender.lots.all(),
        "criteria": tender.criteria.all(),
        "custodians": tender.custodians.select_related("user"),
        "ledger_entry": entry,
        "leaf_hash": bytes(entry.leaf_hash).hex() if entry is not None else "",
        "page": page,
        "qr": qr_svg_data_uri(page),
    }


def notice_pdf_render(announcement: Announcement) -> bytes:
    return render_pdf("reports/notice_pdf.html", notice_pdf_context(announcement))
