"""Staff pages of evaluation through HTTP: figures and ratings, offline entry, follow-ups, third-party evaluations,
refusals outside scope, bad input, query bounds."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations.tests.builders import in_session
from shangliang.core.models import Notification
from shangliang.evaluation import services
from shangliang.evaluation.models import FollowUp, Rating, ThirdPartyEvaluation
from shangliang.evaluation.states import FollowUpStatus, RatingChannel, Satisfaction
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.tests.builders import concluded

pytestmark = pytest.mark.django_db

S, B, U = Satisfaction.SATISFIED, Satisfaction.BASIC, Satisfaction.UNSATISFIED
ONCE = "每人对同一协商只能评议一次"


@pytest.fixture
def people(district):
    return {
        "convener": grant(make_user("convener", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        "evaluator": grant(make_user("evaluator", full_name="评估员周"), Role.EVALUATOR, region=district["a"]),
        "far_evaluator": grant(make_user("far_evaluator"), Role.EVALUATOR, region=district["b"]),
        "outsider": grant(make_user("outsider"), Role.CONVENER, region=district["b1"]),
    }


def published(district, people, **kwargs):
    consultation = concluded(district, convener=people["convener"], **kwargs)
    outcome_services.publication_publish(actor=people["convener"], consultation=consultation, summary="停放点已划定")
    return consultation


@pytest.fixture
def consultation(district, people):
    return published(district, people)


def login(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    return response.content.decode()


def url(name, *args):
    return reverse(f"evaluation:{name}", args=args)


def entry(channel=RatingChannel.VISIT, process=S, result=S, **fields):
    return {"channel": channel, "process": process, "result": result, "comment": "", "mobile": "", **fields}


def record(consultation, actor, result, *, process=S, mobile=""):
    channel = RatingChannel.MEETING
    return services.rating_record(
        actor=actor, consultation=consultation, channel=channel, process=process, result=result, mobile=mobile
    )


def with_follow_up(consultation, actor) -> FollowUp:
    """Six ratings, three unsatisfied with the result: over the 30% threshold with more than five ratings."""
    for result in (S, S, S, U, U, U):
        record(consultation, actor, result)
    return FollowUp.objects.get(consultation=consultation, status=FollowUpStatus.OPEN)


def evaluation_data(**fields):
    return {
        "organisation": "某某社会评估中心",
        "process": S,
        "result": B,
        "findings": "程序完整，停放点仍需加强管理",
        "evaluated_on": timezone.localdate().isoformat(),
        **fields,
    }


# --- the consultation's evaluation page ------------------------------------------------------


def test_page_shows_counts_rates_and_ratings_with_the_mobile_masked(client, consultation, people):
    convener = people["convener"]
    services.rating_record(
        actor=convener,
        consultation=consultation,
        channel=RatingChannel.QUESTIONNAIRE,
        process=S,
        result=U,
        comment="停放点太远",
        mobile="13912345678",
    )
    record(consultation, convener, B, process=B)
    record(consultation, convener, S, process=U)
    page = text(login(client, convener).get(url("consultation", consultation.pk)))
    assert "满意率" in page and "66.7%" in page and "共 3 人参评" in page
    assert "纸质问卷" in page and "座谈会" in page and "停放点太远" in page and "李召集" in page
    assert "139****5678" in page and "13912345678" not in page
    assert url("rating_record", consultation.pk) in page
    assert reverse("evaluation_public:rate", args=[consultation.pk]) in page


def test_page_says_rating_waits_for_publication_and_offers_no_entry(client, district, people):
    consultation = concluded(district, convener=people["convener"])
    page = text(login(client, people["convener"]).get(url("consultation", consultation.pk)))
    assert "落实结果公开后，群众才能评议" in page
    assert url("rating_record", consultation.pk) not in page


def test_outcomes_page_links_to_the_evaluation_once_published(client, consultation, people):
    page = text(login(client, people["convener"]).get(reverse("outcomes:consultation", args=[consultation.pk])))
    assert url("consultation", consultation.pk) in page and "群众评议" in page


# --- ratings typed in by staff ---------------------------------------------------------------


def test_organiser_records_a_rating_from_a_visit_with_a_mobile(client, consultation, people):
    client = login(client, people["convener"])
    address = url("rating_record", consultation.pk)
    assert client.get(address).status_code == 200
    response = client.post(address, entry(result=B, comment=" 希望再加路灯 ", mobile="139 1234 5678"))
    assert response.status_code == 302 and response["Location"] == f"{address}?channel=visit"
    rating = Rating.objects.get()
    assert (rating.channel, rating.process, rating.result) == (RatingChannel.VISIT, S, B)
    assert rating.mobile == "13912345678" and rating.comment == "希望再加路灯"
    assert rating.recorded_by == people["convener"] and rating.user is None
    # The next questionnaire of the stack starts with the same channel chosen.
    assert client.get(response["Location"]).context["form"]["channel"].value() == RatingChannel.VISIT


def test_the_same_mobile_twice_is_refused_and_stores_nothing(client, consultation, people):
    client = login(client, people["convener"])
    address = url("rating_record", consultation.pk)
    assert client.post(address, entry(mobile="13912345678")).status_code == 302
    response = client.post(address, entry(channel=RatingChannel.MEETING, result=U, mobile="13912345678"))
    assert response.status_code == 400 and ONCE in text(response)
    assert Rating.objects.count() == 1 and Rating.objects.get().result == S


def test_entry_errors_are_shown_next_to_their_fields(client, consultation, people):
    client = login(client, people["convener"])
    address = url("rating_record", consultation.pk)
    response = client.post(address, entry(channel="online", process="", mobile="123"))
    page = text(response)
    assert response.status_code == 400
    assert "请选择评议方式" in page and "请评价协商过程" in page and "11位手机号码" in page
    assert not Rating.objects.exists()


def test_entry_before_publication_is_refused(client, district, people):
    consultation = concluded(district, convener=people["convener"])
    client = login(client, people["convener"])
    address = url("rating_record", consultation.pk)
    assert "结果公开后才能录入评议" in text(client.get(address))
    response = client.post(address, entry())
    assert response.status_code == 400 and "结果公开后才能录入评议" in text(response)
    assert not Rating.objects.exists()


# --- follow-ups ------------------------------------------------------------------------------


def test_enough_unsatisfied_ratings_open_a_follow_up_and_tell_the_convener(client, consultation, people):
    convener = people["convener"]
    client = login(client, convener)
    address = url("rating_record", consultation.pk)
    for result in (S, S, S, U):
        assert client.post(address, entry(result=result)).status_code == 302
    assert not FollowUp.objects.exists()  # fewer than five ratings count for nothing yet
    for result in (U, U):
        assert client.post(address, entry(result=result)).status_code == 302
    follow_up = FollowUp.objects.get()
    assert follow_up.status == FollowUpStatus.OPEN and follow_up.ratings_counted == 5
    assert follow_up.unsatisfied_share == pytest.approx(0.4)
    note = Notification.objects.get(user=convener, title__contains="回访重办")
    assert note.url == url("consultation", consultation.pk)
    page = text(client.get(url("consultation", consultation.pk)))
    assert "回访重办中" in page and "5人参评，40%对落实结果不满意" in page
    assert url("follow_up_close", follow_up.pk) in page


def test_organiser_closes_a_follow_up_with_what_was_done(client, consultation, people):
    follow_up = with_follow_up(consultation, people["convener"])
    client = login(client, people["convener"])
    address = url("follow_up_close", follow_up.pk)
    response = client.post(address, {"result": "  "})
    assert response.status_code == 400 and "请填写回访重办情况" in text(response)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN
    response = client.post(address, {"result": "逐户回访，增设停放点一处"})
    assert response.status_code == 302 and response["Location"].endswith("#follow-ups")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.DONE and follow_up.done_by == people["convener"]
    assert follow_up.result == "逐户回访，增设停放点一处"
    # Closing it again is refused with the reason above the page; nothing changes.
    response = client.post(address, {"result": "再次提交"})
    assert response.status_code == 400 and "不能变为" in text(response)
    follow_up.refresh_from_db()
    assert follow_up.result == "逐户回访，增设停放点一处"


def test_follow_ups_list_puts_open_ones_first_and_flags_overdue(client, district, consultation, people):
    convener = people["convener"]
    done = with_follow_up(consultation, convener)
    services.follow_up_close(actor=convener, follow_up=done, result="已回访")
    late = with_follow_up(published(district, people, title="路灯不亮"), convener)
    FollowUp.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    response = login(client, convener).get(url("follow_ups"))
    rows = response.context["rows"]
    assert [row.item.pk for row in rows] == [late.pk, done.pk]
    assert [row.is_overdue for row in rows] == [True, False]
    page = text(response)
    assert "已超期" in page and "路灯不亮" in page and "已回访" in page


# --- third-party evaluations -------------------------------------------------------------------


def test_an_evaluator_covering_the_region_records_a_third_party_evaluation(client, consultation, people):
    client = login(client, people["evaluator"])
    page = client.get(url("consultation", consultation.pk))
    assert page.status_code == 200 and page.context["evaluation_form"] is not None
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        url("third_party_evaluation_add", consultation.pk), evaluation_data(findings="", evaluated_on=tomorrow)
    )
    assert response.status_code == 400 and "评估日期不能晚于今天" in text(response)
    assert not ThirdPartyEvaluation.objects.exists()
    response = client.post(url("third_party_evaluation_add", consultation.pk), evaluation_data())
    assert response.status_code == 302
    evaluation = ThirdPartyEvaluation.objects.get()
    assert evaluation.evaluator == people["evaluator"] and evaluation.result == B
    page = text(client.get(url("consultation", consultation.pk)))
    assert "某某社会评估中心" in page and "程序完整" in page


def test_a_third_party_evaluation_before_the_resolution_is_refused(client, district, people):
    consultation = in_session(district, convener=people["convener"])
    client = login(client, people["evaluator"])
    assert client.get(url("consultation", consultation.pk)).context["evaluation_form"] is None
    response = client.post(url("third_party_evaluation_add", consultation.pk), evaluation_data())
    assert response.status_code == 400 and "协商意见形成后才能评估" in text(response)
    assert not ThirdPartyEvaluation.objects.exists()


def test_only_an_evaluator_in_scope_may_evaluate_and_only_organisers_record_ratings(client, consultation, people):
    follow_up = with_follow_up(consultation, people["convener"])
    ratings = Rating.objects.count()
    client = login(client, people["convener"])
    assert client.get(url("consultation", consultation.pk)).context["evaluation_form"] is None
    assert client.post(url("third_party_evaluation_add", consultation.pk), evaluation_data()).status_code == 404
    client = login(client, people["evaluator"])
    assert client.get(url("rating_record", consultation.pk)).status_code == 404
    assert client.post(url("rating_record", consultation.pk), entry()).status_code == 404
    assert client.post(url("follow_up_close", follow_up.pk), {"result": "x"}).status_code == 404
    client = login(client, people["far_evaluator"])
    assert client.get(url("consultation", consultation.pk)).status_code == 404
    assert client.post(url("third_party_evaluation_add", consultation.pk), evaluation_data()).status_code == 404
    assert not ThirdPartyEvaluation.objects.exists() and Rating.objects.count() == ratings
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN


def test_a_convener_of_another_village_gets_404_on_every_staff_url(client, consultation, people):
    follow_up = with_follow_up(consultation, people["convener"])
    ratings = Rating.objects.count()
    client = login(client, people["outsider"])
    for address in (url("consultation", consultation.pk), url("rating_record", consultation.pk)):
        assert client.get(address).status_code == 404, address
    assert client.post(url("rating_record", consultation.pk), entry()).status_code == 404
    assert client.post(url("third_party_evaluation_add", consultation.pk), evaluation_data()).status_code == 404
    assert client.post(url("follow_up_close", follow_up.pk), {"result": "x"}).status_code == 404
    assert client.post(url("follow_up_close", 999999), {"result": "x"}).status_code == 404
    assert client.get(url("consultation", 999999)).status_code == 404
    assert login(client, people["outsider"]).get(url("follow_ups")).context["rows"] == []
    assert Rating.objects.count() == ratings and not ThirdPartyEvaluation.objects.exists()
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.OPEN


def test_residents_are_refused_and_anonymous_visitors_sent_to_login(client, consultation):
    assert client.get(url("follow_ups")).status_code == 302
    assert client.post(url("rating_record", consultation.pk), entry()).status_code == 302
    client = login(client, make_user("resident", mobile="13700000001"))
    assert client.get(url("consultation", consultation.pk)).status_code == 403
    assert client.post(url("rating_record", consultation.pk), entry()).status_code == 403
    assert client.get(url("follow_ups")).status_code == 403
    assert not Rating.objects.exists()


# --- query bounds ----------------------------------------------------------------------------


def _count(client, address) -> int:
    client.get(address)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(address).status_code == 200
    return len(ctx.captured_queries)


def test_the_ratings_page_uses_a_bounded_number_of_queries(client, consultation, people):
    convener = people["convener"]
    record(consultation, convener, S, mobile="13900000001")
    services.third_party_evaluation_add(
        actor=people["evaluator"],
        consultation=consultation,
        organisation="评估中心",
        process=S,
        result=S,
        findings="好",
        evaluated_on=timezone.localdate(),
    )
    client = login(client, convener)
    address = url("consultation", consultation.pk)
    few = _count(client, address)
    for n in range(6):
        record(consultation, convener, U if n % 2 else S, mobile=f"1390000{n + 10:04d}")
    resident = make_user("resident", mobile="13700000001", verified=True)
    services.rating_submit(user=resident, consultation=consultation, process=B, result=B, comment="好")
    services.third_party_evaluation_add(
        actor=people["evaluator"],
        consultation=consultation,
        organisation="另一评估中心",
        process=B,
        result=B,
        findings="可以",
        evaluated_on=timezone.localdate(),
    )
    assert FollowUp.objects.exists()
    many = _count(client, address)
    response = client.get(address)
    assert many <= few and len(response.context["page"].object_list) == 8


def test_the_follow_ups_list_uses_a_bounded_number_of_queries(client, district, consultation, people):
    convener = people["convener"]
    with_follow_up(consultation, convener)
    client = login(client, convener)
    few = _count(client, url("follow_ups"))
    for title in ("路灯不亮", "河道清淤"):
        done = with_follow_up(published(district, people, title=title), convener)
        services.follow_up_close(actor=convener, follow_up=done, result="已回访")
    many = _count(client, url("follow_ups"))
    assert many <= few and len(client.get(url("follow_ups")).context["rows"]) == 3


def test_home_page_shows_open_and_overdue_follow_ups_to_organisers_in_scope(client, consultation, people):
    today = timezone.localdate()
    FollowUp.objects.create(
        consultation=consultation,
        unsatisfied_share=0.5,
        ratings_counted=8,
        deadline=today - datetime.timedelta(days=1),
    )
    page = text(login(client, people["convener"]).get(reverse("portal:home")))
    assert "逾期未完成的回访重办" in page and url("follow_ups") in page
    assert "逾期未完成的回访重办" not in text(login(client, people["outsider"]).get(reverse("portal:home")))
