"""Each staff action of a consultation is one service call: all of it is saved, or nothing is.

Planning and editing save the consultation with its agenda, picking candidates invites all the
picked people or none, and the topics a user may plan are chosen by scope in the database.
"""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import permissions, selectors, services
from shangliang.consultations.models import AgendaItem, Consultation, Participant, SessionFormat
from shangliang.consultations.states import Mode
from shangliang.consultations.tests.builders import planned
from shangliang.core.errors import DomainError
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_member, make_platform, make_user
from shangliang.topics import services as topic_services
from shangliang.topics.models import Topic
from shangliang.topics.states import ConveningLevel, Source, TopicStatus
from shangliang.topics.tests.builders import approved, category, pending

pytestmark = pytest.mark.django_db

TOO_LONG = "议" * 101  # one more character than an agenda item's title holds


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


def _plan(topic, actor, platform, **changes):
    starts = timezone.now() + datetime.timedelta(days=10)
    fields = {
        "actor": actor,
        "topic": topic,
        "platform": platform,
        "session_format": SessionFormat.objects.get(name="居（村）民议事会"),
        "mode": Mode.OFFLINE,
        "starts_at": starts,
        "ends_at": starts + datetime.timedelta(hours=2),
        "place": "甲一村党群服务中心",
        "agenda": [("通报调研情况", 10)],
    }
    return services.consultation_plan(**{**fields, **changes})


# --- planning and editing --------------------------------------------------------------------


def test_plan_writes_nothing_when_an_agenda_item_is_refused(district, convener):
    topic = approved(district["a1"])
    platform = make_platform(district["a1"])
    with pytest.raises(ValidationError):
        _plan(topic, convener, platform, agenda=[("通报调研情况", 10), (TOO_LONG, 10)])
    assert not Consultation.objects.exists() and not AgendaItem.objects.exists()
    assert _plan(topic, convener, platform).agenda.count() == 1


def test_editing_the_plan_changes_nothing_when_an_agenda_item_is_refused(district, convener):
    consultation = planned(district, convener=convener)
    history = consultation.history.count()
    with pytest.raises(ValidationError):
        services.consultation_update(
            actor=convener, consultation=consultation, place="村委会会议室", agenda=[("新议程", 5), (TOO_LONG, 5)]
        )
    consultation.refresh_from_db()
    assert consultation.place == "甲一村党群服务中心" and consultation.history.count() == history
    assert [a.title for a in consultation.agenda.all()] == ["通报调研情况", "自由发言"]
    services.consultation_update(
        actor=convener, consultation=consultation, place="村委会会议室", agenda=[("新议程", 5)]
    )
    consultation.refresh_from_db()
    assert consultation.place == "村委会会议室"
    assert [(a.title, a.minutes) for a in consultation.agenda.all()] == [("新议程", 5)]


def test_edit_page_saves_time_place_and_agenda_in_one_go(client, district, convener):
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    url = reverse("consultations:edit", args=[consultation.pk])
    assert client.get(url).status_code == 200
    starts = timezone.localtime(consultation.starts_at)
    data = {
        "platform": consultation.platform_id,
        "session_format": consultation.session_format_id,
        "mode": Mode.HYBRID,
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (starts + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M"),
        "place": "村文化广场",
        "agenda": "通报情况 10\n群众发言 45",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    consultation.refresh_from_db()
    assert (consultation.place, consultation.mode) == ("村文化广场", Mode.HYBRID)
    assert [(a.title, a.minutes) for a in consultation.agenda.all()] == [("通报情况", 10), ("群众发言", 45)]


# --- picking candidates ----------------------------------------------------------------------


@pytest.fixture
def same_person_twice(district, convener):
    """A consultation where one resident is proposed twice: as a supporter and as a member."""
    consultation = planned(district, convener=convener)
    resident = make_user("resident", mobile="13900001111")
    topic_services.topic_support(user=resident, topic=consultation.topic)
    member = make_member("汤委员", user=resident, mobile="13900001111")
    org_services.member_assign(
        actor=None, member=member, platform=consultation.platform, started_on=datetime.date(2026, 1, 1)
    )
    keys = {c.key for c in selectors.candidates_for(consultation)}
    assert {f"user:{resident.pk}", f"member:{member.pk}"} <= keys
    return consultation, [f"user:{resident.pk}", f"member:{member.pk}"]


def test_inviting_picks_writes_nothing_when_one_pick_is_not_a_candidate(same_person_twice, convener):
    consultation, picks = same_person_twice
    with pytest.raises(DomainError, match="已不在建议名单中"):
        services.participants_invite(actor=convener, consultation=consultation, picks=[picks[0], "member:999999"])
    assert not consultation.participants.exists()
    invited = services.participants_invite(actor=convener, consultation=consultation, picks=[picks[0], picks[0]])
    assert len(invited) == 1
    assert consultation.participants.count() == 1


def test_picking_the_same_person_twice_invites_nobody_and_says_why(client, same_person_twice, convener):
    consultation, picks = same_person_twice
    client.force_login(convener)
    url = reverse("consultations:participant_pick", args=[consultation.pk])
    response = client.post(url, {"candidate": picks})
    assert response.status_code == 400
    body = response.content.decode()
    assert "汤委员：此人已在参与名单中。本次没有邀请任何人。" in body
    assert body.count("checked") == 2  # the ticks stay, so one can be taken off
    assert not Participant.objects.filter(consultation=consultation).exists()
    response = client.post(url, {"candidate": picks[1:]})
    assert response.status_code == 302
    assert list(consultation.participants.values_list("name", flat=True)) == ["汤委员"]


def test_a_stale_pick_is_refused_by_the_form(client, same_person_twice, convener):
    consultation, picks = same_person_twice
    client.force_login(convener)
    url = reverse("consultations:participant_pick", args=[consultation.pk])
    response = client.post(url, {"candidate": [picks[0], "seat:999999"]})
    assert response.status_code == 400 and "已不在建议名单中" in response.content.decode()
    assert not consultation.participants.exists()


# --- topics a user may plan ------------------------------------------------------------------


def _approved_in_bulk(region, count: int) -> None:
    """``count`` approved topics convened in ``region``, approved after everything made before."""
    drafter = make_user()
    later = timezone.now() + datetime.timedelta(minutes=1)
    Topic.objects.bulk_create(
        Topic(
            title=f"邻村议题{i}",
            category=category(),
            convening_region=region,
            convening_level=ConveningLevel.VILLAGE,
            source=Source.RESIDENT,
            status=TopicStatus.APPROVED,
            drafted_by=drafter,
            approved_at=later + datetime.timedelta(seconds=i),
        )
        for i in range(count)
    )


def test_a_conveners_own_topic_is_listed_however_many_topics_other_villages_have(client, district, convener):
    own = approved(district["a1"], "本村路灯")
    _approved_in_bulk(district["a2"], 210)
    client.force_login(convener)
    ready = list(client.get(reverse("consultations:list")).context["ready"])
    assert ready == [own]
    other = Topic.objects.filter(convening_region=district["a2"]).first()
    assert client.get(reverse("consultations:plan", args=[other.pk])).status_code == 404
    response = client.post(reverse("consultations:plan", args=[other.pk]), {"place": "邻村"})
    assert response.status_code == 404 and not Consultation.objects.exists()


def test_topics_awaiting_a_plan_leave_out_those_under_way_but_not_those_cancelled(district, convener):
    consultation = planned(district, convener=convener, title="已安排")
    cancelled = planned(district, convener=convener, title="取消了")
    services.consultation_cancel(actor=convener, consultation=cancelled, reason="天气原因")
    waiting = approved(district["a1"], "待安排")
    assert set(selectors.topics_awaiting_plan(convener)) == {cancelled.topic, waiting}
    assert consultation.topic in permissions.topics_plannable_by(convener)


def test_plannable_topics_are_exactly_those_the_predicate_allows(district):
    users = {
        "village convener": grant(make_user(), Role.CONVENER, region=district["a1"]),
        "station head": grant(make_user(), Role.STATION_HEAD, region=district["a"]),
        "office staff": grant(make_user(), Role.COMMITTEE_STAFF, region=district["district"]),
        "other township": grant(make_user(), Role.STATION_HEAD, region=district["b"]),
        "approver": grant(make_user(), Role.APPROVER, region=district["a1"]),
        "root": make_user(is_superuser=True),
        "nobody": make_user(),
    }
    topics = [
        approved(district["a1"], "甲一村的事"),
        approved(district["a1"], "甲镇的事", regions=[district["a1"], district["a2"]]),
        approved(district["b1"], "乙一村的事"),
        pending(district["a1"], "未审定的事"),
    ]
    allowed = {
        (who, topic.title)
        for (who, user), topic in itertools.product(users.items(), topics)
        if permissions.can_plan_consultation(user, topic)
    }
    listed = {(who, topic.title) for who, user in users.items() for topic in permissions.topics_plannable_by(user)}
    assert listed == allowed
    assert ("village convener", "甲一村的事") in listed and ("village convener", "甲镇的事") not in listed
    assert ("station head", "甲镇的事") in listed and ("other township", "乙一村的事") in listed
    assert not {who for who, _title in listed} & {"approver", "nobody"}
