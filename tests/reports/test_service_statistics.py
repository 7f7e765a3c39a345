"""The statistics page's charts: drawn from the records, each bar in proportion to the number in
the table beside it; months judged in Beijing time; the table stays for screen readers."""

import re
import xml.etree.ElementTree as ET
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from portal.models import Application, ApplicationEvent, Service
from reports.charts import _nice_axis, column_chart, percent_bar_chart

BEIJING = ZoneInfo("Asia/Shanghai")
SVG = "{http://www.w3.org/2000/svg}"


def test_nice_axes_and_bar_heights_in_proportion():
    assert _nice_axis(0) == (1, 1)
    assert _nice_axis(7) == (8, 2)
    assert _nice_axis(38) == (40, 10)
    chart = column_chart(chart_id="c", items=[("a", 0), ("b", 3), ("c", 6)])
    plot = chart.plot_bottom - chart.plot_top
    assert [round(b.height / plot * chart.axis_max, 6) for b in chart.bars] == [0, 3, 6]
    assert all(b.y + b.height == pytest.approx(chart.plot_bottom) for b in chart.bars)
    rows = percent_bar_chart(chart_id="r", items=[("x", Decimal("50.0")), ("y", Decimal("100"))])
    span = rows.plot_right - rows.plot_left
    assert [b.width / span for b in rows.bars] == [0.5, 1.0]


def _chart(page: str, chart_id: str) -> ET.Element:
    match = re.search(rf'<figure class="yz-chart" id="{chart_id}">(.*?)</figure>', page, re.S)
    assert match, f"no chart {chart_id}"
    return ET.fromstring(match.group(1))  # noqa: S314 (our own page, rendered by this test)


def _rows(page: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table class="govuk-table" id="{table_id}">(.*?)</table>', page, re.S).group(1)
    body = table.split("<tbody", 1)[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BEIJING)


@pytest.mark.django_db
def test_the_charts_show_the_numbers_of_the_tables(client, demo):
    ApplicationEvent.objects.filter(kind="submitted").delete()  # only this test's submissions count
    Application.objects.update(status="draft")  # and only its decisions
    citizen = demo.users["citizen1"]
    marriage = Service.objects.get(code="marriage-registration")  # 民政局
    other = Service.objects.exclude(department=marriage.department).order_by("code").first()

    def application(service, n, **fields):
        now = _at("2026-03-01 09:00")
        made = Application.objects.create(
            reference=f"SQT{n:06d}",
            service=service,
            applicant=citizen,
            created_at=now,
            updated_at=now,
            **fields,
        )
        return made

    submitted_at = ["2026-03-10 10:00", "2026-03-20 10:00", "2026-05-31 23:30", "2026-06-01 00:30"]
    for n, moment in enumerate(submitted_at):
        made = application(marriage, n, status="submitted")
        ApplicationEvent.objects.create(
            application=made, seq=1, kind="submitted", message="", texts={}, at=_at(moment)
        )
    # 民政局: two decided, one within the limit (decided the evening of the due day, Beijing time); other: one, on time.
    application(
        marriage,
        10,
        status="approved",
        decided_at=_at("2026-04-10 20:00"),
        decision_due=date(2026, 4, 10),
        submitted_at=_at("2026-04-01 09:00"),
    )
    application(
        marriage,
        11,
        status="refused",
        decided_at=_at("2026-04-13 09:00"),
        decision_due=date(2026, 4, 10),
        submitted_at=_at("2026-04-03 16:00"),
    )
    application(
        other, 12, status="approved", decided_at=_at("2026-04-01 09:00"), decision_due=date(2026, 4, 10)
    )

    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        old_address = client.get(reverse("portal:statistics"))
        assert old_address.status_code == 302 and old_address["Location"] == reverse("statistics:services")
        page = client.get(reverse("statistics:services")).content.decode()

    months = _chart(page, "chart-months")
    assert months.get("role") == "img"
    title_id, desc_id = months.get("aria-labelledby").split()
    assert months.find(f"{SVG}title").get("id") == title_id and months.find(f"{SVG}desc").get("id") == desc_id
    assert "2025-07" in months.find(f"{SVG}desc").text and "2026-06" in months.find(f"{SVG}desc").text
    table = dict((m, int(n)) for m, n in _rows(page, "months-table"))
    assert len(table) == 12 and list(table)[0] == "2025-07" and list(table)[-1] == "2026-06"
    assert (table["2026-03"], table["2026-04"], table["2026-05"], table["2026-06"]) == (2, 0, 1, 1)
    bars = months.findall(f"{SVG}g/{SVG}rect")
    assert [int(b.get("data-value")) for b in bars] == list(table.values())
    axis_max = float(months.get("data-axis-max"))
    _left, top, _right, bottom = (float(v) for v in months.get("data-plot").split())
    for bar, value in zip(bars, table.values(), strict=True):
        assert float(bar.get("height")) / (bottom - top) == pytest.approx(value / axis_max, abs=1e-3)

    on_time = _chart(page, "chart-on-time")
    assert on_time.get("role") == "img" and on_time.get("aria-labelledby")
    rows = {r[0]: r[1:] for r in _rows(page, "on-time-table")}
    # 9 and 10 days from submission to decision; the other's application has no submission time.
    assert rows[marriage.department.name] == ["2", "1", "50.0%", "9.5"]
    assert rows[other.department.name] == ["1", "1", "100.0%", "—"]
    left, _top, right, _bottom = (float(v) for v in on_time.get("data-plot").split())
    widths = {b.get("data-label"): float(b.get("width")) / (right - left) for b in on_time.iter(f"{SVG}rect")}
    assert widths == {marriage.department.name: pytest.approx(0.5), other.department.name: pytest.approx(1.0)}

    assert dict(_rows(page, "services-table")) == {marriage.name: "4"}

    with time_machine.travel("2026-06-15 10:00 +0800", tick=False):
        page = client.get(
            reverse("statistics:services"),
            {"month_from": "2026-05", "month_to": "2026-06", "organisation": other.department.pk},
        ).content.decode()
    table = dict((m, int(n)) for m, n in _rows(page, "months-table"))
    assert table == {"2026-05": 0, "2026-06": 0}  # 民政局's submissions are not the other department's
    assert "on-time-table" not in page  # nothing of the other department's was decided in May or June
