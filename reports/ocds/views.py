"""The public open-data page (the bulk files with their SHA-256 and size, the API, the publication
policy) and the downloads it links: a bulk file, and our OCDS extension's files."""

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.ocds.packages import LOTS_EXTENSION_URL
from reports.ocds.selectors import ocds_bulk_file_get, ocds_bulk_files
from reports.ocds.validation import SCHEMA_DIR

EXTENSION_FILES = ("extension.json", "release-schema.json")


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    files = ocds_bulk_files()
    days: dict = {}
    for bulk in files:
        days.setdefault(bulk.day, []).append(bulk)
    return render(
        request,
        "reports/open_data/index.html",
        {
            "days": list(days.items()),
            "lots_extension_url": LOTS_EXTENSION_URL,
            "ocid_prefix": settings.OCDS_OCID_PREFIX,
        },
    )


@require_GET
def bulk_download(request: HttpRequest, pk: int) -> FileResponse:
    bulk = ocds_bulk_file_get(pk=pk)
    if bulk is None:
        raise Http404
    response = FileResponse(
        bulk.file.open("rb"),
        as_attachment=True,
        filename=f"ocds-{bulk.kind}-{bulk.day.isoformat()}.jsonl.gz",
        content_type="application/gzip",
    )
    response["X-Content-SHA256"] = bulk.sha256
    return response


@require_GET
def extension_file(request: HttpRequest, name: str) -> FileResponse:
    if name not in EXTENSION_FILES:
        raise Http404
    return FileResponse(
        (SCHEMA_DIR / "extensions" / "yizhan" / name).open("rb"), content_type="application/json"
    )
