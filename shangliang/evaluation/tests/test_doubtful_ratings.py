"""Ratings staff mark doubtful are kept but count in no figure and open no follow-up."""

import pytest
from django.urls import reverse

from shangliang.evaluation import services
from shangliang.evaluation.models import FollowUp, Rating
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import concluded

pytestmark = pytest.mark.django_db


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def published(district, convener):
    consultation = concluded(district, convener=convener)
    outcome_services.publication_publish(actor=convener, consultation=consultation, summary="已建成停放点")
    return consultation


def rate(consultation, name, result="unsatisfied"):
    user = make_user(name, verified=True)
    return services.rating_submit(user=user, consultation=consultation, process="satisfied", result=result)


def test_doubtful_ratings_do_not_open_a_follow_up(client, published, convener):
    fakes = [rate(published, f"fake{n}") for n in range(4)]
    client.force_login(convener)
    for rating in fakes:
        response = client.post(
            reverse("evaluation:rating_doubtful", args=[published.pk, rating.pk]),
            {"is_doubtful": "on", "reason": "同一时段新注册账号集中评议"},
        )
        assert response.status_code == 302
    rate(published, "real")
    assert not FollowUp.objects.filter(consultation=published).exists()
    assert Rating.objects.filter(consultation=published).count() == 5
    page = client.get(reverse("evaluation_public:rate", args=[published.pk]))
    assert page.context["figures"].total == 1


def test_without_marking_the_same_ratings_open_a_follow_up(published):
    for n in range(5):
        rate(published, f"resident{n}")
    assert FollowUp.objects.filter(consultation=published).exists()


def test_marking_needs_a_reason_and_is_kept_in_history(client, published, convener):
    rating = rate(published, "someone")
    client.force_login(convener)
    url = reverse("evaluation:rating_doubtful", args=[published.pk, rating.pk])
    client.post(url, {"is_doubtful": "on", "reason": ""})
    rating.refresh_from_db()
    assert not rating.is_doubtful
    client.post(url, {"is_doubtful": "on", "reason": "批量注册"})
    rating.refresh_from_db()
    assert rating.is_doubtful
    assert rating.history.first().history_user == convener


def test_staff_of_another_village_cannot_mark_a_rating(client, published, district):
    rating = rate(published, "someone")
    outsider = grant(make_user("outsider"), Role.CONVENER, region=district["b1"])
    client.force_login(outsider)
    url = reverse("evaluation:rating_doubtful", args=[published.pk, rating.pk])
    assert client.post(url, {"is_doubtful": "on", "reason": "批量注册"}).status_code == 404
    rating.refresh_from_db()
    assert not rating.is_doubtful
