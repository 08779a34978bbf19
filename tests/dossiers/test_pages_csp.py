"""The dossier pages keep to the Content Security Policy: no inline script, no inline style,
no event-handler attribute; scripts and styles come from our own static files."""

import pytest
from django.urls import reverse

from tests.dossiers.pages import travel
from tests.helpers import at
from tests.portal.test_layout import _parse

pytestmark = pytest.mark.django_db


def test_dossier_pages_have_no_inline_script_or_style(
    client, alice, receive, procedure, documents_required, departments
):
    handed_in = [{"name": d.name} for d in documents_required]  # a complete dossier
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9), documents=handed_in)
    client.force_login(alice)
    urls = [
        reverse("dossiers:list"),
        reverse("dossiers:intake"),
        reverse("dossiers:detail", args=[dossier.pk]),
        reverse("dossiers:received", args=[dossier.pk]),
        reverse("dossiers:procedure_options") + f"?desk={dossier.desk_id}&q=khai",
        reverse("dossiers:intake_documents") + f"?desk={dossier.desk_id}&procedure={procedure.pk}",
        reverse("dossiers:supplement_row"),
    ]

    for url in urls:
        response = client.get(url)
        parsed = _parse(response)
        assert response.status_code == 200, url
        assert (parsed.inline_scripts, parsed.style_tags) == (0, 0), url
        assert parsed.style_attributes == [], url
        assert parsed.event_handlers == [], url
        assert all(src.startswith("/static/") for src in parsed.script_srcs), url


def test_every_form_that_changes_something_is_posted_with_csrf(client, alice, receive):
    dossier, _pin = receive(received_at=at(2026, 3, 2, 9))
    client.force_login(alice)

    with travel(2026, 3, 3, 10):  # within the processing time: a refusal is still possible
        response = client.get(reverse("dossiers:detail", args=[dossier.pk]))

    action_forms = [f for f in _parse(response).forms if "/actions/" in f.get("action", "")]
    assert len(action_forms) == 4  # route, supplement, refuse, withdraw
    assert all(f["method"] == "post" for f in action_forms)
    assert response.content.decode().count('name="csrfmiddlewaretoken"') == 4 + 2  # + layout
