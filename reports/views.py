"""The public verification page of a signed document: anyone with the QR code's link sees the
registered hash and the result of checking the stored file's signature, and may upload a copy
to learn whether it is the very file the platform issued."""

from django import forms
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from config.uploads import PDF_ONLY, upload_validator
from reports.models import SignedDocument
from reports.pdf import verify_pdf


class CopyForm(forms.Form):
    copy = forms.FileField(
        label=_("Check a copy you hold (PDF)"), max_length=200, validators=[upload_validator(PDF_ONLY)]
    )


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token) -> HttpResponse:
    document = get_object_or_404(SignedDocument, token=token)
    with document.file.open("rb") as fh:
        stored = verify_pdf(fh.read())
    form = CopyForm(request.POST or None, request.FILES or None)
    copy_check = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["copy"].read(20 * 1024 * 1024 + 1)
        copy_check = verify_pdf(data)
    context = {
        "document": document,
        "stored": stored,
        "form": form,
        "copy_check": copy_check,
        "stored_matches": stored.sha256 == document.sha256,
        "copy_matches": copy_check is not None and copy_check.sha256 == document.sha256,
    }
    return render(request, "reports/verify.html", context)


def download(request: HttpRequest, token) -> FileResponse:
    document = get_object_or_404(SignedDocument, token=token)
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}-{document.token}.pdf",
        content_type="application/pdf",
    )
