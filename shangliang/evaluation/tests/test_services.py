"""Rules of residents' ratings, follow-ups and third-party evaluations, through the services."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from shangliang.core.errors import DomainError
from shangliang.core.models import Notification
from shangliang.evaluation import selectors, services
from shangliang.evaluation.models import FollowUp, Rating
from shangliang.evaluation.states import FollowUpStatus, RatingChannel, Satisfaction
from shangliang.orgs.tests.factories import make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import concluded

pytestmark = pytest.mark.django_db

S, B, U = Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED


@pytest.fixture
def consultation(district):
    return concluded(district)


@pytest.fixture
def published(consultation):
    outcome_services.publication_publish(actor=consultation.convener, consultation=consultation, summary="已建成")
    return consultation


def resident(n):
    return make_user(f"resident{n}", mobile=f"1380000{n:04d}", verified=True)


def test_rating_opens_only_when_results_are_published(consultation):
    with pytest.raises(DomainError):
        services.rating_submit(user=resident(1), consultation=consultation, process=S, result=S)
    assert not Rating.objects.exists()


def test_a_resident_rates_process_and_result_apart(published):
    person = resident(1)
    rating = services.rating_submit(user=person, consultation=published, process=S, result=U, comment="路灯还不亮")
    assert (rating.process, rating.result, rating.channel) == (S, U, RatingChannel.ONLINE)
    assert rating.mobile == person.mobile
    assert rating.history.first().history_user == person


def test_one_rating_per_resident_by_account(published):
    person = resident(1)
    services.rating_submit(user=person, consultation=published, process=S, result=S)
    with pytest.raises(DomainError):
        services.rating_submit(user=person, consultation=published, process=U, result=U)
    assert Rating.objects.get().process == S


def test_one_rating_per_mobile_across_channels(published):
    person = resident(1)
    services.rating_record(
        actor=published.convener,
        consultation=published,
        channel=RatingChannel.VISIT,
        process=B,
        result=B,
        mobile=person.mobile,
    )
    with pytest.raises(DomainError):
        services.rating_submit(user=person, consultation=published, process=S, result=S)
    assert Rating.objects.count() == 1


def test_the_database_refuses_a_second_rating_by_the_same_account(published):
    person = resident(1)
    Rating.objects.create(consultation=published, process=S, result=S, channel="online", user=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(consultation=published, process=S, result=S, channel="online", user=person)


def test_staff_entries_are_marked_with_their_channel_and_anonymous_ones_are_allowed(published):
    for channel in (RatingChannel.MEETING, RatingChannel.QUESTIONNAIRE, RatingChannel.QUESTIONNAIRE):
        services.rating_record(actor=published.convener, consultation=published, channel=channel, process=S, result=B)
    assert sorted(Rating.objects.values_list("channel", flat=True)) == ["meeting", "questionnaire", "questionnaire"]
    assert set(Rating.objects.values_list("recorded_by", flat=True)) == {published.convener.pk}
    with pytest.raises(DomainError) as error:
        services.rating_record(actor=published.convener, consultation=published, channel="online", process=S, result=S)
    assert error.value.field == "channel"


def test_levels_must_be_chosen(published):
    person = resident(1)
    with pytest.raises(DomainError) as error:
        services.rating_submit(user=person, consultation=published, process="", result=S)
    assert error.value.field == "process"
    with pytest.raises(DomainError) as error:
        services.rating_submit(user=person, consultation=published, process=S, result="great")
    assert error.value.field == "result"


def test_figures_equal_a_hand_count(published):
    levels = [(S, S), (S, B), (B, U), (U, U), (S, S)]
    for n, (process, result) in enumerate(levels):
        services.rating_submit(user=resident(n), consultation=published, process=process, result=result)
    figures = selectors.satisfaction_of(published.ratings.all())
    assert figures.total == 5
    assert figures.process == {S: 3, B: 1, U: 1}
    assert figures.result == {S: 2, B: 1, U: 2}
    assert figures.process_rate == pytest.approx(4 / 5)
    assert figures.result_rate == pytest.approx(3 / 5)
    assert selectors.satisfaction_of(Rating.objects.none()).result_rate is None


def test_too_many_unsatisfied_opens_one_follow_up_and_tells_the_convener(published, settings):
    settings.SHANGLIANG_UNSATISFIED_THRESHOLD = 0.3
    settings.SHANGLIANG_MIN_RATINGS = 5
    for n, result in enumerate([S, S, U, B, S]):
        services.rating_submit(user=resident(n), consultation=published, process=S, result=result)
    assert not FollowUp.objects.exists()  # 1 of 5 unsatisfied: 20%
    services.rating_submit(user=resident(5), consultation=published, process=S, result=U)
    follow_up = FollowUp.objects.get()  # 2 of 6: 33%
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.ratings_counted == 6
    assert Notification.objects.filter(user=published.convener, title__startswith="【回访重办】").count() == 1
    services.rating_submit(user=resident(6), consultation=published, process=S, result=U)
    assert FollowUp.objects.count() == 1  # one open at a time


def test_a_closed_follow_up_counts_only_later_ratings(published, settings):
    settings.SHANGLIANG_MIN_RATINGS = 2
    settings.SHANGLIANG_UNSATISFIED_THRESHOLD = 0.3
    for n in range(2):
        services.rating_submit(user=resident(n), consultation=published, process=S, result=U)
    follow_up = FollowUp.objects.get()
    with pytest.raises(DomainError):
        services.follow_up_close(actor=published.convener, follow_up=follow_up, result=" ")
    services.follow_up_close(actor=published.convener, follow_up=follow_up, result="重新安排施工，已回访")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE and follow_up.done_at and follow_up.done_by == published.convener
    # Counting starts again after the follow-up: one satisfied rating is below the minimum of two.
    services.rating_submit(user=resident(2), consultation=published, process=S, result=S)
    assert FollowUp.objects.count() == 1
    services.rating_submit(user=resident(3), consultation=published, process=S, result=U)
    assert FollowUp.objects.filter(status=FollowUpStatus.OPEN).count() == 1  # 1 of 2 since then: 50%
    assert FollowUp.objects.count() == 2


def test_a_third_party_evaluation_records_the_evaluator_and_both_aspects(consultation):
    evaluator = make_user("pinggu")
    evaluation = services.third_party_evaluation_add(
        actor=evaluator,
        consultation=consultation,
        organisation="云溪社会治理研究中心",
        process=S,
        result=B,
        findings="程序规范，停放点仍需管理",
        evaluated_on=datetime.date(2026, 11, 1),
    )
    assert evaluation.evaluator == evaluator and (evaluation.process, evaluation.result) == (S, B)
    with pytest.raises(DomainError) as error:
        services.third_party_evaluation_add(
            actor=evaluator,
            consultation=consultation,
            organisation="x",
            process=S,
            result=S,
            findings=" ",
            evaluated_on=datetime.date(2026, 11, 1),
        )
    assert error.value.field == "findings"
