"""Every dissent is answered before the matter moves on (003: 对持不同意见的群众…做好解释说明工作).

A dissent is due its explanation by the session's end plus the set days; while one is owed the report
cannot be sent nor the results published (the pages say so before anyone tries); the convener may
record why an explanation could not be given; a view kept against an item makes the item contested.
The convener's and the station's home pages and the supervision board list what is owed; the public
page says how many dissents there were and how each was answered, without names.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations import services
from shangliang.consultations.models import Dissent
from shangliang.consultations.states import ExplanationOutcome
from shangliang.consultations.tests.builders import in_session
from shangliang.core.errors import DomainError
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.documents.results_poster import poster_of
from shangliang.outcomes.models import Publication
from shangliang.outcomes.states import ReportKind
from shangliang.portal.waiting import waiting_for

pytestmark = pytest.mark.django_db

DAYS = datetime.timedelta(days=7)


@pytest.fixture(autouse=True)
def explain_days(settings):
    settings.SHANGLIANG_DISSENT_EXPLAIN_DAYS = 7


@pytest.fixture
def staff(district):
    return {
        "convener": grant(make_user("convener", full_name="李召集"), Role.CONVENER, region=district["a1"]),
        "station": grant(make_user("station"), Role.STATION_HEAD, region=district["a"]),
        "convener2": grant(make_user("convener2"), Role.CONVENER, region=district["a2"]),
        "outsider": grant(make_user("outsider"), Role.STATION_HEAD, region=district["b"]),
        "supervisor": grant(make_user("supervisor"), Role.SUPERVISOR, region=district["a"]),
    }


def held(district, convener, *, dissents=("不同意占用晒场",), suggestions=("在东侧空地划定停放区",)):
    """A session closed with ``dissents`` (holder 村民0, 村民1 …) and the resolution's ``suggestions``."""
    consultation = in_session(district, convener=convener)
    for i, view in enumerate(dissents):
        services.dissent_add(actor=convener, consultation=consultation, holder=f"村民{i}", view=view)
    consultation = services.session_close(actor=convener, consultation=consultation)
    for text in suggestions:
        services.suggestion_add(actor=convener, consultation=consultation, text=text)
    return consultation


def concluded(consultation):
    convener = consultation.convener
    services.minutes_confirm(actor=convener, consultation=consultation)
    return services.resolution_agree(actor=convener, consultation=consultation)


def explain(dissent, actor, outcome=ExplanationOutcome.ACCEPTED, **extra):
    return services.dissent_explain(
        actor=actor, dissent=dissent, method="入户", explanation="说明了选址理由", outcome=outcome, **extra
    )


def login(client, user):
    client.force_login(user)
    return client


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- due dates -----------------------------------------------------------------------------------


def test_each_dissent_is_due_its_explanation_days_after_the_session(district, staff):
    convener = staff["convener"]
    consultation = in_session(district, convener=convener)
    during = services.dissent_add(actor=convener, consultation=consultation, holder="村民甲", view="不同意")
    assert during.explain_due_on is None  # the session has not ended
    consultation = services.session_close(actor=convener, consultation=consultation)
    due = timezone.localtime(consultation.held_at).date() + DAYS
    during.refresh_from_db()
    assert during.explain_due_on == due
    assert during.history.first().history_change_reason == "dissent.due_set"
    after = services.dissent_add(actor=convener, consultation=consultation, holder="村民乙", view="会后补充的意见")
    assert after.explain_due_on == due


def test_the_resolution_page_shows_the_due_date_and_red_when_past(client, district, staff):
    consultation = held(district, staff["convener"])
    dissent = consultation.dissents.get()
    url = reverse("consultations:resolution", args=[consultation.pk])
    html = page(login(client, staff["convener"]), url)
    assert f"应于{dissent.explain_due_on:%Y-%m-%d}前解释说明" in html
    Dissent.objects.filter(pk=dissent.pk).update(explain_due_on=timezone.localdate() - datetime.timedelta(days=1))
    html = page(client, url)
    assert "已逾期" in html and 'badge no">解释期限' in html


# --- the report and the publication wait --------------------------------------------------------


def test_a_report_is_refused_while_an_explanation_is_owed_and_sent_after_the_convener_records_why_not(
    client, district, staff
):
    convener = staff["convener"]
    consultation = concluded(held(district, convener))
    report = outcome_services.report_draft(
        actor=convener, consultation=consultation, kind=ReportKind.CONSULTATION_REPORT, recipient="甲镇党委"
    )
    # The service refuses, whoever calls it.
    with pytest.raises(DomainError, match="还有1条不同意见未作解释说明"):
        outcome_services.report_send(actor=convener, report=report)
    # The page says so before anyone tries, and offers no send button.
    report_url = reverse("outcomes:report", args=[report.pk])
    send_url = reverse("outcomes:report_send", args=[report.pk])
    html = page(login(client, convener), report_url)
    assert 'id="send-refusal"' in html and "还有1条不同意见未作解释说明" in html and send_url not in html
    # Forced, the post is refused with the message.
    response = client.post(send_url, follow=True)
    assert "还有1条不同意见未作解释说明" in response.content.decode()
    report.refresh_from_db()
    assert report.sent_at is None
    # The person refused to meet: the convener records why, and the report may go.
    dissent = consultation.dissents.get()
    response = client.post(
        reverse("consultations:dissent_explain", args=[consultation.pk, dissent.pk]),
        {"method": "", "explanation": "本人拒绝见面，已三次上门", "outcome": "unable"},
    )
    assert response.status_code == 302
    dissent.refresh_from_db()
    assert dissent.outcome == ExplanationOutcome.UNABLE and dissent.explained_by == convener
    html = page(client, report_url)
    assert 'id="send-refusal"' not in html and send_url in html
    assert client.post(send_url).status_code == 302
    report.refresh_from_db()
    assert report.sent_at is not None


def test_unable_needs_a_reason_and_is_for_the_convener_only(client, district, staff):
    consultation = held(district, staff["convener"])
    dissent = consultation.dissents.get()
    # The station head may run the consultation, but what could not be done is the convener's to record.
    with pytest.raises(DomainError, match="由召集人记录原因"):
        explain(dissent, staff["station"], ExplanationOutcome.UNABLE)
    url = reverse("consultations:dissent_explain", args=[consultation.pk, dissent.pk])
    response = login(client, staff["station"]).post(
        url, {"method": "", "explanation": "本人外出务工", "outcome": "unable"}
    )
    assert response.status_code == 400 and "由召集人记录原因" in response.content.decode()
    login(client, staff["convener"])
    response = client.post(url, {"method": "", "explanation": "", "outcome": "unable"})
    assert response.status_code == 400
    dissent.refresh_from_db()
    assert dissent.outcome == ExplanationOutcome.PENDING
    # Accepted or kept views still need how it was explained.
    with pytest.raises(DomainError, match="解释方式"):
        services.dissent_explain(
            actor=staff["convener"], dissent=dissent, method="", explanation="说明了", outcome="accepted"
        )


def test_the_publication_form_says_why_it_waits_and_a_forced_post_is_refused(client, district, staff):
    convener = staff["convener"]
    consultation = concluded(held(district, convener))
    url = reverse("outcomes:consultation", args=[consultation.pk])
    html = page(login(client, convener), url)
    assert 'id="publish-refusal"' in html and "公开结果前须逐一解释说明" in html
    assert '<button type="submit">公开</button>' not in html
    response = client.post(
        reverse("outcomes:publish", args=[consultation.pk]), {"summary": "已划定停放区", "channels": ["board"]}
    )
    assert response.status_code == 400 and "公开结果前须逐一解释说明" in response.content.decode()
    assert not Publication.objects.filter(consultation=consultation).exists()
    explain(consultation.dissents.get(), convener)
    html = page(client, url)
    assert 'id="publish-refusal"' not in html and '<button type="submit">公开</button>' in html


# --- a view kept against an item --------------------------------------------------------------------


def test_a_view_kept_after_explanation_against_an_item_makes_the_item_contested(client, district, staff):
    convener = staff["convener"]
    consultation = held(district, convener)
    dissent, item = consultation.dissents.get(), consultation.suggestions.get()
    response = login(client, convener).post(
        reverse("consultations:dissent_explain", args=[consultation.pk, dissent.pk]),
        {"method": "座谈", "explanation": "说明了选址理由", "outcome": "reserved", "suggestion": item.pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_contested and item.awaits_vote and item.contested_by == convener
    assert item.contest_reason == "不同意见经解释说明后仍保留（村民0）"
    assert item.history.first().history_change_reason == "suggestion.contested"
    html = page(client, reverse("consultations:resolution", args=[consultation.pk]))
    assert "存在较大争议，待村（居）民会议或代表会议表决" in html and "针对第1条建议" in html


def test_a_view_accepted_leaves_the_item_as_it_was(district, staff):
    consultation = held(district, staff["convener"])
    item = consultation.suggestions.get()
    explain(consultation.dissents.get(), staff["convener"], suggestion=item)
    item.refresh_from_db()
    assert not item.is_contested


def test_the_item_named_when_the_dissent_was_recorded_is_contested_when_the_view_is_kept(district, staff):
    convener = staff["convener"]
    consultation = held(district, convener, dissents=())
    item = consultation.suggestions.get()
    dissent = services.dissent_add(
        actor=convener, consultation=consultation, holder="村民丙", view="反对占用晒场", suggestion=item
    )
    explain(dissent, convener, ExplanationOutcome.RESERVED)
    item.refresh_from_db()
    assert item.is_contested


# --- who sees what is owed ----------------------------------------------------------------------------


def test_the_convener_and_the_station_head_see_the_dissents_owed_with_the_due_date(district, staff):
    consultation = held(district, staff["convener"], dissents=("不同意", "也不同意"))
    due = consultation.dissents.first().explain_due_on
    for user in (staff["convener"], staff["station"]):
        [item] = [i for i in waiting_for(user) if i.title == "待解释说明的不同意见"]
        assert item.count == 2
        assert [e.label for e in item.entries] == [f"集镇电动车乱停放（2） · {due:%m-%d}前"]
    assert not [i for i in waiting_for(staff["convener2"]) if i.title == "待解释说明的不同意见"]
    Dissent.objects.filter(consultation=consultation).update(explain_due_on=timezone.localdate() - DAYS)
    [item] = [i for i in waiting_for(staff["station"]) if i.title == "待解释说明的不同意见"]
    assert "已逾期" in item.entries[0].label


def test_the_supervision_board_lists_dissents_owed_overdue_first(client, district, staff):
    first = held(district, staff["convener"])
    second = in_session(district, convener=staff["convener"], title="河道清淤")
    services.dissent_add(actor=staff["convener"], consultation=second, holder="村民", view="不同意")
    second = services.session_close(actor=staff["convener"], consultation=second)
    Dissent.objects.filter(consultation=second).update(explain_due_on=timezone.localdate() - DAYS)
    html = page(login(client, staff["supervisor"]), reverse("outcomes:board"))
    section = html[html.index('id="dissents-owed"') :]
    assert section.index("河道清淤") < section.index("集镇电动车乱停放")
    assert "逾期未解释" in section
    assert reverse("consultations:resolution", args=[first.pk]) in section
    # Another township's board does not list them.
    other = grant(make_user("other_supervisor"), Role.SUPERVISOR, region=district["b"])
    html = page(login(client, other), reverse("outcomes:board"))
    assert "河道清淤" not in html and "没有待解释说明的不同意见" in html


# --- what the public is told ----------------------------------------------------------------------------


def test_the_public_page_and_poster_say_how_many_dissents_were_answered_without_names(client, district, staff):
    convener = staff["convener"]
    consultation = held(district, convener, dissents=("不同意甲", "不同意乙", "不同意丙"))
    item = consultation.suggestions.get()
    first, second, third = consultation.dissents.all()
    explain(first, convener)
    explain(second, convener)
    explain(third, convener, ExplanationOutcome.RESERVED, suggestion=item)
    consultation = concluded(consultation)
    client.logout()
    html = page(client, reverse("outcomes_public:result", args=[consultation.pk]))
    sentence = "协商中记录不同意见3条，均已解释说明（2条理解认可，1条仍保留意见并提交村（居）民会议或代表会议表决）。"
    assert sentence in html
    assert "村民0" not in html and "村民2" not in html and "李召集" not in html
    assert poster_of(consultation, "https://example.org/").dissents == sentence
