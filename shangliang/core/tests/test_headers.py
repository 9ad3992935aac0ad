"""Security headers, secure cookies and the Chinese error pages (penetration test findings 10 and 17).

The suite runs with debug off, as production does, so these are the production defaults."""

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

SETTINGS_FILE = Path(settings.BASE_DIR) / "shangliang" / "settings.py"
TEMPLATE_DIRS = sorted(Path(settings.BASE_DIR, "shangliang").glob("**/templates"))
PASSWORD = "pass-12345-long"


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in policy.split(";"))}


def settings_with(monkeypatch, **env) -> dict:
    """The settings module's values as a fresh process with these environment variables would read them."""
    monkeypatch.delenv("SHANGLIANG_DEBUG", raising=False)
    monkeypatch.delenv("SHANGLIANG_SECURE_COOKIES", raising=False)
    monkeypatch.delenv("SHANGLIANG_HSTS_SECONDS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.mark.django_db
def test_pages_send_a_content_security_policy_that_allows_only_this_site(client):
    policy = directives(client.get(reverse("accounts:login")))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["font-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    everything = [value for values in policy.values() for value in values]
    assert "'unsafe-inline'" not in everything
    assert "'unsafe-eval'" not in everything


@pytest.mark.django_db
def test_pages_send_a_permissions_policy_that_turns_off_unused_features(client):
    policy = client.get(reverse("accounts:login")).headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


@pytest.mark.django_db
def test_https_responses_carry_hsts_nosniff_referrer_policy_and_frame_deny(client):
    response = client.get(reverse("accounts:login"), secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_plain_http_responses_carry_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get(reverse("accounts:login")).headers


@pytest.mark.django_db
def test_session_and_csrf_cookies_are_secure_and_the_test_client_still_sends_them(client):
    get_user_model().objects.create_user("cookie-owner", password=PASSWORD)
    form = client.get(reverse("accounts:login"))
    assert form.cookies["csrftoken"]["secure"] is True
    response = client.post(reverse("accounts:login"), {"username": "cookie-owner", "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies["sessionid"]["secure"] is True
    assert response.cookies["sessionid"]["httponly"] is True
    assert client.get(reverse("portal:home")).wsgi_request.user.username == "cookie-owner"


def test_secure_cookies_and_hsts_are_on_by_default_without_debug(monkeypatch):
    values = settings_with(monkeypatch)
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600


def test_an_http_intranet_install_can_turn_secure_cookies_and_hsts_off(monkeypatch):
    values = settings_with(monkeypatch, SHANGLIANG_SECURE_COOKIES="0", SHANGLIANG_HSTS_SECONDS="0")
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


def test_debug_turns_secure_cookies_and_hsts_off(monkeypatch):
    values = settings_with(monkeypatch, SHANGLIANG_DEBUG="1")
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0


@pytest.mark.django_db
def test_a_form_without_csrf_token_gets_the_chinese_expired_page_with_403():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:login"), {"username": "someone", "password": PASSWORD})
    assert response.status_code == 403
    assert response.templates[0].name == "403_csrf.html"
    content = response.content.decode()
    assert "页面已过期，请返回刷新后重试" in content
    assert "CSRF verification failed" not in content  # not Django's English page
    assert 'name="csrfmiddlewaretoken"' in content  # the page's own forms carry a fresh token
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
def test_the_same_form_with_its_token_is_accepted():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("accounts:login"))
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("accounts:login"), {"username": "someone", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200  # the form again, with a wrong-password error


@pytest.mark.django_db
def test_a_request_for_an_unknown_host_gets_the_chinese_400_page(client):
    response = client.get(reverse("accounts:login"), headers={"host": "attacker.example"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "请求无法处理" in content
    assert '<html lang="zh-CN">' in content
    assert "Bad Request" not in content


def template_files():
    return [path for folder in TEMPLATE_DIRS for path in sorted(folder.glob("**/*.html"))]


DJANGO_COMMENT = re.compile(r"{#.*?#}|{% comment %}.*?{% endcomment %}", re.S)
FORBIDDEN = {
    "inline <script> (use a static file with src)": re.compile(r"<script(?![^>]*\ssrc=)[^>]*>", re.I),
    "inline event handler (use a data- attribute and static/js/site.js)": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on attribute (htmx evaluates it)": re.compile(r"\s(data-)?hx-on", re.I),
    "inline <style> (use a static CSS file)": re.compile(r"<style[\s>]", re.I),
    "style attribute (use a class)": re.compile(r"\sstyle\s*=", re.I),
}


def test_templates_have_no_inline_script_style_or_handlers():
    """The policy would block these; catching them here keeps new templates working."""
    assert len(template_files()) > 50
    found = []
    for path in template_files():
        text = DJANGO_COMMENT.sub("", path.read_text(encoding="utf-8"))
        for what, pattern in FORBIDDEN.items():
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {what}")
    assert found == []
