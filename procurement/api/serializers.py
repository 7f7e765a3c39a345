from rest_framework import serializers

from accounts.models import Organisation
from procurement.models import ProcurementMethod, ProcurementPlan


class MethodOutput(serializers.ModelSerializer):
    rule_set = serializers.SerializerMethodField()

    class Meta:
        model = ProcurementMethod
        fields = ["code", "name", "rule_set"]

    def get_rule_set(self, method) -> dict:
        return method.rule_set()


class PlanOutput(serializers.ModelSerializer):
    method: serializers.SlugRelatedField = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ProcurementPlan
        fields = [
            "id",
            "buyer",
            "year",
            "title",
            "category_code",
            "method",
            "budget",
            "status",
            "submitted_at",
            "decided_at",
            "return_reason",
        ]


class PlanInput(serializers.Serializer):
    buyer = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.all())
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200)
    category_code = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    method = serializers.SlugRelatedField(
        slug_field="code", queryset=ProcurementMethod.objects.filter(is_active=True)
    )
    budget = serializers.DecimalField(max_digits=16, decimal_places=2)
