"""Spreadsheet exports of the lists users filter: one registry of lists, one writer a format.

A list is registered with its columns and a function that returns the rows of the list as the
user filtered it, with the same visibility rules as its page (every page of it, not only the
one on screen). `/exports/<list>.csv` and `/exports/<list>.xlsx` take the page's query string."""

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

MAX_ROWS = 200_000  # a larger export is refused: narrow the filters (Excel's sheet holds ~1M rows)


class ExportTooLarge(Exception):
    pass


@dataclass(frozen=True)
class Column:
    title: str | Promise
    value: Callable[[Any], Any]


@dataclass(frozen=True)
class ExportList:
    name: str  # in the URL
    title: str | Promise  # the sheet's and the file's name
    columns: list[Column]
    # The rows for this request, filtered as on the list's page; raises PermissionDenied when the
    # user may not see the list.
    rows: Callable[[HttpRequest], Iterable[Any]]
    # A public list (notices, results, the service catalogue) downloads without signing in.
    public: bool = False


_lists: dict[str, ExportList] = {}


def export_register(export: ExportList) -> None:
    _lists[export.name] = export


def export_get(name: str) -> ExportList | None:
    from reports import export_lists  # noqa: F401 - registers the platform's lists on first use

    return _lists.get(name)


def cell(value: Any) -> Any:
    """A value as a spreadsheet holds it: a time in Beijing time without its zone (XLSX has no
    zones), a choice or lazy text as text, None as empty."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None, microsecond=0)
    if isinstance(value, (bool, int, Decimal, date)):
        return value
    return str(value)


def export_rows(export: ExportList, rows: Iterable[Any]) -> Iterator[list[Any]]:
    for n, item in enumerate(rows):
        if n >= MAX_ROWS:
            raise ExportTooLarge()
        yield [cell(column.value(item)) for column in export.columns]


def header(export: ExportList) -> list[str]:
    return [str(column.title) for column in export.columns]


def write_csv(export: ExportList, rows: Iterable[Any]) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens Chinese text as Chinese."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header(export))
    for row in export_rows(export, rows):
        writer.writerow(
            [value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else value for value in row]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def write_xlsx(export: ExportList, rows: Iterable[Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=str(export.title)[:31])
    bold = Font(bold=True)
    titles = []
    for title in header(export):
        c = WriteOnlyCell(sheet, value=title)
        c.font = bold
        titles.append(c)
    sheet.append(titles)
    for row in export_rows(export, rows):
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WRITERS = {
    "csv": (write_csv, "text/csv; charset=utf-8"),
    "xlsx": (write_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def require(condition: bool) -> None:
    if not condition:
        raise PermissionDenied(_("You may not export this list."))
