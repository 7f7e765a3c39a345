from rest_framework.authentication import TokenAuthentication


class BearerTokenAuthentication(TokenAuthentication):
    """`Authorization: Bearer <token>` for the API and `yizhan-client`."""

    keyword = "Bearer"
