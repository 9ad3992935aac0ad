"""The list of hand-offs in scope (filters, overdue answers, figures) and the reminder on the home page of whoever
handed a matter off and on the supervision board."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.handoffs import selectors, services
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import Channel
from shangliang.topics.models import Submission
from shangliang.topics.tests.builders import submit

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def hand(people, region, title, *, channel=Channel.HOTLINE, days_ago=0, actor=None):
    submission = submit(region, title)
    # Brought in before it was handed off.
    Submission.objects.filter(pk=submission.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days_ago + 2)
    )
    submission.refresh_from_db()
    return services.handoff_create(
        actor=actor or people["convener"],
        subject=submission,
        channel=channel,
        recipient="12345热线" if channel == Channel.HOTLINE else "镇人大主席团",
        reason="转交办理",
        handed_at=timezone.now() - datetime.timedelta(days=days_ago),
    )


def test_the_list_filters_by_channel_status_and_overdue_answer(client, district, people, settings):
    settings.SHANGLIANG_HANDOFF_ANSWER_DAYS = 30
    late = hand(people, district["a1"], "路灯不亮", days_ago=45)
    hand(people, district["a1"], "垃圾清运不及时", channel=Channel.CONGRESS, days_ago=3)
    answered = hand(people, district["a1"], "井盖缺失", days_ago=60)
    services.handoff_answer(actor=people["convener"], handoff=answered, answer="已补装井盖")
    hand(people, district["b1"], "乙村的事", actor=people["other_convener"])

    client.force_login(people["supervisor"])
    page = text(client.get(reverse("handoffs:list")))
    assert "路灯不亮" in page and "垃圾清运不及时" in page and "井盖缺失" in page
    assert "乙村的事" not in page  # another township's
    overdue = text(client.get(reverse("handoffs:list") + "?overdue=on"))
    assert "路灯不亮" in overdue and "垃圾清运不及时" not in overdue and "井盖缺失" not in overdue
    congress = text(client.get(reverse("handoffs:list") + "?channel=congress"))
    assert "垃圾清运不及时" in congress and "路灯不亮" not in congress
    done = text(client.get(reverse("handoffs:list") + "?status=answered"))
    assert "井盖缺失" in done and "路灯不亮" not in done

    figures = selectors.handoff_figures(Handoff.objects.filter(region__path__startswith=district["a"].path))
    assert (figures.handed, figures.answered, figures.overdue) == (3, 1, 1)
    hotline = next(row for row in figures.by_channel if row.channel == Channel.HOTLINE)
    assert (hotline.handed, hotline.answered) == (2, 1)
    assert round(figures.answered_share, 2) == 0.33
    assert selectors.is_overdue(late)


def test_the_list_costs_the_same_queries_for_few_or_many_rows(client, district, people, django_assert_max_num_queries):
    hand(people, district["a1"], "一件事")
    client.force_login(people["supervisor"])
    with django_assert_max_num_queries(14) as few:
        assert client.get(reverse("handoffs:list")).status_code == 200
    for n in range(8):
        hand(people, district["a1"], f"事项{n}", channel=Channel.CONGRESS if n % 2 else Channel.HOTLINE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("handoffs:list")).status_code == 200


def test_an_unanswered_handoff_past_the_period_is_on_the_handers_home_page_and_the_board(client, district, people):
    handoff = hand(people, district["a1"], "路灯不亮", days_ago=40)
    client.force_login(people["convener"])
    home = text(client.get(reverse("portal:home")))
    assert "转交其他渠道超期未答复" in home
    assert reverse("handoffs:detail", args=[handoff.pk]) in home
    # Not on another township's convener's home page.
    client.force_login(people["other_convener"])
    assert "转交其他渠道超期未答复" not in text(client.get(reverse("portal:home")))

    client.force_login(people["supervisor"])
    board = text(client.get(reverse("outcomes:board")))
    assert "转交其他渠道超期未答复" in board and reverse("handoffs:detail", args=[handoff.pk]) in board

    services.handoff_answer(actor=people["convener"], handoff=handoff, answer="已修复")
    client.force_login(people["convener"])
    assert "转交其他渠道超期未答复" not in text(client.get(reverse("portal:home")))


def test_residents_and_visitors_may_not_open_the_list(client, people):
    client.force_login(people["resident"])
    assert client.get(reverse("handoffs:list")).status_code == 403
    client.logout()
    assert client.get(reverse("handoffs:list")).status_code == 302
