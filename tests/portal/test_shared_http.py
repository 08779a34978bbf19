"""The shared HTTP helpers in ``portal.http``: one client address for every rate limit and one
cache policy for every file with personal data (R-PRIV-1)."""

import pytest
from django.test import RequestFactory, override_settings

from portal.http import client_ip, no_store, pdf_response

rf = RequestFactory()


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return rf.get("/", **meta)


def test_client_ip_is_remote_addr_without_trusted_proxies():
    assert client_ip(_request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "198.51.100.1", "198.51.100.1"),
        (1, "10.0.0.9, 198.51.100.1", "198.51.100.1"),  # a client cannot pick its own address
        (2, "10.0.0.9, 198.51.100.1", "10.0.0.9"),
        (3, "198.51.100.1", "198.51.100.1"),  # fewer hops than proxies: the first
    ],
)
def test_client_ip_is_the_address_the_nearest_trusted_proxy_saw(proxies, forwarded, expected):
    from django.conf import settings

    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}):
        assert client_ip(_request("127.0.0.1", forwarded)) == expected


def test_ipv6_clients_are_counted_per_64_block():
    one = client_ip(_request("2001:db8:1:2:aaaa::1"))
    other = client_ip(_request("2001:db8:1:2:bbbb::2"))
    neighbour = client_ip(_request("2001:db8:1:3::1"))
    assert one == other == "2001:db8:1:2::"
    assert neighbour != one


def test_pdf_response_is_inline_and_never_cached():
    response = pdf_response(b"%PDF-1.7", "phieu.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="phieu.pdf"'
    assert {"private", "no-store"} <= set(response["Cache-Control"].split(", "))
    assert "max-age=0" in response["Cache-Control"]


def test_no_store_keeps_a_page_out_of_every_cache():
    from django.http import HttpResponse

    response = no_store(HttpResponse("PIN 123456"))
    assert {"private", "no-store", "no-cache", "must-revalidate"} <= set(
        response["Cache-Control"].split(", ")
    )
