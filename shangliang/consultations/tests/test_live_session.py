"""Issue 13 point 18: a live session recorded on a phone or a laptop without reloading (htmx), and
without JavaScript the same forms still work."""

import re

import pytest
from django.urls import reverse

from shangliang.consultations import services
from shangliang.consultations.models import Participant, Statement
from shangliang.consultations.states import ParticipantCategory, Stance
from shangliang.consultations.tests.builders import notified, researched
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def convener(district):
    return grant(make_user("convener"), Role.CONVENER, region=district["a1"])


@pytest.fixture
def session(district, convener):
    consultation = researched(notified(district, convener=convener))
    return services.session_open(actor=convener, consultation=consultation, now=consultation.starts_at)


def token_of(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def statement_data(session, token, text="赶集日人行道被占", **fields):
    return {
        "participant": session.participants.first().pk,
        "agenda_item": session.agenda.first().pk,
        "text": text,
        "stance": Stance.NEUTRAL,
        "form_token": token,
        **fields,
    }


def test_a_statement_posted_with_htmx_comes_back_on_top_with_a_fresh_form(client, convener, session):
    client.force_login(convener)
    page = client.get(reverse("consultations:session", args=[session.pk])).content.decode()
    url = reverse("consultations:statement_add", args=[session.pk])
    client.post(url, statement_data(session, token_of(page), text="第一条发言"), **HTMX)
    fragment_page = client.get(reverse("consultations:session_live", args=[session.pk]), **HTMX).content.decode()
    token = token_of(fragment_page)
    response = client.post(url, statement_data(session, token, text="第二条发言"), follow=True, **HTMX)
    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.startswith('<section id="live-record"') and "<html" not in fragment
    assert "发言已记录" in fragment
    assert fragment.index("第二条发言") < fragment.index("第一条发言")  # the newest on top
    # The form is empty again, keeps the agenda item, and carries a new token.
    form = fragment.split("<form")[1].split("</form>")[0]
    assert "第二条发言" not in form
    assert token_of(fragment) != token
    assert re.search(rf'<option value="{session.agenda.first().pk}" selected>', form)
    # The same token sent again (a double tap) records nothing more.
    again = client.post(url, statement_data(session, token, text="第二条发言"), follow=True, **HTMX)
    assert Statement.objects.filter(text="第二条发言").count() == 1
    assert "已经提交过" in again.content.decode()


def test_a_refused_statement_comes_back_in_the_fragment_with_the_message_by_the_field(client, convener, session):
    client.force_login(convener)
    url = reverse("consultations:statement_add", args=[session.pk])
    response = client.post(url, statement_data(session, "", text=""), **HTMX)
    fragment = response.content.decode()
    # 200, so htmx swaps it in; the message sits in the text field's block.
    assert response.status_code == 200 and fragment.startswith('<section id="live-record"')
    assert re.search(r'class="field has-error">\s*<label for="id_text">', fragment)
    assert not Statement.objects.exists()


def test_without_javascript_a_statement_is_a_normal_post_and_redirect(client, convener, session):
    client.force_login(convener)
    url = reverse("consultations:statement_add", args=[session.pk])
    response = client.post(url, statement_data(session, ""))
    assert response.status_code == 302
    assert response["Location"] == reverse("consultations:session", args=[session.pk]) + "#live-record"
    assert "赶集日人行道被占" in client.get(response["Location"]).content.decode()


def test_a_sign_in_updates_its_row_and_the_counter(client, convener, session):
    client.force_login(convener)
    participant = session.participants.first()
    total = session.participants.count()
    page = client.get(reverse("consultations:session", args=[session.pk])).content.decode()
    assert f"已签到 0/{total}" in page and '<details id="sign-in"' in page
    url = reverse("consultations:staff_sign_in", args=[session.pk, participant.pk])
    fragment = client.post(url, **HTMX).content.decode()
    assert fragment.startswith(f'<tr id="p-{participant.pk}">') and "代签" in fragment
    assert "代签到" not in fragment  # the button is gone from the row
    assert 'hx-swap-oob="true"' in fragment and f"已签到 1/{total}" in fragment
    # Without JavaScript: back to the page.
    other = session.participants.exclude(pk=participant.pk).first()
    response = client.post(reverse("consultations:staff_sign_in", args=[session.pk, other.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#sign-in")


def test_the_form_is_above_the_statements_and_the_sign_in_list_folds(client, convener, session):
    client.force_login(convener)
    services.statement_add(
        actor=convener, consultation=session, participant=session.participants.first(), text="已有的发言"
    )
    page = client.get(reverse("consultations:session", args=[session.pk])).content.decode()
    assert page.index('hx-post="' + reverse("consultations:statement_add", args=[session.pk])) < page.index(
        "已有的发言"
    )
    assert page.index("已有的发言") < page.index('<details id="sign-in"')


def test_a_session_of_40_people_and_30_statements_takes_bounded_queries(
    client, convener, session, django_assert_max_num_queries
):
    # No one is invited once in session (the service refuses): the rows are written directly.
    Participant.objects.bulk_create(
        Participant(consultation=session, category=ParticipantCategory.RESIDENT, name=f"村民{i}") for i in range(35)
    )
    people = list(session.participants.all())
    assert len(people) == 40
    for i in range(30):
        services.statement_add(
            actor=convener, consultation=session, participant=people[i], text=f"第{i}条", is_dissent=i % 10 == 0
        )
    client.force_login(convener)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("consultations:session", args=[session.pk]))
    assert page.content.decode().count('class="statement"') == 30
    with django_assert_max_num_queries(20):
        client.get(reverse("consultations:session_live", args=[session.pk]), **HTMX)


def test_another_villages_convener_gets_404(client, district, convener, session):
    outsider = grant(make_user("outsider"), Role.CONVENER, region=district["b1"])
    client.force_login(outsider)
    participant = session.participants.first()
    pk = session.pk
    assert client.get(reverse("consultations:session_live", args=[pk]), **HTMX).status_code == 404
    assert client.post(reverse("consultations:staff_sign_in", args=[pk, participant.pk]), **HTMX).status_code == 404
    response = client.post(reverse("consultations:statement_add", args=[pk]), statement_data(session, ""), **HTMX)
    assert response.status_code == 404
    assert not Statement.objects.exists()
    participant.refresh_from_db()
    assert participant.signed_in_at is None


def test_a_statement_is_corrected_in_place_with_htmx(client, convener, session):
    statement = services.statement_add(
        actor=convener, consultation=session, participant=session.participants.first(), text="说错的话"
    )
    client.force_login(convener)
    url = reverse("consultations:statement_edit", args=[session.pk, statement.pk])
    # The page carries a link per row; its forms come when asked for (htmx) or on a page of their own.
    page = client.get(reverse("consultations:session", args=[session.pk])).content.decode()
    assert f'hx-get="{url}"' in page and f'id="s{statement.pk}-note"' not in page
    forms = client.get(url, **HTMX).content.decode()
    assert forms.startswith(f'<div class="correction" id="s-{statement.pk}-correction">')
    assert f'id="s{statement.pk}-note"' in forms and "撤回原因" in forms and "说错的话" in forms
    assert "<html" in client.get(url).content.decode()
    refused = client.post(url, {"text": "改正的话", "stance": Stance.NEUTRAL, "note": ""}, **HTMX)
    fragment = refused.content.decode()
    # Refused: the row's correction forms stay open with the message by the reason field.
    assert refused.status_code == 200 and f'id="s-{statement.pk}-correction"' in fragment
    assert re.search(rf'class="field has-error">\s*<label for="s{statement.pk}-note">', fragment)
    response = client.post(
        url, {"text": "改正的话", "stance": Stance.NEUTRAL, "note": "记录员笔误"}, follow=True, **HTMX
    )
    fragment = response.content.decode()
    assert fragment.startswith('<section id="live-record"') and "发言记录已更正" in fragment
    assert "改正的话" in fragment and "说错的话" not in fragment
