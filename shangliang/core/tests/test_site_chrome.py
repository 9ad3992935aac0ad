"""Issue 13, point 14: the site's icon at /favicon.ico, and django-axes' admin section in Chinese."""

from pathlib import Path

import polib
import pytest
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_favicon_ico_is_served_by_the_app(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static("favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    icon = Path(finders.find("favicon.ico")).read_bytes()
    assert icon[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert b"<svg" in Path(finders.find("favicon.svg")).read_bytes()


@pytest.mark.django_db
def test_pages_link_the_icon(client):
    page = client.get(reverse("accounts:login")).content.decode()
    assert f'<link rel="icon" href="{static("favicon.ico")}"' in page
    assert f'href="{static("favicon.svg")}" type="image/svg+xml"' in page
    assert 'href="data:,"' not in page


@pytest.mark.django_db
def test_the_admin_shows_django_axes_in_chinese(client):
    seen = {"user_agent": "WeChat", "ip_address": "10.0.0.1", "username": "wang", "http_accept": "*", "path_info": "/"}
    AccessAttempt.objects.create(**seen, get_data="", post_data="", failures_since_start=2)
    AccessLog.objects.create(**seen)
    client.force_login(get_user_model().objects.create(username="root", is_staff=True, is_superuser=True))
    index = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录保护" in index
    assert "登录失败计数" in index and "登录日志" in index and "登录失败记录" in index
    assert "Axes" not in index and "Access attempts" not in index and "Access logs" not in index
    attempts = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    assert "尝试时间" in attempts and "IP 地址" in attempts and "失败次数" in attempts
    assert "Attempt Time" not in attempts and "Failed Logins" not in attempts
    assert "3 次尝试机会剩余" in attempts
    assert '<div class="text"><span>状态</span></div>' in attempts and "<span>Status</span>" not in attempts
    logs = client.get(reverse("admin:axes_accesslog_changelist")).content.decode()
    assert "退出时间" in logs and "Logout Time" not in logs


def test_the_chinese_catalog_is_complete_and_compiled():
    po = polib.pofile(str(CATALOG / "django.po"))
    assert po.untranslated_entries() == [] and po.fuzzy_entries() == []
    mo = {e.msgid: e.msgstr for e in polib.mofile(str(CATALOG / "django.mo"))}
    assert {e.msgid: e.msgstr for e in po} == mo
