"""``manage.py api_token USERNAME``: issue a new API token for a user and print its key.

The key is shown this once (only its hash is stored); the user's previous token is revoked.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from portal.exceptions import DomainError
from portal.services import api_token_create


class Command(BaseCommand):
    help = "Issue a new API token for a user (revoking the previous one) and print its key."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user {username!r}.") from None
        try:
            _token, key = api_token_create(user=user, actor=None)
        except DomainError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(key)
