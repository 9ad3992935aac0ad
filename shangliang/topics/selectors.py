"""Reads of the topic stage: queues, search, similar submissions, tracking, the public pool."""

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from functools import reduce
from operator import and_, or_

import jieba
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from shangliang.orgs.models import Region
from shangliang.orgs.permissions import path_q, region_paths
from shangliang.orgs.selectors import path_ids
from shangliang.topics import elsewhere, routing
from shangliang.topics.models import ExclusionRule, Submission, Topic
from shangliang.topics.permissions import (
    SCREENERS,
    submissions_visible_to,
    topics_visible_to,
)
from shangliang.topics.states import (
    EXCLUSION_EXPLANATIONS,
    OPEN_SUBMISSION_STATUSES,
    ExclusionReason,
    SubmissionStatus,
    TopicStatus,
    Urgency,
    Weight,
)

jieba.setLogLevel(60)

# Queues put urgent and weighty topics first (大小、轻重、缓急): urgency counts before weight.
_URGENCY_RANK = {Urgency.URGENT: 0, Urgency.NORMAL: 1, Urgency.LATER: 2}
_WEIGHT_RANK = {Weight.MAJOR: 0, Weight.ORDINARY: 1, Weight.MINOR: 2}
PRIORITY = Case(
    *(
        When(urgency=urgency, weight=weight, then=Value(u * 3 + w))
        for urgency, u in _URGENCY_RANK.items()
        for weight, w in _WEIGHT_RANK.items()
    ),
    default=Value(4),
    output_field=IntegerField(),
)

# --- search --------------------------------------------------------------------------------

_WORD = re.compile(r"[\w\u4e00-\u9fff]+")


def search_terms(query: str) -> list[str]:
    """Words of a query: Chinese is segmented (电动车停放 → 电动车, 停放), other words split on spaces."""
    terms = []
    for chunk in _WORD.findall(query or ""):
        for word in jieba.lcut(chunk):
            word = word.strip()
            if word and word not in terms:
                terms.append(word)
    return terms[:8]


def apply_search(queryset: QuerySet, query: str, fields: list[str]) -> QuerySet:
    """Every word must appear in one of the fields, so 电动车 finds 集镇电动车乱停放."""
    terms = search_terms(query)
    if not terms:
        return queryset
    return queryset.filter(
        reduce(and_, (reduce(or_, (Q(**{f"{field}__icontains": term}) for field in fields)) for term in terms))
    )


# --- exclusion hints -----------------------------------------------------------------------


@dataclass(frozen=True)
class Flag:
    keyword: str
    reason: str

    @property
    def label(self) -> str:
        return ExclusionReason(self.reason).label


def active_rules() -> list[ExclusionRule]:
    return list(ExclusionRule.objects.filter(is_active=True))


def exclusion_flags(submission: Submission, rules: list[ExclusionRule]) -> list[Flag]:
    """Keywords that hint at an exclusion; the screener decides."""
    text = f"{submission.title}\n{submission.content}"
    return [Flag(rule.keyword, rule.reason) for rule in rules if rule.keyword in text]


# --- queues --------------------------------------------------------------------------------


@dataclass
class QueueFilters:
    status: str = ""
    source: str = ""
    category: int | None = None
    region: Region | None = None
    date_from: datetime | None = None
    date_to: datetime | None = None
    q: str = ""


def _filter(qs, filters: QueueFilters, *, region_field: str, text_fields: list[str]):
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.source:
        qs = qs.filter(source=filters.source)
    if filters.category:
        qs = qs.filter(category_id=filters.category)
    if filters.region is not None:
        qs = qs.filter(**{f"{region_field}__path__startswith": filters.region.path})
    if filters.date_from:
        qs = qs.filter(created_at__date__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(created_at__date__lte=filters.date_to)
    return apply_search(qs, filters.q, text_fields)


_CODE = re.compile(r"^[0-9A-Z]{6,12}$")


def as_tracking_code(query: str) -> str:
    """The query read as a tracking code (any case, spaces dropped: "k7m2 q9xa"), or "" when it cannot be one."""
    code = re.sub(r"\s+", "", query or "").upper()
    return code if _CODE.match(code) else ""


def submission_by_code_for(user, query: str) -> Submission | None:
    """The submission whose tracking code the query is, when this user may see it (else None: not found).

    A resident phoning in reads the code from their slip; the queue's search box opens that submission.
    """
    code = as_tracking_code(query)
    if not code:
        return None
    return submissions_visible_to(user).filter(tracking_code=code).first()


def submission_list_for(user, filters: QueueFilters) -> QuerySet[Submission]:
    qs = submissions_visible_to(user).select_related("region__parent", "category", "platform", "topic", "via_member")
    qs = _filter(qs, filters, region_field="region", text_fields=["title", "content", "location_detail"])
    if filters.status in OPEN_SUBMISSION_STATUSES:
        # Handed to another channel (topics.elsewhere): no longer waiting for screening or drafting here.
        qs = qs.exclude(elsewhere.handed_off_q("submission"))
    return qs.annotate(handed_off_to=elsewhere.handed_off_label("submission")).order_by("-created_at", "-pk")


def topic_list_for(user, filters: QueueFilters) -> QuerySet[Topic]:
    qs = (
        topics_visible_to(user)
        .select_related("convening_region", "category", "platform")
        .annotate(supporter_count=Count("supports", distinct=True))
    )
    qs = _filter(qs, filters, region_field="convening_region", text_fields=["title", "background"])
    qs = qs.annotate(handed_off_to=elsewhere.handed_off_label("topic"))
    return qs.annotate(priority=PRIORITY).order_by("priority", "-created_at", "-pk")


def _approvable_q(user) -> Q:
    """Topics this user decides, by the district's approval rule (``routing.can_approve`` as one filter)."""
    return routing.approvable_q(user)


def _screenable_q(user, field: str) -> Q:
    if getattr(user, "is_superuser", False):
        return Q()
    return path_q(region_paths(user, SCREENERS), f"{field}__path")


@dataclass
class Waiting:
    to_screen: int
    to_draft: int
    to_approve: int


def waiting_counts(user) -> Waiting:
    """What waits for this user: three counting queries (and one for the approval rules of an approver's district).
    Matters handed to another channel (``elsewhere``) wait for that channel, not for this user."""
    submissions = Submission.objects.filter(_screenable_q(user, "region")).exclude(elsewhere.handed_off_q("submission"))
    topics = Topic.objects.exclude(elsewhere.handed_off_q("topic"))
    return Waiting(
        to_screen=submissions.filter(status=SubmissionStatus.SUBMITTED).count(),
        to_draft=topics.filter(
            _screenable_q(user, "convening_region"), status__in=[TopicStatus.DRAFT, TopicStatus.RETURNED]
        ).count()
        + submissions.filter(status=SubmissionStatus.ACCEPTED).count(),
        to_approve=topics.filter(_approvable_q(user), status=TopicStatus.PENDING).count(),
    )


def topics_to_approve(user) -> QuerySet[Topic]:
    return (
        Topic.objects.filter(_approvable_q(user), status=TopicStatus.PENDING)
        .exclude(elsewhere.handed_off_q("topic"))
        .select_related("convening_region", "category", "platform")
        .annotate(priority=PRIORITY)
        .order_by("priority", "pending_at")
    )


# --- similar submissions -------------------------------------------------------------------

_NOT_TEXT = re.compile(r"[^\w\u4e00-\u9fff]+")
SIMILARITY_THRESHOLD = 0.2
CANDIDATE_LIMIT = 500

# Words residents use for the same thing; each is read as the first form before comparing.
SYNONYMS = {
    "电瓶车": "电动车",
    "菜市场": "农贸市场",
    "菜场": "农贸市场",
    "小河": "河道",
    "河沟": "河道",
    "班车": "公交车",
    "助餐点": "老年食堂",
}
_SYNONYM_RE = re.compile("|".join(sorted(map(re.escape, SYNONYMS), key=len, reverse=True)))


def _bigrams(text: str) -> Counter:
    text = _NOT_TEXT.sub("", _SYNONYM_RE.sub(lambda m: SYNONYMS[m.group(0)], text.lower()))
    if len(text) < 2:
        return Counter([text]) if text else Counter()
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


def _cosine(va: dict, vb: dict) -> float:
    if not va or not vb:
        return 0.0
    dot = sum(weight * vb.get(gram, 0.0) for gram, weight in va.items())
    norm = math.sqrt(sum(w * w for w in va.values())) * math.sqrt(sum(w * w for w in vb.values()))
    return dot / norm if norm else 0.0


def text_similarity(a: str, b: str) -> float:
    """Plain cosine of character bigram counts (no weighting); for one pair out of context."""
    return _cosine(_bigrams(a), _bigrams(b))


def similarity_text(submission: Submission) -> str:
    # The title says what the problem is; it counts twice so long descriptions do not drown it.
    return f"{submission.title} {submission.title} {submission.content}"


@dataclass
class Similar:
    submission: Submission
    score: float


def similar_submissions(submission: Submission, *, limit: int = 5) -> list[Similar]:
    """Open or drafted submissions in the same township that read alike (newest 500 compared).

    Cosine of character bigram counts after reading common synonyms as one word: robust to
    Chinese word order and to rewording, blind to paraphrase that shares no characters
    (留守儿童 vs 爸妈在外打工的孩子). TF-IDF weighting over the compared set was tried and
    caught fewer of the demo's planted duplicates (bench/duplicates.py).
    """
    ids = path_ids(submission.region.path)
    township_path = "/" + "".join(Region.path_segment(pk) for pk in ids[:2])
    candidates = list(
        Submission.objects.filter(
            region__path__startswith=township_path,
            status__in=[SubmissionStatus.SUBMITTED, SubmissionStatus.ACCEPTED, SubmissionStatus.DRAFTED],
        )
        .exclude(pk=submission.pk)
        .select_related("region", "topic")
        .order_by("-created_at")[:CANDIDATE_LIMIT]
    )
    if not candidates:
        return []
    mine, *theirs = [_bigrams(similarity_text(s)) for s in [submission, *candidates]]
    scored = [Similar(other, _cosine(mine, vector)) for other, vector in zip(candidates, theirs, strict=True)]
    scored = [s for s in scored if s.score >= SIMILARITY_THRESHOLD]
    scored.sort(key=lambda s: (-s.score, -s.submission.pk))
    return scored[:limit]


# --- tracking and the public pool ----------------------------------------------------------


@dataclass
class TimelineEntry:
    at: datetime
    label: str


def _status_changes(history, labels, prefix="") -> list[TimelineEntry]:
    entries, last = [], None
    for row in history:
        if row.status != last:
            entries.append(TimelineEntry(row.history_date, prefix + str(labels.get(row.status, row.status))))
            last = row.status
    return entries


def submission_get_by_code(code: str) -> Submission | None:
    code = (code or "").strip().upper().replace(" ", "")
    if not code:
        return None
    return (
        Submission.objects.filter(tracking_code=code)
        # A topic handed up to the township (镇村联动): the track page names the township and the village topic.
        .select_related("region__parent", "category", "topic__convening_region", "topic__escalated_from", "merged_into")
        .select_related("via_member", "platform")  # 经委员反映: the track page names the member and the station
        # Handed to another channel (topics.elsewhere): the submission's own hand-off and its topic's, in this query.
        .annotate(
            **elsewhere.handed_off_annotations("submission"),
            **elsewhere.handed_off_annotations("topic", "topic_id", prefix="topic_"),
        )
        .prefetch_related("replies")
        .first()
    )


def tracking_timeline(submission: Submission) -> list[TimelineEntry]:
    """Every status the submission (and the topic it follows) went through, with times; no names.

    A submission merged into a topic drafted earlier shows the topic's steps from the time it
    joined, starting with the status the topic had then.
    """
    entries = _status_changes(
        submission.history.order_by("history_date", "history_id").only("status", "history_date"),
        dict(SubmissionStatus.choices),
    )
    if submission.topic_id:
        topic_entries = _status_changes(
            submission.topic.history.order_by("history_date", "history_id").only("status", "history_date"),
            dict(TopicStatus.choices),
            prefix=_("议题") + "：",
        )
        if submission.topic.escalated_from_id:
            # The village topic's steps before it was handed up to the township (镇村联动).
            topic_entries = (
                _status_changes(
                    submission.topic.escalated_from.history.order_by("history_date", "history_id").only(
                        "status", "history_date"
                    ),
                    dict(TopicStatus.choices),
                    prefix=_("村（社区）议题") + "：",
                )
                + topic_entries
            )
        joined = submission.merged_at or submission.created_at
        before = [e for e in topic_entries if e.at < joined]
        after = [e for e in topic_entries if e.at >= joined]
        if before:
            after.insert(0, TimelineEntry(joined, before[-1].label))
        entries += after
    return sorted(entries, key=lambda e: e.at)


@dataclass
class AuditEntry:
    at: datetime
    status: str
    user: object
    reason: str


def topic_timeline(history) -> list[AuditEntry]:
    """Every recorded change of a topic with who made it and why, translated (staff pages only)."""
    labels = dict(TopicStatus.choices)
    return [
        AuditEntry(row.history_date, str(labels.get(row.status, row.status)), row.history_user, row.reason_display)
        for row in history
    ]


def exclusion_explanation(submission: Submission) -> str:
    if submission.status != SubmissionStatus.EXCLUDED or not submission.exclusion_reason:
        return ""
    return str(EXCLUSION_EXPLANATIONS[ExclusionReason(submission.exclusion_reason)])


def submissions_of(user) -> QuerySet[Submission]:
    return (
        Submission.objects.filter(submitter=user)
        .select_related("region", "category", "topic")
        .annotate(handed_off_to=elsewhere.handed_off_label("submission"))
        .order_by("-created_at")
    )


def pool_topics(*, region: Region | None = None, q: str = "") -> QuerySet[Topic]:
    """Approved topics, public; by region of concern."""
    qs = Topic.objects.filter(status=TopicStatus.APPROVED, is_archived=False)
    if region is not None:
        qs = qs.filter(pk__in=Topic.objects.filter(regions__path__startswith=region.path).values("pk"))
    qs = apply_search(qs, q, ["title", "background"])
    return (
        qs.select_related("convening_region", "category")
        .prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("path")))
        .annotate(supporter_count=Count("supports", distinct=True))
        .order_by("-approved_at", "-pk")
    )


def pool_topic_get(pk) -> Topic | None:
    try:
        return (
            Topic.objects.filter(status=TopicStatus.APPROVED, is_archived=False)
            .select_related("convening_region", "category", "platform")
            .annotate(supporter_count=Count("supports", distinct=True))
            .prefetch_related("regions")
            .get(pk=pk)
        )
    except (Topic.DoesNotExist, ValueError, TypeError):
        return None


def user_relation_to_topic(user, topic: Topic) -> dict:
    if not getattr(user, "is_authenticated", False):
        return {"supported": False, "following": False}
    return {
        "supported": topic.supports.filter(user=user).exists(),
        "following": topic.follows.filter(user=user).exists(),
    }
