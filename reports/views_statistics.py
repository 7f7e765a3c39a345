"""The statistics dashboards: procurement figures for the public and for officers, and the
one-stop portal's figures. Every chart has the table of its numbers below it."""

from decimal import Decimal
from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.constants import Role
from accounts.models import Organisation, User
from accounts.selectors import user_has_role
from portal.constants import ArticleKind
from portal.models import Article
from procurement.constants import MethodCode
from reports import service_statistics
from reports.charts import column_chart, percent_bar_chart
from reports.forms import StatisticsFilterForm
from reports.statistics import ProcurementFigures, Row, buyers_counted, procurement_figures
from tenders.constants import TenderStatus
from tenders.models import Tender
from tenders.permissions import officer_organisation_ids

CATEGORY_LABELS = {
    "A": gettext_lazy("Goods"),
    "B": gettext_lazy("Works"),
    "C": gettext_lazy("Services"),
    "": gettext_lazy("Not classified"),
}
REGION_ROWS = 12  # the region chart shows the regions with most tenders; the table shows all


def _label(dimension: str, key: str) -> str:
    if dimension == "method" and key in MethodCode.values:
        return str(MethodCode(key).label)
    if dimension == "category":
        return str(CATEGORY_LABELS.get(key, key))
    if dimension == "status" and key in TenderStatus.values:
        return str(TenderStatus(key).label)
    if dimension == "failure" and not key:
        return _("No reason given")
    return key or _("Not given")


def _labelled(figures: ProcurementFigures, dimension: str) -> list[Row]:
    rows = figures.by_dimension.get(dimension, [])
    for row in rows:
        row.label = _label(dimension, row.key)
    return rows


def _procurement_context(figures: ProcurementFigures) -> dict:
    by_method = _labelled(figures, "method")
    by_category = _labelled(figures, "category")
    by_region = _labelled(figures, "region")
    by_status = _labelled(figures, "status")
    by_failure = _labelled(figures, "failure")
    failed = sum(r.tenders for r in by_failure)
    return {
        "figures": figures,
        "total": figures.total,
        "by_method": by_method,
        "by_category": by_category,
        "by_region": by_region,
        "by_status": by_status,
        "by_failure": by_failure,
        "failed": failed,
        "by_month": [row for _month, row in figures.by_month],
        "month_chart": column_chart(
            chart_id="chart-tender-months",
            items=[(date_format(m, "M"), row.tenders) for m, row in figures.by_month],
            sublabels=[
                date_format(m, "Y") if n == 0 or m.month == 1 else ""
                for n, (m, _row) in enumerate(figures.by_month)
            ],
        ),
        "method_chart": column_chart(
            chart_id="chart-tender-methods", items=[(r.label, r.tenders) for r in by_method]
        ),
        "category_chart": column_chart(
            chart_id="chart-tender-categories", items=[(r.label, r.tenders) for r in by_category]
        ),
        "region_chart": column_chart(
            chart_id="chart-tender-regions", items=[(r.label, r.tenders) for r in by_region[:REGION_ROWS]]
        ),
        "failure_chart": percent_bar_chart(
            chart_id="chart-failures",
            items=[
                (r.label, (Decimal(100 * r.tenders) / failed).quantize(Decimal("0.1"))) for r in by_failure
            ],
        )
        if failed
        else None,
    }


def dashboard(request: HttpRequest) -> HttpResponse:
    """The public procurement dashboard: every public tender, for a period and a buyer."""
    form = StatisticsFilterForm(request.GET or None, organisations=buyers_counted())
    figures = procurement_figures(filters=form.filters())
    return render(
        request,
        "reports/statistics/dashboard.html",
        {"form": form, "officer": False, **_procurement_context(figures)},
    )


@login_required
def officer_dashboard(request: HttpRequest) -> HttpResponse:
    """The officers' dashboard: the same figures for their own organisations (a supervisor: every
    organisation), with the tenders they still have in preparation."""
    user = cast(User, request.user)  # signed in (login_required)
    if user_has_role(user=user, role=Role.SUPERVISOR):
        organisations, scope = buyers_counted(), None
    else:
        own = officer_organisation_ids(request.user)
        if not own:
            raise PermissionDenied(_("Only procurement officers and supervisors see this dashboard."))
        organisations, scope = (
            list(Organisation.objects.filter(pk__in=own).order_by("name")),
            tuple(sorted(own)),
        )
    form = StatisticsFilterForm(
        request.GET or None,
        organisations=organisations,
        all_label=_("All my organisations") if scope else None,
    )
    filters = form.filters(scope=scope)
    preparing = Tender.objects.filter(status__in=[TenderStatus.DRAFT, TenderStatus.IN_APPROVAL])
    if filters.buyer_ids is not None:
        preparing = preparing.filter(buyer_id__in=filters.buyer_ids)
    in_preparation = {row["status"]: row["n"] for row in preparing.values("status").annotate(n=Count("pk"))}
    return render(
        request,
        "reports/statistics/dashboard.html",
        {
            "form": form,
            "officer": True,
            "drafts": in_preparation.get(TenderStatus.DRAFT, 0),
            "in_approval": in_preparation.get(TenderStatus.IN_APPROVAL, 0),
            **_procurement_context(procurement_figures(filters=filters)),
        },
    )


def services(request: HttpRequest) -> HttpResponse:
    """The one-stop portal's figures (moved from the portal's statistics page)."""
    form = StatisticsFilterForm(
        request.GET or None,
        organisations=service_statistics.service_departments(),
        all_label=_("All departments"),
    )
    filters = form.filters()
    per_month = service_statistics.applications_per_month(filters=filters)
    timeliness = service_statistics.on_time_by_department(filters=filters)
    by_service = service_statistics.applications_by_service(filters=filters)
    peak_month, peak = max(per_month, key=lambda item: (item[1], item[0]))
    timed = sum(row.timed for row in timeliness)
    return render(
        request,
        "reports/statistics/services.html",
        {
            "form": form,
            **service_statistics.service_totals(filters=filters),
            "decided": sum(row.decided for row in timeliness),
            "on_time": sum(row.on_time for row in timeliness),
            "average_days": (Decimal(sum(row.days for row in timeliness)) / timed).quantize(Decimal("0.1"))
            if timed
            else None,
            "per_month": per_month,
            "per_month_total": sum(n for _month, n in per_month),
            "first_month": per_month[0][0],
            "last_month": per_month[-1][0],
            "peak_month": peak_month,
            "peak": peak,
            "month_chart": column_chart(
                chart_id="chart-months",
                items=[(date_format(month, "M"), n) for month, n in per_month],
                sublabels=[
                    date_format(month, "Y") if i == 0 or month.month == 1 else ""
                    for i, (month, _n) in enumerate(per_month)
                ],
            ),
            "timeliness": timeliness,
            "timeliness_chart": percent_bar_chart(
                chart_id="chart-on-time", items=[(row.department, row.rate) for row in timeliness]
            ),
            "by_service": by_service,
            "service_chart": column_chart(chart_id="chart-services", items=by_service[:10])
            if by_service
            else None,
            "by_department": service_statistics.services_by_department(),
            "enquiries": service_statistics.enquiries_by_kind(),
            "publications": Article.objects.filter(kind=ArticleKind.PUBLICATION),
        },
    )
