from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import MeOutput, TokenRequest, TokenResponse
from accounts.audit import audit_record
from accounts.second_factor import second_factor_check, second_factor_required
from accounts.selectors import memberships_of
from accounts.services import api_token_issue
from accounts.throttling import (
    login_failure_record,
    login_failures_clear,
    login_throttle_check,
    sign_in_client,
)
from config.exceptions import DomainError


class TokenView(APIView):
    """Exchange a username and password for the user's API token (throttled like the sign-in page)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(request=TokenRequest, responses=TokenResponse)
    def post(self, request):
        data = TokenRequest(data=request.data)
        data.is_valid(raise_exception=True)
        username = data.validated_data["username"]
        client = sign_in_client(request, username=username)
        login_throttle_check(username=username, client=client)
        user = authenticate(request, username=username, password=data.validated_data["password"])
        if user is None:
            login_failure_record(username=username, client=client)
            raise DomainError(_("The username or password is wrong."), code="bad_credentials")
        login_failures_clear(username=username, client=client)
        code = data.validated_data.get("otp", "")
        if second_factor_required(user=user) and not (code and second_factor_check(user=user, code=code)):
            raise DomainError(
                _("Your role needs a second factor: give the code from your authenticator app as otp."),
                code="second_factor_required",
            )
        audit_record(action="api_token", operator=user, address=client.address, path=request.path)
        return Response({"token": api_token_issue(user=user).key})


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeOutput)
    def get(self, request):
        request.user.active_memberships = memberships_of(user=request.user)
        return Response(MeOutput(request.user).data)
