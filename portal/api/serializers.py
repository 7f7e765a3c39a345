from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.models import Application, ApplicationEvent, Category, Refund, Service, ServiceMaterial
from portal.selectors import refunds_of


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["kind", "slug", "name", "name_en"]


class MaterialSerializer(serializers.ModelSerializer):
    class Meta:
        model = ServiceMaterial
        fields = ["key", "name", "required", "form", "copies", "source", "notes"]


class ServiceListSerializer(serializers.ModelSerializer):
    department = serializers.CharField(source="department.name")
    fee_total = serializers.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        model = Service
        fields = [
            "code",
            "name",
            "name_en",
            "audience",
            "department",
            "handling_mode",
            "legal_time_limit",
            "promised_time_limit",
            "fee_total",
        ]


class ServiceDetailSerializer(ServiceListSerializer):
    joint_departments = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    categories = CategorySerializer(many=True)
    materials = MaterialSerializer(many=True)

    class Meta(ServiceListSerializer.Meta):
        fields = ServiceListSerializer.Meta.fields + [
            "matter_type",
            "joint_departments",
            "categories",
            "summary",
            "legal_basis",
            "conditions",
            "quantity_limit",
            "steps",
            "location",
            "office_hours",
            "contact_phone",
            "supervision_phone",
            "fee_items",
            "result_name",
            "faq",
            "materials",
            "form_schema",
            "form_ui",
        ]


class EventSerializer(serializers.ModelSerializer):
    text = serializers.CharField()

    class Meta:
        model = ApplicationEvent
        fields = ["seq", "kind", "text", "at"]


class ApplicationSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code")
    status_label = serializers.CharField(source="get_status_display")
    decision_document = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "reference",
            "service",
            "status",
            "status_label",
            "created_at",
            "submitted_at",
            "acceptance_due",
            "accepted_at",
            "decision_due",
            "promised_due",
            "decided_at",
            "decision_reasons",
            "decision_document",
        ]

    def get_decision_document(self, obj: Application) -> str | None:
        if obj.decision_document_id is None:
            return None
        from reports.services import verification_url

        return verification_url(obj.decision_document)


class RefundSerializer(serializers.ModelSerializer):
    order_id = serializers.CharField(source="payment.order_id")
    reason_label = serializers.CharField(source="get_reason_display")
    status_label = serializers.CharField(source="get_status_display")

    class Meta:
        model = Refund
        fields = [
            "refund_id",
            "order_id",
            "amount",
            "reason",
            "reason_label",
            "status",
            "status_label",
            "requested_at",
            "finished_at",
        ]


class ApplicationDetailSerializer(ApplicationSerializer):
    events = EventSerializer(many=True)
    form_data = serializers.JSONField()
    refunds = serializers.SerializerMethodField()

    class Meta(ApplicationSerializer.Meta):
        fields = ApplicationSerializer.Meta.fields + ["form_data", "events", "refunds"]

    @extend_schema_field(RefundSerializer(many=True))
    def get_refunds(self, obj: Application) -> list:
        return RefundSerializer(refunds_of(application=obj), many=True).data


class ApplicationCreateSerializer(serializers.Serializer):
    service = serializers.SlugField()
    form_data = serializers.JSONField(required=False)


class ProblemSerializer(serializers.Serializer):
    target = serializers.CharField()
    label = serializers.CharField()
    message = serializers.CharField()
