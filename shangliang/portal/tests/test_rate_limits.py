"""One client cannot flood the open endpoints: past the rate from one address it gets a Chinese 429."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from shangliang.consultations.models import OnlinePost
from shangliang.consultations.states import Mode
from shangliang.consultations.tests.builders import notified
from shangliang.evaluation.models import Rating
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import concluded
from shangliang.topics.models import Category, Submission, TopicSupport
from shangliang.topics.tests.builders import approved

pytestmark = pytest.mark.django_db

LIMIT = 3


@pytest.fixture
def low_rates(settings):
    settings.SHANGLIANG_RATE_LIMITS = dict.fromkeys(settings.SHANGLIANG_RATE_LIMITS, f"{LIMIT}/10m")


def send(client, method, url, data=None, ip="10.20.30.40"):
    return getattr(client, method)(url, data or {}, REMOTE_ADDR=ip)


def submission_data(district):
    return {
        "title": "村口路灯坏了",
        "content": "晚上看不见路",
        "region": district["a1"].pk,
        "category": Category.objects.get(name="环境卫生").pk,
        "identity": "anonymous",
        "client_token": str(uuid.uuid4()),
    }


def test_anonymous_submissions_from_one_address_stop_at_the_limit(client, district, low_rates):
    responses = [send(client, "post", reverse("topics:submit"), submission_data(district)) for _ in range(LIMIT + 2)]
    assert [r.status_code for r in responses[LIMIT:]] == [429, 429]
    assert "操作过于频繁" in responses[-1].content.decode()
    assert Submission.objects.count() == LIMIT
    other = send(Client(), "post", reverse("topics:submit"), submission_data(district), ip="10.99.0.1")
    assert other.status_code == 302
    assert Submission.objects.count() == LIMIT + 1


def test_tracking_code_lookups_from_one_address_stop_at_the_limit(client, low_rates):
    statuses = [
        send(client, "get", reverse("topics:track_detail", args=[f"ZZ{n:04d}"])).status_code for n in range(LIMIT + 1)
    ]
    assert statuses[:LIMIT] == [404] * LIMIT and statuses[LIMIT] == 429
    statuses = [send(client, "get", reverse("topics:track"), {"code": "ZZ0000"}).status_code for _ in range(LIMIT + 1)]
    assert statuses[-1] == 429


def test_supporting_pool_topics_from_one_address_stops_at_the_limit(client, district, low_rates):
    topics = [approved(district["a1"], f"议题{n}") for n in range(LIMIT + 1)]
    before = TopicSupport.objects.count()
    for n, topic in enumerate(topics):
        client.force_login(make_user(f"resident{n}"))
        response = send(client, "post", reverse("topics:pool_support", args=[topic.pk]))
    assert response.status_code == 429
    assert TopicSupport.objects.count() == before + LIMIT


def test_ratings_from_one_address_stop_at_the_limit(client, district, low_rates):
    convener = grant(make_user("convener"), Role.CONVENER, region=district["a1"])
    consultation = concluded(district, convener=convener)
    outcome_services.publication_publish(actor=convener, consultation=consultation, summary="已建成停放点")
    url = reverse("evaluation_public:rate", args=[consultation.pk])
    for n in range(LIMIT + 1):
        client.force_login(make_user(f"rater{n}", mobile=f"1370000{n:04d}", verified=True))
        response = send(client, "post", url, {"process": "satisfied", "result": "unsatisfied", "comment": ""})
    assert response.status_code == 429
    assert Rating.objects.count() == LIMIT


def test_online_opinions_from_one_address_stop_at_the_limit(client, district, low_rates):

    consultation = notified(district, mode=Mode.ONLINE)
    url = reverse("consultations:post", args=[consultation.pk])
    statuses = []
    for n in range(LIMIT + 1):
        # One opinion per verified number: each comes from another resident behind the same address.
        client.force_login(make_user(mobile=f"1380000{n:04d}", verified=True))
        statuses.append(send(client, "post", url, {"text": f"建议{n}", "stance": "suggest"}).status_code)
    assert statuses[-1] == 429
    assert OnlinePost.objects.count() == LIMIT


def test_signing_up_for_consultations_from_one_address_stops_at_the_limit(client, district, low_rates):

    consultations = [notified(district, title=f"议题{n}") for n in range(LIMIT + 1)]
    for n, consultation in enumerate(consultations):
        client.force_login(make_user(f"signer{n}", mobile=f"1360000{n:04d}", verified=True))
        response = send(client, "post", reverse("consultations:signup", args=[consultation.pk]))
    assert response.status_code == 429
    assert sum(c.participants.filter(is_voluntary=True).count() for c in consultations) == LIMIT
