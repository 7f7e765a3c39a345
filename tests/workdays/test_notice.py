"""The State Council's notice, read into holidays and make-up working days: three published years
and more round-trip exactly against the `chinese_calendar` package, and a notice with an impossible
date or a wrong weekday is refused with its line quoted."""

from datetime import date, timedelta
from pathlib import Path

import chinese_calendar
import pytest

from workdays.exceptions import NoticeInvalid
from workdays.notice import notice_parse

NOTICES = Path(__file__).parent / "notices"


def notice(name: str) -> str:
    return (NOTICES / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_a_published_notice_round_trips_every_day_of_its_year(year):
    parsed = notice_parse(notice(f"{year}.txt"))
    assert parsed.year == year
    day = date(year, 1, 1)
    while day.year == year:
        working = day in parsed.makeup_days or (day.weekday() < 5 and day not in parsed.holidays)
        assert working == chinese_calendar.is_workday(day), day
        if day in parsed.holidays:
            assert chinese_calendar.is_holiday(day), day
        day += timedelta(days=1)


def test_the_notice_names_its_number_and_title():
    parsed = notice_parse(notice("2024.txt"))
    assert parsed.number == "国办发明电〔2023〕7号"
    assert parsed.title == "国务院办公厅关于2024年部分节假日安排的通知"
    assert parsed.makeup_days[date(2024, 2, 4)] == "春节"
    assert parsed.holidays[date(2024, 10, 7)] == "国庆节"


def test_days_outside_the_year_are_set_aside_not_stored():
    # 2023's New Year ran from 2022-12-31.
    parsed = notice_parse(notice("2023.txt"))
    assert parsed.outside_year == [date(2022, 12, 31)]
    assert date(2023, 1, 2) in parsed.holidays


@pytest.mark.parametrize(
    ("line", "quoted_reason"),
    [
        ("二、春节：2月30日至3月2日放假调休，共3天。", "2月30日"),  # no 30 February
        ("一、元旦：1月1日（周五）至3日（周六）放假调休，共3天。", "周五"),  # 2026-01-01 is a Thursday
        ("四、劳动节：5月1日至5日放假调休，共4天。", "4"),  # five dates, "4 days"
        (
            "四、劳动节：5月1日至5日放假调休，共5天。5月6日（周三）上班。",
            "2026-05-06",
        ),  # a weekday cannot be made up
    ],
)
def test_a_notice_that_does_not_add_up_is_refused_with_the_line_quoted(line, quoted_reason):
    text = f"国务院办公厅关于2026年部分节假日安排的通知\n{line}\n"
    with pytest.raises(NoticeInvalid) as refused:
        notice_parse(text)
    message = str(refused.value)
    assert line.strip() in message
    assert quoted_reason in message


def test_a_text_that_is_not_a_notice_is_refused():
    with pytest.raises(NoticeInvalid):
        notice_parse("今天天气很好。")
    with pytest.raises(NoticeInvalid):
        notice_parse("国务院办公厅关于2027年部分节假日安排的通知\n没有条目。")
