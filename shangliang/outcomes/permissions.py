"""Who may see and act on reports, assignments and publications.

Scope follows the consultation's convening region. A unit liaison sees only the items of their
own unit (as lead or co-unit); the named supervisor and the CPPCC committee following an item see it
too. The unit a report is addressed to (its liaisons and head) sees that report, sent, on its own
pages and records the written reply there. Access functions answer 404 both for "does not exist" and
"not yours".
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.permissions import (
    ORGANISERS,
    can_run_consultation,
    consultations_run_by,
    consultations_visible_to,
)
from shangliang.consultations.states import ConsultationStatus, SuggestionDecision, VoteResult
from shangliang.orgs.permissions import covers, granted_ids, path_q, region_paths, role_names
from shangliang.orgs.states import RegionLevel, Role
from shangliang.outcomes import handdown
from shangliang.outcomes.models import Assignment, ExtensionRequest, OutcomeReport, ProgressUpdate
from shangliang.outcomes.selectors import of_units_q
from shangliang.outcomes.states import AssignmentStatus, ReportStatus
from shangliang.topics import elsewhere
from shangliang.topics.permissions import READERS

# The party committee and government draw up the responsibility list (工作责任清单).
ASSIGNERS = frozenset({Role.APPROVER, Role.ADMINISTRATOR})
# Those who follow items and decide extensions: supervisors, the CPPCC office, and the assigners.
SUPERVISORS = frozenset({Role.SUPERVISOR, Role.COMMITTEE_STAFF}) | ASSIGNERS
REGION_PATH = "suggestion__consultation__topic__convening_region__path"
REGION_LEVEL = "suggestion__consultation__topic__convening_region__level"
# Groups and grids convene under their village: their items are checked as the village's are.
VILLAGE_REGION_LEVELS = (RegionLevel.VILLAGE, RegionLevel.GRID)


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def _region(assignment: Assignment):
    return assignment.suggestion.consultation.topic.convening_region


def liaison_unit_ids(user) -> set[int]:
    """Units where the user is a liaison (单位联络员)."""
    return granted_ids(user, {Role.UNIT_LIAISON}, "unit")


def assignments_visible_to(user) -> QuerySet[Assignment]:
    qs = Assignment.objects.filter(is_archived=False)
    if _is_root(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    q = path_q(region_paths(user, READERS), REGION_PATH) | Q(supervisor=user)
    q |= Q(suggestion__consultation__platform_id__in=granted_ids(user, READERS, "platform"))
    q |= Q(cppcc_committee_id__in=granted_ids(user, SUPERVISORS, "unit"))
    units = liaison_unit_ids(user)
    if units:
        q |= of_units_q(units)
    # 镇村联动: a village's convener sees the items handed down to its committee (``handdown``).
    committees = handdown.convener_committee_ids(user)
    if committees:
        q |= handdown.handed_down_q(committees)
    return qs.filter(q)


def can_assign(user, consultation: Consultation) -> bool:
    """The party committee or government whose scope covers the convening region."""
    return _is_root(user) or covers(user, ASSIGNERS, consultation.topic.convening_region)


def can_report(user, consultation: Consultation) -> bool:
    """The organisers of the consultation write and send its reports and publish its results."""
    return can_run_consultation(user, consultation)


def can_record_reply(user, report: OutcomeReport) -> bool:
    return can_report(user, report.consultation) or can_assign(user, report.consultation)


def is_lead_liaison(user, assignment: Assignment) -> bool:
    """A liaison of the lead unit, or the convener of the village whose committee leads a handed-down item."""
    if _is_root(user) or assignment.lead_unit_id in liaison_unit_ids(user):
        return True
    return handdown.leads_for_village(user, assignment)


def can_post_progress(user, assignment: Assignment) -> bool:
    """Liaisons of the lead unit and of every co-unit report progress."""
    if is_lead_liaison(user, assignment):
        return True
    units = liaison_unit_ids(user)
    if units and assignment.co_units.filter(pk__in=units).exists():
        return True
    return handdown.shares_for_village(user, assignment)


def can_supervise(user, assignment: Assignment) -> bool:
    """The named supervisor, a supervisor or assigner covering the region, or the CPPCC committee following it."""
    if _is_root(user) or assignment.supervisor_id == getattr(user, "pk", None):
        return True
    if assignment.cppcc_committee_id and assignment.cppcc_committee_id in granted_ids(user, SUPERVISORS, "unit"):
        return True
    return covers(user, SUPERVISORS, _region(assignment))


def is_village_item(assignment: Assignment) -> bool:
    """An item of a village's (community's) own consultation, or of a villager group's or grid's convened
    under it: its convener checks it, not the supervisor."""
    return _region(assignment).level in VILLAGE_REGION_LEVELS


def can_check(user, assignment: Assignment) -> bool:
    """Who checks (验收) an item the unit reports finished: the organisers of a village's consultation for
    its items; for township and district items, those who supervise it (``can_supervise``)."""
    if is_village_item(assignment):
        return can_run_consultation(user, assignment.suggestion.consultation)
    return can_supervise(user, assignment)


def assignments_to_check(user) -> QuerySet[Assignment]:
    """Finished items waiting for this user's check: the SQL form of ``can_check``."""
    qs = Assignment.objects.filter(is_archived=False, status=AssignmentStatus.FINISHED)
    if _is_root(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    village = Q(**{f"{REGION_LEVEL}__in": VILLAGE_REGION_LEVELS})
    organised = path_q(region_paths(user, ORGANISERS), REGION_PATH)
    supervised = (
        path_q(region_paths(user, SUPERVISORS), REGION_PATH)
        | Q(supervisor=user)
        | Q(cppcc_committee_id__in=granted_ids(user, SUPERVISORS, "unit"))
    )
    return qs.filter((village & organised) | (~village & supervised))


def can_use_board(user) -> bool:
    return _is_root(user) or bool(role_names(user) & (SUPERVISORS | READERS))


def can_use_unit_desk(user) -> bool:
    return _is_root(user) or bool(liaison_unit_ids(user))


def get_assignment_for_view(user, pk) -> Assignment:
    try:
        return (
            assignments_visible_to(user)
            .select_related(
                "suggestion__consultation__topic__convening_region",
                "suggestion__consultation__platform",
                "lead_unit",
                "cppcc_committee",
                "supervisor",
            )
            .get(pk=pk)
        )
    except (Assignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_consultation_for_outcomes(user, pk) -> Consultation:
    """The outcomes page of a consultation: its readers, and the units it assigned items to."""
    try:
        pk = int(pk)
    except (ValueError, TypeError):
        raise Http404 from None
    qs = consultations_visible_to(user)
    if not _is_root(user):
        qs = Consultation.objects.filter(
            Q(pk__in=qs.values("pk")) | Q(pk__in=assignments_visible_to(user).values("suggestion__consultation_id"))
        )
    try:
        return qs.select_related(
            "topic__convening_region", "topic__category", "platform__region", "session_format"
        ).get(pk=pk)
    except Consultation.DoesNotExist:
        raise Http404 from None


def get_report_for_view(user, pk) -> OutcomeReport:
    try:
        report = OutcomeReport.objects.select_related("consultation__topic__convening_region").get(pk=pk)
    except (OutcomeReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not consultations_visible_to(user).filter(pk=report.consultation_id).exists():
        raise Http404
    return report


# --- the unit a report is addressed to (its written reply) ------------------------------------------


def reports_addressed_to(user) -> QuerySet[OutcomeReport]:
    """Reports sent (not drafts) to a unit where the user is a liaison (单位联络员) or the head: the unit's side
    of the written reply. Another unit's reports, and every report to a free-text recipient, are not theirs."""
    qs = OutcomeReport.objects.filter(is_archived=False, recipient_unit__isnull=False).exclude(
        status=ReportStatus.DRAFT
    )
    if _is_root(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(Q(recipient_unit_id__in=liaison_unit_ids(user)) | Q(recipient_unit__head=user))


def reports_to_answer(user) -> QuerySet[OutcomeReport]:
    """Reports addressed to the user's unit still waiting for its written reply."""
    return reports_addressed_to(user).filter(status=ReportStatus.SENT)


def can_use_unit_reports(user) -> bool:
    return _is_root(user) or bool(liaison_unit_ids(user)) or reports_addressed_to(user).exists()


def get_report_for_unit(user, pk) -> OutcomeReport:
    """A report on its recipient unit's page; 404 for another unit's, a draft, or one that does not exist."""
    try:
        return reports_addressed_to(user).get(pk=pk)
    except (OutcomeReport.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# --- the responsibility list (工作责任清单) seen by a unit -------------------------------------------


def shows_responsible_person(user, assignment: Assignment, *, is_reader: bool) -> bool:
    """Whether a responsibility list names an item's responsible person (and number) to ``user``.

    The consultation's readers (organisers, assigners, supervisors) see every line. A unit's liaison
    who opens the list through their own items sees their unit's lines (lead or co-unit) and the other
    units' by unit only. ``co_units`` should be prefetched (``selectors.with_related``).
    """
    if is_reader or _is_root(user):
        return True
    units = liaison_unit_ids(user) | handdown.acting_committee_ids(user, assignment)
    return assignment.lead_unit_id in units or any(unit.pk in units for unit in assignment.co_units.all())


def get_extension_for_decision(user, pk) -> ExtensionRequest:
    try:
        extension = ExtensionRequest.objects.select_related("assignment").get(pk=pk)
    except (ExtensionRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    assignment = get_assignment_for_view(user, extension.assignment_id)
    if not can_supervise(user, assignment):
        raise Http404
    extension.assignment = assignment
    return extension


# --- files (served by core.media_views) ------------------------------------------------------


def can_download_reply_attachment(user, report: OutcomeReport) -> bool:
    """The written reply's attachment: whoever may open the report, on the staff side or the unit's."""
    if consultations_visible_to(user).filter(pk=report.consultation_id).exists():
        return True
    return reports_addressed_to(user).filter(pk=report.pk).exists()


# The evidence a unit may let residents see: photos only (stored re-encoded, without EXIF).
PUBLIC_EVIDENCE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def is_public_evidence(assignment: Assignment) -> bool:
    """The item's evidence photo is shown on the public result: the unit ticked it public, the check accepted
    the item (done), and the file is a photo. Reads nothing from the database."""
    return bool(
        assignment.evidence
        and assignment.evidence_public
        and assignment.status == AssignmentStatus.DONE
        and not assignment.is_archived
        and assignment.evidence.name.lower().endswith(PUBLIC_EVIDENCE_SUFFIXES)
    )


def can_download_evidence(user, assignment: Assignment) -> bool:
    """Whoever may see the item; anyone at all for a public evidence photo of a consultation whose results are
    public (concluded, not archived), as the public result shows it. No other file is public."""
    if is_public_evidence(assignment):
        public = Consultation.objects.filter(
            pk=assignment.suggestion.consultation_id, status=ConsultationStatus.CONCLUDED, is_archived=False
        )
        if public.exists():
            return True
    return assignments_visible_to(user).filter(pk=assignment.pk).exists()


def can_download_progress_attachment(user, update: ProgressUpdate) -> bool:
    return assignments_visible_to(user).filter(pk=update.assignment_id).exists()


# --- what waits for an organiser or an assigner (the home page's to-do list) ----------------------


def consultations_to_publish(user) -> QuerySet[Consultation]:
    """Concluded consultations the user organises (``can_report``) whose results are not yet published."""
    return consultations_run_by(user).filter(status=ConsultationStatus.CONCLUDED, publication__isnull=True)


def _assignable_q(user, path: str) -> Q:
    """The SQL form of ``can_assign`` on the consultation whose convening region's path is ``path``."""
    return Q() if _is_root(user) else path_q(region_paths(user, ASSIGNERS), path)


def reports_received_by(user) -> QuerySet[OutcomeReport]:
    """Reports sent up and not yet answered, of consultations the user may assign (``can_record_reply``)."""
    return OutcomeReport.objects.filter(
        _assignable_q(user, "consultation__topic__convening_region__path"),
        is_archived=False,
        status=ReportStatus.SENT,
    )


def suggestions_to_assign(user) -> QuerySet[Suggestion]:
    """Suggestions (not withdrawn) of concluded consultations the user may assign that no unit holds:
    never handed out, or every unit they went to returned them. The ``交办`` buttons of the outcomes page.
    Items that cannot be handed out are left out: not adopted, deferred, dropped by the assembly's vote or
    waiting for it (``consultations.safeguards.assign_refusal``)."""
    live = Assignment.objects.filter(suggestion=OuterRef("pk")).exclude(status=AssignmentStatus.RETURNED)
    return (
        Suggestion.objects.filter(
            _assignable_q(user, "consultation__topic__convening_region__path"),
            ~Exists(live),
            consultation__status=ConsultationStatus.CONCLUDED,
            consultation__is_archived=False,
        )
        .exclude(decision__in=[SuggestionDecision.NOT_ADOPTED, SuggestionDecision.DEFERRED])
        .exclude(vote_result=VoteResult.DROPPED)
        .exclude(contested_at__isnull=False, vote_result="")
        # Handed to another channel (topics.elsewhere): settled there.
        .exclude(elsewhere.handed_off_q("suggestion"))
    )
