"""API token authentication with keys stored hashed (DESIGN.md: "PINs and tokens stored
hashed").

The header is DRF's: ``Authorization: Token <key>``. The key is looked up by its SHA-256, so
the database never holds a usable key and the comparison is not a timing oracle.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from portal.models import ApiToken

# ``last_used_at`` is refreshed at most this often, so that a burst of requests costs one
# write, not one per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class HashedTokenAuthentication(TokenAuthentication):
    keyword = "Token"

    def authenticate_credentials(self, key):
        token = (
            ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
        )
        now = timezone.now()
        # DRF's own messages (and their translations): a revoked or expired token is as
        # invalid as an unknown one.
        if token is None or not token.is_usable(now):
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        return (token.user, token)


class HashedTokenScheme(OpenApiAuthenticationExtension):
    """Shows the scheme in the OpenAPI schema under the name DRF's token scheme had."""

    target_class = HashedTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=self.target.keyword
        )
