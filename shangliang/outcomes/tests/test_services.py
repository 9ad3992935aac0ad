"""Rules of the outcomes stage, through the services."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from shangliang.consultations.tests.builders import in_session
from shangliang.core.errors import DomainError, EditConflict, TransitionNotAllowed
from shangliang.core.models import Delivery, Notification
from shangliang.core.transitions import transition
from shangliang.orgs.states import UnitKind
from shangliang.orgs.tests.factories import make_user
from shangliang.outcomes import feedback, selectors, services
from shangliang.outcomes.models import Assignment, ExtensionRequest, Publication
from shangliang.outcomes.states import (
    ASSIGNMENT_MOVES,
    AssignmentStatus,
    FeedbackEvent,
    ReportKind,
    ReportStatus,
)
from shangliang.outcomes.tests.builders import assigned, concluded, liaison_of, make_unit
from shangliang.topics.models import TopicFollow

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultation(district):
    return concluded(district)


@pytest.fixture
def unit(district):
    return make_unit(district["district"])


@pytest.fixture
def liaison(unit):
    return liaison_of(unit)


def fresh(obj):
    obj.refresh_from_db()
    return obj


# --- reports -------------------------------------------------------------------------------


def test_report_is_written_from_the_resolution(consultation):
    report = services.report_draft(
        actor=consultation.convener, consultation=consultation, kind=ReportKind.PROPOSAL, recipient="区政协"
    )
    assert report.title == "关于“集镇电动车乱停放”的政协提案"
    assert "1. 规划电动车停放点" in report.body and "2. 安排赶集日值守" in report.body
    assert report.status == ReportStatus.DRAFT


def test_report_refused_before_the_resolution_is_agreed(district):
    consultation = in_session(district)
    with pytest.raises(DomainError):
        services.report_draft(
            actor=consultation.convener, consultation=consultation, kind=ReportKind.PROPOSAL, recipient="区政协"
        )


def test_entrusted_report_is_due_a_written_reply_within_ten_days(consultation, settings):
    settings.SHANGLIANG_REPLY_DAYS = 10
    report = services.report_draft(
        actor=consultation.convener,
        consultation=consultation,
        kind=ReportKind.CONSULTATION_REPORT,
        recipient="镇政府",
        is_entrusted=True,
    )
    sent = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
    services.report_send(actor=consultation.convener, report=report, now=sent)
    report = fresh(report)
    assert report.sent_at == sent
    # Ten working days (the default counting), the day of sending not counted: 3-03 … 3-06, 3-09 … 3-13, 3-16.
    assert report.reply_due_on == datetime.date(2026, 3, 16)
    assert selectors.is_reply_late(report, today=datetime.date(2026, 3, 16)) is False
    assert selectors.is_reply_late(report, today=datetime.date(2026, 3, 17)) is True


def test_a_reply_after_the_due_date_stays_flagged_late(consultation):
    report = services.report_draft(
        actor=consultation.convener,
        consultation=consultation,
        kind="consultation_report",
        recipient="镇政府",
        is_entrusted=True,
    )
    sent = timezone.make_aware(datetime.datetime(2026, 3, 2, 10, 0))
    services.report_send(actor=consultation.convener, report=report, now=sent)
    on_time = services.report_draft(
        actor=consultation.convener,
        consultation=consultation,
        kind="consultation_report",
        recipient="镇政府",
        is_entrusted=True,
    )
    services.report_send(actor=consultation.convener, report=on_time, now=sent)
    services.report_reply(
        actor=consultation.convener, report=report, text="已研究，同意", now=sent + datetime.timedelta(days=15)
    )
    services.report_reply(
        actor=consultation.convener, report=on_time, text="已研究，同意", now=sent + datetime.timedelta(days=9)
    )
    assert selectors.is_reply_late(fresh(report)) is True
    assert selectors.is_reply_late(fresh(on_time)) is False
    assert fresh(report).status == ReportStatus.REPLIED


def test_a_report_not_entrusted_is_never_late(consultation):
    report = services.report_draft(
        actor=consultation.convener, consultation=consultation, kind="opinion_bulletin", recipient="区政协"
    )
    services.report_send(actor=consultation.convener, report=report, now=timezone.now() - datetime.timedelta(days=60))
    assert fresh(report).reply_due_on is None
    assert selectors.is_reply_late(fresh(report)) is False


def test_a_sent_report_cannot_be_edited_or_sent_twice(consultation):
    report = services.report_draft(
        actor=consultation.convener, consultation=consultation, kind="opinion_bulletin", recipient="区政协"
    )
    services.report_send(actor=consultation.convener, report=report)
    with pytest.raises(DomainError):
        services.report_update(actor=consultation.convener, report=report, title="新标题", body="x", recipient="y")
    with pytest.raises(TransitionNotAllowed):
        services.report_send(actor=consultation.convener, report=report)


# --- assignments ---------------------------------------------------------------------------


def test_assignment_records_unit_person_deadline_committee_and_supervisor(consultation, unit, district):
    committee = make_unit(district["district"], name="区政协农业农村委", kind=UnitKind.CPPCC_COMMITTEE)
    co = make_unit(district["district"], name="区交通运输局")
    supervisor = make_user("dubanren")
    assignment = assigned(
        consultation, unit=unit, co_units=[co, unit], cppcc_committee=committee, supervisor=supervisor
    )
    assignment = fresh(assignment)
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert list(assignment.co_units.all()) == [co]  # the lead unit is not its own co-unit
    assert assignment.cppcc_committee == committee and assignment.supervisor == supervisor
    assert assignment.history.first().history_user == consultation.convener


def test_assignment_refuses_a_past_deadline_and_a_committee_that_is_not_cppcc(consultation, unit):
    with pytest.raises(DomainError) as error:
        assigned(consultation, unit=unit, days=-1)
    assert error.value.field == "deadline"
    with pytest.raises(DomainError) as error:
        assigned(consultation, unit=unit, cppcc_committee=unit)
    assert error.value.field == "cppcc_committee"
    assert not Assignment.objects.exists()


def test_a_suggestion_is_assigned_once_until_it_is_returned(consultation, unit, liaison, district):
    first = assigned(consultation, unit=unit)
    other = make_unit(district["district"], name="区交通运输局")
    with pytest.raises(DomainError):
        assigned(consultation, unit=other)
    services.assignment_return(actor=liaison, assignment=first, reason="不属于本单位职责", version=first.version)
    second = assigned(consultation, unit=other)
    assert fresh(first).status == AssignmentStatus.RETURNED and fresh(first).return_reason == "不属于本单位职责"
    assert second.status == AssignmentStatus.ASSIGNED


def test_database_allows_one_live_assignment_per_suggestion(consultation, unit):
    first = assigned(consultation, unit=unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            suggestion=first.suggestion,
            lead_unit=unit,
            deadline=first.deadline,
            responsible_person="x",
            supervisor=first.supervisor,
            assigned_by=first.assigned_by,
        )


def test_return_is_refused_after_the_set_period(consultation, unit, liaison, settings):
    settings.SHANGLIANG_RETURN_DAYS = 5
    assignment = assigned(consultation, unit=unit)
    later = assignment.assigned_at + datetime.timedelta(days=6)
    with pytest.raises(DomainError):
        services.assignment_return(actor=liaison, assignment=assignment, reason="不属于", now=later)
    assert fresh(assignment).status == AssignmentStatus.ASSIGNED
    with pytest.raises(DomainError) as error:
        services.assignment_return(actor=liaison, assignment=assignment, reason=" ")
    assert error.value.field == "reason"


def test_progress_needs_acceptance_first(consultation, unit, liaison):
    assignment = assigned(consultation, unit=unit)
    with pytest.raises(DomainError):
        services.progress_add(actor=liaison, assignment=assignment, unit=unit, progress="已选址")
    services.assignment_accept(actor=liaison, assignment=assignment)
    update = services.progress_add(
        actor=liaison,
        assignment=assignment,
        unit=unit,
        progress="已选址",
        problems="用地未落实",
        next_steps="与镇政府协调",
    )
    assert (update.progress, update.problems, update.next_steps) == ("已选址", "用地未落实", "与镇政府协调")
    assert fresh(assignment).accepted_at is not None


def test_the_second_of_two_simultaneous_updates_gets_a_conflict(consultation, unit, liaison):
    assignment = assigned(consultation, unit=unit)
    services.assignment_accept(actor=liaison, assignment=assignment)
    opened = fresh(assignment).version  # both people opened the form at this version
    colleague = liaison_of(unit)
    services.progress_add(actor=liaison, assignment=assignment, unit=unit, progress="第一份", version=opened)
    with pytest.raises(EditConflict):
        services.progress_add(actor=colleague, assignment=assignment, unit=unit, progress="第二份", version=opened)
    with pytest.raises(EditConflict):
        services.assignment_complete(actor=colleague, assignment=assignment, result="完成", version=opened)
    assert [u.progress for u in assignment.updates.all()] == ["第一份"]
    assert fresh(assignment).status == AssignmentStatus.ACCEPTED


def test_done_needs_a_result_and_evidence_or_progress(consultation, unit, liaison):
    assignment = assigned(consultation, unit=unit)
    services.assignment_accept(actor=liaison, assignment=assignment)
    with pytest.raises(DomainError) as error:
        services.assignment_complete(actor=liaison, assignment=assignment, result="")
    assert error.value.field == "result"
    with pytest.raises(DomainError) as error:
        services.assignment_complete(actor=liaison, assignment=assignment, result="建成停放点")
    assert error.value.field == "evidence"
    services.progress_add(actor=liaison, assignment=assignment, unit=unit, progress="施工中")
    services.assignment_complete(actor=liaison, assignment=assignment, result="建成停放点")
    assignment = fresh(assignment)
    # Finished by the unit, waiting for the check (验收): not done yet.
    assert assignment.status == AssignmentStatus.FINISHED and assignment.done_at and assignment.result == "建成停放点"


def test_deferral_needs_an_explanation_and_can_be_resumed(consultation, unit, liaison):
    assignment = assigned(consultation, unit=unit)
    services.assignment_accept(actor=liaison, assignment=assignment)
    with pytest.raises(DomainError):
        services.assignment_defer(actor=liaison, assignment=assignment, reason="")
    services.assignment_defer(actor=liaison, assignment=assignment, reason="资金明年列入预算")
    assert fresh(assignment).deferral_reason == "资金明年列入预算"
    services.assignment_resume(actor=liaison, assignment=assignment)
    assert fresh(assignment).status == AssignmentStatus.ACCEPTED


def test_every_move_of_the_assignment_table(consultation, unit, liaison):
    assignment = assigned(consultation, unit=unit)
    for start in AssignmentStatus.values:
        for target in AssignmentStatus.values:
            Assignment.objects.filter(pk=assignment.pk).update(status=start)
            assignment = fresh(assignment)
            if target in ASSIGNMENT_MOVES[start]:
                transition(assignment, to=target, moves=ASSIGNMENT_MOVES, actor=liaison, reason="")
                assert fresh(assignment).status == target
            else:
                with pytest.raises(TransitionNotAllowed):
                    transition(assignment, to=target, moves=ASSIGNMENT_MOVES, actor=liaison, reason="")


# --- extensions ----------------------------------------------------------------------------


def test_an_extension_moves_the_deadline_only_when_approved(consultation, unit, liaison):
    assignment = assigned(consultation, unit=unit, days=10)
    old = assignment.deadline
    request = services.extension_request(
        actor=liaison, assignment=assignment, requested_deadline=old + datetime.timedelta(days=20), reason="雨季施工"
    )
    assert fresh(assignment).deadline == old
    with pytest.raises(DomainError):
        services.extension_request(
            actor=liaison, assignment=assignment, requested_deadline=old + datetime.timedelta(days=30), reason="再延"
        )
    supervisor = assignment.supervisor
    services.extension_decide(actor=supervisor, extension=request, approve=True, note="同意")
    assert fresh(assignment).deadline == old + datetime.timedelta(days=20)
    request = fresh(request)
    assert request.decided_by == supervisor and request.approved_at is not None


def test_a_refused_extension_keeps_the_deadline_and_needs_a_note(consultation, unit, liaison):
    assignment = assigned(consultation, unit=unit, days=10)
    request = services.extension_request(
        actor=liaison,
        assignment=assignment,
        requested_deadline=assignment.deadline + datetime.timedelta(days=5),
        reason="人手不足",
    )
    with pytest.raises(DomainError):
        services.extension_decide(actor=assignment.supervisor, extension=request, approve=False)
    services.extension_decide(actor=assignment.supervisor, extension=request, approve=False, note="理由不充分")
    assert fresh(request).status == "refused"
    assert fresh(assignment).deadline == assignment.deadline
    with pytest.raises(TransitionNotAllowed):
        services.extension_decide(actor=assignment.supervisor, extension=request, approve=True)


def test_nobody_approves_their_own_extension_request(consultation, unit, liaison):
    assignment = assigned(consultation, unit=unit, days=10)
    request = services.extension_request(
        actor=assignment.supervisor,
        assignment=assignment,
        requested_deadline=assignment.deadline + datetime.timedelta(days=5),
        reason="雨季",
    )
    with pytest.raises(DomainError):
        services.extension_decide(actor=assignment.supervisor, extension=request, approve=True, note="同意")
    assert fresh(assignment).deadline == assignment.deadline


def test_an_extension_must_ask_for_a_later_date(consultation, unit, liaison):
    assignment = assigned(consultation, unit=unit, days=10)
    with pytest.raises(DomainError) as error:
        services.extension_request(
            actor=liaison, assignment=assignment, requested_deadline=assignment.deadline, reason="x"
        )
    assert error.value.field == "requested_deadline"
    assert not ExtensionRequest.objects.exists()


# --- overdue, completion, publication -----------------------------------------------------


def test_overdue_and_due_soon_are_computed_from_the_deadline(consultation, unit, liaison):
    today = timezone.localdate()
    assignment = assigned(consultation, unit=unit, days=2, today=today)
    assert selectors.is_due_soon(assignment, today) and not selectors.is_overdue(assignment, today)
    later = assignment.deadline + datetime.timedelta(days=1)
    assert selectors.is_overdue(assignment, later) and selectors.days_overdue(assignment, later) == 1
    board = selectors.board_for(Assignment.objects.all(), today=later)
    assert (board.overdue, board.by_unit[0].name, board.by_unit[0].overdue) == (1, unit.name, 1)


def test_publication_falls_due_when_every_item_is_finished(consultation, unit, liaison, settings):
    settings.SHANGLIANG_PUBLISH_DAYS = 7
    first = assigned(consultation, unit=unit, order=0)
    second = assigned(consultation, unit=unit, order=1)
    for item in (first, second):
        services.assignment_accept(actor=liaison, assignment=item)
    services.progress_add(actor=liaison, assignment=first, unit=unit, progress="施工")
    services.assignment_complete(actor=liaison, assignment=first, result="建成")
    assert selectors.publication_due_on(consultation) is None
    services.assignment_defer(actor=liaison, assignment=second, reason="明年安排")
    # Finished is not done: the period runs from the check.
    assert selectors.publication_due_on(consultation) is None
    services.assignment_check(first, actor=consultation.convener)
    due = selectors.publication_due_on(consultation)
    assert due == timezone.localdate() + datetime.timedelta(days=7)
    assert not selectors.is_publication_overdue(consultation, today=due)
    assert selectors.is_publication_overdue(consultation, today=due + datetime.timedelta(days=1))
    assert selectors.unpublished_overdue(
        consultation.__class__.objects.all(), today=due + datetime.timedelta(days=1)
    ) == [consultation]
    services.publication_publish(actor=consultation.convener, consultation=consultation, summary="停放点已建成")
    consultation = consultation.__class__.objects.get(pk=consultation.pk)
    assert not selectors.is_publication_overdue(consultation, today=due + datetime.timedelta(days=1))


def test_publication_needs_a_concluded_consultation_summary_and_channel(district):
    open_one = in_session(district)
    with pytest.raises(DomainError):
        services.publication_publish(actor=open_one.convener, consultation=open_one, summary="x")
    consultation = concluded(district, title="村道路灯")
    with pytest.raises(DomainError) as error:
        services.publication_publish(actor=consultation.convener, consultation=consultation, summary=" ")
    assert error.value.field == "summary"
    with pytest.raises(DomainError) as error:
        services.publication_publish(
            actor=consultation.convener, consultation=consultation, summary="已完成", channels=["fax"]
        )
    assert error.value.field == "channels"
    assert not Publication.objects.exists()


# --- feedback ------------------------------------------------------------------------------


def test_people_concerned_are_told_at_each_step_once(consultation, unit, liaison, django_capture_on_commit_callbacks):
    follower = make_user("guanzhu")
    TopicFollow.objects.create(topic=consultation.topic, user=follower)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assigned(consultation, unit=unit)
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_accept(actor=liaison, assignment=assignment)
        services.progress_add(actor=liaison, assignment=assignment, unit=unit, progress="已开工")
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_complete(actor=liaison, assignment=assignment, result="已建成")
    # The unit's 办结 alone tells nobody: the people concerned hear of it once the check accepts it.
    assert not Notification.objects.filter(user=follower, title__startswith="【已办结").exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_check(assignment, actor=assignment.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        services.publication_publish(actor=consultation.convener, consultation=consultation, summary="停放点已建成")
    titles = list(Notification.objects.filter(user=follower).order_by("pk").values_list("title", flat=True))
    assert [t.split("】")[0] for t in titles] == ["【已交办", "【有新进展", "【已办结", "【结果已公开"]
    mobiles = {p.mobile for p in consultation.participants.all() if p.mobile}
    done = feedback.reason(FeedbackEvent.DONE, f"assignment:{assignment.pk}")
    sms = set(Delivery.objects.filter(reason=done, channel="sms").values_list("recipient", flat=True))
    assert mobiles and mobiles <= sms
    # A retried step tells nobody twice, on any channel.
    before = (Delivery.objects.count(), Notification.objects.count())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        told = feedback.tell_concerned(consultation, FeedbackEvent.DONE, key=f"assignment:{assignment.pk}", detail="x")
        assert told == 0
    # Its texts were written with the first run: nothing is even queued to send again.
    assert not callbacks and (Delivery.objects.count(), Notification.objects.count()) == before


def test_a_proposal_is_signed_only_by_members_taking_part_and_names_them_as_proposers(consultation):
    from shangliang.orgs import services as org_services
    from shangliang.orgs.tests.factories import make_member
    from shangliang.outcomes.documents.outcome_report import report_letter
    from shangliang.outcomes.states import ReportKind

    attached = make_member("陈委员")
    org_services.member_assign(
        actor=None, member=attached, platform=consultation.platform, started_on=datetime.date(2024, 1, 1)
    )
    stranger = make_member("外地委员")
    with pytest.raises(DomainError) as refused:
        services.report_draft(
            actor=consultation.convener,
            consultation=consultation,
            kind=ReportKind.PROPOSAL,
            recipient="区政协",
            members=[stranger],
        )
    assert refused.value.field == "members"
    report = services.report_draft(
        actor=consultation.convener,
        consultation=consultation,
        kind=ReportKind.PROPOSAL,
        recipient="区政协",
        members=[attached],
    )
    assert list(report.members.all()) == [attached]
    assert ("提案人", "陈委员") in report_letter(report).fields
