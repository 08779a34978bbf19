"""Regression guard of issue 14 (Deliver 5): the requests the benchmarks measure cost a fixed,
known number of queries. A change that adds one fails here, with the path named; lower the
number when a change saves one. Figures: docs/performance.md (``benchmarks.profile``)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dossiers.tracking.tokens import make_tracking_token
from tests.dossiers.api_helpers import APPLICANT, DOSSIERS_URL, with_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

FORM_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# path: queries per request (test settings: sessions and cache as configured for the tests)
EXPECTED = {
    "GET /healthz": 1,
    "GET /tra-cuu/": 0,
    "GET /tra-cuu/t/<token>/": 2,  # one values() query for the page, one for the events
    "POST /tra-cuu/": 1,  # the dossier by its code (the PIN's HMAC is checked in Python)
    "GET /tra-cuu/ket-qua/": 2,  # the dossier's public columns, its public events
    "POST /api/v1/dossiers/": 19,  # token, scoped look-ups, the receipt (14 in the service)
}


def _count(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response, len(captured)


def test_public_tracking_paths_keep_their_query_counts(client, tracked):
    dossier, pin = tracked
    counts = {}
    response, counts["GET /healthz"] = _count(lambda: client.get("/healthz"))
    assert response.status_code == 200
    response, counts["GET /tra-cuu/"] = _count(lambda: client.get("/tra-cuu/"))
    assert response.status_code == 200
    form_token = FORM_TOKEN.search(response.content.decode()).group(1)
    url = f"/tra-cuu/t/{make_tracking_token(dossier)}/"
    response, counts["GET /tra-cuu/t/<token>/"] = _count(lambda: client.get(url))
    assert response.status_code == 200
    response, counts["POST /tra-cuu/"] = _count(
        lambda: client.post(
            "/tra-cuu/", {"csrfmiddlewaretoken": form_token, "code": dossier.code, "pin": pin}
        )
    )
    assert response.status_code == 303
    response, counts["GET /tra-cuu/ket-qua/"] = _count(lambda: client.get("/tra-cuu/ket-qua/"))
    assert response.status_code == 200
    assert counts == {k: v for k, v in EXPECTED.items() if k in counts}


def test_api_intake_keeps_its_query_count(desk, procedure, alice, cleared_cache):
    client = with_token(alice)
    body = {
        "desk": desk.pk,
        "procedure": procedure.pk,
        "applicant": dict(APPLICANT),
        "documents": [{"name": "Tờ khai", "is_original": True, "quantity": 1}],
        "channel": "desk",
    }
    client.post(DOSSIERS_URL, body, format="json")  # the first receipt creates the counters
    response, queries = _count(lambda: client.post(DOSSIERS_URL, body, format="json"))
    assert response.status_code == 201, response.content[:300]
    assert queries == EXPECTED["POST /api/v1/dossiers/"]
