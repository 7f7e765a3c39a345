"""Bidders' pages: the bid page (seal in the browser, upload with resume, receipt), "my bids" with
versions and status, the receipt as a signed PDF, and the public "verify a receipt" page. Thin:
reads through bidding.selectors, the seal through `seal_ensure`."""

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bidding.exceptions import NotABidder
from bidding.models import BidVersion
from bidding.selectors.bidder import tenders_bid_in, tenders_open_to_bidder
from bidding.selectors.proofs import receipt_sha256, receipt_verify, sb1_notice_entry
from bidding.selectors.submission import (
    bid_limits,
    bidder_supplier,
    bidder_tender_summary,
)
from bidding.services.seal import seal_ensure
from config import clock
from ledger.encoding import format_time
from suppliers.selectors import supplier_ineligibility_reason
from tenders import readout
from tenders.constants import PUBLIC_STATUSES
from tenders.models import Tender

STATUS_LABELS = {
    "counting": gettext_lazy("Counts (latest version)"),
    "sealed": gettext_lazy("In the sealed set"),
    "replaced": gettext_lazy("Replaced by a later version"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


def _supplier_or_refuse(request: HttpRequest):
    supplier = bidder_supplier(user=request.user)
    if supplier is None:
        raise NotABidder()
    return supplier


def _labelled(summary: dict[str, Any]) -> dict[str, Any]:
    for row in summary["versions"]:
        row["status_label"] = STATUS_LABELS[row["status"]]
        row["receipt_json"] = json.dumps(row["receipt"], ensure_ascii=False, indent=2)
        if row["withdrawal_receipt"]:
            row["withdrawal_receipt_json"] = json.dumps(
                row["withdrawal_receipt"], ensure_ascii=False, indent=2
            )
    return summary


@login_required
def bid_page(request: HttpRequest, reference: str) -> HttpResponse:
    """Seal and submit a bid for one tender; the bidder's own versions and receipts below."""
    supplier = _supplier_or_refuse(request)
    tender = Tender.objects.filter(reference=reference, status__in=PUBLIC_STATUSES).first()
    entry = sb1_notice_entry(tender) if tender is not None else None
    if tender is None or entry is None:
        raise Http404(_("No such tender."))
    now = clock.now()
    seal = seal_ensure(tender)
    summary = _labelled(bidder_tender_summary(supplier=supplier, tender=tender, seal=seal, now=now))
    notice = entry.document["payload"]
    current = {
        row["lot"]: row["manifest_sha256"] for row in summary["versions"] if row["status"] == "counting"
    }
    limits = bid_limits(tender)
    items = readout.definitions(notice["readout"], tender.readout_items)
    config = {
        "tender": tender.reference,
        "supplier": supplier.credit_code,
        "username": request.user.username,
        "custodians": notice["custodians"],
        "threshold": notice["threshold"],
        "readout": notice["readout"],
        "readout_items": items,
        "current": current,
        "max_bytes": limits.max_bytes,
        "max_files": limits.max_files,
        "api": {
            "uploads": reverse("api-bidding-uploads"),
            "verify": reverse("api-bidding-receipt-verify"),
            "withdrawals": reverse("api-bidding-withdrawals"),
        },
        "verify_page": reverse("bidding:verify"),
        # For the upload's "will it arrive in time" warning, judged by the server's clock.
        "deadline": format_time(tender.bid_deadline),
        "server_time": format_time(now),
    }
    extra_fields = [
        {
            **item,
            "heading": readout.heading(item),
            "label_text": readout.label(item),
            "unit_text": readout.unit(item),
        }
        for item in items
        if item["name"] not in ("price", "currency")
    ]
    return render(
        request,
        "bidding/bid.html",
        {
            "tender": tender,
            "lots": list(tender.lots.order_by("number")),
            "open": tender.is_open_for_bids(now),
            "summary": summary,
            "config": config,
            "extra_fields": extra_fields,
            "limits": limits,
            "documents": tender.documents.all(),
        },
    )


@login_required
def my_bids(request: HttpRequest) -> HttpResponse:
    """Every tender the supplier bid in (or began to), with each version's status; then the open
    tenders it may bid in, followed ones first, each linked to its bid page."""
    supplier = _supplier_or_refuse(request)
    now = clock.now()
    tenders = []
    for tender in tenders_bid_in(supplier=supplier):
        summary = _labelled(
            bidder_tender_summary(supplier=supplier, tender=tender, seal=seal_ensure(tender), now=now)
        )
        tenders.append((tender, summary))
    return render(
        request,
        "bidding/my_bids.html",
        {
            "tenders": tenders,
            "supplier": supplier,
            "open_tenders": tenders_open_to_bidder(supplier=supplier, user=request.user, at=now),
            "ineligible": supplier_ineligibility_reason(supplier, now),
            "now": now,
        },
    )


@login_required
def receipt_pdf(request: HttpRequest, bid: str) -> HttpResponse:
    """The receipt of one of the supplier's versions as a PAdES-signed PDF with a QR code of its hash.
    Made on request and not stored or logged: before the deadline nothing about a bid may be public."""
    from reports.pdf import render_pdf, sign_pdf

    supplier = _supplier_or_refuse(request)
    version = (
        BidVersion.objects.filter(bid=bid, supplier=supplier).select_related("receipt", "tender").first()
    )
    if version is None:
        raise Http404(_("No such bid."))
    import segno

    digest = version.receipt.receipt_sha256
    pdf = render_pdf(
        "bidding/receipt_pdf.html",
        {
            "version": version,
            "receipt": version.receipt.envelope,
            "payload": version.receipt.envelope["payload"],
            "receipt_json": json.dumps(version.receipt.envelope, ensure_ascii=False, indent=1),
            "digest": digest,
            "qr": segno.make(digest, error="m").svg_data_uri(scale=4, border=2),
            "supplier": supplier,
        },
    )
    signed = sign_pdf(pdf, reason=_("Bid receipt"))
    response = HttpResponse(signed, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="receipt-{version.bid}.pdf"'
    return response


def receipt_verify_page(request: HttpRequest) -> HttpResponse:
    """Anyone may paste or upload a receipt: its signature, and after the deadline the ledger."""
    check, error, text = None, "", ""
    if request.method == "POST":
        text = request.POST.get("receipt", "").strip()
        upload = request.FILES.get("receipt_file")
        if upload is not None and upload.size <= 64 * 1024:
            text = upload.read().decode("utf-8", "replace").strip()
        try:
            envelope = json.loads(text)
        except ValueError:
            error = _("Paste the receipt exactly as you received it (JSON), or choose its file.")
        else:
            check = receipt_verify(envelope)
            if check.ok:
                check.digest = receipt_sha256(envelope)
    return render(request, "bidding/verify.html", {"check": check, "error": error, "text": text})
