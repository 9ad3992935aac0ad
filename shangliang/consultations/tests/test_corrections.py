"""Issue 13 point 17: participants removed before the session, statements and suggestions corrected or
withdrawn with a reason, all kept in history; the minutes follow the corrections until confirmed."""

import pytest
from django.urls import reverse

from shangliang.consultations import services
from shangliang.consultations.models import Dissent, Participant, Statement, Suggestion
from shangliang.consultations.states import ConsultationStatus, Stance
from shangliang.consultations.tests.builders import notified, planned, researched, with_people
from shangliang.core.errors import DomainError
from shangliang.core.models import Delivery
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def outsider(district):
    return grant(make_user("outsider"), Role.CONVENER, region=district["b1"])


def opened(district, convener):
    consultation = researched(notified(district, convener=convener))
    # Opened at its notified start (the session may not open much earlier).
    return services.session_open(actor=convener, consultation=consultation, now=consultation.starts_at)


def say(consultation, text, *, participant=None, **fields):
    return services.statement_add(
        actor=consultation.convener,
        consultation=consultation,
        participant=participant or consultation.participants.first(),
        text=text,
        **fields,
    )


def held(consultation):
    return services.session_close(actor=consultation.convener, consultation=consultation)


def last_history(record):
    return record.history.order_by("-history_date", "-history_id").first()


# --- participants ----------------------------------------------------------------------------


def test_a_participant_removed_before_the_session_is_kept_with_the_reason(client, district, convener):
    consultation = planned(district, convener=convener)
    people = with_people(consultation)
    client.force_login(convener)
    url = reverse("consultations:participant_remove", args=[consultation.pk, people[0].pk])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()
    assert client.post(url, {"reason": "本人外出务工"}).status_code == 302
    row = Participant.all_objects.get(pk=people[0].pk)
    assert row.removed_at and row.removed_by == convener and row.remove_reason == "本人外出务工"
    history = last_history(row)
    assert history.history_change_reason == "participant.removed" and history.history_user == convener
    page = client.get(reverse("consultations:participants", args=[consultation.pk])).content.decode()
    listed, removed = page.split('id="participant-rows"')[1].split("</table>")[0], page.split('id="removed"')[1]
    assert "居民0" not in listed
    assert "已移除（本人外出务工）" in removed and "居民0" in removed
    assert services.representativeness_check(consultation).total == len(people) - 1
    # Their personal link no longer opens a place on the list.
    assert client.get(reverse("consultations:participant_page", args=[people[0].token])).status_code == 404
    # The same person may be invited again afterwards.
    services.participant_add(
        actor=convener, consultation=consultation, category="resident", name="居民0", mobile=people[0].mobile
    )


def test_someone_removed_after_the_notice_is_told_they_need_not_come(
    district, convener, django_capture_on_commit_callbacks
):
    consultation = notified(district, convener=convener)
    person = consultation.participants.exclude(mobile="").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_remove(person, actor=convener, reason="重复邀请")
    [told] = Delivery.objects.filter(recipient=person.mobile, reason__endswith=":removed")
    assert told.channel == "sms"
    others = consultation.participants.exclude(mobile="")
    assert not Delivery.objects.filter(recipient__in=[p.mobile for p in others], reason__endswith=":removed").exists()


def test_no_one_is_told_of_a_removal_before_the_notice(district, convener, django_capture_on_commit_callbacks):
    consultation = planned(district, convener=convener)
    people = with_people(consultation)
    with django_capture_on_commit_callbacks(execute=True):
        services.participant_remove(people[0], actor=convener, reason="重复邀请")
    assert not Delivery.objects.filter(reason__endswith=":removed").exists()


def test_no_one_is_removed_once_the_session_has_opened(client, district, convener):
    consultation = opened(district, convener)
    participant = consultation.participants.first()
    with pytest.raises(DomainError, match="协商开始后不能再移除"):
        services.participant_remove(participant, actor=convener, reason="写错了")
    client.force_login(convener)
    url = reverse("consultations:participant_remove", args=[consultation.pk, participant.pk])
    response = client.post(url, {"reason": "写错了"}, follow=True)
    assert "协商开始后不能再移除参与人员" in response.content.decode()
    assert Participant.objects.filter(pk=participant.pk).exists()


def test_another_villages_convener_cannot_remove_or_correct(client, district, convener, outsider):
    consultation = opened(district, convener)
    statement = say(consultation, "路灯坏了")
    client.force_login(outsider)
    pk = consultation.pk
    for url, data in [
        (reverse("consultations:participant_remove", args=[pk, statement.participant_id]), {"reason": "x"}),
        (reverse("consultations:statement_edit", args=[pk, statement.pk]), {"text": "y", "stance": "neutral"}),
        (reverse("consultations:statement_withdraw", args=[pk, statement.pk]), {"reason": "x"}),
    ]:
        assert client.post(url, data | {"note": "x"}).status_code == 404
    statement.refresh_from_db()
    assert statement.text == "路灯坏了"


# --- statements ------------------------------------------------------------------------------


def test_a_statement_is_corrected_with_a_reason_and_the_dissent_list_follows(client, district, convener):
    consultation = opened(district, convener)
    statement = say(consultation, "同意装路灯")
    client.force_login(convener)
    url = reverse("consultations:statement_edit", args=[consultation.pk, statement.pk])
    data = {"text": "反对在门口装路灯", "stance": Stance.OPPOSE, "note": ""}
    refused = client.post(url, data)
    assert refused.status_code == 400 and "这个字段是必填项" in refused.content.decode()
    assert client.post(url, data | {"note": "记录员听错了"}).status_code == 302
    statement.refresh_from_db()
    assert statement.text == "反对在门口装路灯" and statement.is_dissent
    history = last_history(statement)
    assert history.history_change_reason == "statement.updated" and history.history_user == convener
    assert history.instance.text == "反对在门口装路灯"
    assert Dissent.objects.get(statement=statement).view == "反对在门口装路灯"
    page = client.get(reverse("consultations:session", args=[consultation.pk])).content.decode()
    assert "反对在门口装路灯" in page and "同意装路灯" not in page


def test_a_withdrawn_statement_leaves_the_session_and_its_dissent(client, district, convener):
    consultation = opened(district, convener)
    statement = say(consultation, "记错人的发言", stance=Stance.OPPOSE)
    assert Dissent.objects.filter(statement=statement).exists()
    client.force_login(convener)
    url = reverse("consultations:statement_withdraw", args=[consultation.pk, statement.pk])
    assert client.post(url, {"reason": "发言人记错了"}).status_code == 302
    row = Statement.all_objects.get(pk=statement.pk)
    assert row.withdrawn_at and row.withdraw_reason == "发言人记错了"
    assert last_history(row).history_change_reason == "statement.withdrawn"
    assert not Dissent.objects.filter(statement_id=statement.pk).exists()
    assert "记错人的发言" not in client.get(reverse("consultations:session", args=[consultation.pk])).content.decode()
    with pytest.raises(DomainError, match="已经撤回"):
        services.statement_withdraw(row, actor=convener, reason="再撤一次")


def test_the_minutes_draft_follows_corrections_until_confirmed(district, convener):
    consultation = opened(district, convener)
    kept = say(consultation, "建议划停车线")
    wrong = say(consultation, "这句是误记的")
    consultation = held(consultation)
    assert "这句是误记的" in consultation.minutes
    services.statement_update(kept, actor=convener, text="建议在集镇主街划停车线", stance=Stance.SUGGEST, note="补全")
    services.statement_withdraw(wrong, actor=convener, reason="误记")
    consultation.refresh_from_db()
    assert "建议在集镇主街划停车线" in consultation.minutes
    assert "这句是误记的" not in consultation.minutes
    assert consultation.minutes == services.minutes_draft(consultation)
    services.minutes_confirm(actor=convener, consultation=consultation)
    with pytest.raises(DomainError, match="纪要已经确认"):
        services.statement_update(kept, actor=convener, text="再改", stance=Stance.SUGGEST, note="晚了")


def test_minutes_edited_by_hand_are_left_for_a_person_to_correct(client, district, convener):
    consultation = opened(district, convener)
    statement = say(consultation, "原话")
    consultation = held(consultation)
    services.minutes_update(actor=convener, consultation=consultation, text="人工整理的纪要：原话")
    client.force_login(convener)
    url = reverse("consultations:statement_edit", args=[consultation.pk, statement.pk])
    response = client.post(url, {"text": "改后的话", "stance": Stance.NEUTRAL, "note": "更正"}, follow=True)
    assert "请到纪要页核对这处更正" in response.content.decode()
    consultation.refresh_from_db()
    assert consultation.minutes == "人工整理的纪要：原话"


# --- suggestions -----------------------------------------------------------------------------


def test_suggestions_are_corrected_or_withdrawn_until_the_resolution_is_agreed(client, district, convener):
    consultation = held(opened(district, convener))
    first, second, third = (
        services.suggestion_add(actor=convener, consultation=consultation, text=text) for text in ("甲", "乙", "丙")
    )
    client.force_login(convener)
    pk = consultation.pk
    edit = reverse("consultations:suggestion_edit", args=[pk, second.pk])
    response = client.post(edit, {"text": "乙（修改）", "proposed_by": "", "note": ""})
    assert response.status_code == 400
    page = response.content.decode()
    # The message stands next to the field that needs it, with what was typed kept.
    note_field = page[page.index('for="id_note"') :].split("</div>")[0]
    assert "这个字段是必填项" in note_field and "乙（修改）" in page
    refused = client.post(reverse("consultations:suggestion_withdraw", args=[pk, third.pk]), {"reason": ""})
    reason_field = refused.content.decode().split('for="id_reason"')[1].split("</div>")[0]
    assert refused.status_code == 400 and "这个字段是必填项" in reason_field
    client.post(edit, {"text": "乙（修改）", "proposed_by": "", "note": "措辞"})
    second.refresh_from_db()
    assert second.text == "乙（修改）" and last_history(second).history_change_reason == "suggestion.updated"
    client.post(reverse("consultations:suggestion_withdraw", args=[pk, first.pk]), {"reason": "与第二条重复"})
    assert Suggestion.all_objects.get(pk=first.pk).withdraw_reason == "与第二条重复"
    assert [(s.order, s.text) for s in consultation.suggestions.all()] == [(1, "乙（修改）"), (2, "丙")]
    page = client.get(reverse("consultations:resolution", args=[pk])).content.decode()
    assert "与第二条重复" not in page and ">甲<" not in page and "撤回这条建议" in page
    services.minutes_confirm(actor=convener, consultation=consultation)
    services.resolution_agree(actor=convener, consultation=consultation)
    assert consultation.__class__.objects.get(pk=pk).status == ConsultationStatus.CONCLUDED
    with pytest.raises(DomainError, match="协商意见形成后"):
        services.suggestion_withdraw(third, actor=convener, reason="晚了")
