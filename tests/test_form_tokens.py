"""A staff form that adds a record saves once, however often it is posted (penetration test finding 11).

Twenty POSTs of one research form made twenty research records. Each staff "add" form now carries a
one-time token that its view claims in the same transaction as the record (``core.form_tokens``).
"""

import datetime
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import resolve, reverse

from shangliang.consultations import forms as consultation_forms
from shangliang.consultations.defaults import ensure_session_formats
from shangliang.consultations.models import Research, SessionFormat
from shangliang.consultations.tests.builders import planned
from shangliang.core.form_tokens import FormTokenMixin
from shangliang.core.models import FormToken
from shangliang.evaluation import forms as evaluation_forms
from shangliang.events import forms as event_forms
from shangliang.funds import forms as fund_forms
from shangliang.handoffs import forms as handoff_forms
from shangliang.orgs import forms as org_forms
from shangliang.orgs import reception_forms
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user, small_district
from shangliang.outcomes import forms as outcome_forms
from shangliang.publicity import forms as publicity_forms
from shangliang.scoring import forms as scoring_forms
from shangliang.topics import forms as topic_forms
from shangliang.topics.defaults import ensure_defaults
from shangliang.topics.models import Category, ExclusionRule

# Every staff form whose POST creates a record, with the URL its view answers (path arguments are
# placeholders: only the view is resolved). Editing forms, filters and one-per-record upserts
# (the typical case, the publication, the written reply) are not listed.
STAFF_ADD_FORMS = [
    (consultation_forms.PlanForm, "consultations:plan", [1]),
    (consultation_forms.ParticipantForm, "consultations:participant_add", [1]),
    (consultation_forms.PickForm, "consultations:participant_pick", [1]),
    (consultation_forms.MemberInviteForm, "consultations:member_invite", [1]),
    (consultation_forms.ResearchForm, "consultations:research_add", [1]),
    (consultation_forms.StatementForm, "consultations:statement_add", [1]),
    (consultation_forms.SuggestionForm, "consultations:resolution", [1]),
    (consultation_forms.DissentForm, "consultations:resolution", [1]),
    (consultation_forms.VoteForm, "consultations:vote_add", [1]),
    (topic_forms.StaffSubmissionForm, "topics:submission_new", []),
    (topic_forms.RecommendForm, "topics:recommend", []),
    (topic_forms.ReplyForm, "topics:submission_reply", [1]),
    (topic_forms.VerificationForm, "topics:verification_add", [1]),
    (org_forms.RegionForm, "orgs:region_create", [1]),
    (org_forms.PlatformForm, "orgs:platform_create", []),
    (org_forms.MemberForm, "orgs:member_create", []),
    (org_forms.ImportForm, "orgs:import_upload", ["members"]),
    (evaluation_forms.StaffRatingForm, "evaluation:rating_record", [1]),
    (evaluation_forms.ThirdPartyEvaluationForm, "evaluation:third_party_evaluation_add", [1]),
    (scoring_forms.InspectionForm, "scoring:inspection_add", []),
    (outcome_forms.AssignForm, "outcomes:assign", [1, 1]),
    (outcome_forms.ReportForm, "outcomes:report_new", [1]),
    (outcome_forms.ProgressForm, "outcomes:progress_add", [1]),
    (outcome_forms.ExtensionForm, "outcomes:extension_request", [1]),
    (event_forms.EventCreateForm, "events:new", []),
    (event_forms.StaffSignInForm, "events:sign_in_add", [1]),
    (event_forms.QuestionRecordForm, "events:question_record", [1]),
    (event_forms.PhotoForm, "events:photo_add", [1]),
    (event_forms.MaterialForm, "events:material_add", [1]),
    (fund_forms.AccountForm, "funds:account_new", []),
    (fund_forms.IncomeForm, "funds:income_new", [1]),
    (fund_forms.SpendingForm, "funds:spending_new", [1]),
    (handoff_forms.HandoffForm, "handoffs:new_submission", [1]),
    (handoff_forms.HandoffForm, "handoffs:new_topic", [1]),
    (handoff_forms.HandoffForm, "handoffs:new_suggestion", [1]),
    (handoff_forms.AnswerForm, "handoffs:answer", [1]),
    (publicity_forms.ArticleForm, "publicity:new", []),
    (publicity_forms.PreviewForm, "publicity:preview_new", [1]),
    (publicity_forms.DocumentForm, "publicity:document_new", []),
    (reception_forms.SlotForm, "orgs:slot_create", []),
]


@pytest.mark.parametrize(("form_class", "url_name", "args"), STAFF_ADD_FORMS, ids=lambda v: getattr(v, "__name__", v))
def test_every_staff_add_form_carries_a_token_that_its_view_claims(form_class, url_name, args):
    assert issubclass(form_class, FormTokenMixin)
    view = resolve(reverse(url_name, args=args)).func
    assert getattr(view, "is_submitted_once", False), f"{url_name} is not wrapped in submitted_once"


def _research_page(client, consultation) -> tuple[str, str]:
    """The research form's action and token, as the consultation page shows them."""
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    action = reverse("consultations:research_add", args=[consultation.pk])
    form = page[page.index(f'action="{action}"') :]
    form = form[: form.index("</form>")]
    return action, re.search(r'name="form_token" value="([0-9a-f-]{36})"', form).group(1)


def _research(token: str, **changes) -> dict:
    data = {
        "researchers": "林站长",
        "researched_on": datetime.date.today().isoformat(),
        "place": "集镇主街",
        "findings": "赶集日人行道被占",
        "form_token": token,
    }
    return data | changes


@pytest.fixture
def convener(district):
    return grant(make_user("token-convener"), Role.CONVENER, region=district["a1"])


@pytest.mark.django_db
def test_the_same_research_form_posted_twenty_times_saves_one_record(client, district, convener):
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    action, token = _research_page(client, consultation)
    responses = [client.post(action, _research(token)) for _ in range(20)]
    assert Research.objects.filter(consultation=consultation).count() == 1
    detail = reverse("consultations:detail", args=[consultation.pk])
    assert {(r.status_code, r["Location"]) for r in responses} == {(302, detail)}
    assert "没有重复处理" in client.get(detail).content.decode()

    _action, fresh = _research_page(client, consultation)
    assert fresh != token
    client.post(action, _research(fresh, place="村口"))
    assert Research.objects.filter(consultation=consultation).count() == 2


@pytest.mark.django_db
def test_a_form_shown_again_with_its_errors_can_be_sent_with_the_same_token(client, district, convener):
    consultation = planned(district, convener=convener)
    client.force_login(convener)
    action, token = _research_page(client, consultation)
    response = client.post(action, _research(token, place=""))
    assert response.status_code == 400 and f'value="{token}"' in response.content.decode()
    assert not FormToken.objects.exists()
    assert client.post(action, _research(token)).status_code == 302
    assert Research.objects.filter(consultation=consultation).count() == 1


@pytest.mark.django_db
def test_a_token_claimed_by_another_user_is_refused(client, district, convener):
    consultation = planned(district, convener=convener)
    colleague = grant(make_user("token-colleague"), Role.CONVENER, region=district["a1"])
    client.force_login(convener)
    action, token = _research_page(client, consultation)
    client.post(action, _research(token))
    client.force_login(colleague)
    assert client.post(action, _research(token)).status_code == 400
    assert Research.objects.filter(consultation=consultation).count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises every write transaction anyway")
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_of_one_research_form_save_one_record():
    # Outside a rolled-back transaction the rows migrations add may have been flushed by an earlier
    # transactional test (the browser tests); put them back as those tests do.
    ensure_defaults(Category, ExclusionRule)
    ensure_session_formats(SessionFormat)
    district = small_district()
    convener = grant(make_user("token-racer"), Role.CONVENER, region=district["a1"])
    consultation = planned(district, convener=convener)
    clients = [Client() for _ in range(20)]
    for c in clients:
        c.force_login(convener)
    action, token = _research_page(clients[0], consultation)
    start, answers = threading.Barrier(len(clients)), []

    def post(c):
        try:
            start.wait()
            response = c.post(action, _research(token))
            answers.append((response.status_code, response.get("Location")))
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Research.objects.filter(consultation=consultation).count() == 1
    assert answers == [(302, reverse("consultations:detail", args=[consultation.pk]))] * len(clients)
