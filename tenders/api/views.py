"""The tenders API: public notices (no sign-in), the officers' drafting and publishing, questions
and subscriptions. Each view validates input, calls one service or selector, renders output."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from config.parsers import LimitedFormParser, LimitedJSONParser, LimitedMultiPartParser
from tenders import services
from tenders.api import serializers as s
from tenders.models import Question
from tenders.search import suggestion_for
from tenders.selectors import (
    NoticeFilters,
    notice_list,
    notice_search_closest,
    questions_asked_by,
    questions_inbox,
    tender_for_officer,
    tender_public_get,
    tenders_of_officer,
)


class NoticeListView(APIView):
    """Public notices with search (works for Chinese phrases), filters and sort. Never a draft."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[s.NoticeQuery, OpenApiParameter("page", int, description="page number, from 1")],
        responses=s.NoticePage,
        operation_id="tenders_notices_list",
    )
    def get(self, request):
        query = s.NoticeQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = {k: v for k, v in query.validated_data.items() if v not in (None, "")}
        filters = NoticeFilters(**data)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(notice_list(filters=filters), request, view=self)
        response = paginator.get_paginated_response(s.NoticeSummary(page, many=True).data)
        # As the notices page: when nothing holds the query as typed, the closest notices, ranked by
        # the one search engine (docs/search.md), marked as such, with a "did you mean".
        closest, suggestion = False, None
        if filters.q.strip() and paginator.page.paginator.count == 0:
            rows = notice_search_closest(filters=filters, limit=paginator.get_page_size(request) or 20)
            response.data["results"] = s.NoticeSummary(rows, many=True).data
            closest, suggestion = True, suggestion_for(filters.q)
        response.data["closest"] = closest
        response.data["suggestion"] = suggestion
        return response


class NoticeDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=s.NoticeDetail)
    def get(self, request, reference: str):
        return Response(s.NoticeDetail(tender_public_get(reference=reference)).data)


class NoticeQuestionsView(APIView):
    """A supplier asks a question (POST) or lists its own questions (GET)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.QuestionOutput(many=True))
    def get(self, request, reference: str):
        tender = tender_public_get(reference=reference)
        return Response(
            s.QuestionOutput(questions_asked_by(user=request.user, tender=tender), many=True).data
        )

    @extend_schema(request=s.QuestionInput, responses={201: s.QuestionOutput})
    def post(self, request, reference: str):
        tender = tender_public_get(reference=reference)
        data = s.QuestionInput(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.question_ask(
            tender_id=tender.pk, by=request.user, text=data.validated_data["text"]
        )
        return Response(s.QuestionOutput(question).data, status=status.HTTP_201_CREATED)


class SubscriptionView(APIView):
    permission_classes = [AllowAny]

    """Ask for alerts: 201 when a signed-in user subscribes their own address, otherwise 202 and a
    confirmation mail (double opt-in). Throttled per client address as well as per mailbox."""

    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "subscriptions"

    @extend_schema(
        request=s.SubscriptionInput, responses={201: s.SubscriptionOutput, 202: s.SubscriptionOutput}
    )
    def post(self, request):
        data = s.SubscriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        subscription = services.subscription_create(user=user, **data.validated_data)
        confirmed = subscription.confirmed_at is not None
        return Response(
            s.SubscriptionOutput(subscription).data,
            status=status.HTTP_201_CREATED if confirmed else status.HTTP_202_ACCEPTED,
        )


class TenderListView(APIView):
    """The officer's tenders (GET) and a new draft (POST)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.TenderOutput(many=True))
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(tenders_of_officer(user=request.user), request, view=self)
        return paginator.get_paginated_response(s.TenderOutput(page, many=True).data)

    @extend_schema(request=s.TenderInput, responses={201: s.TenderOutput})
    def post(self, request):
        data = s.TenderInput(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.fields_for_service()
        missing = [name for name in ("buyer", "method", "title", "budget") if name not in data.validated_data]
        if missing:
            from rest_framework.exceptions import ValidationError

            raise ValidationError({name: ["This field is required."] for name in missing})
        for name in ("method", "title", "budget"):
            fields.pop(name, None)
        tender = services.tender_create(
            by=request.user,
            buyer=data.validated_data["buyer"],
            method=data.validated_data["method"],
            title=data.validated_data["title"],
            budget=data.validated_data["budget"],
            **fields,
        )
        return Response(s.TenderOutput(tender).data, status=status.HTTP_201_CREATED)


class TenderDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.TenderOutput)
    def get(self, request, pk: int):
        return Response(s.TenderOutput(tender_for_officer(user=request.user, pk=pk)).data)

    @extend_schema(request=s.TenderInput, responses=s.TenderOutput)
    def patch(self, request, pk: int):
        tender_for_officer(user=request.user, pk=pk)
        data = s.TenderInput(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        tender = services.tender_update(tender_id=pk, by=request.user, **data.fields_for_service())
        return Response(s.TenderOutput(tender).data)


class TenderLotsView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.LotsInput, responses=s.LotSerializer(many=True))
    def put(self, request, pk: int):
        data = s.LotsInput(data=request.data)
        data.is_valid(raise_exception=True)
        lots = services.tender_lots_set(tender_id=pk, by=request.user, lots=data.validated_data["lots"])
        return Response(s.LotSerializer(lots, many=True).data)


class TenderCriteriaView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.CriteriaInput, responses=s.CriterionSerializer(many=True))
    def put(self, request, pk: int):
        data = s.CriteriaInput(data=request.data)
        data.is_valid(raise_exception=True)
        criteria = services.tender_criteria_set(
            tender_id=pk, by=request.user, criteria=data.validated_data["criteria"]
        )
        return Response(s.CriterionSerializer(criteria, many=True).data)


class TenderCustodiansView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.CustodiansInput, responses=s.CustodianOutput(many=True))
    def put(self, request, pk: int):
        data = s.CustodiansInput(data=request.data)
        data.is_valid(raise_exception=True)
        custodians = services.tender_custodians_set(
            tender_id=pk, by=request.user, users=data.validated_data["users"]
        )
        return Response(s.CustodianOutput(custodians, many=True).data)


class TenderDocumentsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [LimitedMultiPartParser, LimitedFormParser]

    @extend_schema(request=s.DocumentInput, responses={201: s.DocumentVersionOutput})
    def post(self, request, pk: int):
        data = s.DocumentInput(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.tender_document_add(
            tender_id=pk,
            by=request.user,
            title=data.validated_data["title"],
            upload=data.validated_data["file"],
            document_id=data.validated_data.get("document"),
        )
        return Response(s.DocumentVersionOutput(version).data, status=status.HTTP_201_CREATED)


class TenderProblemsView(APIView):
    """The rules the draft breaks now (what submission would refuse), each naming its rule."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.ProblemOutput(many=True))
    def get(self, request, pk: int):
        tender = tender_for_officer(user=request.user, pk=pk)
        problems = services.tender_problems(tender=tender)
        return Response([{"rule": p.rule, "message": str(p.message), "field": p.field} for p in problems])


class TenderSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=s.TenderOutput)
    def post(self, request, pk: int):
        return Response(s.TenderOutput(services.tender_submit(tender_id=pk, by=request.user)).data)


class TenderAmendView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [LimitedJSONParser]

    @extend_schema(request=s.AmendmentInput, responses={201: s.AnnouncementOutput})
    def post(self, request, pk: int):
        data = s.AmendmentInput(data=request.data)
        data.is_valid(raise_exception=True)
        announcement = services.tender_amend(tender_id=pk, by=request.user, **data.validated_data)
        return Response(s.AnnouncementOutput(announcement).data, status=status.HTTP_201_CREATED)


class TenderCancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.CancelInput, responses={201: s.AnnouncementOutput})
    def post(self, request, pk: int):
        data = s.CancelInput(data=request.data)
        data.is_valid(raise_exception=True)
        announcement = services.tender_cancel(
            tender_id=pk, by=request.user, reason=data.validated_data["reason"]
        )
        return Response(s.AnnouncementOutput(announcement).data, status=status.HTTP_201_CREATED)


class TenderQuestionsView(APIView):
    """The officer's question inbox."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.QuestionOutput(many=True))
    def get(self, request, pk: int):
        tender = tender_for_officer(user=request.user, pk=pk)
        return Response(s.QuestionOutput(questions_inbox(user=request.user, tender=tender), many=True).data)


class QuestionAnswerView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.AnswerInput, responses={201: s.AnnouncementOutput})
    def post(self, request, question_id: int):
        question = get_object_or_404(Question, pk=question_id)
        tender_for_officer(user=request.user, pk=question.tender_id)
        data = s.AnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        announcement = services.question_answer(
            question_id=question.pk, by=request.user, answer=data.validated_data["answer"]
        )
        return Response(s.AnnouncementOutput(announcement).data, status=status.HTTP_201_CREATED)
