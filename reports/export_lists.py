"""The lists users filter, registered for export: each reads its rows through the same selector
and the same filters as its page, so the file holds exactly the list's rows, every page."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.selectors import applications_of, service_catalogue, staff_departments, staff_queue_filtered
from reports.exports import Column, ExportList, export_register, require
from tenders.forms_public import NoticeSearchForm
from tenders.permissions import officer_organisation_ids
from tenders.selectors import NoticeFilters, notice_list, tenders_of_officer


def _notices(request):
    form = NoticeSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else NoticeFilters()
    return notice_list(filters=filters).iterator(chunk_size=2000)


_tender_columns = [
    Column(_("reference"), lambda t: t.reference),
    Column(_("project title"), lambda t: t.title),
    Column(_("Procurement method"), lambda t: t.method.name),
    Column(_("Buyer"), lambda t: t.buyer.name),
    Column(_("category code"), lambda t: t.category_code),
    Column(_("region code"), lambda t: t.region),
    Column(_("budget (CNY)"), lambda t: t.budget),
    Column(_("Status"), lambda t: t.get_public_phase_display()),
    Column(_("published"), lambda t: t.published_at),
    Column(_("bid deadline"), lambda t: t.bid_deadline),
]

export_register(ExportList("notices", _("Procurement notices"), _tender_columns, _notices, public=True))


def _results(request):
    """The public results list (awards.views.results): the notices' filters, result announcements."""
    import dataclasses

    from awards.constants import AwardStatus
    from awards.models import ResultAnnouncement
    from tenders.constants import AnnouncementKind

    form = NoticeSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else NoticeFilters()
    tenders = notice_list(filters=dataclasses.replace(filters, kind=AnnouncementKind.RESULT))
    for tender in tenders.iterator(chunk_size=2000):
        result = (
            ResultAnnouncement.objects.filter(
                announcement__tender=tender, decision__status=AwardStatus.ANNOUNCED
            )
            .select_related("announcement", "decision__supplier__organisation")
            .order_by("-announcement__sequence")
            .first()
        )
        yield tender, result


export_register(
    ExportList(
        "results",
        _("Result announcements"),
        [
            Column(_("reference"), lambda row: row[0].reference),
            Column(_("project title"), lambda row: row[0].title),
            Column(_("Procurement method"), lambda row: row[0].method.name),
            Column(_("Buyer"), lambda row: row[0].buyer.name),
            Column(
                _("winning supplier"),
                lambda row: row[1].decision.supplier.organisation.name if row[1] else "",
            ),
            Column(_("award amount (CNY)"), lambda row: row[1].decision.amount if row[1] else None),
            Column(_("announced"), lambda row: row[1].announcement.published_at if row[1] else None),
        ],
        _results,
        public=True,
    )
)


def _officer_tenders(request):
    require(request.user.is_authenticated and bool(officer_organisation_ids(request.user)))
    return tenders_of_officer(user=request.user)


export_register(
    ExportList(
        "officer-tenders",
        _("My organisations' tenders"),
        [
            *_tender_columns[:7],
            Column(_("Status"), lambda t: t.get_status_display()),
            *_tender_columns[8:],
        ],
        _officer_tenders,
    )
)


def _services(request):
    try:
        department = int(request.GET.get("department") or 0) or None
    except ValueError:
        department = None
    return service_catalogue(
        query=request.GET.get("q", "").strip()[:100],
        audience=request.GET.get("audience", ""),
        category=request.GET.get("category", ""),
        department=department,
    )


export_register(
    ExportList(
        "services",
        _("Service catalogue"),
        [
            Column(_("code"), lambda s: s.code),
            Column(_("name"), lambda s: s.name),
            Column(_("Department"), lambda s: s.department.name),
            Column(_("audience"), lambda s: s.get_audience_display()),
            Column(_("legal time limit (working days)"), lambda s: s.legal_time_limit),
            Column(_("promised time limit (working days)"), lambda s: s.promised_time_limit),
        ],
        _services,
        public=True,
    )
)


def _staff_applications(request):
    require(request.user.is_authenticated and staff_departments(user=request.user).exists())
    return staff_queue_filtered(user=request.user, status=request.GET.get("status", "open"))


_application_columns = [
    Column(_("reference"), lambda a: a.reference),
    Column(_("Service"), lambda a: a.service.name),
    Column(_("Status"), lambda a: a.get_status_display()),
    Column(_("submitted"), lambda a: a.submitted_at),
    Column(_("legal time limit"), lambda a: a.decision_due),
    Column(pgettext_lazy("application", "decided"), lambda a: a.decided_at),
]

export_register(
    ExportList("staff-applications", _("Applications to handle"), _application_columns, _staff_applications)
)


def _my_applications(request):
    require(request.user.is_authenticated)
    return applications_of(user=request.user)


export_register(ExportList("my-applications", _("My applications"), _application_columns, _my_applications))
