from datetime import datetime, time

import pytest
from django.contrib.auth import get_user_model
from django.db.models import DateTimeField, F
from django.utils import timezone

from shangliang.consultations.models import Consultation
from shangliang.core.models import Notification
from shangliang.evaluation import selectors
from shangliang.evaluation.models import FollowUp, Rating, ThirdPartyEvaluation
from shangliang.evaluation.states import FollowUpStatus, RatingChannel
from shangliang.orgs.states import Role

pytestmark = pytest.mark.django_db

EVALUATION_MODELS = (Rating, FollowUp, ThirdPartyEvaluation, Notification)


def user(username):
    return get_user_model().objects.get(username=username)


@pytest.mark.usefixtures("seeded")
class TestDemoEvaluation:
    def test_every_published_consultation_is_rated_after_its_publication_and_no_other(self):
        published = Consultation.objects.filter(publication__isnull=False)
        assert published.count() >= 90
        for consultation in published:
            assert 8 <= consultation.ratings.count() <= 25, consultation
        assert not Rating.objects.filter(consultation__publication__isnull=True).exists()
        assert not Rating.objects.filter(created_at__lte=F("consultation__publication__published_at")).exists()

    def test_ratings_come_through_every_channel_by_residents_online_and_the_convener_offline(self):
        assert set(Rating.objects.values_list("channel", flat=True)) == set(RatingChannel.values)
        online = Rating.objects.filter(channel=RatingChannel.ONLINE)
        assert not online.filter(user__isnull=True).exists()
        assert not online.filter(user__scoped_roles__isnull=False).exists()
        # Generated residents cannot log in: their passwords are unusable.
        assert not online.exclude(user__username="resident").exclude(user__password__startswith="!").exists()
        recorded = Rating.objects.exclude(channel=RatingChannel.ONLINE)
        assert not recorded.exclude(recorded_by=F("consultation__convener")).exists()
        assert recorded.exclude(mobile="").exists()
        assert recorded.filter(channel=RatingChannel.QUESTIONNAIRE, mobile="").exists()
        assert Rating.objects.exclude(comment="").exists()

    def test_most_residents_are_satisfied_with_the_result(self):
        figures = selectors.satisfaction_of(Rating.objects.all())
        assert 0.8 <= figures.result_rate <= 0.95
        assert figures.process_rate >= figures.result_rate

    def test_too_many_unsatisfied_opened_follow_ups_one_still_open_one_closed_by_the_convener(self):
        assert FollowUp.objects.filter(status=FollowUpStatus.OPEN).exists()
        closed = FollowUp.objects.filter(status=FollowUpStatus.DONE)
        assert closed.exists()
        for follow_up in closed:
            assert follow_up.result and follow_up.done_by == follow_up.consultation.convener
            assert follow_up.done_at > follow_up.open_at
        for follow_up in FollowUp.objects.all():
            assert follow_up.unsatisfied_share > 0.3 and follow_up.ratings_counted >= 5
            convener = follow_up.consultation.convener
            assert Notification.objects.filter(user=convener, title__startswith="【回访重办】").exists()

    def test_the_evaluator_evaluated_several_consultations_for_the_evaluation_centre(self):
        evaluations = ThirdPartyEvaluation.objects.all()
        assert 3 <= evaluations.count() <= 8
        assert set(evaluations.values_list("evaluator__username", flat=True)) == {"evaluator"}
        assert set(evaluations.values_list("organisation", flat=True)) == {"云溪区社会治理评估中心"}
        assert not evaluations.filter(consultation__publication__isnull=True).exists()

    def test_the_resident_has_a_published_consultation_of_the_first_township_left_to_rate(self):
        resident = user("resident")
        township = user("township_party").scoped_roles.get(role=Role.APPROVER).region
        published = Consultation.objects.filter(
            publication__isnull=False, platform__region__path__startswith=township.path
        )
        unrated = [c for c in published if selectors.rating_of(c, resident) is None]
        assert unrated

    def test_everything_happened_before_today(self):
        today = timezone.make_aware(datetime.combine(timezone.localdate(), time()))
        for model in (*EVALUATION_MODELS, *(m.history.model for m in EVALUATION_MODELS if hasattr(m, "history"))):
            for field in model._meta.concrete_fields:
                if isinstance(field, DateTimeField):
                    assert not model.objects.filter(**{f"{field.name}__gte": today}).exists(), (model, field.name)
        assert not ThirdPartyEvaluation.objects.filter(evaluated_on__gte=timezone.localdate()).exists()
        raters = get_user_model().objects.filter(ratings__channel=RatingChannel.ONLINE).exclude(username="resident")
        assert raters.exists()
        assert not raters.filter(date_joined__gte=today).exists()
