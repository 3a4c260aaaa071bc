from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """The claims of an account: its e-mail address and username, as Entra ID or Keycloak
    would send them (each test account says whether its address is verified)."""

    def get_additional_claims(self, request):
        user = request.user
        account = next(a for a in settings.PROVIDER_ACCOUNTS if a["username"] == user.username)
        return {
            "email": user.email,
            "email_verified": account.get("email_verified", True),
            "preferred_username": account.get("preferred_username", user.username),
            "name": user.username,
        }
