"""The public verification page of a signed document: anyone with the QR code's link sees the
registered hash, the signer, and the result of checking the stored file's signature, and may upload
a copy to learn whether it is the very file the platform issued. The content (title, download) of a
private document (a citizen's decision letter) is shown only to the readers reports.access admits."""

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from config.uploads import PDF_ONLY, upload_validator
from reports.access import document_readable
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
        "readable": document_readable(user=request.user, document=document),
    }
    return render(request, "reports/verify.html", context)


def download(request: HttpRequest, token) -> HttpResponseBase:
    """The file itself: a public document for anyone; a private one for its readers. Anyone else
    signed in is told it does not exist; a visitor not signed in is asked to sign in first."""
    document = get_object_or_404(SignedDocument, token=token)
    if not document_readable(user=request.user, document=document):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}-{document.token}.pdf",
        content_type="application/pdf",
    )
