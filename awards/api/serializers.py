"""Inputs of the awards API."""

from rest_framework import serializers

from awards.constants import AwardReason


class AwardDecisionInput(serializers.Serializer):
    opening = serializers.IntegerField(help_text="The chosen bid's opening id, from the recommended order.")
    reason = serializers.ChoiceField(choices=AwardReason.choices, default=AwardReason.FIRST_CANDIDATE)
    reason_detail = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ResultMainItem(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    specification = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    quantity = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    unit_price = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, default=None
    )
    service = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ResultAnnounceInput(serializers.Serializer):
    main_items = ResultMainItem(many=True)
    agency_fee = serializers.DecimalField(
        max_digits=16, decimal_places=2, required=False, allow_null=True, default=None
    )


class ObjectionInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class ObjectionAnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)


class ResultRowOutput(serializers.Serializer):
    tender = serializers.CharField()
    title = serializers.CharField()
    published_at = serializers.CharField()
    url = serializers.CharField()
    payload = serializers.JSONField(help_text="The frozen canonical content whose SHA-256 is in the ledger.")
    sha256 = serializers.CharField()
    ledger_index = serializers.IntegerField(allow_null=True)
