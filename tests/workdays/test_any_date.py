"""Any date, any year: the demo loads completely, and its tenders publish through the approval
path, with the clock at a year's end, in a year the package does not know (with and without the
administrator's schedule for it) and years ahead; loading it again changes nothing."""

from datetime import date

import pytest
import time_machine

from accounts.management.commands.load_demo import demo_build
from portal.models import Application
from tenders.demo import DEMO_TENDERS
from tenders.models import Tender
from tests.workdays.test_notice import notice
from workdays import services
from workdays.calendar import is_working_day
from workdays.constants import YearSource
from workdays.models import CalendarYear

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("any_date")]

# The demo's tenders that reach publication (the rest stay draft or in approval by design).
PUBLISHED_TARGETS = {row[0] for row in DEMO_TENDERS if row[-1] not in ("draft", "in_approval")}


def counts() -> dict[str, int]:
    return {
        "tenders": Tender.objects.count(),
        "published": Tender.objects.exclude(published_at=None).count(),
        "applications": Application.objects.count(),
        "years": CalendarYear.objects.count(),
    }


@pytest.mark.parametrize(
    ("moment", "enter_2027"),
    [
        ("2026-12-31 10:00 +0800", False),
        ("2027-06-15 10:00 +0800", False),
        ("2027-06-15 10:00 +0800", True),
        ("2030-02-01 10:00 +0800", False),
    ],
)
def test_the_demo_loads_whole_and_publishes_on_any_date(moment, enter_2027):
    # Start from what a fresh installation knows: the package's years only.
    CalendarYear.objects.filter(year__gte=2027).delete()
    with time_machine.travel(moment, tick=False):
        if enter_2027:
            from accounts.models import User

            admin = User.objects.create_superuser("calendar_admin", "calendar@demo.yizhan.example", "x")
            year, _parsed = services.calendar_year_draft_from_notice(text=notice("2027-test.txt"), by=admin)
            services.calendar_year_confirm(
                year_id=year.pk,
                by=admin,
                notice_title=year.notice_title,
                notice_number=year.notice_number,
                notice_date=date(2026, 11, 20),
            )
        demo = demo_build()
        first = counts()
        published = set(Tender.objects.exclude(published_at=None).values_list("title", flat=True))
        assert published >= PUBLISHED_TARGETS
        assert first["applications"] == 5  # every demo application, in its state
        demo_build()
        assert counts() == first  # a second run changes nothing
    this_year = int(moment[:4])
    entered = CalendarYear.objects.filter(year=2027, source=YearSource.NOTICE).exists()
    assert entered == enter_2027
    provisional = set(
        CalendarYear.objects.filter(source=YearSource.DEMO_PROVISIONAL).values_list("year", flat=True)
    )
    assert provisional == {
        y for y in (this_year, this_year + 1) if y >= 2027 and not (y == 2027 and enter_2027)
    }
    assert all(str(y) in " ".join(demo.notes) for y in provisional)
    if enter_2027:
        assert not is_working_day(date(2027, 2, 8))  # the administrator's schedule, not a provisional one


def test_a_failing_loader_leaves_nothing_behind(monkeypatch):
    """The loader is one transaction: a failure halfway leaves no partial demo for the next run."""
    import portal.demo

    def broken(demo):
        raise RuntimeError("the portal's demo failed halfway")

    monkeypatch.setattr(portal.demo, "_applications", broken)
    with pytest.raises(RuntimeError):
        demo_build()
    assert Tender.objects.count() == 0 and Application.objects.count() == 0
