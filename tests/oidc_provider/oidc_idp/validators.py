import datetime

from django.utils import timezone
from oauth2_provider.oauth2_validators import OAuth2Validator

from .models import Knob


class ClaimsValidator(OAuth2Validator):
    """The claims of the ID token and the userinfo: sub, email, email_verified, name (by scope: openid, email,
    profile); the ID token's lifetime and its `iss` as the tests set them (Knob)."""

    def get_additional_claims(self):
        # Request-agnostic (values are functions of the request): discovery then lists them in claims_supported.
        return {
            "sub": lambda request: request.user.idp_profile.sub,
            "email": lambda request: request.user.email,
            "email_verified": lambda request: request.user.idp_profile.email_verified,
            "name": lambda request: request.user.idp_profile.name,
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expires = super().get_id_token_dictionary(token, token_handler, request)
        lifetime = Knob.get("id_token_lifetime")
        if lifetime is not None:
            expires = timezone.now() + datetime.timedelta(seconds=lifetime)
            claims["exp"] = int(expires.timestamp())
        return claims, expires

    def get_oidc_issuer_endpoint(self, request):
        """The `iss` of the ID token: the real issuer unless a test makes the provider lie (Knob "token_issuer")."""
        return Knob.get("token_issuer") or super().get_oidc_issuer_endpoint(request)
