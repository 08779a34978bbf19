"""Small presentation helpers for the portal's templates."""

from datetime import timedelta

from django import template

register = template.Library()


@register.filter
def minutes(value):
    """Whole minutes of a ``timedelta`` (rounded up), e.g. the lock-out cool-off time."""
    if not isinstance(value, timedelta):
        return ""
    seconds = int(value.total_seconds())
    return -(-seconds // 60)


@register.filter
def display_name(user):
    """A person's name in Vietnamese order: family name, then middle and given names
    ("Nguyễn Văn A"); the username when no name is recorded."""
    full = f"{user.last_name} {user.first_name}".strip()
    return full or user.get_username()
