"""Readable names of the ledger's entry kinds, for the public ledger page. The kind string itself is
part of the entry and stays shown beside the name (verifiers match on it). The ledger imports no
app, so the names of other apps' kinds are kept here as plain strings; a kind without a name is
shown as its code."""

from django.utils.translation import gettext_lazy as _

ENTRY_KIND_NAMES = {
    "SB1/notice": _("Tender notice (opening keys)"),
    "SB1/opening-key": _("Opening key registered"),
    "SB1/custodian-confirmation": _("Custodian confirmation"),
    "SB1/seal": _("Seal statement at the deadline"),
    "tender/tender_notice": _("Tender notice"),
    "tender/amendment": _("Amendment"),
    "tender/clarification": _("Clarification"),
    "tender/cancellation": _("Cancellation notice"),
    "tender/failure": _("Failure notice"),
    "tender/candidates": _("Winning candidates publicity"),
    "tender/result": _("Award result announcement"),
    "tender/contract": _("Contract notice"),
    "suppliers/certificate": _("Signing certificate issued"),
    "suppliers/revocation": _("Signing certificate revoked"),
    "suppliers/verification": _("Supplier verification decided"),
    "suppliers/debarment": _("Supplier debarment"),
    "suppliers/opening-key-replacement": _("Opening key replaced"),
    "yizhan/opening-record": _("Opening record"),
    "yizhan/opening-failed": _("Opening failed"),
    "yizhan/share-refused": _("Decryption share refused"),
    "yizhan/share-window-extended": _("Share window extended"),
    "approvals/flow-published": _("Approval flow published"),
    "approvals/delegation": _("Approval delegation"),
    "portal.enquiry": _("Consultation or complaint received"),
    "portal.enquiry_answered": _("Consultation or complaint answered"),
    "portal.payment": _("Fee paid"),
    "portal.refund": _("Fee refunded"),
    "portal.service_saved": _("Service guide published"),
    "workdays/year-confirmed": _("Calendar year confirmed"),
    "workdays/day-changed": _("Calendar day changed"),
    "document.issued": _("Signed document issued"),
    # awards/: challenges, complaints, contracts, securities (docs/awards.md).
    "awards/challenge-filed": _("Challenge filed"),
    "awards/challenge-answered": _("Challenge answered"),
    "awards/award-reopened": _("Award decision re-opened"),
    "awards/complaint-decision": _("Complaint decision published"),
    "awards/acceptance": _("Performance acceptance recorded"),
    "awards/bid-security-released": _("Bid security returned"),
}
PREFIX_NAMES = {"approvals/": _("Approval step")}


def entry_kind_name(kind: str) -> str:
    """The entry kind's readable name in the current language, or the kind itself."""
    if kind in ENTRY_KIND_NAMES:
        return str(ENTRY_KIND_NAMES[kind])
    for prefix, name in PREFIX_NAMES.items():
        if kind.startswith(prefix):
            return str(name)
    return kind
