"""What a member's public page (履职码) and a station's public page show, read from the records kept elsewhere.

The member's record of a year uses the same definitions as their points (``selectors.occurrences``): the
sessions they attended (held consultations), their research, the problems they collected for residents
(a count), the proposals and bulletins they signed. Their recommendations and suggestions are listed
with what became of them. Only what the public may know: no phone numbers, no workplace, no residents'
names; a bulletin (社情民意信息) is internal, so only counted. Queries are bounded (one per part).
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.urls import reverse
from django.utils import timezone

from shangliang.consultations.models import Participant, Research, Suggestion
from shangliang.consultations.selectors import HELD_AT, held_in, held_q
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.dates import FIRST_YEAR
from shangliang.orgs import reception
from shangliang.orgs.models import Member, MemberAssignment, Platform
from shangliang.outcomes.models import Assignment, OutcomeReport
from shangliang.outcomes.states import ReportKind, ReportStatus
from shangliang.points import selectors
from shangliang.points.selectors import LIVE_ASSIGNMENT, LOGGED_RECEIVED, Occurrence
from shangliang.points.states import PointKind
from shangliang.topics.models import Submission
from shangliang.topics.states import Source, SubmissionStatus, TopicStatus


@dataclass
class Recommended:
    title: str
    stage: str
    url: str = ""


@dataclass
class MemberRecord:
    member: Member
    year: int
    sessions: list[Occurrence] = field(default_factory=list)
    research: list[Occurrence] = field(default_factory=list)
    recommended: list[Recommended] = field(default_factory=list)
    recommended_total: int = 0
    suggestions: list = field(default_factory=list)
    proposals: list[Occurrence] = field(default_factory=list)
    bulletins: int = 0
    problems: int = 0
    stations: list[MemberAssignment] = field(default_factory=list)
    slots: list = field(default_factory=list)


def _recommendation_stage(submission: Submission) -> Recommended:
    """What became of a recommendation, in public words; the pool page once its topic is approved."""
    topic = submission.topic
    if topic is not None and not topic.is_archived and topic.status == TopicStatus.APPROVED:
        return Recommended(topic.title, topic.get_status_display(), reverse("topics:pool_topic", args=[topic.pk]))
    if submission.status == SubmissionStatus.EXCLUDED:
        return Recommended("", submission.get_status_display())
    if topic is not None:
        return Recommended("", topic.get_status_display())
    return Recommended("", submission.get_status_display())


def member_record(member: Member, year: int) -> MemberRecord:
    record = MemberRecord(member=member, year=year)
    record.sessions = selectors.occurrences(PointKind.SESSION_ATTENDED, member, year)
    record.research = selectors.occurrences(PointKind.RESEARCH, member, year)
    record.problems = len(selectors.occurrences(PointKind.PROBLEM_LOGGED, member, year))
    reports = selectors.occurrences(PointKind.REPORT_SENT, member, year)
    record.proposals = [o for o in reports if o.source.kind == ReportKind.PROPOSAL]
    record.bulletins = sum(1 for o in reports if o.source.kind == ReportKind.OPINION_BULLETIN)
    # Recommendations (委员荐题) made in the year: only approved topics are named (the public pool); the
    # others are said by stage without their title (an excluded matter's wording is not public).
    recommendations = list(
        Submission.objects.filter(
            source=Source.MEMBER, member=member, is_archived=False, created_at__year=year
        ).select_related("topic")
    )
    record.recommended_total = len(recommendations)
    record.recommended = [_recommendation_stage(s) for s in recommendations]
    # Suggestions the member put forward at sessions held in the year, public once the consultation
    # concluded (its results page), with their marks and their assignments' status.
    record.suggestions = list(
        Suggestion.objects.filter(
            proposed_by=member,
            withdrawn_at__isnull=True,
            consultation__in=held_in(year),
            consultation__status=ConsultationStatus.CONCLUDED,
        )
        .select_related("consultation__topic")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(is_archived=False, status__in=LIVE_ASSIGNMENT).select_related(
                    "lead_unit"
                ),
                to_attr="live_assignments",
            )
        )
        .order_by("consultation__in_session_at", "order", "pk")
    )
    record.stations = list(
        MemberAssignment.objects.filter(member=member, ended_on__isnull=True, platform__is_archived=False)
        .select_related("platform__region")
        .order_by("started_on", "pk")
    )
    record.slots = reception.upcoming_slots(member=member, limit=10)
    return record


def _years(rows, moment: str):
    """The distinct years (local time) of ``moment`` among ``rows``, as a one-column query to unite."""
    return rows.annotate(record_year=ExtractYear(moment)).values_list("record_year", flat=True).order_by()


def record_years(member: Member) -> list[int]:
    """The years in which the member has anything their public page counts (``member_record``'s parts,
    by the same definitions, without the year), latest first; one query. Years before ``FIRST_YEAR`` or
    after the current one are left out (the year switcher offers no others)."""
    participant = Q(member=member)
    if member.user_id:
        participant |= Q(user_id=member.user_id)
    parts = [
        # Sessions attended: signed in (and how recorded) at a session held.
        _years(
            Participant.objects.filter(participant, held_q("consultation__"), signed_in_at__isnull=False).exclude(
                signed_in_via=""
            ),
            f"consultation__{HELD_AT}",
        ),
        # Research for a consultation neither cancelled nor archived.
        _years(
            Research.objects.filter(members=member, consultation__is_archived=False).exclude(
                consultation__status=ConsultationStatus.CANCELLED
            ),
            "researched_on",
        ),
        # Recommendations made.
        _years(
            Submission.objects.filter(source=Source.MEMBER, member=member, is_archived=False),
            "created_at",
        ),
        # Suggestions put forward at a session held, public once the consultation concluded.
        _years(
            Suggestion.objects.filter(
                held_q("consultation__"),
                proposed_by=member,
                withdrawn_at__isnull=True,
                consultation__status=ConsultationStatus.CONCLUDED,
            ),
            f"consultation__{HELD_AT}",
        ),
        # Proposals and bulletins sent.
        _years(
            OutcomeReport.objects.filter(
                members=member,
                kind__in=[ReportKind.PROPOSAL, ReportKind.OPINION_BULLETIN],
                status__in=[ReportStatus.SENT, ReportStatus.REPLIED],
                sent_at__isnull=False,
                is_archived=False,
            ),
            "sent_at",
        ),
        # Residents' problems the member logged and the station accepted (``selectors._logged_problems``).
        _years(
            Submission.objects.filter(
                via_member=member,
                via_member__user__isnull=False,
                recorded_by=F("via_member__user"),
                status__in=LOGGED_RECEIVED,
                is_archived=False,
            )
            .alias(received_at=Coalesce("accepted_at", "settled_at", "merged_at", "drafted_at"))
            .filter(received_at__isnull=False),
            "received_at",
        ),
    ]
    this_year = timezone.localdate().year
    found = parts[0].union(*parts[1:])
    return sorted({year for year in found if year is not None and FIRST_YEAR <= year <= this_year}, reverse=True)


# --- a station's public page ---------------------------------------------------------------------


def station_public(pk) -> Platform | None:
    return Platform.objects.filter(pk=pk, is_archived=False).select_related("region__parent", "sector").first()


def station_page(platform: Platform) -> dict:
    """Members serving there, upcoming reception hours (its members' and the person in charge's), and its
    latest published results. Four queries."""
    members = list(
        MemberAssignment.objects.filter(platform=platform, ended_on__isnull=True, member__is_archived=False)
        .select_related("member__sector")
        .order_by("member__level", "member__name", "pk")
    )
    results = list(
        platform.consultations.filter(status=ConsultationStatus.CONCLUDED, is_archived=False)
        .select_related("topic")
        .annotate(items=Count("suggestions", filter=Q(suggestions__withdrawn_at__isnull=True)))
        .order_by("-concluded_at", "-pk")[:5]
    )
    return {
        "members": members,
        "slots": reception.upcoming_slots(platform=platform, limit=20),
        "results": results,
        "now": timezone.now(),
    }
