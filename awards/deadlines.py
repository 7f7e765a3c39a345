"""Every award time limit of a tender, counted by the working-day calendar (RULES.md "Award,
contract, records"), and how many days each party has left.

A tender's rule set may carry its own value under the keys below (an administrator may tighten a
period, never loosen it past the statute); otherwise the statutory defaults of awards.constants."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awards import constants
from config import clock
from procurement.constants import MethodCode
from workdays import calendar

# The methods of the Bidding Law (招标): candidates are publicised before the award (BLR Art 54), and
# the outcome is a 中标 (not a 成交) result.
TENDERING_METHODS = frozenset({MethodCode.OPEN_TENDER, MethodCode.INVITATION})


def is_tendering(tender: Any) -> bool:
    return tender.method.code in TENDERING_METHODS


def _rule(tender: Any, key: str, default: int) -> int:
    value = (tender.rule_set or {}).get(key)
    return min(int(value), default) if value else default


def report_day(tender: Any) -> date | None:
    report = getattr(tender, "evaluation_report", None)
    return timezone.localdate(report.issued_at) if report is not None else None


def decision_due(tender: Any) -> date | None:
    """GPLR Art 43: the buyer picks the winner within 5 working days of the report; a decision sent
    back (an upheld challenge, a rejected approval) counts again from the day it was sent back."""
    from awards.models import AwardDecision

    day = report_day(tender)
    if day is None:
        return None
    reopened = (
        AwardDecision.objects.filter(tender=tender, reopened_at__isnull=False)
        .order_by("-reopened_at")
        .values_list("reopened_at", flat=True)
        .first()
    )
    if reopened is not None:
        day = max(day, timezone.localdate(reopened))
    return calendar.add_working_days(
        day, _rule(tender, "award_decision_working_days", constants.DECISION_WORKING_DAYS)
    )


def publicity_start_due(tender: Any) -> date | None:
    """BLR Art 54: the candidates are published within 3 days of the report (a last day on a
    holiday moves to the next working day, Civil Code Art 203)."""
    day = report_day(tender)
    if day is None or not is_tendering(tender):
        return None
    return calendar.add_days(day, _rule(tender, "publicity_start_days", constants.PUBLICITY_START_DAYS))


def publicity_end(tender: Any, start: date) -> date:
    """The last day (to 24:00) of a publicity published on `start`: at least 3 days, not counting
    the day of publication."""
    return calendar.add_days(start, constants.PUBLICITY_MIN_DAYS)


def announcement_due(decided_on: date) -> date:
    """GPLR Art 43, MOF87 Art 69: the result published and the award notice sent within 2 working
    days of the decision."""
    return calendar.add_working_days(decided_on, constants.ANNOUNCEMENT_WORKING_DAYS)


@dataclass(frozen=True)
class Deadline:
    key: str  # "publicity", "objections", "decision", "announcement"
    label: Any
    due_on: date
    done_at: Any = None  # when it was met (a datetime), None while open
    article: str = ""

    def days_left(self, today: date | None = None) -> int:
        """Calendar days from today to the last day (0: today is the last day; negative: overdue)."""
        return (self.due_on - (today or clock.today_local())).days

    def working_days_left(self, today: date | None = None) -> int:
        return calendar.working_days_between(today or clock.today_local(), self.due_on)

    @property
    def is_open(self) -> bool:
        return self.done_at is None

    def overdue(self, today: date | None = None) -> bool:
        return self.is_open and self.days_left(today) < 0

    def met_late(self) -> bool:
        return self.done_at is not None and timezone.localdate(self.done_at) > self.due_on


def award_deadlines(tender: Any) -> list[Deadline]:
    """The time limits that apply to this tender now, in order, each with when it was met."""
    from awards.models import AwardDecision, CandidatePublicity, ResultAnnouncement

    deadlines: list[Deadline] = []
    publicity = CandidatePublicity.objects.filter(tender=tender).first()
    start_due = publicity_start_due(tender)
    if start_due is not None:
        deadlines.append(
            Deadline(
                "publicity",
                _("Publish the winning candidates"),
                start_due,
                publicity.published_at if publicity else None,
                "BLR Art 54",
            )
        )
    if publicity is not None:
        ended = publicity.ends_on < clock.today_local()
        deadlines.append(
            Deadline(
                "objections",
                _("Objections to the candidates taken until"),
                publicity.ends_on,
                clock.now() if ended else None,
                "BLR Art 54",
            )
        )
    due = decision_due(tender)
    decisions = AwardDecision.objects.filter(tender=tender).order_by("-proposed_at", "-pk")
    current = decisions.first()
    if due is not None:
        decided = current.decided_at if current is not None and current.is_live else None
        deadlines.append(Deadline("decision", _("Decide the award"), due, decided, "GPLR Art 43"))
    if current is not None and current.is_live and current.decided_at is not None:
        result = ResultAnnouncement.objects.filter(decision=current).select_related("announcement").first()
        deadlines.append(
            Deadline(
                "announcement",
                _("Publish the result and send the award notice"),
                announcement_due(timezone.localdate(current.decided_at)),
                result.announcement.published_at if result else None,
                "GPLR Art 43, MOF87 Art 69",
            )
        )
    return deadlines
