"""Hearings for wide-reaching matters (003: 对于涉及面广、关注度高的事项，要经过专题议事会、民主听证会等程序).

A district's rules say when a topic is wide-reaching (convening level, villages touched, supporters, the
approver's flag); planning or re-planning it in a form other than the listed ones is refused with the reason.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import hearings, services
from shangliang.consultations.models import Consultation, ProcedureRules, SessionFormat
from shangliang.consultations.states import Mode
from shangliang.core.errors import DomainError
from shangliang.orgs.models import Platform
from shangliang.orgs.states import RegionLevel, Role
from shangliang.orgs.tests.factories import grant, make_platform, make_region, make_user
from shangliang.topics import services as topic_services
from shangliang.topics.models import Topic
from shangliang.topics.states import ConveningLevel
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db

ORDINARY = "居（村）民议事会"


@pytest.fixture
def formats(db):
    hearing, _ = SessionFormat.objects.get_or_create(name="民主听证会")
    special, _ = SessionFormat.objects.get_or_create(name="专题议事会")
    return {"hearing": hearing, "special": special, "ordinary": SessionFormat.objects.get(name=ORDINARY)}


def rules(district, formats, **fields) -> ProcedureRules:
    rule = ProcedureRules.objects.create(district=district["district"], **fields)
    rule.hearing_formats.set([formats["hearing"], formats["special"]])
    return rule


def platform_in(region):
    return Platform.objects.filter(region=region).first() or make_platform(region)


def plan(topic, session_format, actor=None):
    starts = timezone.now() + datetime.timedelta(days=10)
    return services.consultation_plan(
        actor=actor or make_user(),
        topic=topic,
        platform=topic.platform or platform_in(topic.convening_region),
        session_format=session_format,
        mode=Mode.OFFLINE,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
        place="村委会",
    )


def refused(topic, session_format) -> DomainError:
    with pytest.raises(DomainError) as caught:
        plan(topic, session_format)
    assert caught.value.field == "session_format"
    assert "涉及面广、关注度高" in caught.value.message
    assert "民主听证会" in caught.value.message and "专题议事会" in caught.value.message
    assert not Consultation.objects.filter(topic=topic).exists()
    return caught.value


def test_without_rules_any_form_will_do(district, formats):
    topic = approved(district["a1"], "镇上的停车", regions=[district["a1"], district["a2"]])
    assert topic.convening_level == ConveningLevel.TOWNSHIP
    assert hearings.hearing_reason(topic) == ""
    assert plan(topic, formats["ordinary"]).session_format == formats["ordinary"]


def test_rules_without_listed_forms_require_nothing(district, formats):
    ProcedureRules.objects.create(district=district["district"], hearing_from_level=ConveningLevel.VILLAGE)
    topic = approved(district["a1"])
    assert hearings.hearing_reason(topic) == ""
    plan(topic, formats["ordinary"])


def test_a_topic_at_or_above_the_level_needs_a_listed_form(district, formats):
    rules(district, formats, hearing_from_level=ConveningLevel.TOWNSHIP)
    township = approved(district["a1"], "镇上的停车", regions=[district["a1"], district["a2"]])
    error = refused(township, formats["ordinary"])
    assert "乡镇（街道）党委召集" in error.message
    assert plan(township, formats["hearing"]).session_format == formats["hearing"]
    # A village topic of the same district is below the level: any form.
    village = approved(district["a1"], "村里的路灯")
    assert hearings.hearing_reason(village) == ""
    plan(village, formats["ordinary"])


def test_a_topic_touching_enough_villages_needs_a_listed_form(district, formats):
    rules(district, formats, hearing_min_villages=2)
    wide = approved(district["a1"], "两村共用的水渠", regions=[district["a1"], district["a2"]])
    assert "涉及2个村（社区）" in refused(wide, formats["ordinary"]).message
    plan(wide, formats["special"])
    narrow = approved(district["a1"], "村里的路灯")
    plan(narrow, formats["ordinary"])


def test_a_township_named_counts_all_its_villages(district, formats):
    rules(district, formats, hearing_min_villages=2)
    topic = approved(district["a1"], "全镇的垃圾分类", regions=[district["a"]])
    assert hearings.villages_touched(topic) == 2
    refused(topic, formats["ordinary"])


def test_a_topic_with_enough_supporters_needs_a_listed_form(district, formats):
    rules(district, formats, hearing_min_supporters=3)
    topic = approved(district["a1"], "村口的红绿灯")
    assert topic.supports.count() == 1  # the submission it was drafted from
    topic_services.topic_support(user=make_user(verified=True), topic=topic)
    plan(approved(district["a1"], "另一件事"), formats["ordinary"])  # a topic with one supporter: any form
    assert hearings.hearing_reason(topic) == ""
    topic_services.topic_support(user=make_user(verified=True), topic=topic)
    assert "3人支持" in refused(topic, formats["ordinary"]).message
    plan(topic, formats["hearing"])


def test_the_approvers_flag_needs_a_listed_form(district, formats):
    rules(district, formats)
    topic = approved(district["a1"], "村集体土地流转")
    plan_ok = approved(district["a1"], "村里的路灯")
    Topic.objects.filter(pk=topic.pk).update(needs_hearing=True)
    topic.refresh_from_db()
    assert "审定时确定为涉及面广、关注度高的事项" in refused(topic, formats["ordinary"]).message
    plan(plan_ok, formats["ordinary"])
    plan(topic, formats["hearing"])


def test_rules_of_another_district_do_not_apply(district, formats):
    other = make_region("邻区", RegionLevel.DISTRICT)
    rule = ProcedureRules.objects.create(district=other, hearing_from_level=ConveningLevel.GRID)
    rule.hearing_formats.set([formats["hearing"]])
    plan(approved(district["a1"]), formats["ordinary"])


def test_changing_the_form_of_a_planned_consultation_is_checked_too(district, formats):
    rules(district, formats, hearing_from_level=ConveningLevel.TOWNSHIP)
    topic = approved(district["a1"], "镇上的停车", regions=[district["a1"], district["a2"]])
    consultation = plan(topic, formats["hearing"])
    with pytest.raises(DomainError) as caught:
        services.consultation_update(
            actor=consultation.convener, consultation=consultation, session_format=formats["ordinary"]
        )
    assert caught.value.field == "session_format"
    consultation.refresh_from_db()
    assert consultation.session_format == formats["hearing"]
    services.consultation_update(
        actor=consultation.convener, consultation=consultation, session_format=formats["special"]
    )
    consultation.refresh_from_db()
    assert consultation.session_format == formats["special"]


# --- through the pages ---------------------------------------------------------------------


def _form(topic, session_format, platform):
    start = timezone.localtime() + datetime.timedelta(days=10)
    return {
        "platform": platform.pk,
        "session_format": session_format.pk,
        "mode": Mode.OFFLINE,
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "place": "镇政府会议室",
        "agenda": "听取意见 60",
    }


def test_the_plan_page_says_the_requirement_and_offers_only_the_listed_forms(client, district, formats):
    rules(district, formats, hearing_from_level=ConveningLevel.TOWNSHIP)
    topic = approved(district["a1"], "镇上的停车", regions=[district["a1"], district["a2"]])
    platform = make_platform(district["a"])
    client.force_login(grant(make_user("station"), Role.STATION_HEAD, region=district["a"]))
    url = reverse("consultations:plan", args=[topic.pk])
    page = client.get(url).content.decode()
    note = page.split('id="hearing-requirement"')[1].split("</div>")[0]
    assert "须采用以下形式之一：" in note and "民主听证会" in note and "专题议事会" in note
    assert "民主听证会</option>" in page and f"{ORDINARY}</option>" not in page

    response = client.post(url, _form(topic, formats["ordinary"], platform))
    assert response.status_code == 200
    assert "本议题涉及面广、关注度高（乡镇（街道）党委召集）" in response.content.decode()
    assert not Consultation.objects.filter(topic=topic).exists()

    response = client.post(url, _form(topic, formats["hearing"], platform))
    consultation = Consultation.objects.get(topic=topic)
    assert response["Location"] == reverse("consultations:detail", args=[consultation.pk])
    assert consultation.session_format == formats["hearing"]

    # The edit page refuses the ordinary form in the same words and keeps the hearing.
    edit = reverse("consultations:edit", args=[consultation.pk])
    response = client.post(edit, _form(topic, formats["ordinary"], platform))
    assert response.status_code == 200 and "须采用以下形式之一" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.session_format == formats["hearing"]


def test_the_plan_page_of_an_ordinary_topic_offers_every_form(client, district, formats):
    rules(district, formats, hearing_from_level=ConveningLevel.TOWNSHIP)
    topic = approved(district["a1"], "村里的路灯")
    client.force_login(grant(make_user("convener"), Role.CONVENER, region=district["a1"]))
    page = client.get(reverse("consultations:plan", args=[topic.pk])).content.decode()
    assert 'id="hearing-requirement"' not in page
    assert f"{ORDINARY}</option>" in page and "民主听证会</option>" in page


def test_the_rules_are_set_in_the_admin_with_their_history(client, district, formats):
    client.force_login(make_user("root", is_superuser=True, is_staff=True))
    url = reverse("admin:consultations_procedurerules_add")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "district": district["district"].pk,
            "hearing_from_level": ConveningLevel.TOWNSHIP,
            "hearing_min_villages": "3",
            "hearing_min_supporters": "",
            "hearing_formats": [formats["hearing"].pk, formats["special"].pk],
            "legal_review": "all",
        },
    )
    assert response.status_code == 302
    rule = ProcedureRules.objects.get()
    assert set(rule.hearing_formats.all()) == {formats["hearing"], formats["special"]}
    row = rule.history.get()  # one row for the save and the forms chosen with it
    assert row.history_change_reason == "procedure_rules.set"
    assert {f.sessionformat_id for f in row.hearing_formats.all()} == {formats["hearing"].pk, formats["special"].pk}
    topic = approved(district["a1"], "镇上的停车", regions=[district["a1"], district["a2"]])
    refused(topic, formats["ordinary"])
