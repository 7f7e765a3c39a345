"""Yizhan as an OpenID Connect provider (django-oauth-toolkit): the claims other government systems
receive about the person who signed in. One account serves the portal and procurement alike.

Scopes: `profile` (name, account kind), `email`, and `enterprise`: for an enterprise account, the
name and unified social credit code of the enterprise it acts for, released only when the person
consents to that scope on the consent page (a citizen account has none to release)."""

from django.utils.translation import gettext_lazy as _
from oauth2_provider.oauth2_validators import OAuth2Validator

# What the consent page says each scope releases, in the page's language.
SCOPE_DESCRIPTIONS = {
    "openid": _("Who you are on Yizhan (an identifier only)"),
    "profile": _("Your name and the kind of your account"),
    "email": _("Your e-mail address"),
    "enterprise": _("The name and unified social credit code of the enterprise you act for"),
}


class YizhanOIDCValidator(OAuth2Validator):
    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "account_kind": "profile",
        "enterprise_name": "enterprise",
        "unified_social_credit_code": "enterprise",
    }

    def get_additional_claims(self, request) -> dict[str, object]:
        from portal.services.realname import enterprise_of

        user = request.user
        claims: dict[str, object] = {
            "name": user.full_name or user.username,
            "preferred_username": user.username,
            "email": user.email,
            "account_kind": user.account_kind,
        }
        enterprise = enterprise_of(user=user)
        if enterprise is not None:
            claims["enterprise_name"] = enterprise.name
            claims["unified_social_credit_code"] = enterprise.credit_code
        return claims
