"""The licence wallet (证照夹) of the personal centre."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.services.wallet import wallet_of


@login_required
def my_licences(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/my/licences.html", {"licences": wallet_of(request.user)})
