"""Inputs of the awards API."""

from rest_framework import serializers

from awards.constants import AwardReason


class DecisionInput(serializers.Serializer):
    opening = serializers.IntegerField(help_text="The chosen bid's opening id, from the recommended order.")
    reason = serializers.ChoiceField(choices=AwardReason.choices, default=AwardReason.FIRST_CANDIDATE)
    reason_detail = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class MainItem(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    specification = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    quantity = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    unit_price = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, default=None)
    service = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AnnounceInput(serializers.Serializer):
    main_items = MainItem(many=True)
    agency_fee = serializers.DecimalField(max_digits=16, decimal_places=2, required=False, allow_null=True, default=None)


class TextInput(serializers.Serializer):
    text = serializers.CharField(max_length=5000)


class AnswerInput(serializers.Serializer):
    answer = serializers.CharField(max_length=5000)
