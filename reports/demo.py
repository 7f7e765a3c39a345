"""Demo: the OCDS releases of everything the demo published (reports.ocds), so the open-data API
has data at once; the bulk files are left to the nightly task."""

from reports.ocds.services import ocds_releases_sync


def load(demo) -> None:
    ocds_releases_sync()
