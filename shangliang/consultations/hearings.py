"""Hearings for wide-reaching matters (003: 对于涉及面广、关注度高的事项，要经过专题议事会、民主听证会等程序).

A district's ``ProcedureRules`` say when a topic is wide-reaching: its convening level is at or above
``hearing_from_level``, its regions touch at least ``hearing_min_villages`` villages, at least
``hearing_min_supporters`` people support it, or the approver flagged it (``Topic.needs_hearing``).
Any one of them is enough. Such a topic must be consulted in one of the district's
``hearing_formats``; ``consultation_plan`` and ``consultation_update`` refuse another form.
"""

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from shangliang.consultations.models import ProcedureRules, SessionFormat
from shangliang.orgs.models import Region
from shangliang.orgs.selectors import district_pk
from shangliang.orgs.states import RegionLevel
from shangliang.topics.models import Topic
from shangliang.topics.states import ConveningLevel

# From the narrowest to the widest: a rule "from township" covers township and district topics.
LEVEL_ORDER = [ConveningLevel.GRID, ConveningLevel.VILLAGE, ConveningLevel.TOWNSHIP, ConveningLevel.DISTRICT]


def rules_for_topic(topic: Topic) -> ProcedureRules | None:
    """The procedure rules of the district above the topic's convening region, or None."""
    district = district_pk(topic.convening_region)
    return ProcedureRules.objects.filter(district_id=district).first()


def villages_touched(topic: Topic) -> int:
    """How many distinct villages (communities) the topic's regions reach: a village itself, a grid's
    village, every village under a township or district named."""
    villages = set()
    wider = []
    for region in topic.regions.all():
        if region.level == RegionLevel.VILLAGE:
            villages.add(region.pk)
        elif region.level == RegionLevel.GRID:
            villages.add(region.parent_id)
        else:
            wider.append(region.path)
    for path in wider:
        villages.update(
            Region.objects.filter(level=RegionLevel.VILLAGE, is_archived=False, path__startswith=path).values_list(
                "pk", flat=True
            )
        )
    return len(villages)


def _level_reached(level: str, threshold: str) -> bool:
    if level not in LEVEL_ORDER or threshold not in LEVEL_ORDER:
        return False
    return LEVEL_ORDER.index(level) >= LEVEL_ORDER.index(threshold)


def _reasons(topic: Topic, rules: ProcedureRules) -> list[str]:
    reasons = []
    if rules.hearing_from_level and _level_reached(topic.convening_level, rules.hearing_from_level):
        reasons.append(str(topic.get_convening_level_display()))
    if rules.hearing_min_villages:
        villages = villages_touched(topic)
        if villages >= rules.hearing_min_villages:
            reasons.append(_("涉及%(n)d个村（社区）") % {"n": villages})
    if rules.hearing_min_supporters:
        supporters = topic.supports.count()
        if supporters >= rules.hearing_min_supporters:
            reasons.append(_("%(n)d人支持") % {"n": supporters})
    if topic.needs_hearing:
        reasons.append(_("审定时确定为涉及面广、关注度高的事项"))
    return reasons


def _required(topic: Topic) -> tuple[str, list[SessionFormat]]:
    rules = rules_for_topic(topic)
    if rules is None:
        return "", []
    formats = list(rules.hearing_formats.filter(is_archived=False))
    if not formats:
        return "", []
    reasons = _reasons(topic, rules)
    return ("；".join(reasons), formats) if reasons else ("", [])


def hearing_reason(topic: Topic) -> str:
    """Why the topic is wide-reaching under its district's rules; empty when no hearing is required."""
    return _required(topic)[0]


def hearing_formats(topic: Topic) -> QuerySet[SessionFormat] | None:
    """The forms the topic must be consulted in, or None when any form will do."""
    reason, formats = _required(topic)
    if not reason:
        return None
    return SessionFormat.objects.filter(pk__in=[f.pk for f in formats])


def requirement_text(reason: str, formats) -> str:
    return _("本议题涉及面广、关注度高（%(reason)s），须采用以下形式之一：%(formats)s") % {
        "reason": reason,
        "formats": "、".join(f.name for f in formats),
    }


def hearing_requirement(topic: Topic) -> str:
    """The requirement in words, for the plan page; empty when any form will do."""
    reason, formats = _required(topic)
    return requirement_text(reason, formats) if reason else ""


def format_refusal(topic: Topic, session_format: SessionFormat | None) -> str:
    """Why ``session_format`` may not be used for this topic; empty when it may."""
    reason, formats = _required(topic)
    if not reason or (session_format is not None and session_format.pk in {f.pk for f in formats}):
        return ""
    return requirement_text(reason, formats)
