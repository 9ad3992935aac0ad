"""The township's legal review seen from the outcome stage: the report and the assignments wait for a required
review; once a report is sent the review is over; a corrected item shows as corrected on the three lists and
the public result (003: 协商结果违反法律法规的，基层政府应当依法纠正)."""

import pytest
from django.urls import reverse

from shangliang.consultations import legal
from shangliang.consultations.models import LegalReview, ProcedureRules
from shangliang.consultations.states import LegalReviewMode
from shangliang.core.errors import DomainError
from shangliang.orgs.states import Role
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services
from shangliang.outcomes.models import OutcomeReport
from shangliang.outcomes.states import ReportKind, ReportStatus
from shangliang.outcomes.tests.builders import assigned, concluded
from shangliang.topics.models import Category

pytestmark = pytest.mark.django_db

BASIS = "《中华人民共和国土地管理法》第三十七条"


@pytest.fixture
def people(district):
    return {
        "reviewer": grant(make_user("reviewer"), Role.LEGAL_REVIEWER, region=district["a"]),
        "convener": grant(make_user("convener"), Role.CONVENER, region=district["a1"]),
    }


@pytest.fixture
def consultation(district, people):
    return concluded(district, convener=people["convener"], suggestions=("规划电动车停放点", "占用基本农田建设停车场"))


def require(district, mode, categories=()):
    rules = ProcedureRules.objects.create(district=district["district"], legal_review=mode)
    rules.legal_review_categories.set(categories)
    return rules


def draft(consultation):
    return services.report_draft(
        actor=consultation.convener,
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="甲镇党委",
    )


def review(consultation, people, corrections=None):
    return legal.legal_review_record(
        actor=people["reviewer"], consultation=consultation, opinion="审查意见", corrections=corrections
    )


def test_required_for_all_the_report_is_refused_until_the_review_then_sent(client, district, people, consultation):
    require(district, LegalReviewMode.ALL)
    report = draft(consultation)
    with pytest.raises(DomainError, match="合法性审查"):
        services.report_send(actor=people["convener"], report=report)
    # Through the page, the same refusal in words.
    client.force_login(people["convener"])
    response = client.post(reverse("outcomes:report_send", args=[report.pk]), follow=True)
    assert "合法性审查" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    review(consultation, people)
    client.post(reverse("outcomes:report_send", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.SENT


def test_required_for_a_category_only_that_category_waits(district, people, consultation):
    other = Category.objects.exclude(pk=consultation.topic.category_id).first()
    rules = require(district, LegalReviewMode.CATEGORIES, [other])
    services.report_send(actor=people["convener"], report=draft(consultation))  # not its category: optional
    second = concluded(district, convener=people["convener"], title="村口垃圾站")
    rules.legal_review_categories.add(second.topic.category)
    with pytest.raises(DomainError, match="合法性审查"):
        services.report_send(actor=people["convener"], report=draft(second))
    review(second, people)
    assert services.report_send(actor=people["convener"], report=draft(second)).status == ReportStatus.SENT


def test_required_review_holds_the_assignments_back(district, people, consultation):
    require(district, LegalReviewMode.ALL)
    with pytest.raises(DomainError, match="合法性审查"):
        assigned(consultation)
    review(consultation, people)
    assert assigned(consultation).pk


def test_optional_the_report_goes_without_review_and_then_the_review_is_over(client, district, people, consultation):
    client.force_login(people["reviewer"])
    home = reverse("portal:home")
    assert reverse("consultations:legal_review", args=[consultation.pk]) in client.get(home).content.decode()
    services.report_send(actor=people["convener"], report=draft(consultation))
    with pytest.raises(DomainError, match="已经报送"):
        review(consultation, people)
    assert not LegalReview.objects.exists()
    # No longer on the reviewer's list, and the page says why there is no form.
    assert reverse("consultations:legal_review", args=[consultation.pk]) not in client.get(home).content.decode()
    page = client.get(reverse("consultations:legal_review", args=[consultation.pk])).content.decode()
    assert "已经报送" in page and 'id="legal-review-form"' not in page


def test_optional_an_assigned_item_can_no_longer_be_corrected(district, people, consultation):
    assigned(consultation, order=1)
    unlawful = list(consultation.suggestions.all())[1]
    with pytest.raises(DomainError, match="已经交办"):
        review(consultation, people, {unlawful: ("在建设用地内规划停车场", BASIS)})
    unlawful.refresh_from_db()
    assert unlawful.text == "占用基本农田建设停车场"


def test_a_corrected_item_shows_as_corrected_on_the_three_lists_the_public_result_and_in_the_report(
    client, district, people, consultation
):
    unlawful = list(consultation.suggestions.all())[1]
    review(consultation, people, {unlawful: ("在集镇建设用地范围内规划停车场", BASIS)})
    client.force_login(people["convener"])
    page = client.get(reverse("outcomes:consultation", args=[consultation.pk])).content.decode()
    lists = page.split('id="suggestion-list"')[1].split("</table>")[0]
    assert "在集镇建设用地范围内规划停车场" in lists and "依法纠正" in lists and BASIS in lists
    assert "原建议：占用基本农田建设停车场" in lists
    assert 'id="legal-review-status"' in page and "已依法纠正" in page

    client.logout()
    public = client.get(reverse("outcomes_public:result", args=[consultation.pk])).content.decode()
    assert "在集镇建设用地范围内规划停车场" in public and "经乡镇（街道）政府依法纠正" in public and BASIS in public
    assert "原建议：占用基本农田建设停车场" in public

    # What is reported is the corrected text.
    _title, body = services.report_text(consultation, ReportKind.CONSULTATION_REPORT)
    assert "在集镇建设用地范围内规划停车场" in body
    assert OutcomeReport.objects.count() == 0
