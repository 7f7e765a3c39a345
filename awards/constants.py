"""Award kinds, states and the numbers the rules fix (../shared/RULES.md "Award, contract, records")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AwardStatus(models.TextChoices):
    # The buyer's choice is in its approval flow.
    IN_APPROVAL = "in_approval", _("Award decision in approval")
    # Approved: the result announcement is due within 2 working days.
    DECIDED = "decided", _("Award decided")
    # The result announcement is published (frozen, ledgered).
    ANNOUNCED = "announced", _("Result announced")
    # Sent back: the approval flow returned it, or an upheld challenge re-opened it.
    REOPENED = "reopened", _("Award decision re-opened")


class AwardReason(models.TextChoices):
    """Why the buyer chose this candidate. Only the first candidate needs no reason; any other
    needs one of the reasons the rules allow (GPLR Art 49, BL Art 55 / BLR Art 55)."""

    FIRST_CANDIDATE = "first", _("First-ranked candidate")
    FIRST_DECLINED = "first_declined", _("The higher-ranked candidate declined")
    DISQUALIFIED = "disqualified", _("The higher-ranked candidate was disqualified")
    CHALLENGE_UPHELD = "challenge_upheld", _("A challenge against the higher-ranked candidate was upheld")


class NoticeKind(models.TextChoices):
    # 中标/成交通知书: the signed award notice to the winner.
    AWARD = "award", _("Award notice")
    # 结果告知: every other bidder's own result, scores, rank and why it did not win.
    RESULT = "result", _("Result notice")


# The numbers the rules fix; a tender's rule set may carry its own (tighter) values under these keys.
# GPLR Art 43: the buyer picks the winner within 5 working days of the report.
DECISION_WORKING_DAYS = 5
# GPLR Art 43, MOF87 Art 69: the award notice sent and the result published within 2 working days.
ANNOUNCEMENT_WORKING_DAYS = 2
# BLR Art 54: the candidates published within 3 days of the report, for at least 3 days.
PUBLICITY_START_DAYS = 3
PUBLICITY_MIN_DAYS = 3
# How many ranked candidates the publicity names (BLR Art 53: no more than three).
PUBLICITY_CANDIDATES = 3
# The result notice period: the announcement stays up at least this many working days (MOF87 Art 69).
RESULT_NOTICE_WORKING_DAYS = 1
