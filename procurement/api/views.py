"""Procurement API: the methods with their rule sets (public), and the buyer's plans."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.constants import Role
from accounts.selectors import organisations_where
from procurement.api import serializers as s
from procurement.models import ProcurementMethod, ProcurementPlan
from procurement.plans import plan_create, plan_submit


class MethodListView(APIView):
    """Every method in use and its rule set (the periods and limits of RULES.md, as data)."""

    permission_classes = [AllowAny]

    @extend_schema(responses=s.MethodOutput(many=True))
    def get(self, request):
        return Response(s.MethodOutput(ProcurementMethod.objects.filter(is_active=True), many=True).data)


class PlanListView(APIView):
    """The plans of the buyers the user is a procurement officer of (GET), and a new draft (POST)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=s.PlanOutput(many=True))
    def get(self, request):
        buyers = organisations_where(user=request.user, roles=[Role.PROCUREMENT_OFFICER])
        plans = ProcurementPlan.objects.filter(buyer__in=buyers).select_related("method")
        return Response(s.PlanOutput(plans, many=True).data)

    @extend_schema(request=s.PlanInput, responses={201: s.PlanOutput})
    def post(self, request):
        data = s.PlanInput(data=request.data)
        data.is_valid(raise_exception=True)
        plan = plan_create(by=request.user, **data.validated_data)
        return Response(s.PlanOutput(plan).data, status=status.HTTP_201_CREATED)


class PlanSubmitView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses=s.PlanOutput)
    def post(self, request, pk: int):
        return Response(s.PlanOutput(plan_submit(plan_id=pk, by=request.user)).data)
