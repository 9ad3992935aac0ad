"""The resident's thread (查询码 page): every stage a matter goes through, from the submission to the rating.

The topic stage builds its own steps (提交 → 筛查受理 → 拟定议题 → 审定). What happens after the
approval belongs to later stages, which this app may not import; the app that holds them registers
one function in its ``AppConfig.ready`` (``register_later_stages``), the way apps register with
``core.media``. Nothing here names a person or shows a number: the page is open to anyone with the code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from shangliang.topics import elsewhere
from shangliang.topics.models import Submission, Topic
from shangliang.topics.states import EXCLUSION_EXPLANATIONS, ExclusionReason, SubmissionStatus, TopicStatus

# How far a stage has got; the template draws each one differently.
DONE, CURRENT, PENDING, STOPPED = "done", "current", "pending", "stopped"


@dataclass
class Link:
    label: str
    url: str


@dataclass
class Stage:
    """One step of the thread: reached (``DONE``), under way (``CURRENT``), not reached yet or ended there."""

    title: str
    state: str = PENDING
    label: str = ""  # the state in words: 已受理, 待审定, 办理中 …
    at: datetime | None = None
    lines: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    # Suggestions of the consultation opinion (``outcomes.public_results.PublicItem``: number, text,
    # status_label, unit, result, deferral_reason, is_done, is_deferred).
    items: list = field(default_factory=list)

    @property
    def is_reached(self) -> bool:
        return self.state in {DONE, CURRENT, STOPPED}


@dataclass
class LaterStages:
    """What a later stage adds for an approved topic: its stages, what is happening now, its public pages."""

    stages: list[Stage]
    status_text: str = ""
    consultation_url: str = ""
    result_url: str = ""
    rate_url: str = ""


LaterStagesBuilder = Callable[..., LaterStages]
_later_stages: list[LaterStagesBuilder] = []


def register_later_stages(builder: LaterStagesBuilder) -> None:
    """``builder(topic=Topic | None, user=...) -> LaterStages``: ``topic`` is None until one is approved."""
    if builder not in _later_stages:
        _later_stages.append(builder)


def later_stages(topic: Topic | None, user) -> LaterStages:
    """The registered stages after the approval (greyed while ``topic`` is None), or none at all."""
    merged = LaterStages([])
    for builder in _later_stages:
        part = builder(topic=topic, user=user)
        merged.stages += part.stages
        merged.status_text = merged.status_text or part.status_text
        merged.consultation_url = merged.consultation_url or part.consultation_url
        merged.result_url = merged.result_url or part.result_url
        merged.rate_url = merged.rate_url or part.rate_url
    return merged


@dataclass
class Thread:
    stages: list[Stage]
    status_text: str
    is_stopped: bool = False
    later: LaterStages | None = None


def _is_public(topic: Topic | None) -> bool:
    return topic is not None and topic.status == TopicStatus.APPROVED and not topic.is_archived


def _screening(submission: Submission) -> tuple[Stage, str, bool]:
    """The screening stage of the submission (or of the one it was merged into), the status text, stopped."""
    lead = submission.merged_into if submission.status == SubmissionStatus.MERGED else submission
    stage = Stage(_("筛查受理"))
    if submission.status == SubmissionStatus.MERGED:
        stage.lines.append(_("您反映的事项与其他群众反映的相似事项已合并办理，办理进展与该事项一致。"))
    status, stopped = "", False
    if lead is None or lead.status == SubmissionStatus.SUBMITTED:
        stage.state, stage.label = CURRENT, _("待筛查")
        status = _("已收到，等待工作人员筛查。")
    elif lead.status == SubmissionStatus.EXCLUDED:
        stage.state, stage.label, stage.at = STOPPED, _("不纳入协商"), lead.excluded_at
        explanation = EXCLUSION_EXPLANATIONS[ExclusionReason(lead.exclusion_reason)]
        stage.lines.append(_("不纳入协商的原因：%(explanation)s") % {"explanation": explanation})
        if lead is submission and submission.screening_note:
            # The screener wrote it for this submitter (the form says so); a merged one reads only the rule.
            stage.lines.append(_("工作人员说明：%(note)s") % {"note": submission.screening_note})
        status, stopped = _("经筛查，这件事不纳入协商议事，原因见下方办理进展。"), True
    elif lead.status == SubmissionStatus.SETTLED:
        # Solved at once by the village or the station (即时办结): the thread ends here, solved.
        stage.state, stage.label, stage.at = DONE, _("已直接解决"), lead.settled_at
        stage.lines.append(_("解决情况：%(how)s") % {"how": lead.settlement})
        status, stopped = _("这件事已由村（社区）或联络站直接解决，无需再协商。解决情况见下方办理进展。"), True
    else:
        stage.state, stage.label, stage.at = DONE, _("已受理"), lead.accepted_at or lead.drafted_at
        status = _("已受理，正在核实情况。")
    if submission.status == SubmissionStatus.MERGED and stage.at is None:
        stage.at = submission.merged_at
    return stage, status, stopped


def _topic_stages(topic: Topic | None, accepted: bool) -> tuple[list[Stage], str, bool]:
    drafting, approval = Stage(_("拟定议题")), Stage(_("审定"))
    if topic is None:
        if accepted:
            drafting.state, drafting.label = CURRENT, _("正在核实、拟定议题")
        return [drafting, approval], "", False
    drafting.at = topic.created_at
    drafting.lines.append(topic.title)
    if topic.status in {TopicStatus.DRAFT, TopicStatus.RETURNED}:
        drafting.state, drafting.label = CURRENT, _("正在核实、拟定议题")
        return [drafting, approval], _("已受理，正在核实情况、拟定议题。"), False
    drafting.state, drafting.label = DONE, _("已拟定")
    if topic.status == TopicStatus.PENDING:
        approval.state, approval.label, approval.at = CURRENT, _("待审定"), topic.pending_at
        return [drafting, approval], _("议题已拟定，等待审定。"), False
    if topic.status == TopicStatus.REJECTED:
        approval.state, approval.label, approval.at = STOPPED, _("未通过审定"), topic.rejected_at
        return [drafting, approval], _("议题未通过审定，暂不安排协商。"), True
    approval.state, approval.label, approval.at = DONE, _("已审定"), topic.approved_at
    if _is_public(topic):
        approval.links.append(Link(_("查看议题公开页"), topic_url(topic)))
    return [drafting, approval], _("已列为议题，正在安排协商。"), False


def _escalation(topic: Topic | None) -> Stage | None:
    """镇村联动: the stage saying the village handed the matter up to the township (None when it did not).
    ``topic`` is the township topic the submission now follows, with its ``escalated_from`` loaded."""
    if topic is None or not topic.escalated_from_id:
        return None
    stage = Stage(_("提请乡镇（街道）协商"), DONE, _("已提请乡镇（街道）协商"), topic.escalated_from.escalated_at)
    stage.lines.append(
        _("村（社区）将这件事提请%(township)s协商，由乡镇（街道）召集；办理进展以乡镇（街道）议题为准。")
        % {"township": topic.convening_region.name}
    )
    return stage


def _followed(topic: Topic | None) -> Topic | None:
    """The topic a submission follows: a village topic handed up leads to the township topic (镇村联动).
    The escalation moves the submissions along, so this costs a query only for records older than that."""
    seen = set()
    while topic is not None and topic.status == TopicStatus.ESCALATED and topic.pk not in seen:
        seen.add(topic.pk)
        topic = Topic.objects.select_related("convening_region", "escalated_from").filter(escalated_from=topic).first()
    return topic


def _handed_off(record, kind: str, submission: Submission) -> elsewhere.HandedOff | None:
    """The live hand-off of ``record`` (the submission or the topic it follows): brought along by
    ``submission_get_by_code`` when it is the submission's own or its topic's, else one query."""
    prefix = "" if kind == "submission" else "topic_"
    own = submission.pk if kind == "submission" else submission.topic_id
    if record.pk == own and elsewhere.is_annotated(submission, prefix):
        return elsewhere.handed_off_from(submission, prefix)
    return elsewhere.handed_off(kind, [record.pk]).get(record.pk)


def _handoff_stage(handed: elsewhere.HandedOff) -> tuple[Stage, str]:
    """The matter was handed to another channel (制度衔接), which settles it: 已转交（渠道）办理：对象，日期，理由,
    then the answer. Names the body it went to, never a person."""
    stage = Stage(_("转交其他渠道办理"), CURRENT, _("等待答复"), handed.at)
    stage.lines.append(
        _("已转交（%(channel)s）办理：%(to)s，%(day)s。理由：%(reason)s")
        % {
            "channel": handed.channel,
            "to": handed.to,
            "day": date_format(localtime(handed.at), "Y-m-d"),
            "reason": handed.reason,
        }
    )
    if handed.answer:
        stage.state, stage.label = DONE, _("已答复")
        day = date_format(localtime(handed.answered_at), "Y-m-d") if handed.answered_at else ""
        stage.lines.append(
            _("%(channel)s答复（%(day)s）：%(answer)s")
            % {"channel": handed.channel, "day": day, "answer": handed.answer}
        )
        return stage, _("已转交%(channel)s办理，并已答复，答复见下方办理进展。") % {"channel": handed.channel}
    return stage, _("已转交%(channel)s办理，等待答复。") % {"channel": handed.channel}


def topic_url(topic: Topic) -> str:
    return reverse("topics:pool_topic", args=[topic.pk])


def thread_of(submission: Submission, user) -> Thread:
    """The whole chain of a submission (see ``submission_get_by_code`` for what it must come with).

    Bounded: the topic stage costs no query; the later stages cost what their builder costs.
    """
    submitted = Stage(_("提交"), DONE, _("已收到"), submission.created_at)
    screening, status, stopped = _screening(submission)
    stages = [submitted, screening]
    if stopped:
        return Thread(stages, status, is_stopped=True)
    lead = submission.merged_into if submission.status == SubmissionStatus.MERGED else submission
    if lead is not None and (handed := _handed_off(lead, "submission", submission)):
        stage, status = _handoff_stage(handed)
        return Thread([*stages, stage], status, is_stopped=True)
    topic = _followed(submission.topic)
    topic_stages, topic_status, stopped = _topic_stages(topic, screening.state == DONE)
    if escalation := _escalation(topic):
        stages.append(escalation)
        if topic.status in {TopicStatus.DRAFT, TopicStatus.RETURNED, TopicStatus.PENDING}:
            topic_status = _("已提请乡镇（街道）协商，由乡镇（街道）核实情况、拟定议题并审定。")
    stages += topic_stages
    status = topic_status or status
    if stopped:
        return Thread(stages, status, is_stopped=True)
    if topic is not None and (handed := _handed_off(topic, "topic", submission)):
        stage, status = _handoff_stage(handed)
        return Thread([*stages, stage], status, is_stopped=True)
    later = later_stages(topic if _is_public(topic) else None, user)
    stages += later.stages
    return Thread(stages, later.status_text or status, later=later)
