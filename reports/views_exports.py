"""Downloads of lists (CSV, XLSX) and printable PDFs of public notices."""

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from reports.exports import WRITERS, ExportTooLarge, export_get
from reports.notice_pdf import notice_pdf_render
from tenders.exceptions import TenderNotFound
from tenders.selectors import tender_public_get


def export_list(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """The list `name` as the user filtered it (the page's query string), every page of it."""
    export = export_get(name)
    if export is None or fmt not in WRITERS:
        raise Http404()
    if not request.user.is_authenticated and not export.public:
        return redirect_to_login(request.get_full_path())
    write, content_type = WRITERS[fmt]
    try:
        content = write(export, export.rows(request))
    except ExportTooLarge:
        return HttpResponse(
            _("This list is too long to export in one file. Narrow the filters and try again."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def notice_pdf(request: HttpRequest, reference: str, sequence: int) -> HttpResponse:
    """A printable PDF of one public announcement of a public tender."""
    try:
        tender = tender_public_get(reference=reference)
    except TenderNotFound:
        raise Http404() from None
    announcement = tender.announcements.filter(sequence=sequence).first()
    if announcement is None:
        raise Http404()
    response = HttpResponse(notice_pdf_render(announcement), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{reference}-{sequence}.pdf"'
    return response
