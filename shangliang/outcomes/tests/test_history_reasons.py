"""An assignment's history keeps the reason code and the unit's own words whole; its page translates the code."""

import pytest
from django.conf import settings
from django.urls import reverse

from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes.states import AssignmentStatus
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit

pytestmark = pytest.mark.django_db

# 300 characters: longer than the 100 the history's reason column holds.
LONG_REASON = ("该事项属于镇政府的职责范围，本局不具备实施条件，建议改交镇政府牵头办理。" * 10)[:300]


def test_an_english_speaking_liaison_returns_an_item_and_the_chinese_page_shows_the_label_and_the_whole_reason(
    client, district
):
    unit = make_unit(district["district"], "区住房和城乡建设局")
    liaison = liaison_of(unit, "liaison")
    approver = grant(make_user("approver"), Role.APPROVER, region=district["a"])
    convener = grant(make_user("convener"), Role.CONVENER, region=district["a1"])
    supervisor = grant(make_user("supervisor"), Role.SUPERVISOR, region=district["a"])
    item = assigned(concluded(district, convener=convener), unit=unit, actor=approver, supervisor=supervisor)
    assert len(LONG_REASON) == 300

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(liaison)
    response = client.post(
        reverse("outcomes:assignment_return", args=[item.pk]), {"reason": LONG_REASON, "version": item.version}
    )
    assert response.status_code == 302
    row = item.history.latest("history_date")
    assert row.status == AssignmentStatus.RETURNED
    assert (row.history_change_reason, row.history_note) == ("assignment.returned", LONG_REASON)

    client.cookies.clear()
    client.force_login(approver)
    page = client.get(reverse("outcomes:assignment", args=[item.pk])).content.decode()
    assert f"<td>退回：{LONG_REASON}</td>" in page
    assert "<td>交办</td>" in page
