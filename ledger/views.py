"""Public pages of the ledger: the overview with the latest signed tree head, and the keys file."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse

from ledger.encoding import b64u_encode
from ledger.kinds import entry_kind_name
from ledger.selectors import ledger_entries
from ledger.services import tree_head_signed
from ledger.signing import platform_public_keys
from ledger.verify import entries_checked

RECENT_ENTRIES = 20


def ledger_overview(request: HttpRequest) -> HttpResponse:
    tree_head = tree_head_signed()
    recent = entries_checked(ledger_entries().order_by("-index")[:RECENT_ENTRIES])
    return render(
        request,
        "ledger/overview.html",
        {
            "tree_head": tree_head.signed,
            "recent": [
                (entry, b64u_encode(bytes(entry.leaf_hash)), entry_kind_name(entry.kind)) for entry in recent
            ],
            "altered": [entry.index for entry in recent if entry.problems],
            "keys_url": reverse("ledger:keys"),
            "docs_url": reverse("api-docs"),
        },
    )


def public_keys_file(request: HttpRequest) -> JsonResponse:
    """The fixed URL of every platform public key, for verifiers that do not read the API docs."""
    return JsonResponse({"keys": platform_public_keys()})
