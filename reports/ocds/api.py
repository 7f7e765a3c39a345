"""The public OCDS API: release packages and record packages, filtered by ocid, buyer and date
range, a page at a time (`links.next`/`links.prev` as OCDS publishers do). Anyone may read it."""

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django.core.paginator import EmptyPage, Paginator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiTypes, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from reports.ocds.packages import record_package, release_package
from reports.ocds.releases import BEIJING, site_url
from reports.ocds.selectors import ReleaseFilters, ocds_record_ocids, ocds_records, ocds_releases

MAX_PAGE_SIZE = 200


@extend_schema_field(OpenApiTypes.STR)
class _Moment(serializers.Field):
    """A date (the whole day, Beijing time) or an ISO 8601 date-time with its offset."""

    default_error_messages = {"invalid": _("Give a date (2026-09-01) or a date and time with its offset.")}

    def to_internal_value(self, data):
        text = str(data).strip()
        try:
            if len(text) == 10:
                return datetime.combine(date.fromisoformat(text), time.min, tzinfo=BEIJING)
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            self.fail("invalid")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=BEIJING)
        return moment


class PackageQuery(serializers.Serializer):
    ocid = serializers.CharField(
        required=False, allow_blank=True, max_length=120, default="", help_text="one contracting process"
    )
    buyer = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=120,
        default="",
        help_text="the buyer's party id (CN-SAIC-…) or credit code",
    )
    date_from = _Moment(required=False, default=None, help_text="from this date or moment (inclusive)")
    date_to = _Moment(required=False, default=None, help_text="up to this date (the whole day) or moment")
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE_SIZE, default=50)

    def validate(self, attrs):
        raw_to = self.initial_data.get("date_to", "")
        if attrs["date_to"] is not None and len(str(raw_to).strip()) == 10:
            attrs["date_to"] += timedelta(days=1)  # a day given as the end means up to its end
        if attrs["date_from"] and attrs["date_to"] and attrs["date_to"] <= attrs["date_from"]:
            raise serializers.ValidationError(
                {"date_to": _("The end of the period must come after its start.")}
            )
        return attrs


def _query(request) -> dict:
    query = PackageQuery(data={key: value for key, value in request.query_params.items()})
    query.is_valid(raise_exception=True)
    return query.validated_data


def _page(request, items, data: dict):
    paginator = Paginator(items, data["page_size"])
    try:
        page = paginator.page(data["page"])
    except EmptyPage:
        raise NotFound(_("There is no such page.")) from None
    params = {k: v for k, v in request.query_params.items() if k != "page"}

    def link(number: int) -> str:
        return site_url(f"{request.path}?{urlencode({**params, 'page': number})}")

    links = {}
    if page.has_next():
        links["next"] = link(page.next_page_number())
    if page.has_previous():
        links["prev"] = link(page.previous_page_number())
    return page, links


def _filters(data: dict) -> ReleaseFilters:
    return ReleaseFilters(
        ocid=data["ocid"], buyer=data["buyer"], date_from=data["date_from"], date_to=data["date_to"]
    )


class PublicView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []


class ReleasePackageView(PublicView):
    """A release package of the releases matching the filters, oldest first."""

    @extend_schema(parameters=[PackageQuery], responses=OpenApiTypes.OBJECT)
    def get(self, request):
        data = _query(request)
        page, links = _page(
            request, ocds_releases(filters=_filters(data)).values_list("release", flat=True), data
        )
        return Response(release_package(list(page), uri=site_url(request.get_full_path()), links=links))


class RecordPackageView(PublicView):
    """A record package of the contracting processes with a release matching the filters, the
    latest changed first."""

    @extend_schema(
        operation_id="ocds_record_package", parameters=[PackageQuery], responses=OpenApiTypes.OBJECT
    )
    def get(self, request):
        data = _query(request)
        page, links = _page(request, ocds_record_ocids(filters=_filters(data)), data)
        records = ocds_records(ocids=[row["ocid"] for row in page])
        return Response(record_package(records, uri=site_url(request.get_full_path()), links=links))


class RecordView(PublicView):
    """The record package of one contracting process."""

    @extend_schema(operation_id="ocds_record", responses=OpenApiTypes.OBJECT)
    def get(self, request, ocid: str):
        records = ocds_records(ocids=[ocid])
        if not records:
            raise NotFound(_("No contracting process has this ocid."))
        return Response(record_package(records, uri=site_url(request.get_full_path())))
