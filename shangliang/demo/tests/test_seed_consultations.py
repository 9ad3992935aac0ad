from collections import Counter
from datetime import datetime, time, timedelta
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import DateTimeField
from django.utils import timezone

from shangliang.consultations import selectors
from shangliang.consultations.models import (
    AgendaItem,
    AssemblyVote,
    Consultation,
    Dissent,
    NoticeRead,
    OnlinePost,
    Participant,
    Research,
    Statement,
    Suggestion,
)
from shangliang.consultations.permissions import can_run_consultation
from shangliang.consultations.states import ConsultationStatus, ExplanationOutcome, Mode, ParticipantCategory, Stance
from shangliang.core.models import Delivery, DeliveryStatus, Notification
from shangliang.demo.district import RESPONSIBLE_UNITS
from shangliang.demo.topics import SOURCE_TOPICS
from shangliang.orgs.models import Region
from shangliang.orgs.selectors import path_ids
from shangliang.orgs.states import RegionLevel, Role
from shangliang.topics.models import Category, Topic
from shangliang.topics.states import Source, TopicStatus

pytestmark = pytest.mark.django_db

CONSULTATION_MODELS = (
    Consultation,
    AgendaItem,
    Participant,
    Research,
    Delivery,
    NoticeRead,
    Statement,
    OnlinePost,
    Suggestion,
    Dissent,
    AssemblyVote,
)
AFTER_NOTICE = {
    ConsultationStatus.NOTIFIED,
    ConsultationStatus.IN_SESSION,
    ConsultationStatus.HELD,
    ConsultationStatus.CONCLUDED,
}
AFTER_SESSION = {ConsultationStatus.HELD, ConsultationStatus.CONCLUDED}


def user(username):
    return get_user_model().objects.get(username=username)


def first_township():
    return user("station").scoped_roles.get(role=Role.STATION_HEAD).region


@pytest.mark.usefixtures("seeded")
class TestDemoConsultations:
    def test_about_a_hundred_and_forty_approved_topics_have_a_consultation_in_every_status(self):
        consultations = Consultation.objects.select_related("topic")
        assert 120 <= consultations.count() <= 160
        assert {c.topic.status for c in consultations} == {TopicStatus.APPROVED}
        assert set(consultations.values_list("status", flat=True)) == set(ConsultationStatus.values)
        assert Topic.objects.filter(status=TopicStatus.APPROVED, consultations__isnull=True).exists()
        modes = set(consultations.values_list("mode", flat=True))
        assert modes == set(Mode.values)
        assert len(set(consultations.values_list("session_format", flat=True))) >= 8

    def test_the_approved_topics_of_the_source_documents_are_consulted_on(self):
        approved = Topic.objects.filter(title__in=SOURCE_TOPICS, status=TopicStatus.APPROVED)
        assert approved.count() >= 4
        for topic in approved:
            assert topic.consultations.get().status == ConsultationStatus.CONCLUDED, topic.title

    def test_each_convener_is_a_demo_staff_account_whose_scope_covers_the_topic(self):
        conveners = Counter(Consultation.objects.values_list("convener__username", flat=True))
        assert set(conveners) == {"admin", "station", "convener", "convener2"}
        for consultation in Consultation.objects.select_related("topic__convening_region", "convener"):
            assert can_run_consultation(consultation.convener, consultation)

    def test_the_demo_accounts_of_the_first_township_find_work_at_every_step(self):
        mine = Consultation.objects.filter(convener=user("convener"))
        planned = mine.get(status=ConsultationStatus.PLANNED)
        assert planned.notified_at is None and not planned.representativeness
        assert selectors.candidates_for(planned)
        in_first = Consultation.objects.filter(topic__convening_region__path__startswith=first_township().path)
        statuses = set(in_first.values_list("status", flat=True))
        assert {ConsultationStatus.NOTIFIED, ConsultationStatus.IN_SESSION, ConsultationStatus.HELD} <= statuses
        held = mine.get(status=ConsultationStatus.HELD)
        assert held.minutes and held.minutes_confirmed_at is None
        assert mine.filter(status=ConsultationStatus.IN_SESSION).exists()
        assert in_first.filter(status=ConsultationStatus.NOTIFIED, convener=user("station")).exists()
        # A planned one with participants and research, ready for its notice.
        ready = in_first.filter(status=ConsultationStatus.PLANNED, convener=user("station")).get()
        assert ready.participants.exists()

    def test_planned_and_cancelled_consultations_sent_nothing_or_say_why(self):
        planned = Consultation.objects.filter(status=ConsultationStatus.PLANNED)
        assert planned.filter(participants__isnull=False).exists()
        assert not [p for c in planned for p in selectors.participants_with_notices(c) if p.notice_deliveries]
        assert not planned.filter(starts_at__lte=timezone.now()).exists()
        cancelled = Consultation.objects.filter(status=ConsultationStatus.CANCELLED)
        assert cancelled.exists() and not cancelled.filter(cancel_reason="").exists()
        assert not cancelled.filter(cancelled_at__isnull=True).exists()
        # One called off was planned again and held later.
        again = Consultation.objects.filter(topic__consultations__in=cancelled).exclude(
            status=ConsultationStatus.CANCELLED
        )
        assert again.count() == 1
        first = cancelled.get(topic=again.get().topic)
        assert first.cancelled_at < again.get().created_at and again.get().status == ConsultationStatus.CONCLUDED

    def test_participants_come_from_the_candidates_and_from_the_convener_and_mostly_pass_the_check(self):
        participants = Participant.objects.all()
        assert participants.filter(submission__isnull=False).exists()
        assert participants.filter(member__isnull=False).exists()
        assert participants.filter(unit__isnull=False, unit__categories__isnull=False).exists()
        assert participants.filter(user=user("resident")).exists()
        categories = set(participants.values_list("category", flat=True))
        assert {ParticipantCategory.DEPUTY, ParticipantCategory.EXPERT, ParticipantCategory.VILLAGE_CADRE} <= categories
        assert participants.filter(is_voluntary=True).exists()
        checked = [c.representativeness for c in Consultation.objects.exclude(representativeness={})]
        warned = [record for record in checked if record["warnings"]]
        assert warned, "some conveners acknowledged a warning"
        assert len(warned) <= len(checked) * 0.3

    def test_research_comes_before_the_session_and_names_members(self):
        opened = Consultation.objects.exclude(in_session_at=None)
        assert opened.exists()
        for consultation in opened:
            research = list(consultation.research.all())
            assert research, consultation
            for record in research:
                assert record.researched_on < timezone.localtime(consultation.starts_at).date()
                assert record.findings and record.policies.startswith("《")
        members = set(Participant.objects.exclude(member=None).values_list("name", flat=True))
        named = [r for r in Research.objects.all() if any(f"委员{name}" in r.researchers for name in members)]
        assert named

    def test_notices_are_delivered_before_the_session_and_some_are_read_and_answered(self):
        deliveries = Delivery.objects.filter(reason__startswith="consultation.notice:")
        assert {"sms", "app", "wechat"} <= set(deliveries.values_list("channel", flat=True))
        assert not deliveries.exclude(status=DeliveryStatus.DELIVERED).exists()
        # Generated numbers never reach a real gateway: the demo records its messages without sending them.
        assert set(deliveries.exclude(channel="app").values_list("detail", flat=True)) == {"演示数据，未实际发送"}
        for consultation in Consultation.objects.filter(status__in=AFTER_NOTICE):
            sent = [d for p in selectors.participants_with_notices(consultation) for d in p.notice_deliveries]
            # Every participant with a number gets a text; the inbox only those with an account (some lists have none).
            assert sent and "sms" in {d.channel for d in sent}
            assert consultation.starts_at - consultation.notified_at >= timedelta(days=3)
            assert all(d.sent_at >= consultation.notified_at for d in sent)
        assert NoticeRead.objects.count() >= 50
        rsvp = set(Participant.objects.values_list("rsvp", flat=True))
        assert rsvp == {"pending", "yes", "no"}

    def test_sessions_have_sign_ins_some_by_staff_and_statements_per_agenda_item(self):
        opened = Consultation.objects.exclude(in_session_at=None)
        signed = Participant.objects.exclude(signed_in_at=None)
        assert signed.filter(signed_in_by_staff=True).exists() and signed.filter(signed_in_by_staff=False).exists()
        assert not signed.exclude(consultation__in=opened).exists()
        for participant in signed.select_related("consultation")[:200]:
            assert participant.signed_in_at <= participant.consultation.starts_at
        offline = opened.filter(mode=Mode.OFFLINE, status__in=AFTER_SESSION)
        for consultation in offline:
            items = set(consultation.statements.values_list("agenda_item", flat=True))
            assert items == set(consultation.agenda.values_list("pk", flat=True)), consultation
        stances = set(Statement.objects.values_list("stance", flat=True))
        assert stances == set(Stance.values)
        assert Statement.objects.filter(is_dissent=True).exists()

    def test_online_consultations_have_posts_one_hidden_with_its_reason(self):
        online = Consultation.objects.filter(mode__in=[Mode.ONLINE, Mode.HYBRID], status__in=AFTER_SESSION)
        assert online.filter(posts__isnull=False).exists()
        hidden = OnlinePost.objects.filter(is_hidden=True)
        assert hidden.count() == 1
        post = hidden.get()
        assert post.hidden_reason and post.hidden_by_id == post.consultation.convener_id
        assert OnlinePost.objects.filter(reply_to__isnull=False).exists()
        assert Statement.objects.filter(is_online=True, consultation__status=ConsultationStatus.CONCLUDED).exists()
        assert not Statement.objects.filter(is_online=True, text=post.text).exists()
        assert Consultation.objects.filter(status=ConsultationStatus.IN_SESSION, posts__isnull=False).exists()

    def test_concluded_consultations_have_confirmed_minutes_and_suggestions(self):
        concluded = Consultation.objects.filter(status=ConsultationStatus.CONCLUDED)
        # The source district held 116 small consultations in three years.
        assert 105 <= concluded.count() <= 135
        for consultation in concluded:
            assert (
                consultation.minutes_confirmed_at and consultation.minutes_confirmed_by_id == consultation.convener_id
            )
            assert consultation.held_at <= consultation.minutes_confirmed_at <= consultation.concluded_at
            suggestions = list(consultation.suggestions.all())
            assert 2 <= len(suggestions) <= 4
            # The minutes keep the text the session agreed, before a vote or a correction changed it.
            assert all((s.original_text or s.text) in consultation.minutes for s in suggestions)
        for consultation in Consultation.objects.filter(status=ConsultationStatus.HELD):
            assert consultation.minutes and not consultation.suggestions.exists()

    def test_dissent_is_explained_with_both_outcomes_and_one_matter_goes_to_the_assembly(self):
        explained = Dissent.objects.exclude(outcome=ExplanationOutcome.PENDING)
        assert {ExplanationOutcome.ACCEPTED, ExplanationOutcome.RESERVED} == set(
            explained.values_list("outcome", flat=True)
        )
        assert not explained.filter(explanation="").exists() and not explained.filter(explained_by=None).exists()
        assert not Dissent.objects.filter(
            outcome=ExplanationOutcome.PENDING, consultation__status=ConsultationStatus.CONCLUDED
        ).exists()
        vote = AssemblyVote.objects.get()
        assert vote.consultation.dissents.filter(outcome=ExplanationOutcome.RESERVED).exists()
        assert vote.votes_for > vote.attendees / 2
        assert vote.held_on > timezone.localtime(vote.consultation.held_at).date()

    def test_the_history_reads_in_order_before_today_and_concluded_ones_span_three_years(self):
        today = timezone.make_aware(datetime.combine(timezone.localdate(), time()))
        models = (*CONSULTATION_MODELS, Notification)
        for model in (*models, *(m.history.model for m in models if hasattr(m, "history"))):
            for field in model._meta.concrete_fields:
                if isinstance(field, DateTimeField) and field.name not in {"starts_at", "ends_at"}:
                    assert not model.objects.filter(**{f"{field.name}__gte": today}).exists(), (model, field.name)
        for consultation in Consultation.objects.select_related("topic"):
            dates = list(consultation.history.order_by("history_id").values_list("history_date", flat=True))
            assert dates == sorted(dates) and dates[0] == consultation.created_at
            assert consultation.created_at > consultation.topic.approved_at
            stamps = [consultation.created_at, consultation.notified_at, consultation.in_session_at]
            stamps += [consultation.held_at, consultation.concluded_at]
            stamps = [s for s in stamps if s]
            assert stamps == sorted(stamps), consultation
        concluded = Consultation.objects.filter(status=ConsultationStatus.CONCLUDED).order_by("starts_at")
        assert timezone.now() - timedelta(days=3 * 365 + 30) < concluded.first().starts_at
        assert concluded.first().starts_at < timezone.now() - timedelta(days=3 * 365 - 60)
        assert timezone.now() - concluded.last().starts_at < timedelta(days=90)

    def test_concluded_consultations_vary_by_month_form_source_and_category_and_some_townships_fall_short(self):
        concluded = Consultation.objects.filter(status=ConsultationStatus.CONCLUDED).select_related(
            "topic__convening_region"
        )
        assert len({timezone.localtime(c.starts_at).month for c in concluded}) == 12
        assert len({c.session_format_id for c in concluded}) >= 10
        assert len({c.topic.source for c in concluded}) == len(Source.values)
        assert len({c.topic.category_id for c in concluded}) >= 14
        assert len({c.platform_id for c in concluded}) >= 50
        townships = Region.objects.filter(level=RegionLevel.TOWNSHIP)
        held = Counter()
        for consultation in concluded:
            ids = path_ids(consultation.topic.convening_region.path)
            if len(ids) > 1:
                held[(ids[1], timezone.localtime(consultation.starts_at).year)] += 1
        # The full years before this one: each township should hold two a year; a few did not.
        years = [timezone.localdate().year - 2, timezone.localdate().year - 1]
        short = [(t.pk, year) for t in townships for year in years if held[(t.pk, year)] < 2]
        assert 1 <= len(short) <= 5
        assert all(held[(t.pk, year)] for t in townships for year in years if (t.pk, year) not in short)

    def test_each_category_names_the_departments_to_invite(self):
        for name, units in RESPONSIBLE_UNITS.items():
            category = Category.objects.get(name=name)
            assert set(category.responsible_units.values_list("name", flat=True)) >= set(units)
            assert category.history.filter(history_change_reason="category.units_set", history_note="演示数据").exists()

    def test_running_seed_demo_again_adds_no_consultation(self):
        before = {model: model.objects.count() for model in CONSULTATION_MODELS}
        output = StringIO()
        call_command("seed_demo", stdout=output)
        assert "已存在" in output.getvalue()
        assert {model: model.objects.count() for model in CONSULTATION_MODELS} == before
