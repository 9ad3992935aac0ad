"""有活动 and 有实效 of the six-haves are read from the records, not ticked (issue 16, point 8)."""

import pytest
from django.urls import reverse

from shangliang.core.errors import DomainError
from shangliang.orgs import services as org_services
from shangliang.orgs import six_haves
from shangliang.orgs.models import Platform
from shangliang.orgs.states import Role, SixHave
from shangliang.orgs.tests.factories import grant, make_platform, make_user
from shangliang.outcomes import services
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def convener(district):
    return grant(make_user(full_name="召集人"), Role.CONVENER, region=district["a1"])


def _checks(client, platform) -> dict:
    response = client.get(reverse("orgs:platform_detail", args=[platform.pk]))
    assert response.status_code == 200
    return {row.item: row for row in response.context["checks"]}


def test_activities_and_results_follow_held_consultations_and_done_items(client, district, convener):
    client.force_login(convener)
    idle = make_platform(district["a1"], name="闲置议事室")
    checks = _checks(client, idle)
    assert not checks[SixHave.ACTIVITIES].is_met and not checks[SixHave.RESULTS].is_met
    assert "近12个月 0 次协商" in client.get(reverse("orgs:platform_detail", args=[idle.pk])).content.decode()

    consultation = concluded(district, convener=convener)
    platform = consultation.platform
    checks = _checks(client, platform)
    assert checks[SixHave.ACTIVITIES].is_met and checks[SixHave.ACTIVITIES].records == 1
    assert checks[SixHave.ACTIVITIES].recent[0][1] == reverse("consultations:detail", args=[consultation.pk])
    assert not checks[SixHave.RESULTS].is_met

    unit = make_unit(district["a"], name="甲镇城建办")
    liaison = liaison_of(unit)
    item = assigned(consultation, unit=unit)
    services.assignment_accept(actor=liaison, assignment=item)
    services.progress_add(actor=liaison, assignment=item, unit=unit, progress="已完成选址", problems="", next_steps="")
    services.assignment_complete(actor=liaison, assignment=item, result="划定停放点两处")
    assert not _checks(client, platform)[SixHave.RESULTS].is_met  # done only once checked (验收)
    services.assignment_check(item, actor=convener)
    checks = _checks(client, platform)
    assert checks[SixHave.RESULTS].is_met and checks[SixHave.RESULTS].records == 1
    page = client.get(reverse("orgs:platform_detail", args=[platform.pk])).content.decode()
    assert "近12个月 1 件事项办结" in page and "按记录自动判定" in page

    # The list counts the derived items with the ticked ones (4 manual items unticked here).
    listing = client.get(reverse("orgs:platform_list"))
    rows = {p.pk: p.checks_met for p in listing.context["page"].object_list}
    assert rows[platform.pk] == 2 and rows[idle.pk] == 0


def test_the_derived_items_cannot_be_ticked_by_hand(client, district, convener):
    platform = make_platform(district["a1"])
    station_head = grant(make_user(), Role.STATION_HEAD, region=district["a"])
    client.force_login(station_head)
    for item in (SixHave.ACTIVITIES, SixHave.RESULTS):
        url = reverse("orgs:platform_check_edit", args=[platform.pk, item])
        response = client.post(url, {"is_met": "on", "note": "已开展"})
        assert response.status_code == 302
        follow = client.get(response["Location"]).content.decode()
        assert "不能手工核查" in follow
        with pytest.raises(DomainError):
            org_services.platform_check_update(actor=None, platform=platform, item=item, is_met=True, note="")
    assert not platform.checks.filter(is_met=True).exists()
    # The manual items are still ticked by hand.
    response = client.post(reverse("orgs:platform_check_edit", args=[platform.pk, SixHave.SIGN]), {"is_met": "on"})
    assert response.status_code == 302
    assert platform.checks.get(item=SixHave.SIGN).is_met


def test_one_definition_counts_the_window(district, convener):
    consultation = concluded(district, convener=convener)
    platform = Platform.objects.get(pk=consultation.platform_id)
    counts = six_haves.derived_counts([platform.pk])
    assert counts[SixHave.ACTIVITIES] == {platform.pk: 1}
    far = consultation.in_session_at.replace(year=consultation.in_session_at.year + 2)
    assert six_haves.derived_counts([platform.pk], now=far)[SixHave.ACTIVITIES] == {}
