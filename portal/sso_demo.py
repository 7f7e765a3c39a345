"""A demonstration relying party served by Yizhan itself at /sso-demo/: it signs a person in through
Yizhan's OpenID Connect endpoints over HTTP, as any other government system would, and shows the
verified claims. Its client registration is made by `portal.demo` (client id `yizhan-sso-demo`)."""

from dataclasses import asdict

import httpx
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from portal.sso_client import HttpxTransport, IdTokenInvalid, LoginStart, RelyingParty

DEMO_CLIENT_ID = "yizhan-sso-demo"
DEMO_CLIENT_SECRET = "yizhan-sso-demo-secret-not-for-production"  # noqa: S105 - the demo relying party's published secret


def _party(request: HttpRequest) -> RelyingParty:
    """The relying party at the address the person used (any host or port the site answers on):
    the demo talks to the provider it is served with."""
    site = request.build_absolute_uri("/").rstrip("/")
    return RelyingParty(
        issuer=site + "/o",
        client_id=DEMO_CLIENT_ID,
        client_secret=DEMO_CLIENT_SECRET,
        redirect_uri=site + reverse("portal:sso_demo_callback"),
        transport=HttpxTransport(),
    )


def start(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            login = _party(request).start(scope="openid profile email enterprise")
        except httpx.HTTPError as exc:
            return render(
                request, "portal/sso_demo.html", {"error": f"provider unreachable: {exc}"}, status=502
            )
        request.session["sso_demo"] = asdict(login)
        return redirect(login.url)
    return render(request, "portal/sso_demo.html", {})


def callback(request: HttpRequest) -> HttpResponse:
    saved = request.session.pop("sso_demo", None)
    if not saved or "code" not in request.GET:
        return render(
            request, "portal/sso_demo.html", {"error": request.GET.get("error", "no login in progress")}
        )
    try:
        result = _party(request).finish(
            code=request.GET["code"], returned_state=request.GET.get("state", ""), start=LoginStart(**saved)
        )
    except IdTokenInvalid as exc:
        return render(request, "portal/sso_demo.html", {"error": str(exc)}, status=400)
    except httpx.HTTPError as exc:
        return render(request, "portal/sso_demo.html", {"error": f"provider unreachable: {exc}"}, status=502)
    return render(request, "portal/sso_demo.html", {"claims": result["id_token"]})
