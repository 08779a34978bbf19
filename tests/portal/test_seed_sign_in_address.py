"""The demo seed tells where to sign in at the address the portal really runs on
(``PORTAL_PUBLIC_URL``, which ``make run`` sets from HOST and PORT), not a fixed port."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

pytestmark = pytest.mark.django_db


def test_the_seed_prints_the_sign_in_address_on_the_port_it_runs_on(settings):
    settings.PORTAL_PUBLIC_URL = "http://127.0.0.1:8101"
    out = StringIO()

    with translation.override("en"):
        call_command("seed_demo", dossiers=0, stdout=out)

    assert "Sign in at http://127.0.0.1:8101/accounts/login/ with one of these accounts." in (
        out.getvalue()
    )
    assert "8000" not in out.getvalue()
