"""Strings of Django itself that its Vietnamese catalogue lacks, so that ``makemessages`` puts
them in ours (LOCALE_PATHS wins over Django's own catalogues).

Django 6.0 changed the password-length message to ``%d`` and its ``vi`` catalogue still has only
the old ``%(min_length)d`` form, so staff creating a user would read the reason in English.
Remove an entry here once Django's own catalogue translates it.
"""

from django.utils.translation import ngettext_lazy

DJANGO_GAPS = [
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
]
