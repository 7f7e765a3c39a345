"""OCDS release packages and record packages: the publisher, licence and publication policy every
package carries, and the record of a contracting process (its releases linked, the compiled
release by the OCDS merge rules)."""

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from config import clock
from reports.ocds.merge import compiled_release, releases_sorted
from reports.ocds.releases import ORG_ID_SCHEME, ocds_date, site_url

OCDS_VERSION = "1.1"
# The extensions our releases use: the standard's lots extension, and our own (served by this site).
LOTS_EXTENSION_URL = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
)


def extensions() -> list[str]:
    return [LOTS_EXTENSION_URL, site_url(reverse("open-data:extension", args=["extension.json"]))]


def publisher() -> dict:
    entry = {"name": settings.OCDS_PUBLISHER_NAME, "uri": site_url("/")}
    if settings.OCDS_PUBLISHER_CREDIT_CODE:
        entry.update(scheme=ORG_ID_SCHEME, uid=settings.OCDS_PUBLISHER_CREDIT_CODE)
    return entry


def _metadata(uri: str) -> dict:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": extensions(),
        "publisher": publisher(),
        "publishedDate": ocds_date(clock.now()),
        "license": settings.OCDS_LICENSE,
        "publicationPolicy": site_url(reverse("open-data:index") + "#policy"),
    }


def release_package(releases: list[dict], *, uri: str, links: dict | None = None) -> dict:
    package = {**_metadata(uri), "releases": releases}
    if links:
        package["links"] = links
    return package


def record_package(records: list[dict], *, uri: str, links: dict | None = None) -> dict:
    package = {**_metadata(uri), "records": records}
    if links:
        package["links"] = links
    return package


def release_url(release: dict) -> str:
    """The URL of the package holding the release, with the release's id as fragment (the OCDS
    linked-release form)."""
    query = urlencode({"ocid": release["ocid"]})
    return site_url(f"{reverse('api-ocds-releases')}?{query}#{release['id']}")


def record_for(ocid: str, releases: list[dict]) -> dict:
    """The record of one contracting process: every release linked (oldest first) and compiled."""
    ordered = releases_sorted(releases)
    return {
        "ocid": ocid,
        "releases": [{"url": release_url(r), "date": r["date"], "tag": r["tag"]} for r in ordered],
        "compiledRelease": compiled_release(ordered),
    }
