"""A statement ticked 不同意见 in the session is carried into the resolution's dissent list and the
minutes' structured section, and the list follows the statement when it is corrected."""

import io

import docx
import pytest
from django.urls import reverse

from shangliang.consultations import services
from shangliang.consultations.models import Dissent, Statement
from shangliang.consultations.states import ExplanationOutcome, Mode, Stance
from shangliang.consultations.tests.builders import in_session
from shangliang.core.documents.formats import chinese_date
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db

VIEW = "停放点离家太远，老人走不过去"


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def session(district, convener):
    return in_session(district, convener=convener)


def _say(consultation, text=VIEW, **fields):
    speaker = consultation.participants.get(name="居民0")
    return services.statement_add(
        actor=consultation.convener, consultation=consultation, participant=speaker, text=text, **fields
    )


def _structured_dissents(consultation, client) -> list[str]:
    """The paragraphs under the printed minutes' 不同意见 heading."""
    response = client.get(reverse("consultations:minutes_docx", args=[consultation.pk]))
    paragraphs = [p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs]
    start = paragraphs.index("不同意见") + 1
    return paragraphs[start:-1]


def test_a_statement_ticked_as_dissent_is_carried_into_the_dissent_list(session):
    statement = _say(session, is_dissent=True)
    dissent = Dissent.objects.get(consultation=session)
    assert dissent.statement == statement and statement.dissent == dissent
    assert (dissent.holder, dissent.view, dissent.participant) == ("居民0", VIEW, statement.participant)
    assert dissent.outcome == ExplanationOutcome.PENDING
    assert dissent.history.get().history_change_reason == "dissent.carried"


def test_an_opposing_statement_is_a_dissent_and_other_statements_are_not(session):
    _say(session, text="赞成划线", stance=Stance.SUPPORT)
    assert not Dissent.objects.exists()
    _say(session, text="反对占用绿地", stance=Stance.OPPOSE)
    assert list(Dissent.objects.values_list("view", flat=True)) == ["反对占用绿地"]


def test_a_dissent_from_the_session_is_in_the_resolution_and_the_minutes_never_says_none(client, session, convener):
    _say(session, is_dissent=True)
    held = services.session_close(actor=convener, consultation=session)
    client.force_login(convener)
    page = client.get(reverse("consultations:resolution", args=[held.pk])).content.decode()
    assert VIEW in page and "没有不同意见" not in page
    # The draft's own dissent section, from the same rows.
    assert held.minutes.split("不同意见：", 1)[1].strip() == f"居民0：{VIEW}"
    # Still owed its explanation, the printed minutes say by when.
    due = chinese_date(held.dissents.get().explain_due_on)
    assert _structured_dissents(held, client) == [f"居民0：{VIEW}", f"解释结果：待解释；应于{due}前解释说明"]


def test_an_opposing_online_opinion_joins_the_dissent_list_at_the_close(district, convener):
    consultation = in_session(district, convener=convener, mode=Mode.HYBRID)
    resident = make_user("online-resident", mobile="13700001111", verified=True)
    services.online_post(
        user=resident,
        consultation=consultation,
        text="不同意占用广场",
        stance=Stance.OPPOSE,
        now=consultation.starts_at,
    )
    services.session_close(actor=convener, consultation=consultation)
    dissent = Dissent.objects.get(consultation=consultation)
    assert dissent.view == "不同意占用广场" and dissent.statement.is_online


# --- following corrections: dissent_sync_from_statement ------------------------------------------


def _correct(statement, **fields):
    """What a correction of the record does to the statement (D2's statement_update), then the sync."""
    for name, value in fields.items():
        setattr(statement, name, value)
    statement.save()
    return services.dissent_sync_from_statement(statement, actor=statement.consultation.convener)


def test_ticked_later_the_statement_gets_its_dissent(session):
    statement = _say(session)
    assert not Dissent.objects.exists()
    dissent = _correct(statement, is_dissent=True)
    assert Dissent.objects.get() == dissent and dissent.statement == statement and dissent.view == VIEW


def test_a_corrected_text_changes_the_view_only_while_the_explanation_is_pending(session, convener):
    statement = _say(session, is_dissent=True)
    assert _correct(statement, text="停放点太远").view == "停放点太远"
    dissent = Dissent.objects.get()
    assert dissent.history.order_by("-history_id").first().history_change_reason == "dissent.view_updated"
    services.dissent_explain(
        actor=convener, dissent=dissent, method="入户", explanation="两端各设一处", outcome=ExplanationOutcome.ACCEPTED
    )
    assert _correct(statement, text="改了又改").view == "停放点太远"


def test_unticked_or_withdrawn_the_dissent_is_withdrawn_and_kept(client, session, convener):
    statement = _say(session, is_dissent=True)
    dissent = _correct(statement, is_dissent=False)
    assert dissent.withdrawn_at is not None
    assert not Dissent.objects.exists() and Dissent.all_objects.count() == 1
    client.force_login(convener)
    assert VIEW not in client.get(reverse("consultations:resolution", args=[session.pk])).content.decode()
    # Ticked again: the same dissent is in force again, not a second one.
    again = _correct(statement, is_dissent=True)
    assert again.pk == dissent.pk and again.withdrawn_at is None and Dissent.objects.count() == 1
    statement.withdraw_reason = "记错了人"
    gone = _correct(Statement.objects.get(pk=statement.pk), withdrawn_at=session.starts_at)
    assert gone.withdrawn_at is not None and not Dissent.objects.exists()


def test_sync_of_a_plain_statement_creates_nothing(session):
    statement = _say(session)
    assert services.dissent_sync_from_statement(statement, actor=session.convener) is None
    assert not Dissent.all_objects.exists()
