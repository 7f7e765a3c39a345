"""States and statutory periods of what follows the award: challenges (质疑), complaints (投诉),
contracts, contract notices, performance security, acceptance and bid-security releases
(../shared/RULES.md "Award, contract, records" and "Questions, challenges, complaints")."""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class ChallengeSubject(models.TextChoices):
    DOCUMENTS = "documents", _("The procurement documents")
    PROCESS = "process", _("The procurement process")
    RESULT = "result", _("The award result")


class ChallengeStatus(models.TextChoices):
    # Filed; the buyer's answer is due within 7 working days (approval flow running).
    PENDING = "pending", _("Awaiting the buyer's answer")
    # Answered: the challenge was found right; the award was sent back.
    UPHELD = "upheld", _("Upheld")
    # Answered: the challenge was found unfounded.
    DISMISSED = "dismissed", _("Dismissed")


class ComplaintStatus(models.TextChoices):
    # Lodged with the finance department; waiting for it to accept.
    LODGED = "lodged", _("Lodged with the finance department")
    # Accepted: the 30-working-day limit for the decision runs from here (GPL Art 56).
    ACCEPTED = "accepted", _("Accepted")
    # The finance department is investigating.
    INVESTIGATING = "investigating", _("Under investigation")
    # The finance department suspended the procurement (GPLR Art 57): no contract meanwhile.
    SUSPENDED = "suspended", _("Procurement suspended")
    # Decided; the decision is published (frozen, ledgered).
    DECIDED = "decided", _("Decided")


COMPLAINT_TRANSITIONS: dict[str, set[str]] = {
    ComplaintStatus.LODGED: {ComplaintStatus.ACCEPTED},
    ComplaintStatus.ACCEPTED: {
        ComplaintStatus.INVESTIGATING,
        ComplaintStatus.SUSPENDED,
        ComplaintStatus.DECIDED,
    },
    ComplaintStatus.INVESTIGATING: {ComplaintStatus.SUSPENDED, ComplaintStatus.DECIDED},
    ComplaintStatus.SUSPENDED: {ComplaintStatus.INVESTIGATING, ComplaintStatus.DECIDED},
    ComplaintStatus.DECIDED: set(),
}


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Complaint upheld")
    DISMISSED = "dismissed", _("Complaint dismissed")


class ContractStatus(models.TextChoices):
    # Recorded from the award, not yet signed: signing is due within 30 days of the award notice.
    DRAFT = "draft", _("To be signed")
    # Signed: the contract notice is due within 2 working days.
    SIGNED = "signed", _("Signed")
    # The contract notice (合同公告) is published.
    PUBLISHED = "published", _("Contract notice published")
    # Performance accepted (履约验收).
    ACCEPTED = "accepted", _("Performance accepted")


class SecurityReleaseReason(models.TextChoices):
    LOST = "lost", _("Did not win")
    WON = "won", _("Winner, after the contract was signed")
    WITHDRAWN = "withdrawn", _("Bid withdrawn")


@dataclass(frozen=True)
class Period:
    """One statutory time limit: its length, whether in working days, and the article."""

    length: int
    working_days: bool
    article_en: str
    article_zh: str


# Kept here until procurement methods carry them as data (RULES.md "How to build them").
CHALLENGE_FILING = Period(7, True, "GPL Art 52", "《政府采购法》第五十二条")
CHALLENGE_ANSWER = Period(7, True, "GPL Art 53", "《政府采购法》第五十三条")
COMPLAINT_FILING = Period(15, True, "GPL Art 55", "《政府采购法》第五十五条")
COMPLAINT_DECISION = Period(30, True, "GPL Art 56", "《政府采购法》第五十六条")
CONTRACT_SIGNING = Period(
    30, False, "GPL Art 46, MOF87 Art 71", "《政府采购法》第四十六条、财政部令第87号第七十一条"
)
CONTRACT_NOTICE = Period(2, True, "GPLR Art 50", "《政府采购法实施条例》第五十条")
SECURITY_RELEASE = Period(
    5, True, "GPLR Art 33, MOF87 Art 38", "《政府采购法实施条例》第三十三条、财政部令第87号第三十八条"
)
