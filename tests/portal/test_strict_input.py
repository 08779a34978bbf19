"""The shared readers of input (issue 13, part 5; docs/security.md "Input"): integers in ASCII
digits only, ids that are JSON integers, dates in a sane range, JSON bounded in depth and
size, and the one normalisation of people's text (R-PRIV-1: names, ID numbers and phones)."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation
from rest_framework.exceptions import ParseError
from rest_framework.test import APIClient

from portal.contacts import (
    PERSON_ID,
    PHONE,
    ascii_digits,
    clean_id_number,
    clean_person_text,
    clean_phone,
)
from portal.exceptions import InvalidInput
from portal.parsers import BoundedJSONParser, depth_exceeds
from portal.strict_input import (
    BoundedDateField,
    StrictIdFormField,
    check_date,
    check_list_size,
    parse_int,
    query_id,
)

TOKEN_URL = "/api/v1/auth/token/"


# --- integers -----------------------------------------------------------------------------
@pytest.mark.parametrize("raw", ["0", "7", "-5", "0036", 36, -1, 10**18])
def test_ascii_integers_are_read(raw):
    assert parse_int(raw) == int(raw)


@pytest.mark.parametrize(
    "raw",
    ["²", "--5", "٣", "３", "1.0", "36.5", 36.5, True, False, "", " 7", "1e3", None, "9" * 30],
)
def test_anything_else_is_a_value_error_not_a_crash(raw):
    # "²".isdigit() is True and int("²") raises: the bug of issue 13.
    with pytest.raises(ValueError):
        parse_int(raw)


def test_query_ids_refuse_what_is_not_an_id_with_a_translated_400():
    assert query_id({"desk": "36"}, "desk") == 36
    assert query_id({}, "desk") is None and query_id({"desk": ""}, "desk") is None
    with translation.override("en"):
        for bad in ("²", "0", "-3", "1.0", "9" * 25):
            with pytest.raises(InvalidInput) as refused:
                query_id({"desk": bad}, "desk")
            assert refused.value.status_code == 400
            assert str(refused.value) == "“desk” must be a whole number (an id)."


def test_the_id_filter_field_refuses_decimals_and_foreign_digits():
    field = StrictIdFormField(required=False)
    assert field.clean("36") == 36
    for bad in ("36.0", "36.5", "²", "٣"):
        with pytest.raises(ValidationError):
            field.clean(bad)


# --- dates --------------------------------------------------------------------------------
def test_dates_are_bounded_to_the_portal_range():
    field = BoundedDateField(input_formats=["%Y-%m-%d"])
    assert field.clean("2026-03-02") == dt.date(2026, 3, 2)
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            field.clean("9999-12-31")
        assert "Enter a date between 01/01/1990 and 31/12/2100." in refused.value.messages[0]
        with pytest.raises(InvalidInput):
            check_date(dt.date(1, 1, 1))
    assert check_date(dt.date(2100, 12, 31)) == dt.date(2100, 12, 31)


@override_settings(PORTAL_DATE_MAX="2030-12-31")
def test_the_range_is_a_setting():
    with pytest.raises(InvalidInput):
        check_date(dt.date(2031, 1, 1))


# --- lists --------------------------------------------------------------------------------
def test_a_list_too_long_names_the_limit_and_the_count():
    check_list_size([1, 2], most=2, what="documents")
    with translation.override("en"), pytest.raises(InvalidInput) as refused:
        check_list_size([1, 2, 3], most=2, what="documents", field="documents")
    assert str(refused.value) == "Too many documents: at most 2, 3 were sent."
    assert refused.value.fields == {"documents": [str(refused.value)]}


# --- JSON ---------------------------------------------------------------------------------
def parse(body: bytes, **meta):
    request = type("R", (), {"META": {"CONTENT_LENGTH": str(len(body)), **meta}})()
    return BoundedJSONParser().parse(io.BytesIO(body), parser_context={"request": request})


def test_ordinary_json_is_parsed():
    assert parse(b'{"a": [1, {"b": [2]}]}') == {"a": [1, {"b": [2]}]}


def test_100000_nested_brackets_are_a_parse_error_not_a_recursion_error():
    with translation.override("en"), pytest.raises(ParseError) as refused:
        parse(b"[" * 100_000)
    assert refused.value.get_codes() == "json_too_deep"
    assert "nested too deeply: at most 10 levels" in str(refused.value.detail)


def test_depth_is_bounded_below_the_recursion_limit():
    assert parse(b"[" * 10 + b"]" * 10)
    with pytest.raises(ParseError):
        parse(b"[" * 11 + b"]" * 11)
    assert depth_exceeds({"a": {"b": {}}}, 2) and not depth_exceeds({"a": {"b": {}}}, 3)


@override_settings(PORTAL_JSON_MAX_BYTES=100)
def test_a_body_over_the_limit_is_refused_by_its_length_and_by_what_is_read():
    with pytest.raises(ParseError) as declared:
        parse(b'"' + b"a" * 200 + b'"')
    assert declared.value.get_codes() == "body_too_large"
    with pytest.raises(ParseError) as chunked:  # no Content-Length: stop reading at the limit
        parse(b'"' + b"a" * 200 + b'"', CONTENT_LENGTH="")
    assert chunked.value.get_codes() == "body_too_large"


def test_nan_stays_refused():
    with pytest.raises(ParseError):
        parse(b'{"a": NaN}')


@pytest.mark.usefixtures("cleared_cache")
def test_an_anonymous_endpoint_answers_400_json_to_deep_nesting(db):
    response = APIClient().post(
        TOKEN_URL, b"[" * 100_000, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "json_too_deep"


@pytest.mark.usefixtures("cleared_cache")
@override_settings(PORTAL_JSON_MAX_BYTES=1000)
def test_an_anonymous_endpoint_answers_400_json_to_a_large_body(db):
    response = APIClient().post(
        TOKEN_URL,
        {"username": "a" * 2000, "password": "x"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400, response.content
    assert response.json() == {
        "detail": "The request body is too large: at most 1000 bytes.",
        "code": "body_too_large",
    }


# --- people's text (R-PRIV-1) -------------------------------------------------------------
def test_names_are_nfc_with_spaces_collapsed():
    decomposed = "Nguye\u0302\u0303n  Va\u0306n\tAn"
    assert clean_person_text(decomposed) == "Nguyễn Văn An"


def test_zero_width_and_format_characters_are_removed():
    assert clean_person_text("Nguyễn\u200b Văn\u2060 An\ufeff\u00ad") == "Nguyễn Văn An"
    assert clean_person_text("") == "" and clean_person_text("   ") == ""


@pytest.mark.parametrize(
    "text",
    [
        "\u200b\u200b\u200b",  # zero-width spaces only
        "\u200e\u200f\u2060\ufeff",  # direction marks, word joiner, BOM
        "\u3164\u3164",  # Hangul fillers
        "\u034f \u200d",  # combining grapheme joiner, zero-width joiner
    ],
)
def test_text_that_shows_nothing_is_refused(text):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        clean_person_text(text)
    assert refused.value.code == "invisible_text"
    assert "only invisible or formatting characters" in refused.value.messages[0]


@pytest.mark.parametrize("control", ["\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2069"])
def test_bidi_overrides_and_isolates_are_refused(control):
    with pytest.raises(ValidationError) as refused:
        clean_person_text(f"Nguyễn {control}nA")
    assert refused.value.code == "bidi_control"


def test_199_combining_marks_are_refused_and_vietnamese_is_not():
    with pytest.raises(ValidationError) as refused:
        clean_person_text("a" + "\u0301" * 199)
    assert refused.value.code == "combining_marks"
    # Vietnamese typed decomposed: a vowel mark and a tone on one letter.
    assert clean_person_text("Nguye\u0302\u0301t") == "Nguyết"
    assert clean_person_text("Tie\u0302\u0301ng Vie\u0323\u0302t") == "Tiếng Việt"


def test_multiline_text_keeps_its_lines():
    assert clean_person_text("Dòng 1\r\nDòng 2\x00", multiline=True) == "Dòng 1\nDòng 2"


def test_id_numbers_and_phones_are_stored_in_ascii_digits():
    assert ascii_digits("٠١٢") == "012" and ascii_digits("０１２") == "012"
    assert clean_id_number("٠٠١٠٨٥٠١٢٣٤٥") == "001085012345"
    assert clean_id_number("००१०८५०१२३४५") == "001085012345"  # Devanagari
    assert clean_phone("０９１２ ３４５ ６７８") == "0912345678"
    assert clean_phone("＋84 912.345.678") == "+84912345678"
    with pytest.raises(ValidationError):
        clean_phone("\u202e0912345678")


def test_the_patterns_take_ascii_digits_only():
    assert PERSON_ID.match("001085012345")
    assert not PERSON_ID.match("٠٠١٠٨٥٠١٢٣٤٥")
    assert not PERSON_ID.match("001085012345\n")
    assert PHONE.match("0912345678") and not PHONE.match("٠٩١٢٣٤٥٦٧٨")
