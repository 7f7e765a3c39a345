"""The public notice pages (no sign-in): list with search and filters, detail, document
download (signed in, to be told of amendments), questions, the Atom feed and subscriptions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from config import clock
from config.params import BadParameter, int_param
from search.models import Scope as SearchScope
from search.selectors import popular_searches
from search.services import search_count
from tenders import services
from tenders.constants import AnnouncementKind
from tenders.forms_public import NoticeSearchForm, QuestionForm, SubscriptionForm
from tenders.permissions import is_supplier_user
from tenders.search import suggestion_for
from tenders.selectors import (
    NoticeFilters,
    announcements_public,
    bid_offer_for,
    notice_list,
    notice_search_closest,
    questions_asked_by,
    tender_public_get,
    tender_reruns_public,
)

PAGE_SIZE = 20
MAX_PAGE = 100_000  # far past any real list; keeps the row offset a small integer


def notice_index(request: HttpRequest) -> HttpResponse:
    form = NoticeSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else NoticeFilters()
    try:
        page = int_param(request.GET.get("page"), default=1, name="page", minimum=1, maximum=MAX_PAGE)
    except BadParameter:
        # A page past the last one that could hold a notice is simply not there.
        raise Http404() from None
    # No total count: counting a million rows for every page costs more than the page itself.
    rows = list(notice_list(filters=filters)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    closest, suggestion = False, None
    if filters.q.strip() and page == 1:
        if rows:
            search_count(scope=SearchScope.NOTICES, query=filters.q.strip())
        else:
            # Nothing holds the query as typed: the notices that come closest, ranked (docs/search.md).
            rows, closest = notice_search_closest(filters=filters, limit=PAGE_SIZE), True
            suggestion = suggestion_for(filters.q)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tenders/public/index.html",
        {
            "form": form,
            "tenders": rows[:PAGE_SIZE],
            "page": page,
            "has_next": len(rows) > PAGE_SIZE and not closest,
            "closest": closest,
            "suggestion": suggestion,
            "popular": popular_searches(scope=SearchScope.NOTICES),
            "has_previous": page > 1,
            "query": query.urlencode(),
            "now": clock.now(),
        },
    )


def notice_detail(request: HttpRequest, reference: str) -> HttpResponse:
    tender = tender_public_get(reference=reference)
    now = clock.now()
    announcements = list(tender.announcements.order_by("sequence"))
    return render(
        request,
        "tenders/public/detail.html",
        {
            "tender": tender,
            "notice": next((a for a in announcements if a.kind == AnnouncementKind.TENDER_NOTICE), None),
            "announcements": announcements,
            "clarifications": [a for a in announcements if a.kind == AnnouncementKind.CLARIFICATION],
            "documents": [(d, list(d.versions.all())) for d in tender.documents.all()],
            "lots": tender.lots.all(),
            "criteria": tender.criteria.all(),
            "custodians": tender.custodians.select_related("user"),
            "question_form": QuestionForm(),
            "can_ask": is_supplier_user(user=request.user) and tender.is_open_for_bids(),
            "my_questions": questions_asked_by(user=request.user, tender=tender),
            "reruns": tender_reruns_public(tender=tender),
            "bid_offer": bid_offer_for(user=request.user, tender=tender, at=now),
            "now": now,
        },
    )


def notice_check(request: HttpRequest, reference: str, sequence: int) -> HttpResponse:
    """Check one announcement in the visitor's own browser (frontend/js/notice_check.mjs): its
    frozen text from the public API hashed here, matched to its ledger entry, the entry's platform
    signature and its inclusion under a signed tree head verified with the platform's public keys.
    The page only names what to fetch; the verdict is computed by the visitor's browser."""
    tender = tender_public_get(reference=reference)
    announcement = tender.announcements.filter(sequence=sequence, ledger_index__isnull=False).first()
    if announcement is None:
        raise Http404(gettext("No such announcement."))
    return render(request, "tenders/public/check.html", {"tender": tender, "announcement": announcement})


@login_required
def document_download(request: HttpRequest, reference: str, version_id: int) -> FileResponse:
    tender = tender_public_get(reference=reference)
    version = services.document_download(version_id=version_id, user=request.user)
    if version.document.tender_id != tender.pk:
        from tenders.exceptions import TenderNotFound

        raise TenderNotFound()
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.filename)


@login_required
@require_POST
def question_ask(request: HttpRequest, reference: str) -> HttpResponse:
    tender = tender_public_get(reference=reference)
    form = QuestionForm(request.POST)
    if form.is_valid():
        services.question_ask(tender_id=tender.pk, by=request.user, text=form.cleaned_data["text"])
        messages.success(
            request, gettext("Your question was sent. The answer will be published as a clarification.")
        )
        return redirect(tender.get_absolute_url() + "#questions")
    messages.error(request, gettext("Write the question."))
    return redirect(tender.get_absolute_url() + "#questions")


def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscriptionForm(request.POST or None, initial={"email": getattr(request.user, "email", "")})
    if request.method == "POST" and form.is_valid():
        subscription = services.subscription_create(
            user=request.user if request.user.is_authenticated else None, **form.cleaned_data
        )
        if subscription.confirmed_at:
            messages.success(
                request, gettext("Subscribed. New notices matching your choice will be emailed to you.")
            )
        else:
            messages.success(
                request, gettext("Check your email: alerts start once you confirm with the link we sent.")
            )
        return redirect("notices:index")
    return render(request, "tenders/public/subscribe.html", {"form": form})


def subscription_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The mailed link opens this page; only its button (a POST) confirms."""
    if request.method == "POST":
        services.subscription_confirm(token=token)
        messages.success(
            request, gettext("Subscribed. New notices matching your choice will be emailed to you.")
        )
        return redirect("notices:index")
    return render(request, "tenders/public/subscription_confirm.html", {"token": token})


def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "POST":
        services.subscription_cancel(token=token)
        messages.success(request, gettext("You will get no more of these alerts."))
        return redirect("notices:index")
    return render(request, "tenders/public/unsubscribe.html", {"token": token})


class NoticeFeed(Feed):
    """Atom feed of every public announcement (tender notices, amendments, clarifications,
    cancellations, failure notices), newest first; `?kind=` narrows it to one type."""

    feed_type = Atom1Feed
    title = _("Yizhan procurement notices")
    # RFC 4287 §4.1.1: a feed has an author unless every entry has one; both are given here.
    author_name = _("Yizhan procurement platform")
    subtitle = _("Tender notices, amendments, clarifications, cancellations and failure notices")

    def get_object(self, request, *args, **kwargs):
        kind = request.GET.get("kind", "")
        return kind if kind in AnnouncementKind.values else ""

    def link(self, obj) -> str:
        from django.urls import reverse

        return reverse("notices:index")

    def items(self, obj):
        return announcements_public(kind=obj)[:50]

    def item_title(self, item) -> str:
        return f"[{item.get_kind_display()}] {item.title}"

    def item_description(self, item) -> str:
        return item.body[:500]

    def item_link(self, item) -> str:
        return item.get_absolute_url()

    def item_author_name(self, item) -> str:
        """Who publishes the announcement: the agency conducting the procurement, else the buyer."""
        tender = item.tender
        return (tender.agency or tender.buyer).name

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_categories(self, item):
        return [c for c in (item.tender.category_code, item.tender.region) if c]
