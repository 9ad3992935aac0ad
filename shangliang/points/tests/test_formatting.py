"""Issue 13, point 14: points print as "61" or "61.5", never "61.0", wherever they are shown."""

from decimal import Decimal

import pytest
from django.urls import reverse

from shangliang.orgs.tests.factories import make_user
from shangliang.points.formatting import points_text
from shangliang.points.models import PointRule
from shangliang.points.tests.conftest import YEAR


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (Decimal("61.0"), "61"),
        (Decimal("61.5"), "61.5"),
        (Decimal("100.0"), "100"),
        (Decimal("0.0"), "0"),
        (61.0, "61"),
        (7.25, "7.25"),
        (12.345, "12.35"),
        (0, "0"),
        (None, ""),
    ],
)
def test_points_drop_trailing_zeros(value, text):
    assert points_text(value) == text


@pytest.mark.django_db
def test_the_ledger_prints_whole_points_without_a_decimal(client, people, record):
    PointRule.objects.filter(kind="session_spoke").update(points=Decimal("1.5"))
    client.force_login(people["wang"].user)
    page = client.get(reverse("points:member_ledger", args=[people["wang"].pk]), {"year": YEAR}).content.decode()
    assert ">18.5<" in page and ">1.5<" in page and ">3<" in page
    assert ".0<" not in page


@pytest.mark.django_db
def test_the_ranking_and_the_admin_print_points_without_a_decimal(client, district, people, record):
    root = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(root)
    page = client.get(reverse("points:ranking"), {"year": YEAR}).content.decode()
    assert "<strong>18</strong>" in page and ".0<" not in page
    admin = client.get(reverse("admin:points_pointrule_changelist")).content.decode()
    assert ">2<" in admin and ".0<" not in admin
    assert str(PointRule.objects.get(kind="session_attended")) == "参加协商会议 · 2"
