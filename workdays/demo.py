"""The demo's calendar: every year the demo counts into (this year and the next) must be known.
Where neither the package nor an administrator's confirmed year covers one, a demo installation
gets a provisional schedule, marked "demo, provisional, not official" and named in a banner on
every officer's and administrator's page (production settings never allow it)."""

from config import clock
from workdays.services import calendar_year_provisional_ensure


def load(demo) -> None:
    this_year = clock.today_local().year
    for year in (this_year, this_year + 1):
        record = calendar_year_provisional_ensure(year=year)
        if record is not None:
            demo.notes.append(
                f"{year}: provisional holiday schedule (demo only, not official); "
                "enter the State Council's notice at /calendar/import/ to replace it."
            )
