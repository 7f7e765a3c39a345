"""Every app's pages under its prefix; the API under /api/ with its OpenAPI schema and docs."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_patterns = [
    path("accounts/", include("accounts.api.urls")),
    path("tenders/", include("tenders.api.urls")),
    path("procurement/", include("procurement.api.urls")),
    path("approvals/", include("approvals.api.urls")),
    path("portal/", include("portal.api.urls")),
    path("ledger/", include("ledger.api.urls")),
    path("suppliers/", include("suppliers.api.urls")),
    path("bidding/", include("bidding.api.urls")),
    path("opening/", include("bidding.api.urls_ceremony")),
    path("evaluation/", include("evaluation.api.urls")),
    path("awards/", include("awards.api.urls")),
    path("ocds/", include("reports.ocds.api_urls")),
]

urlpatterns = [
    path("", include("portal.urls")),
    path("accounts/", include("accounts.urls")),
    path("suppliers/", include("suppliers.urls")),
    path("notices/", include("tenders.urls_public")),
    path("tenders/", include("tenders.urls")),
    path("approvals/", include("approvals.urls")),
    path("ledger/", include("ledger.urls")),
    path("calendar/", include("workdays.urls")),
    path("bids/", include("bidding.urls")),
    path("opening/", include("bidding.urls_ceremony")),
    path("evaluation/", include("evaluation.urls")),
    path("awards/", include("awards.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("o/", include("portal.oidc_urls", namespace="oauth2_provider")),
    path("documents/", include("reports.urls")),
    path("open-data/", include("reports.ocds.urls")),
    path("statistics/", include("reports.urls_statistics")),
    path("exports/", include("reports.urls_exports")),
    path("api/", include(api_patterns)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI from our own static files; the split view serves its start-up script as a file, so
    # the page needs no inline script under the Content-Security-Policy.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/docs/try/", RedirectView.as_view(pattern_name="api-docs"), name="api-docs-try"),
]
