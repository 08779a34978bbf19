"""The API answers what its schema says (issue 13, part 6): JSON errors for every /api/ path,
every error status documented, blank choices declared, strict types on input. The generated
run over every operation is tests/portal/test_api_schemathesis.py."""

import json

import pytest
from django.test import RequestFactory
from django.utils import translation
from drf_spectacular.drainage import reset_generator_stats
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer

from dossiers.models import Dossier
from portal.api_errors import api_or_page_500
from tests.dossiers.api_helpers import database_snapshot, detail_url, signed_in
from tests.dossiers.conftest import desk, procedure, receive  # noqa: F401 (fixtures)

HTTP_METHODS = {"get", "put", "patch", "post", "delete"}


@pytest.fixture(scope="module")
def openapi():
    reset_generator_stats()
    with translation.override("en"):
        raw = SchemaGenerator().get_schema(request=None, public=True)
        return json.loads(OpenApiJsonRenderer().render(raw))


def operations(openapi):
    for path, item in openapi["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


def assert_json_error(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["detail"], str) and body["detail"]
    return body


# --- JSON for every /api/ path ---------------------------------------------------------------
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/no-such-endpoint/",
        "/api/v1/dossiers/1.5/",  # not an id: no URL matches, Django's 404 (was HTML)
        "/api/v1/units/0.5/",
        "/api/nothing",
    ],
)
def test_unknown_api_path_is_a_json_404(client, db, path):
    assert_json_error(client.get(path), 404, "not_found")


def test_non_integer_id_is_a_json_404_when_signed_in(alice):
    assert_json_error(signed_in(alice).get("/api/v1/dossiers/abc/"), 404, "not_found")


def test_json_404_is_translated(client, db):
    vietnamese = client.get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="vi").json()["detail"]
    english = client.get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="en").json()["detail"]
    assert vietnamese != english


def test_unknown_page_outside_the_api_stays_html(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_is_a_json_405_with_allow(alice):
    response = signed_in(alice).delete("/api/v1/units/")
    body = assert_json_error(response, 405, "method_not_allowed")
    assert "DELETE" in body["detail"]
    assert "GET" in response["Allow"]


def test_server_error_under_api_is_json_without_details():
    response = api_or_page_500(RequestFactory().get("/api/v1/dossiers/"))
    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "error"


def test_server_error_elsewhere_is_the_html_page():
    response = api_or_page_500(RequestFactory().get("/dossiers/"))
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_page_beyond_the_last_is_a_json_404_and_documented(alice, openapi):
    assert_json_error(signed_in(alice).get("/api/v1/units/?page=99"), 404, "not_found")
    assert "404" in openapi["paths"]["/api/v1/units/"]["get"]["responses"]


# --- Every error status documented -------------------------------------------------------------
def test_every_operation_documents_401_403_and_429_as_json(openapi):
    for path, method, operation in operations(openapi):
        for status in ("401", "403", "429"):
            answer = operation["responses"].get(status)
            assert answer, f"{method.upper()} {path} does not document {status}"
            assert "application/json" in answer["content"], (method, path, status)


def test_every_operation_with_input_documents_400(openapi):
    for path, method, operation in operations(openapi):
        if operation.get("parameters") or "requestBody" in operation:
            assert "400" in operation["responses"], f"{method.upper()} {path}"


def test_every_operation_on_an_object_or_a_page_documents_404(openapi):
    for path, method, operation in operations(openapi):
        names = {p["name"] for p in operation.get("parameters", [])}
        if "{" in path or "page" in names:
            assert "404" in operation["responses"], f"{method.upper()} {path}"


def test_operations_with_a_body_document_415(openapi):
    for path, method, operation in operations(openapi):
        if "requestBody" in operation:
            assert "415" in operation["responses"], f"{method.upper()} {path}"


def test_optional_query_parameters_accept_an_empty_value(openapi):
    """``?due_to=`` is read as "no due_to" by the filters: the schema says so."""
    for path, _method, operation in operations(openapi):
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query" or parameter.get("required"):
                continue
            listed = parameter["schema"].get("type") == "array" or parameter["name"] == "page"
            # A list (``?status=``) or a page number may not be empty: 400 or 404.
            assert parameter.get("allowEmptyValue") is (None if listed else True), (
                path,
                parameter["name"],
            )


# --- Blank choices declared ---------------------------------------------------------------------
def blank_allowed(openapi, component, field):
    schema = openapi["components"]["schemas"][component]["properties"][field]
    refs = [s.get("$ref", "") for s in schema.get("oneOf", [])]
    return "#/components/schemas/BlankEnum" in refs


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("DossierDetail", "classification"),  # "" until the dossier is completed
        ("Procedure", "supplement_clock"),
        ("FeedbackItemDetail", "finding"),
    ],
)
def test_read_only_blank_choice_lists_the_empty_value(openapi, component, field):
    assert blank_allowed(openapi, component, field)


def test_answered_blank_classification_matches_the_schema(dossier_received, alice, openapi):
    """A dossier not yet completed answers ``"classification": ""``, which the schema lists."""
    body = signed_in(alice).get(detail_url(dossier_received)).json()
    assert body["classification"] == ""
    assert blank_allowed(openapi, "DossierDetail", "classification")


# --- Strict types on input ------------------------------------------------------------------------
@pytest.fixture
def dossier_received(receive):  # noqa: F811 (the fixture imported above)
    dossier, _pin = receive()
    return dossier


@pytest.mark.parametrize("value", [0, 36.5, True, ["Khoản 2"], {"a": 1}])
def test_text_field_refuses_anything_but_a_string(dossier_received, officer, value):
    """``"legal_basis": 0`` was stored as the text "0"."""
    before = database_snapshot()
    response = signed_in(officer).post(
        detail_url(dossier_received, "refuse/"),
        {"reason": "Không thuộc thẩm quyền", "legal_basis": value},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["legal_basis"]
    assert database_snapshot() == before
    assert Dossier.objects.get(pk=dossier_received.pk).status == "received"


def test_text_field_still_takes_a_string(dossier_received, officer):
    response = signed_in(officer).post(
        detail_url(dossier_received, "refuse/"),
        {"reason": "Không thuộc thẩm quyền", "legal_basis": "Khoản 2 Điều 19"},
        format="json",
    )
    assert response.status_code in (200, 409), response.content


@pytest.mark.parametrize("value", ["yes", "1", "null", "unknown", "-58800", "True"])
def test_boolean_filter_refuses_anything_but_true_or_false(alice, value):
    response = signed_in(alice).get("/api/v1/procedures/", {"active": value})
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["active"]


@pytest.mark.parametrize("value", ["true", "false", ""])
def test_boolean_filter_takes_true_false_or_empty(alice, value):
    assert signed_in(alice).get("/api/v1/procedures/", {"active": value}).status_code == 200


@pytest.mark.parametrize("value", ["30.0", "3e1", "²", "1.5"])
def test_id_filter_refuses_what_is_not_digits(alice, value):
    response = signed_in(alice).get("/api/v1/units/", {"parent": value})
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["parent"]


def test_id_filter_takes_digits(alice, tree):
    response = signed_in(alice).get("/api/v1/units/", {"parent": str(tree["district_a"].pk)})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/units/?valid_on=&parent=&level=&q=",
        "/api/v1/dossiers/?due_to=&overdue=&desk=&classification=",
        "/api/v1/feedback/?unassigned=&received_from=&category=",
        "/api/v1/survey-indices/?to=&from=&unit=&channel=",
        "/api/v1/procedures/?active=&desk=&level=",
    ],
)
def test_empty_optional_parameters_mean_absent(alice, url):
    """What ``allowEmptyValue: true`` promises: ``?x=`` is the same as no ``x``."""
    path = url.split("?")[0]
    client = signed_in(alice)
    with_empty, without = client.get(url), client.get(path)
    assert with_empty.status_code == 200, with_empty.content
    assert with_empty.json() == without.json()
