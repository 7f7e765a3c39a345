"""Demo: count every demo tender in the statistics, then publish the OCDS releases of everything the
demo published (reports.ocds), so the dashboards and the open-data API have data at once (the bulk
files are left to the nightly task). Runs last (reports is the last app): some demo loaders set a
tender's state with `QuerySet.update()`, which the per-save refresh of the statistics does not see."""

from accounts.demo import Demo
from reports.ocds.services import ocds_releases_sync
from reports.statistics import statistics_rebuild


def load(demo: Demo) -> None:
    statistics_rebuild()
    ocds_releases_sync()
