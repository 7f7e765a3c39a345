from rest_framework import serializers

from accounts.models import Membership, User


class TokenRequest(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"})
    otp = serializers.CharField(
        required=False,
        max_length=20,
        help_text="Authenticator or recovery code: required for roles that need a second factor.",
    )


class TokenResponse(serializers.Serializer):
    token = serializers.CharField()


class MembershipOutput(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    organisation_kind = serializers.CharField(source="organisation.kind")

    class Meta:
        model = Membership
        fields = ["organisation", "organisation_kind", "role"]


class MeOutput(serializers.ModelSerializer):
    memberships = MembershipOutput(many=True, source="active_memberships")

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "email", "account_kind", "memberships"]
