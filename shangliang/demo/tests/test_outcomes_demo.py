from datetime import datetime, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db.models import DateTimeField, F
from django.utils import timezone

from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.safeguards import not_taken_q
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.models import Delivery, Notification
from shangliang.orgs.states import Role, UnitKind
from shangliang.outcomes import selectors
from shangliang.outcomes.models import (
    Assignment,
    ExtensionRequest,
    OutcomeReport,
    ProgressUpdate,
    Publication,
    Reminder,
)
from shangliang.outcomes.permissions import assignments_visible_to, can_post_progress
from shangliang.outcomes.states import (
    CLOSED_ASSIGNMENT,
    AssignmentStatus,
    ExtensionStatus,
    FeedbackEvent,
    ReminderKind,
    ReportKind,
    ReportStatus,
)

pytestmark = pytest.mark.django_db

OUTCOME_MODELS = (OutcomeReport, Assignment, ProgressUpdate, ExtensionRequest, Reminder, Publication, Delivery)


def user(username):
    return get_user_model().objects.get(username=username)


def housing_items():
    return Assignment.objects.filter(lead_unit__name="区住房和城乡建设局")


@pytest.mark.usefixtures("seeded")
class TestDemoOutcomes:
    def test_nearly_every_suggestion_is_assigned_and_items_are_in_every_status(self):
        suggestions = Suggestion.objects.filter(consultation__status=ConsultationStatus.CONCLUDED)
        unassigned = suggestions.filter(assignments__isnull=True)
        # The source district: 353 suggestions in three years, 490+ outcomes implemented. One suggestion
        # is one item here, so the demo reaches at most one done item per suggestion.
        assert 320 <= suggestions.count() <= 400
        # Now and then the party committee and government do not adopt an item, or defer it, with a reason.
        not_taken = unassigned.filter(not_taken_q())
        assert 5 <= not_taken.count() <= 30
        assert not not_taken.filter(decision_reason="").exists()
        assert 1 <= unassigned.exclude(not_taken_q()).count() <= 3
        assert set(Assignment.objects.values_list("status", flat=True)) == set(AssignmentStatus.values)
        done = Assignment.objects.filter(status=AssignmentStatus.DONE).count()
        assert done >= 270 and done > Assignment.objects.count() * 0.8
        kinds = set(Assignment.objects.values_list("lead_unit__kind", flat=True))
        assert kinds == {UnitKind.GOVERNMENT_DEPARTMENT, UnitKind.TOWNSHIP_GOVERNMENT, UnitKind.VILLAGE_COMMITTEE}
        assert Assignment.objects.filter(co_units__isnull=False).exists()
        assert not Assignment.objects.filter(cppcc_committee__isnull=True).exists()
        assert set(Assignment.objects.values_list("cppcc_committee__kind", flat=True)) == {UnitKind.CPPCC_COMMITTEE}
        assert {"supervisor", "cppcc"} == set(Assignment.objects.values_list("supervisor__username", flat=True))

    def test_the_liaisons_unit_has_items_in_every_status_one_overdue_and_one_waiting_to_be_accepted(self):
        liaison = user("liaison")
        assert set(housing_items().values_list("status", flat=True)) == set(AssignmentStatus.values)
        mine = assignments_visible_to(liaison)
        overdue = selectors.assignments_filtered(mine.filter(lead_unit__name="区住房和城乡建设局"), state="overdue")
        assert overdue.exists()
        waiting = mine.filter(lead_unit__name="区住房和城乡建设局", status=AssignmentStatus.ASSIGNED)
        assert waiting.filter(deadline__gte=timezone.localdate()).exists()
        assert all(can_post_progress(liaison, item) for item in mine.filter(status=AssignmentStatus.ACCEPTED))

    def test_overdue_items_are_escalated_and_the_supervisors_reach_the_district_board(self):
        today = timezone.localdate()
        overdue = selectors.assignments_filtered(Assignment.objects.all(), state="overdue")
        assert overdue.count() >= 4
        assert overdue.filter(status=AssignmentStatus.ASSIGNED).exists()
        for item in overdue:
            kinds = set(item.reminders.filter(deadline=item.deadline).values_list("kind", flat=True))
            assert ReminderKind.OVERDUE in kinds, item
            if today - item.deadline > timedelta(days=7):
                assert ReminderKind.DISTRICT_BOARD in kinds, item
        board = selectors.district_overdue(Assignment.objects.all())
        assert board.count() >= 2
        assert board.filter(supervisor=user("supervisor"), lead_unit__name="区住房和城乡建设局").exists()
        assert set(Reminder.objects.values_list("kind", flat=True)) == set(ReminderKind.values)
        notified = Notification.objects.filter(user=user("supervisor"), title__startswith="【逾期通报】")
        assert notified.exists()
        assert Notification.objects.filter(user=user("liaison"), title__startswith="【督办提醒】").exists()

    def test_some_items_fall_due_within_three_days_and_extensions_are_approved_refused_and_pending(self):
        due_soon = selectors.assignments_filtered(Assignment.objects.all(), state="due_soon")
        assert due_soon.count() >= 2
        assert Reminder.objects.filter(assignment__in=due_soon, kind=ReminderKind.DUE_SOON).exists()
        assert set(ExtensionRequest.objects.values_list("status", flat=True)) == set(ExtensionStatus.values)
        pending = ExtensionRequest.objects.get(status=ExtensionStatus.PENDING)
        assert pending.assignment.lead_unit.name == "区住房和城乡建设局"
        assert pending.assignment.deadline == pending.current_deadline
        for extension in ExtensionRequest.objects.filter(status=ExtensionStatus.APPROVED):
            assert extension.assignment.deadline == extension.requested_deadline
            assert extension.decided_by_id == extension.assignment.supervisor_id
        refused = ExtensionRequest.objects.get(status=ExtensionStatus.REFUSED)
        assert refused.decision_note and refused.assignment.deadline == refused.current_deadline

    def test_returned_items_give_a_reason_and_are_assigned_again_to_the_unit_named(self):
        returned = Assignment.objects.filter(status=AssignmentStatus.RETURNED).select_related("lead_unit")
        assert returned.count() >= 2
        for item in returned:
            successor = item.suggestion.assignments.exclude(pk=item.pk).get()
            assert successor.lead_unit != item.lead_unit
            assert successor.lead_unit.name in item.return_reason
            assert item.returned_at - item.assigned_at < timedelta(days=5)
            assert successor.assigned_at > item.returned_at
        assert housing_items().filter(status=AssignmentStatus.RETURNED).exists()

    def test_finished_items_say_what_was_done_or_why_not_and_progress_fills_the_three_columns(self):
        assert not Assignment.objects.filter(status=AssignmentStatus.DONE, result="").exists()
        assert not Assignment.objects.filter(status=AssignmentStatus.DEFERRED, deferral_reason="").exists()
        for item in Assignment.objects.filter(status__in=[AssignmentStatus.DONE, AssignmentStatus.ACCEPTED]):
            assert item.updates.exists(), item
        updates = ProgressUpdate.objects.select_related("assignment")
        assert updates.exclude(problems="").exists() and updates.exclude(next_steps="").exists()
        assert updates.exclude(unit=F("assignment__lead_unit")).exists()
        late = [a for a in Assignment.objects.filter(status=AssignmentStatus.DONE) if selectors.was_late(a)]
        assert late

    def test_reports_of_every_kind_and_entrusted_matters_answered_on_time_late_or_still_waiting(self):
        reports = OutcomeReport.objects.all()
        assert set(reports.values_list("kind", flat=True)) == set(ReportKind.values)
        concluded = Consultation.objects.filter(status=ConsultationStatus.CONCLUDED)
        with_report = concluded.filter(reports__kind=ReportKind.CONSULTATION_REPORT).distinct().count()
        assert with_report >= concluded.count() * 0.8
        assert reports.filter(status=ReportStatus.DRAFT).exists()
        entrusted = list(reports.filter(is_entrusted=True))
        replied = [r for r in entrusted if r.status == ReportStatus.REPLIED]
        assert [r for r in replied if not selectors.is_reply_late(r)]
        assert [r for r in replied if selectors.is_reply_late(r)]
        assert all(r.reply_text for r in replied)
        waiting = list(selectors.replies_waiting(reports))
        assert [r for r in waiting if selectors.is_reply_late(r)]
        assert [r for r in waiting if not selectors.is_reply_late(r)]
        for report in reports.exclude(status=ReportStatus.DRAFT):
            assert report.created_at <= report.sent_at
            assert report.sent_at > report.consultation.concluded_at

    def test_finished_consultations_are_published_but_one_publication_is_overdue(self):
        concluded = Consultation.objects.filter(status=ConsultationStatus.CONCLUDED)
        finished = [c for c in concluded if selectors.completed_at(c)]
        published = [c for c in finished if selectors.has_publication(c)]
        assert len(published) >= len(finished) - 2 and len(published) >= 90
        assert len(selectors.unpublished_overdue(concluded)) >= 1
        for publication in Publication.objects.select_related("consultation"):
            assert publication.published_at > selectors.completed_at(publication.consultation)
            assert "board" in publication.channels
            assert "1." in publication.summary
        assert Delivery.objects.filter(reason__startswith=f"feedback.{FeedbackEvent.PUBLISHED}:").exists()
        told = Notification.objects.filter(user=user("resident"), title__startswith="【")
        assert told.exists()

    def test_everything_happened_before_today_in_order_and_by_an_account(self):
        today = timezone.make_aware(datetime.combine(timezone.localdate(), time()))
        models = (*OUTCOME_MODELS, Notification)
        for model in (*models, *(m.history.model for m in models if hasattr(m, "history"))):
            for field in model._meta.concrete_fields:
                if isinstance(field, DateTimeField):
                    assert not model.objects.filter(**{f"{field.name}__gte": today}).exists(), (model, field.name)
        # The district's demo accounts are made at seeding time; the liaisons of the other units are dated.
        liaisons = get_user_model().objects.filter(scoped_roles__role=Role.UNIT_LIAISON).exclude(username="liaison")
        assert liaisons.count() >= 10
        assert not liaisons.filter(date_joined__gte=today).exists()
        for item in Assignment.objects.all():
            history = list(item.history.order_by("history_id"))
            dates = [h.history_date for h in history]
            assert dates == sorted(dates) and dates[0] == item.assigned_at
            assert all(h.history_user_id for h in history)
            stamps = [item.assigned_at, item.accepted_at, item.deferred_at or item.done_at]
            stamps = [s for s in stamps if s]
            assert stamps == sorted(stamps), item
            if item.status in CLOSED_ASSIGNMENT:
                assert not item.updates.filter(reported_on__gt=timezone.localtime(stamps[-1]).date()).exists()
