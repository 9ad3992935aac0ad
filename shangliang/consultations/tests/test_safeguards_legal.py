"""The township government's legal review of a village resolution (003: 协商结果违反法律法规的，基层政府应当依法纠正).

The review is recorded once, by the township's reviewer, between the agreed resolution and the report:
passed, or items corrected with their legal basis (the session's text kept). The report and assignment
side is tested in ``outcomes/tests/test_legal_review.py``.
"""

import pytest
from django.urls import reverse

from shangliang.consultations import legal, safeguards
from shangliang.consultations import services as consultation_services
from shangliang.consultations.models import LegalReview, ProcedureRules, Suggestion
from shangliang.consultations.states import LegalReviewMode, LegalVerdict
from shangliang.consultations.tests.builders import in_session
from shangliang.core.errors import DomainError
from shangliang.core.models import Channel, Delivery
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.topics.tests.builders import category

pytestmark = pytest.mark.django_db

BASIS = "《中华人民共和国土地管理法》第三十七条"


def concluded(district, *, convener=None, title="集镇电动车乱停放", regions=None):
    """A consultation whose resolution is agreed with two items: the second asks for something unlawful."""
    consultation = in_session(district, convener=convener, title=title, regions=regions)
    actor = consultation.convener
    consultation = consultation_services.session_close(actor=actor, consultation=consultation)
    consultation_services.minutes_confirm(actor=actor, consultation=consultation)
    consultation_services.suggestion_add(actor=actor, consultation=consultation, text="规划电动车停放点")
    consultation_services.suggestion_add(actor=actor, consultation=consultation, text="占用基本农田建设停车场")
    return consultation_services.resolution_agree(actor=actor, consultation=consultation)


@pytest.fixture
def people(district):
    return {
        "reviewer": grant(make_user("reviewer", full_name="甲镇司法所"), Role.LEGAL_REVIEWER, region=district["a"]),
        "other_reviewer": grant(make_user("other_reviewer"), Role.LEGAL_REVIEWER, region=district["b"]),
        "convener": grant(make_user("convener"), Role.CONVENER, region=district["a1"]),
        "outsider": grant(make_user("outsider"), Role.CONVENER, region=district["b1"]),
    }


def items(consultation):
    return list(consultation.suggestions.order_by("order", "pk"))


# --- the service -----------------------------------------------------------------------------


def test_a_passed_review_is_recorded_once_and_the_convener_told(district, people):
    consultation = concluded(district, convener=people["convener"])
    review = legal.legal_review_record(actor=people["reviewer"], consultation=consultation, opinion="未发现违法内容")
    assert review.verdict == LegalVerdict.PASSED and review.reviewed_by == people["reviewer"]
    assert review.history.get().history_change_reason == "legal_review.recorded"
    told = Delivery.objects.get(reason=f"legal_review.recorded:{review.pk}", channel=Channel.APP)
    assert told.recipient == str(people["convener"].pk)
    with pytest.raises(DomainError, match="已经审查过"):
        legal.legal_review_record(actor=people["reviewer"], consultation=consultation, opinion="再审一次")
    assert LegalReview.objects.count() == 1


def test_a_correction_replaces_the_text_keeps_the_original_and_records_the_basis(district, people):
    consultation = concluded(district, convener=people["convener"])
    lawful, unlawful = items(consultation)
    review = legal.legal_review_record(
        actor=people["reviewer"],
        consultation=consultation,
        opinion="第2条涉及占用基本农田，依法纠正。",
        corrections={unlawful: ("在集镇建设用地范围内规划停车场", BASIS)},
    )
    assert review.verdict == LegalVerdict.CORRECTED
    unlawful.refresh_from_db()
    assert unlawful.text == "在集镇建设用地范围内规划停车场"
    assert unlawful.original_text == "占用基本农田建设停车场"
    assert unlawful.legal_basis == BASIS and unlawful.corrected_by == people["reviewer"]
    assert unlawful.corrected_at == review.reviewed_at
    last = unlawful.history.latest("history_id")
    assert last.history_change_reason == "suggestion.corrected" and last.history_user == people["reviewer"]
    lawful.refresh_from_db()
    assert lawful.corrected_at is None and lawful.original_text == ""
    assert "经乡镇（街道）政府依法纠正" in safeguards.suggestion_marks_text(unlawful)
    assert "原建议：占用基本农田建设停车场" in safeguards.suggestion_marks_text(unlawful)
    # The people concerned (the participants) are told of the correction by the outcome stage.
    assert Delivery.objects.filter(reason=f"feedback.corrected:legal_review:{review.pk}").exists()


def test_a_correction_needs_its_legal_basis_and_a_new_text_and_nothing_is_kept_when_refused(district, people):
    consultation = concluded(district, convener=people["convener"])
    lawful, unlawful = items(consultation)
    with pytest.raises(DomainError) as caught:
        legal.legal_review_record(
            actor=people["reviewer"],
            consultation=consultation,
            opinion="纠正",
            corrections={lawful: ("规划电动车停放点两处", BASIS), unlawful: ("在建设用地内规划", "  ")},
        )
    assert caught.value.field == f"basis_{unlawful.pk}" and "依据" in caught.value.message
    with pytest.raises(DomainError) as caught:
        legal.legal_review_record(
            actor=people["reviewer"], consultation=consultation, opinion="纠正", corrections={unlawful: ("", BASIS)}
        )
    assert caught.value.field == f"text_{unlawful.pk}"
    with pytest.raises(DomainError) as caught:
        legal.legal_review_record(
            actor=people["reviewer"],
            consultation=consultation,
            opinion="纠正",
            corrections={unlawful: ("占用基本农田建设停车场", BASIS)},
        )
    assert caught.value.field == f"text_{unlawful.pk}"
    with pytest.raises(DomainError) as caught:
        legal.legal_review_record(
            actor=people["reviewer"], consultation=consultation, opinion="纠正", verdict=LegalVerdict.CORRECTED
        )
    assert caught.value.field == "verdict"
    assert not LegalReview.objects.exists()
    lawful.refresh_from_db()
    assert lawful.text == "规划电动车停放点" and lawful.corrected_at is None


def test_only_an_agreed_village_resolution_is_reviewed(district, people):
    held = in_session(district, convener=people["convener"], title="路灯不亮")
    with pytest.raises(DomainError, match="协商意见形成后"):
        legal.legal_review_record(actor=people["reviewer"], consultation=held, opinion="审查")
    township = concluded(district, title="镇上的停车", regions=[district["a1"], district["a2"]])
    with pytest.raises(DomainError, match="村（社区）"):
        legal.legal_review_record(actor=people["reviewer"], consultation=township, opinion="审查")


def test_required_for_all_for_some_categories_or_optional(district, people):
    consultation = concluded(district, convener=people["convener"])
    assert not safeguards.legal_review_required(consultation)  # no rules: optional
    assert legal.review_status(consultation).applies and not legal.review_status(consultation).required
    rules = ProcedureRules.objects.create(district=district["district"], legal_review=LegalReviewMode.ALL)
    assert safeguards.legal_review_required(consultation)
    rules.legal_review = LegalReviewMode.CATEGORIES
    rules.save()
    assert not safeguards.legal_review_required(consultation)
    rules.legal_review_categories.set([category()])  # the topic's category (环境卫生)
    assert safeguards.legal_review_required(consultation)
    assert "合法性审查" in safeguards.report_refusal(consultation)
    legal.legal_review_record(actor=people["reviewer"], consultation=consultation, opinion="未发现违法内容")
    assert safeguards.report_refusal(consultation) == ""


# --- who ---------------------------------------------------------------------------------------


def test_the_role_is_granted_at_a_township_only(district):
    user = make_user()
    with pytest.raises(DomainError, match="只能授予在乡镇"):
        org_services.role_grant(actor=None, user=user, role=Role.LEGAL_REVIEWER, region=district["a1"])
    with pytest.raises(DomainError):
        org_services.role_grant(actor=None, user=user, role=Role.LEGAL_REVIEWER, region=district["district"])
    assert org_services.role_grant(actor=None, user=user, role=Role.LEGAL_REVIEWER, region=district["a"]).pk


def test_the_admin_refuses_the_role_at_a_village(client, district):
    admin = make_user("root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    user = make_user("new_reviewer")
    url = reverse("admin:orgs_scopedrole_add")
    response = client.post(url, {"user": user.pk, "role": Role.LEGAL_REVIEWER, "region": district["a1"].pk})
    assert response.status_code == 200 and "只能授予在乡镇" in response.content.decode()
    response = client.post(url, {"user": user.pk, "role": Role.LEGAL_REVIEWER, "region": district["a"].pk})
    assert response.status_code == 302
    assert user.scoped_roles.get().region == district["a"]


# --- the page ----------------------------------------------------------------------------------


def review_url(consultation):
    return reverse("consultations:legal_review", args=[consultation.pk])


def post_data(consultation, opinion="第2条依法纠正", **per_item):
    data = {"opinion": opinion}
    for item in items(consultation):
        data[f"action_{item.pk}"] = "keep"
        data[f"text_{item.pk}"] = item.text
        data[f"basis_{item.pk}"] = ""
    data.update(per_item)
    return data


def test_the_reviewer_corrects_an_item_on_the_page(client, district, people):
    consultation = concluded(district, convener=people["convener"])
    _lawful, unlawful = items(consultation)
    client.force_login(people["reviewer"])
    page = client.get(review_url(consultation)).content.decode()
    assert "无需纠正" in page and "依法纠正" in page and "占用基本农田建设停车场" in page
    assert 'id="legal-review-form"' in page

    correct = {f"action_{unlawful.pk}": "correct", f"text_{unlawful.pk}": "在集镇建设用地范围内规划停车场"}
    response = client.post(review_url(consultation), post_data(consultation, **correct))
    assert response.status_code == 400
    body = response.content.decode()
    assert "请写明纠正所依据的法律法规条款" in body.split(f'id="review-item-{unlawful.pk}"')[1]
    assert not LegalReview.objects.exists()

    correct[f"basis_{unlawful.pk}"] = BASIS
    response = client.post(review_url(consultation), post_data(consultation, **correct))
    assert response.status_code == 302 and response["Location"] == review_url(consultation)
    review = LegalReview.objects.get()
    assert review.verdict == LegalVerdict.CORRECTED
    unlawful.refresh_from_db()
    assert unlawful.text == "在集镇建设用地范围内规划停车场" and unlawful.original_text == "占用基本农田建设停车场"

    page = client.get(review_url(consultation)).content.decode()
    assert 'id="legal-review-form"' not in page and "已依法纠正" in page and "第2条依法纠正" in page
    assert "经乡镇（街道）政府依法纠正" in page and BASIS in page and "原建议：占用基本农田建设停车场" in page
    # The review's own card says it is done: no red refusal box after a successful review.
    assert 'id="review-refusal"' not in page
    # A second review is refused.
    response = client.post(review_url(consultation), post_data(consultation, opinion="再审"))
    assert response.status_code == 302 and LegalReview.objects.count() == 1


def test_a_pass_on_the_page_changes_no_item(client, district, people):
    consultation = concluded(district, convener=people["convener"])
    client.force_login(people["reviewer"])
    response = client.post(review_url(consultation), post_data(consultation, opinion="未发现违法内容"))
    assert response.status_code == 302
    assert LegalReview.objects.get().verdict == LegalVerdict.PASSED
    assert not Suggestion.objects.filter(corrected_at__isnull=False).exists()


def test_a_reviewer_of_another_township_and_a_convener_elsewhere_get_404(client, district, people):
    consultation = concluded(district, convener=people["convener"])
    for who in ("other_reviewer", "outsider"):
        client.force_login(people[who])
        assert client.get(review_url(consultation)).status_code == 404, who
        assert client.post(review_url(consultation), post_data(consultation)).status_code == 404, who
    assert not LegalReview.objects.exists()


def test_the_convener_reads_the_review_but_cannot_record_it(client, district, people):
    consultation = concluded(district, convener=people["convener"])
    client.force_login(people["convener"])
    page = client.get(review_url(consultation)).content.decode()
    assert 'id="legal-review-form"' not in page and "可选" in page
    assert client.post(review_url(consultation), post_data(consultation)).status_code == 403
    assert not LegalReview.objects.exists()
    # The consultation's page says where the review stands.
    ProcedureRules.objects.create(district=district["district"], legal_review=LegalReviewMode.ALL)
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "须审查，尚未审查" in page
    legal.legal_review_record(actor=people["reviewer"], consultation=consultation, opinion="未发现违法内容")
    page = client.get(reverse("consultations:detail", args=[consultation.pk])).content.decode()
    assert "审查通过" in page and "未发现违法内容" in page and "乡镇（街道）政府合法性审查" in page


def test_the_reviewers_home_page_lists_the_resolutions_waiting(client, district, people):
    consultation = concluded(district, convener=people["convener"])
    concluded(district, title="镇上的停车", regions=[district["a1"], district["a2"]])  # township: not reviewed
    client.force_login(people["reviewer"])
    page = client.get(reverse("portal:home")).content.decode()
    assert "待合法性审查的村（社区）协商结果" in page and review_url(consultation) in page
    client.force_login(people["other_reviewer"])
    assert "待合法性审查的村（社区）协商结果" not in client.get(reverse("portal:home")).content.decode()
    legal.legal_review_record(actor=people["reviewer"], consultation=consultation, opinion="未发现违法内容")
    client.force_login(people["reviewer"])
    assert "待合法性审查的村（社区）协商结果" not in client.get(reverse("portal:home")).content.decode()
