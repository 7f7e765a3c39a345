"""What the privacy scanner (ledger.privacy) must not find in the ledger, collected from every table
that holds personal data or a private record's key: users, applications' forms, enquiries,
delegations, approval comments and decision letters."""

from accounts.constants import Role
from accounts.models import User
from approvals.models import ApprovalEvent, Delegation
from ledger.models import LedgerEntry
from ledger.privacy import LedgerPrivacyScanner, PrivacyFinding
from portal.models import Application, Enquiry
from portal.services import _state_hash
from reports.models import SignedDocument


def _strings(value) -> list[str]:
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return [value] if isinstance(value, str) else []


def _private_documents():
    fields = {f.name for f in SignedDocument._meta.get_fields()}
    if "public" in fields:
        return SignedDocument.objects.filter(public=False)
    return SignedDocument.objects.filter(kind="portal-decision")  # the code before documents had a flag


# Demo usernames that are also ordinary words of the platform ("buyer", "officer", a role's name):
# their text cannot tell a person from a word in a flow's step name, so for them the scanner relies on
# the field-name rule (ledger.privacy.PERSONAL_FIELDS). Every other username is matched as a word.
AMBIGUOUS_USERNAMES = set(Role.values) | {"admin", "buyer", "officer", "director", "platform", "market"}


def privacy_scanner() -> LedgerPrivacyScanner:
    users = list(User.objects.all())
    applications = list(Application.objects.all())
    enquiries = list(Enquiry.objects.all())
    form_values = [s for a in applications for s in _strings(a.form_data) if len(s) >= 4]
    return LedgerPrivacyScanner(
        private_words={"username": [u.username for u in users if u.username not in AMBIGUOUS_USERNAMES]},
        private_values={
            "person_name": [u.full_name for u in users] + [e.name for e in enquiries],
            "user_phone": [u.phone for u in users],
            "user_email": [u.email for u in users],
            "application_form_value": form_values,
            "application_state_hash": [_state_hash(a) for a in applications],
            "document_token": [str(t) for t in _private_documents().values_list("token", flat=True)],
            "enquiry_number": [e.tracking_number for e in enquiries],
            "enquiry_contact": [e.contact for e in enquiries],
            "enquiry_text": [e.subject for e in enquiries] + [e.body for e in enquiries],
        },
        private_texts=[e.comment for e in ApprovalEvent.objects.exclude(comment="")]
        + [d.reason for d in Delegation.objects.exclude(reason="")]
        + [a.decision_reasons for a in applications if a.decision_reasons],
    )


def ledger_privacy_findings() -> list[PrivacyFinding]:
    return privacy_scanner().scan_entries(LedgerEntry.objects.order_by("index"))


def report(findings: list[PrivacyFinding]) -> str:
    return "the public ledger holds private data:\n" + "\n".join(f"  {f}" for f in findings[:40])
