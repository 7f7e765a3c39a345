"""Reading the State Council's yearly notice (《国务院办公厅关于YYYY年部分节假日安排的通知》)
into holidays and make-up working days.

The notice has kept one form for years: numbered items, one a festival, each with the days off
("1月1日（周四）至3日（周六）放假调休，共3天。") and the make-up working days ("1月4日（周日）上班。").
The parser reads exactly that and refuses anything it cannot account for, quoting the line:
an impossible date, a weekday in brackets that is not the date's, a day count ("共3天") that does
not match the range, a make-up working day that is not a weekend day. It never guesses."""

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils.translation import gettext as _

from workdays.exceptions import NoticeInvalid

_WEEKDAYS = "一二三四五六日天"
_ITEM = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(?P<name>[^：:]{1,20})[：:](?P<body>.+)$")
_YEAR = re.compile(r"(?:关于|现将)\s*(\d{4})\s*年")
_NUMBER = re.compile(r"国办发(?:明电)?\s*〔\s*(\d{4})\s*〕\s*(\d+)\s*号")
# One date: optional year, month, day, optional bracket ("（周四）", "（农历除夕、周二）", "（星期日）").
_DATE = r"(?:(?P<{p}y>\d{{4}})年)?(?:(?P<{p}m>\d{{1,2}})月)?(?P<{p}d>\d{{1,2}})日(?:[（(](?P<{p}note>[^）)]*)[）)])?"
_RANGE = re.compile(_DATE.format(p="a") + r"\s*至\s*" + _DATE.format(p="b"))
_SINGLE = re.compile(_DATE.format(p="a"))
_TOTAL = re.compile(r"共\s*(\d+)\s*天")
_WEEKDAY_IN_NOTE = re.compile(r"(?:周|星期)([一二三四五六日天])")


@dataclass
class ParsedNotice:
    year: int
    number: str = ""
    title: str = ""
    holidays: dict[date, str] = field(default_factory=dict)
    makeup_days: dict[date, str] = field(default_factory=dict)
    # Days the notice names outside its year (e.g. 2022-12-31 in the 2023 notice): shown, not stored.
    outside_year: list[date] = field(default_factory=list)

    def days(self) -> list[tuple[date, bool, str]]:
        """(date, is_working_day, note) for every day the schedule sets, in date order."""
        rows = [(d, False, name) for d, name in self.holidays.items()]
        rows += [(d, True, name) for d, name in self.makeup_days.items()]
        return sorted(rows)


def _refuse(line: str, why: str) -> NoticeInvalid:
    return NoticeInvalid(
        _("This line of the notice cannot be read: “%(line)s” (%(why)s). Nothing was stored.")
        % {"line": line.strip(), "why": why}
    )


def _make_date(line: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise _refuse(
            line,
            _("%(month)s月%(day)s日 is not a date in %(year)s") % {"month": month, "day": day, "year": year},
        ) from None


def _check_weekday(line: str, day: date, note: str | None) -> None:
    if not note:
        return
    found = _WEEKDAY_IN_NOTE.findall(note)
    if not found:
        return
    named = _WEEKDAYS.index(found[-1]) if found[-1] != "天" else 6
    if named != day.weekday():
        raise _refuse(
            line,
            _("%(date)s is a %(actual)s, not 周%(named)s")
            % {"date": day.isoformat(), "actual": "周" + _WEEKDAYS[day.weekday()], "named": found[-1]},
        )


def _dates_in(line: str, sentence: str, year: int, month_hint: int | None) -> list[date]:
    """Each single date of a sentence ("4月28日（星期日）、5月11日（星期六）上班"), checked."""
    out = []
    month = month_hint
    for match in _SINGLE.finditer(sentence):
        y = int(match["ay"]) if match["ay"] else year
        if match["am"]:
            month = int(match["am"])
        if month is None:
            raise _refuse(line, _("a date without its month"))
        day = _make_date(line, y, month, int(match["ad"]))
        _check_weekday(line, day, match["anote"])
        out.append(day)
    return out


def notice_parse(text: str) -> ParsedNotice:
    """The schedule a notice sets. Raises `NoticeInvalid`, quoting the line, on anything it cannot
    account for."""
    year_match = _YEAR.search(text)
    if not year_match:
        raise NoticeInvalid(
            _(
                "The notice does not say which year it is for (“关于YYYY年部分节假日安排的通知”). Nothing was stored."
            )
        )
    year = int(year_match[1])
    parsed = ParsedNotice(year=year)
    number = _NUMBER.search(text)
    if number:
        parsed.number = f"国办发明电〔{number[1]}〕{number[2]}号"
    for line in text.splitlines():
        if "节假日安排的通知" in line and not parsed.title:
            parsed.title = line.strip().strip("《》")
    items = 0
    for line in text.splitlines():
        item = _ITEM.match(line)
        if not item:
            continue
        items += 1
        name = item["name"].strip()
        for sentence in re.split(r"[。；;]", item["body"]):
            if "放假" in sentence:
                _holidays(line, sentence, name, parsed)
            elif "上班" in sentence:
                for day in _dates_in(line, sentence, year, None):
                    if day.weekday() < 5:
                        raise _refuse(
                            line,
                            _("%(date)s is a weekday, so it cannot be a make-up working day")
                            % {"date": day.isoformat()},
                        )
                    _store(parsed, parsed.makeup_days, day, name, line)
    if not items:
        raise NoticeInvalid(
            _("No numbered item (“一、元旦：……”) was found in the notice. Nothing was stored.")
        )
    overlap = set(parsed.holidays) & set(parsed.makeup_days)
    if overlap:
        day = min(overlap)
        raise NoticeInvalid(
            _("%(date)s is given both as a holiday and as a working day. Nothing was stored.")
            % {"date": day.isoformat()}
        )
    return parsed


def _store(parsed: ParsedNotice, into: dict[date, str], day: date, name: str, line: str) -> None:
    if day.year != parsed.year:
        parsed.outside_year.append(day)
        return
    into[day] = name


def _holidays(line: str, sentence: str, name: str, parsed: ParsedNotice) -> None:
    clause = sentence[: sentence.index("放假")]
    span = _RANGE.search(clause)
    if span:
        y1 = int(span["ay"]) if span["ay"] else parsed.year
        if not span["am"]:
            raise _refuse(line, _("a date without its month"))
        first = _make_date(line, y1, int(span["am"]), int(span["ad"]))
        y2 = int(span["by"]) if span["by"] else y1
        m2 = int(span["bm"]) if span["bm"] else first.month
        if not span["by"] and not span["bm"] and int(span["bd"]) < first.day:
            m2 = first.month % 12 + 1
            y2 = y1 + (1 if first.month == 12 else 0)
        last = _make_date(line, y2, m2, int(span["bd"]))
        _check_weekday(line, first, span["anote"])
        _check_weekday(line, last, span["bnote"])
        if last < first:
            raise _refuse(line, _("the holiday ends before it begins"))
        days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    else:
        days = _dates_in(line, clause, parsed.year, None)
        if len(days) != 1:
            raise _refuse(line, _("no holiday date before “放假”"))
    total = _TOTAL.search(sentence)
    stated = re.search(r"放假\s*(\d+)\s*天", sentence)
    count = int(total[1]) if total else int(stated[1]) if stated else None
    if count is not None and count != len(days):
        raise _refuse(
            line,
            _("it says %(count)s days, but the dates give %(days)s") % {"count": count, "days": len(days)},
        )
    for day in days:
        _store(parsed, parsed.holidays, day, name, line)
