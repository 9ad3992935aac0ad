import datetime
import uuid

import pytest
from django.db import IntegrityError, transaction

from shangliang.core.errors import DomainError, TransitionNotAllowed
from shangliang.orgs.states import RegionLevel
from shangliang.orgs.tests.factories import make_region, make_user
from shangliang.topics import selectors, services
from shangliang.topics.models import Submission, TopicSupport
from shangliang.topics.states import (
    SUBMISSION_MOVES,
    TOPIC_MOVES,
    ConveningLevel,
    ExclusionReason,
    SubmissionStatus,
    TopicStatus,
)
from shangliang.topics.tests.builders import accepted, approved, category, drafted, pending, submit

pytestmark = pytest.mark.django_db


def test_same_client_token_creates_one_submission(district):
    token = uuid.uuid4()
    first = services.submission_create(
        actor=None, source="resident", region=district["a1"], category=category(), title="路灯不亮", client_token=token
    )
    again = services.submission_create(
        actor=None, source="resident", region=district["a1"], category=category(), title="路灯不亮", client_token=token
    )
    assert first.is_new and not again.is_new
    assert again.submission.pk == first.submission.pk
    assert Submission.objects.count() == 1


def test_submission_must_name_a_village_and_a_grid_of_that_village(district):
    with pytest.raises(DomainError):
        submit(district["a"])
    grid = district["a1"].children.get()
    with pytest.raises(DomainError):
        submit(district["a2"], grid=grid)
    assert submit(district["a1"], grid=grid).grid == grid


def test_named_submission_needs_a_mobile(district):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        submit(district["a1"], is_anonymous=False, submitter_name="王五", submitter_mobile="")
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("reason", ExclusionReason.values)
def test_each_exclusion_reason_is_recorded_with_its_note_and_explained(district, reason):
    screener = make_user()
    submission = submit(district["a1"], "邻里纠纷已起诉")
    services.submission_screen(actor=screener, submission=submission, eligible=False, reason=reason, note="说明")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.EXCLUDED
    assert submission.exclusion_reason == reason and submission.screened_by == screener
    assert selectors.exclusion_explanation(submission)
    assert submission.history.first().history_user == screener


def test_exclusion_needs_a_reason_and_a_note_and_changes_nothing_otherwise(district):
    submission = submit(district["a1"])
    with pytest.raises(DomainError):
        services.submission_screen(actor=None, submission=submission, eligible=False, reason="", note="x")
    with pytest.raises(DomainError):
        services.submission_screen(actor=None, submission=submission, eligible=False, reason="secret", note=" ")
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_keyword_rules_flag_but_never_exclude(district):
    submission = submit(district["a1"], "土地纠纷", content="已经向法院起诉，另外也去信访了")
    flags = selectors.exclusion_flags(submission, selectors.active_rules())
    assert {f.keyword for f in flags} >= {"起诉", "法院", "信访"}
    assert {f.reason for f in flags} == {"litigation", "petition"}
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED


def test_screening_twice_is_refused_with_a_clear_message(district):
    submission = accepted(district["a1"])
    with pytest.raises(TransitionNotAllowed) as excinfo:
        services.submission_screen(actor=None, submission=submission, eligible=True)
    assert "不能变为" in excinfo.value.message


def test_merge_makes_the_submitter_follow_and_support_the_topic(district):
    first = accepted(district["a1"], "集镇电动车乱停放，堵塞人行道")
    second = submit(district["a1"], "镇上电动车到处乱停，人走不过去")
    third = submit(district["a2"], "电动车乱停放")
    services.submission_merge(actor=None, submission=second, into=first)
    services.submission_merge(actor=None, submission=third, into=second)  # follows the chain to the first
    third.refresh_from_db()
    assert third.merged_into == first
    topic = services.topic_draft_from_submission(actor=make_user(), submission=first)
    assert set(topic.submissions.values_list("pk", flat=True)) == {first.pk, second.pk, third.pk}
    assert TopicSupport.objects.filter(topic=topic).count() == 3
    late = submit(district["a1"], "电动车停得乱七八糟")
    services.submission_merge(actor=None, submission=late, into=first)
    late.refresh_from_db()
    assert late.topic == topic and late.status == SubmissionStatus.MERGED
    assert TopicSupport.objects.filter(topic=topic).count() == 4


def test_merge_into_itself_or_an_excluded_one_is_refused(district):
    a = submit(district["a1"])
    with pytest.raises(DomainError):
        services.submission_merge(actor=None, submission=a, into=a)
    excluded = submit(district["a1"], "已起诉")
    services.submission_screen(actor=None, submission=excluded, eligible=False, reason="litigation", note="在诉讼中")
    with pytest.raises(DomainError):
        services.submission_merge(actor=None, submission=a, into=excluded)
    a.refresh_from_db()
    assert a.status == SubmissionStatus.SUBMITTED


def test_similar_submissions_finds_rewordings_in_the_same_township_only(district):
    original = submit(district["a1"], "集镇电动车乱停放，堵塞人行道", content="")
    reworded = submit(district["a2"], "镇上电动车乱停放，人行道走不了", content="")
    submit(district["a1"], "村里路灯坏了三个月没人修", content="")
    submit(district["b1"], "集镇电动车乱停放，堵塞人行道", content="")  # another township
    found = selectors.similar_submissions(original)
    assert [s.submission for s in found] == [reworded]


@pytest.mark.parametrize(
    "keys,level,where",
    [
        (["a1"], ConveningLevel.VILLAGE, "a1"),
        (["a1", "a2"], ConveningLevel.TOWNSHIP, "a"),
        (["a1", "b1"], ConveningLevel.DISTRICT, "district"),
    ],
)
def test_routing_follows_the_regions_concerned(district, keys, level, where):
    topic = drafted(district["a1"], regions=[district[k] for k in keys])
    assert topic.convening_level == level
    assert topic.convening_region == district[where]


def test_routing_of_a_grid_stays_with_the_grid_under_its_village(district):
    # Groups and grids convene their own matters under the village (003): the grid convenes, and its
    # village's convener and approver run and decide it (test_grid_convening.py).
    grid = district["a1"].children.get()
    region, level = services.convening_for([grid])
    assert (region, level) == (grid, ConveningLevel.GRID)
    assert services.convening_for([grid, district["a1"]]) == (district["a1"], ConveningLevel.VILLAGE)


def test_submit_for_approval_needs_a_verification(district):
    topic = drafted(district["a1"])
    with pytest.raises(DomainError) as excinfo:
        services.topic_submit(actor=None, topic=topic)
    assert "核实" in excinfo.value.message
    services.verification_add(
        actor=make_user(), topic=topic, checked_by="网格员", checked_on=datetime.date(2026, 1, 5), findings="属实"
    )
    assert services.topic_submit(actor=None, topic=topic).status == TopicStatus.PENDING


def test_decisions_are_stamped_and_reasons_required(district):
    approver = make_user("approver")
    topic = pending(district["a1"])
    with pytest.raises(DomainError):
        services.topic_reject(actor=approver, topic=topic, note="")
    services.topic_return(actor=approver, topic=topic, note="请补充费用测算")
    topic.refresh_from_db()
    assert topic.status == TopicStatus.RETURNED and topic.returned_at and topic.decision_note == "请补充费用测算"
    services.topic_submit(actor=None, topic=topic)
    services.topic_approve(actor=approver, topic=topic)
    topic.refresh_from_db()
    assert topic.status == TopicStatus.APPROVED and topic.approved_at and topic.decided_by == approver
    with pytest.raises(TransitionNotAllowed):
        services.topic_reject(actor=approver, topic=topic, note="晚了")


def test_return_and_reject_refuse_a_blank_note_and_leave_the_topic_pending(district):
    approver, topic = make_user("approver"), pending(district["a1"])
    for decide in (services.topic_return, services.topic_reject):
        with pytest.raises(DomainError) as excinfo:
            decide(actor=approver, topic=topic, note="  ")
        assert excinfo.value.field == "note"
    topic.refresh_from_db()
    assert topic.status == TopicStatus.PENDING and topic.decided_by is None


def test_reject_stamps_the_reason_and_closes_the_topic(district):
    approver = make_user("approver")
    topic = services.topic_reject(actor=approver, topic=pending(district["a1"]), note=" 不属于本级事权 ")
    topic.refresh_from_db()
    assert topic.status == TopicStatus.REJECTED and topic.decision_note == "不属于本级事权"
    assert topic.decided_by == approver


def test_a_topic_under_review_cannot_be_edited(district):
    topic = pending(district["a1"])
    with pytest.raises(DomainError):
        services.verification_add(actor=None, topic=topic, checked_by="x", checked_on="2026-01-01", findings="y")


def test_support_is_once_per_resident_and_only_for_approved_topics(district):
    resident = make_user("resident")
    draft = drafted(district["a1"])
    with pytest.raises(DomainError):
        services.topic_support(user=resident, topic=draft)
    topic = approved(district["a2"])
    services.topic_support(user=resident, topic=topic)
    with pytest.raises(DomainError):
        services.topic_support(user=resident, topic=topic)
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicSupport.objects.create(topic=topic, user=resident)
    assert topic.supports.filter(user=resident).count() == 1


@pytest.mark.parametrize("start", SubmissionStatus.values)
def test_submission_transition_table_is_enforced(district, start, settings):
    from shangliang.core.transitions import transition

    submission = submit(district["a1"])
    Submission.objects.filter(pk=submission.pk).update(
        status=start, exclusion_reason="other" if start == "excluded" else ""
    )
    submission.refresh_from_db()
    for target in SubmissionStatus.values:
        if target in SUBMISSION_MOVES[start]:
            continue
        with pytest.raises(TransitionNotAllowed):
            transition(submission, to=target, moves=SUBMISSION_MOVES, actor=None, reason="")


def test_topic_transition_table_has_no_way_out_of_a_decision():
    # The one way on from an approval: a village topic not yet consulted handed up to the township (镇村联动).
    assert TOPIC_MOVES[TopicStatus.APPROVED] == {TopicStatus.ESCALATED}
    assert TOPIC_MOVES[TopicStatus.REJECTED] == set() and TOPIC_MOVES[TopicStatus.ESCALATED] == set()
    assert TOPIC_MOVES[TopicStatus.PENDING] == {
        TopicStatus.APPROVED,
        TopicStatus.REJECTED,
        TopicStatus.RETURNED,
        TopicStatus.ESCALATED,
    }


def test_search_finds_a_word_inside_a_title(district):
    submit(district["a1"], "集镇电动车乱停放")
    submit(district["a1"], "路灯不亮")
    found = selectors.apply_search(Submission.objects.all(), "电动车", ["title"])
    assert [s.title for s in found] == ["集镇电动车乱停放"]
    found = selectors.apply_search(Submission.objects.all(), "电动车停放", ["title"])
    assert [s.title for s in found] == ["集镇电动车乱停放"]


def test_tracking_timeline_follows_the_topic(district):
    topic = approved(district["a1"])
    submission = topic.submissions.get()
    labels = [entry.label for entry in selectors.tracking_timeline(submission)]
    assert labels[0] == "待筛查" and "已受理" in labels and labels[-1] == "议题：已审定"


def test_grid_level_region_is_not_a_village(district):
    grid = make_region("二组", RegionLevel.GRID, district["a2"])
    with pytest.raises(DomainError):
        submit(grid)
