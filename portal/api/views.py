"""The portal API: the service catalogue (public), and a signed-in person's applications and their status."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from portal import services
from portal.api.serializers import (
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    ProblemSerializer,
    ServiceDetailSerializer,
    ServiceListSerializer,
)
from portal.models import Service
from portal.selectors import application_for, applications_of, service_catalogue


class ServiceListView(ListAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceListSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, description="Search text (Chinese or English)"),
            OpenApiParameter("audience", str, enum=["g2c", "g2b"]),
            OpenApiParameter("category", str, description="Category slug"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        p = self.request.query_params
        return service_catalogue(
            query=p.get("q", ""), audience=p.get("audience", ""), category=p.get("category", "")
        )


class ServiceDetailView(RetrieveAPIView):
    permission_classes = [AllowAny]
    serializer_class = ServiceDetailSerializer
    lookup_field = "code"
    queryset = Service.objects.filter(is_published=True)


class ApplicationListView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApplicationSerializer(many=True))
    def get(self, request):
        return Response(ApplicationSerializer(applications_of(user=request.user), many=True).data)

    @extend_schema(request=ApplicationCreateSerializer, responses={201: ApplicationDetailSerializer})
    def post(self, request):
        data = ApplicationCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = get_object_or_404(Service, code=data.validated_data["service"], is_published=True)
        application = services.application_start(user=request.user, service=service)
        if "form_data" in data.validated_data:
            application = services.application_save_form(
                user=request.user, application=application, raw=data.validated_data["form_data"] or {}
            )
        return Response(ApplicationDetailSerializer(application).data, status=201)


class ApplicationDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ApplicationDetailSerializer)
    def get(self, request, reference: str):
        return Response(
            ApplicationDetailSerializer(application_for(user=request.user, reference=reference)).data
        )


class ApplicationCheckView(APIView):
    """Every missing or wrong item at once (一次性告知)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses=inline_serializer(
            "CompletenessCheck",
            {"complete": serializers.BooleanField(), "problems": ProblemSerializer(many=True)},
        ),
    )
    def post(self, request, reference: str):
        application = application_for(user=request.user, reference=reference)
        problems = services.application_check(application)
        return Response({"complete": not problems, "problems": ProblemSerializer(problems, many=True).data})
