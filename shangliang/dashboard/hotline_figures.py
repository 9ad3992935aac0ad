"""Topics from the 12345 hotline and the grid (12345热线与网格数据转化的议题) on the dashboard and in the annual report.

Counted: the submissions (诉求与建议, not archived) of source 12345热线 or 网格上报 made in the period: those a hot
issue became (``hotline.services.issue_to_topic``) and those recorded by hand. A region's are those of its
villages (``Submission.region``); a platform's those brought to it, or whose topic it hosts (the topic's
platform, or a consultation on the topic planned there). Beside each, the hot issue it came from and that
issue's hotline records (``HotIssue.record_count``).

Each submission is at one stage (``Stage``), the one its thread (``topics.tracking``) reads: a merged submission
is where the submission it joined is, and follows that one's topic. The stages do not overlap; they add up to
the submissions counted. The figures and the drill-down read the same expression (``stage_expression``), so a
figure is always the number of rows its drill-down lists. The formulas are in ``docs/figures.md`` (热线与网格数据).
"""

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext, gettext_lazy

from shangliang.consultations.models import Consultation, Suggestion
from shangliang.consultations.selectors import held_q
from shangliang.dashboard import selectors
from shangliang.dashboard.selectors import Scope, UnknownFigure
from shangliang.outcomes import selectors as outcome_selectors
from shangliang.topics import elsewhere
from shangliang.topics.models import Submission
from shangliang.topics.states import Source, SubmissionStatus, TopicStatus

SOURCES = (Source.HOTLINE, Source.GRID)
# The drill-down value for the submissions a hot issue became (their records add up to the records figure).
FROM_ISSUES = "issues"


class Stage(models.TextChoices):
    """Where a hotline or grid submission stands, in the order of the table's columns."""

    SCREENING = "screening", gettext_lazy("待审查")  # not yet decided: to screen, being drafted, awaiting approval
    APPROVED = "approved", gettext_lazy("已立项待协商")  # topic approved (审定), no consultation held yet
    CONSULTED = "consulted", gettext_lazy("已协商")  # a consultation on its topic held; its items not all closed
    DONE = "done", gettext_lazy("成果已办结")  # every item of the consultations held on it closed
    SETTLED = "settled", gettext_lazy("已直接解决")  # solved directly without a consultation (即时办结)
    HANDED_OFF = "handed_off", gettext_lazy("转交其他渠道")  # handed to another channel before a consultation
    NOT_TAKEN = "not_taken", gettext_lazy("未立项")  # excluded at screening, or its topic was not approved


def _lead_is(status: str) -> Q:
    """The submission, or the one it was merged into, has ``status``."""
    return Q(status=status) | Q(status=SubmissionStatus.MERGED, merged_into__status=status)


def _held() -> QuerySet[Consultation]:
    """Consultations held (``consultations.selectors.held_q``, the one definition) on the submission's topic."""
    return Consultation.objects.filter(held_q(), topic=OuterRef("topic_id"))


def _open_held() -> QuerySet[Consultation]:
    """Held consultations of the topic not completed, by the rule of ``outcomes.selectors.completed_at`` (the one
    that starts the publication period) through its facts in SQL (``outcomes.selectors.closing_facts``): complete
    when it has suggestions and as many items closed as suggestions to carry out."""
    facts = outcome_selectors.closing_facts()
    return (
        _held()
        .alias(
            has_suggestions=Exists(Suggestion.objects.filter(consultation=OuterRef("pk"))),
            taken=Coalesce(facts["suggestion_count"], 0),
            closed=Coalesce(facts["closed_count"], 0),
        )
        .filter(Q(has_suggestions=False) | Q(closed__lt=F("taken")))
    )


def _handed_off_q() -> Q:
    """A live hand-off of the submission, of the one it was merged into, or of its topic (``topics.elsewhere``)."""
    return (
        elsewhere.handed_off_q("submission")
        | (Q(status=SubmissionStatus.MERGED) & elsewhere.handed_off_q("submission", "merged_into__"))
        | elsewhere.handed_off_q("topic", "topic__")
    )


def stage_expression() -> Case:
    """The submission's stage: the first that applies, in this order."""
    return Case(
        When(_lead_is(SubmissionStatus.SETTLED), then=Value(Stage.SETTLED.value)),
        When(_lead_is(SubmissionStatus.EXCLUDED), then=Value(Stage.NOT_TAKEN.value)),
        When(Exists(_held()) & ~Exists(_open_held()), then=Value(Stage.DONE.value)),
        When(Exists(_held()), then=Value(Stage.CONSULTED.value)),
        When(_handed_off_q(), then=Value(Stage.HANDED_OFF.value)),
        When(topic__status=TopicStatus.REJECTED, then=Value(Stage.NOT_TAKEN.value)),
        When(topic__status=TopicStatus.APPROVED, then=Value(Stage.APPROVED.value)),
        default=Value(Stage.SCREENING.value),
        output_field=CharField(),
    )


def hotline_submissions(scope: Scope) -> QuerySet[Submission]:
    """Submissions of source 12345热线 or 网格上报 (not archived) made in the period, in the scope, with ``stage``."""
    since, until = scope.bounds()
    qs = Submission.objects.filter(is_archived=False, source__in=SOURCES, created_at__gte=since, created_at__lt=until)
    if scope.platform is not None:
        on_platform = Consultation.objects.filter(topic=OuterRef("topic_id"), platform=scope.platform)
        qs = qs.filter(Q(platform=scope.platform) | Q(topic__platform=scope.platform) | Exists(on_platform))
    else:
        qs = qs.filter(region__path__startswith=scope.region.path)
    return qs.annotate(stage=stage_expression())


@dataclass
class Cell:
    value: str  # the drill-down value
    n: int


@dataclass
class SourceRow:
    """One source (or, with ``source`` empty, both): submissions, those from hot issues, their records, by stage."""

    source: str
    label: str
    submissions: int = 0
    from_issues: int = 0
    records: int = 0
    stages: dict[str, int] = field(default_factory=dict)

    def _value(self, part: str) -> str:
        return f"{self.source}:{part}" if self.source else part

    @property
    def value(self) -> str:
        return self.source

    @property
    def issues_value(self) -> str:
        return self._value(FROM_ISSUES)

    @property
    def cells(self) -> list[Cell]:
        """The stages in the table's order, each with its drill-down value."""
        return [Cell(self._value(stage), self.stages.get(stage, 0)) for stage in Stage.values]

    def add(self, stage: str, n: int, from_issues: int, records: int) -> None:
        self.submissions += n
        self.from_issues += from_issues
        self.records += records
        self.stages[stage] = self.stages.get(stage, 0) + n


@dataclass
class HotlineFigures:
    rows: list[SourceRow]
    total: SourceRow

    @property
    def stage_labels(self) -> list[str]:
        return [str(label) for label in Stage.labels]

    def stage(self, stage: str) -> int:
        return self.total.stages.get(stage, 0)


def hotline_figures(scope: Scope) -> HotlineFigures:
    """Per source and in total: submissions, those from hot issues, their records, each stage (one query)."""
    rows = {source: SourceRow(source, str(source.label)) for source in SOURCES}
    total = SourceRow("", gettext("合计"))
    counts = (
        hotline_submissions(scope)
        .order_by()
        .values("source", "stage")
        .annotate(n=Count("pk"), from_issues=Count("hot_issue"), records=Coalesce(Sum("hot_issue__record_count"), 0))
    )
    for row in counts:
        for target in (rows[row["source"]], total):
            target.add(row["stage"], row["n"], row["from_issues"], row["records"])
    return HotlineFigures(rows=list(rows.values()), total=total)


def narrowed(qs: QuerySet[Submission], value: str) -> QuerySet[Submission]:
    """``qs`` narrowed to what a figure counts: ``""`` (all), a source, a stage, ``issues`` (from hot issues),
    or a source and one of those (``hotline:done``). Raises UnknownFigure for any other value."""
    if not value:
        return qs
    first, _sep, second = value.partition(":")
    if first in SOURCES:
        qs, part = qs.filter(source=first), second
        if not part:
            return qs
    elif second:
        raise UnknownFigure(value)
    else:
        part = first
    if part == FROM_ISSUES:
        return qs.filter(hot_issue__isnull=False)
    if part in Stage.values:
        return qs.filter(stage=part)
    raise UnknownFigure(value)


def hotline_records(scope: Scope, value: str = "") -> QuerySet[Submission]:
    """The submissions behind the figure ``value``, oldest first, with what their list shows (one query a page)."""
    labels = [When(stage=stage, then=Value(str(label))) for stage, label in Stage.choices]
    return (
        narrowed(hotline_submissions(scope), value)
        .annotate(
            stage_label=Case(*labels, default=Value(""), output_field=CharField()),
            issue_pk=F("hot_issue__pk"),
            record_count=F("hot_issue__record_count"),
        )
        .select_related("region", "topic")
        .order_by("created_at", "pk")
    )


VALUES = {FROM_ISSUES: gettext_lazy("来自热点诉求"), **dict(Stage.choices)}


def value_label(value: str) -> str:
    sources = dict(Source.choices)
    return "：".join(str(sources.get(part) or VALUES.get(part, part)) for part in value.split(":"))


def register_figures() -> None:
    """Add the drill-down of the hotline and grid topics to the dashboard's tables, once, when the app loads."""
    selectors.FIGURES["hotline"] = selectors.Figure(gettext_lazy("12345热线与网格数据转化的议题"), "hotline_topics")
    selectors.RECORDS_BY_KIND["hotline_topics"] = lambda scope, key, value, today: hotline_records(scope, value)
    selectors.VALUE_LABELS["hotline"] = value_label
