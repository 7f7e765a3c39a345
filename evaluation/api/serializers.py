from rest_framework import serializers


class ScoreInput(serializers.Serializer):
    opening = serializers.IntegerField()
    criterion = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)


class ScoreOutput(serializers.Serializer):
    member = serializers.IntegerField(source="member_id")
    opening = serializers.IntegerField(source="opening_id")
    criterion = serializers.IntegerField(source="criterion_id")
    points = serializers.DecimalField(max_digits=6, decimal_places=2)


class FindingInput(serializers.Serializer):
    opening = serializers.IntegerField()
    compliant = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class RespondInput(serializers.Serializer):
    accept = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
