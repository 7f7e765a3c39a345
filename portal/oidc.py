"""Yizhan as an OpenID Connect provider (django-oauth-toolkit): the claims other government systems
receive about the person who signed in. One account serves the portal and procurement alike."""

from oauth2_provider.oauth2_validators import OAuth2Validator


class YizhanOIDCValidator(OAuth2Validator):
    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "account_kind": "profile"}

    def get_additional_claims(self, request) -> dict[str, object]:
        user = request.user
        return {
            "name": user.full_name or user.username,
            "preferred_username": user.username,
            "email": user.email,
            "account_kind": user.account_kind,
        }
