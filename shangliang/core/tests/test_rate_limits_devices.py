"""The device cookie and the two counters behind ``rate_limited``: per address and per device."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from shangliang.core import ratelimits
from shangliang.core.devices import DEVICE_COOKIE_AGE, is_device_id
from shangliang.core.ratelimits import DEVICE_COOKIE, limit_reached, rate_limited

pytestmark = pytest.mark.django_db

DEVICE_A = "a" * 32
DEVICE_B = "b" * 32


@pytest.fixture
def low_rates(settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "submit": "4/h", "track": "4/h"}
    settings.SHANGLIANG_DEVICE_RATE_LIMITS = {**settings.SHANGLIANG_DEVICE_RATE_LIMITS, "submit": "2/h", "track": "2/h"}


def request_from(method="post", ip="10.0.0.1", device=DEVICE_A):
    request = getattr(RequestFactory(), method)("/anything/", REMOTE_ADDR=ip)
    if device:
        request.COOKIES[DEVICE_COOKIE] = device
    request.user = AnonymousUser()
    return request


@rate_limited("submit")
def submit_view(request):
    return HttpResponse("ok")


@rate_limited("track")
def track_view(request):
    return HttpResponse("ok")


# --- the cookie --------------------------------------------------------------------------------


def test_a_new_browser_gets_a_random_http_only_lax_cookie_for_two_years(client, settings):
    response = client.get(reverse("portal:home"))
    cookie = response.cookies[DEVICE_COOKIE]
    assert is_device_id(cookie.value)
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == DEVICE_COOKIE_AGE == 2 * 365 * 24 * 3600
    assert cookie["secure"] is settings.SESSION_COOKIE_SECURE is True
    assert Client().get(reverse("portal:home")).cookies[DEVICE_COOKIE].value != cookie.value


def test_the_cookie_is_not_secure_on_a_plain_http_install(client, settings):
    settings.SESSION_COOKIE_SECURE = False
    assert client.get(reverse("portal:home")).cookies[DEVICE_COOKIE]["secure"] == ""


def test_a_browser_that_has_its_cookie_keeps_it(client):
    first = client.get(reverse("portal:home")).cookies[DEVICE_COOKIE].value
    again = client.get(reverse("portal:home"))
    assert DEVICE_COOKIE not in again.cookies
    assert again.wsgi_request.COOKIES[DEVICE_COOKIE] == first


@pytest.mark.parametrize("forged", ["", "1", "A" * 32, "g" * 32, "a" * 31, "a" * 33, "a" * 31 + "\x00", "../" * 11])
def test_a_forged_cookie_is_replaced_and_the_request_counts_under_the_new_id(client, forged):
    client.cookies[DEVICE_COOKIE] = forged
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    fresh = response.cookies[DEVICE_COOKIE].value
    assert is_device_id(fresh) and fresh != forged
    assert ratelimits.device_id(response.wsgi_request) == fresh


# --- the two counters ---------------------------------------------------------------------------


def test_one_device_is_stopped_by_its_own_limit_whatever_address_it_comes_from(low_rates):
    statuses = [submit_view(request_from(ip=f"10.0.0.{n}")).status_code for n in range(1, 4)]
    assert statuses == [200, 200, 429]
    assert submit_view(request_from(ip="10.0.0.9", device=DEVICE_B)).status_code == 200


def test_one_address_is_stopped_by_its_limit_whatever_device_it_claims(low_rates):
    devices = [f"{n:032x}" for n in range(6)]
    statuses = [submit_view(request_from(device=device)).status_code for device in devices]
    assert statuses == [200, 200, 200, 200, 429, 429]
    assert submit_view(request_from(ip="10.0.0.2", device=devices[0])).status_code == 200


def test_a_request_without_a_device_is_held_by_the_address_limit_alone(low_rates):
    statuses = [submit_view(request_from(device="")).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]


def test_the_limited_answer_is_the_chinese_page_with_status_429(low_rates):
    for _ in range(2):
        submit_view(request_from())
    response = submit_view(request_from())
    assert response.status_code == 429
    assert "操作过于频繁" in response.content.decode()


def test_gets_are_not_counted_on_forms_but_are_on_look_ups(low_rates):
    assert {submit_view(request_from("get")).status_code for _ in range(6)} == {200}
    statuses = [track_view(request_from("get")).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def test_groups_without_a_device_rate_count_per_address_only(settings):
    settings.SHANGLIANG_RATE_LIMITS = {**settings.SHANGLIANG_RATE_LIMITS, "receipt": "2/h"}
    assert "receipt" not in settings.SHANGLIANG_DEVICE_RATE_LIMITS
    assert [limit_reached(request_from(), "receipt") for _ in range(3)] == [False, False, True]


def test_a_cache_outage_lets_requests_through_when_failing_open(low_rates, settings, monkeypatch):
    def down(*args, **kwargs):
        raise ConnectionRefusedError("cache down")

    monkeypatch.setattr(caches["ratelimit"], "add", down)
    assert {submit_view(request_from()).status_code for _ in range(5)} == {200}
    settings.RATELIMIT_FAIL_OPEN = False
    with pytest.raises(ConnectionRefusedError):
        submit_view(request_from())
