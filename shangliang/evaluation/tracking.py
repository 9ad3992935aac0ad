"""The resident's thread after a topic is approved: consultation, opinion, implementation, results, rating.

It spans the consultation, outcomes and evaluation stages, so it lives in the last of them and is
registered with ``topics.tracking`` when the app loads (``apps.py``). It reads through the public
selectors of each stage and shows what the public pages show: no person's name or number.
"""

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ConsultationStatus
from shangliang.evaluation import selectors, services
from shangliang.outcomes import public_results
from shangliang.outcomes import selectors as outcome_selectors
from shangliang.topics.models import Topic
from shangliang.topics.tracking import CURRENT, DONE, LaterStages, Link, Stage

# Consultations residents see on the public consultation page (``consultations.selectors.public_consultations``).
PUBLIC_PAGE = {
    ConsultationStatus.NOTIFIED,
    ConsultationStatus.IN_SESSION,
    ConsultationStatus.HELD,
    ConsultationStatus.CONCLUDED,
}
# Done, deferred with a reason, or not taken up with one (not adopted, deferred, dropped by the vote).
CLOSED_ITEMS = public_results.CLOSED_STATUSES


def current_consultation(topic: Topic) -> Consultation | None:
    """The topic's consultation (one at most is not cancelled), with what its public results show.

    A concluded one comes from the public board's selector (its suggestions and their items
    prefetched); otherwise one query for the one being prepared or held.
    """
    concluded = outcome_selectors.board_consultations().filter(topic=topic).first()
    if concluded is not None:
        return concluded
    return (
        Consultation.objects.filter(topic=topic, is_archived=False)
        .exclude(status=ConsultationStatus.CANCELLED)
        .select_related("platform")
        .order_by("-starts_at")
        .first()
    )


def _when(consultation: Consultation) -> str:
    return date_format(localtime(consultation.starts_at), "Y-m-d H:i")


def _arrangement(consultation: Consultation | None) -> Stage:
    stage = Stage(_("协商安排"))
    if consultation is None:
        return stage
    if consultation.status == ConsultationStatus.PLANNED:
        stage.state, stage.label = CURRENT, _("正在筹备")
        return stage
    stage.state, stage.label, stage.at = DONE, _("已发布协商通知"), consultation.notified_at
    stage.lines.append(_("时间：%(when)s") % {"when": _when(consultation)})
    place = consultation.place or consultation.get_mode_display()
    stage.lines.append(_("地点：%(place)s") % {"place": place})
    stage.links.append(Link(_("查看协商公开页"), reverse("consultations:public_page", args=[consultation.pk])))
    return stage


def _session(consultation: Consultation | None) -> Stage:
    stage = Stage(_("召开协商"))
    if consultation is None or consultation.status in {ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED}:
        return stage
    if consultation.status == ConsultationStatus.IN_SESSION:
        stage.state, stage.label, stage.at = CURRENT, _("正在协商"), consultation.in_session_at
        return stage
    stage.state, stage.label, stage.at = DONE, _("已召开"), consultation.in_session_at or consultation.starts_at
    return stage


def _opinion(consultation: Consultation | None, items: list) -> Stage:
    stage = Stage(_("协商意见及办理"))
    if consultation is None:
        return stage
    if consultation.status == ConsultationStatus.HELD:
        stage.state, stage.label = CURRENT, _("正在形成协商意见")
    elif consultation.status == ConsultationStatus.CONCLUDED:
        open_items = [item for item in items if item.status not in CLOSED_ITEMS]
        stage.state = CURRENT if open_items else DONE
        stage.label = _("建议正在办理") if open_items else _("建议已全部办结或作出说明")
        stage.at = consultation.concluded_at
        stage.items = items
    return stage


def _publication(consultation: Consultation | None, publication, result_url: str) -> Stage:
    stage = Stage(_("结果公开"))
    if publication is not None:
        stage.state, stage.label, stage.at = DONE, _("已公开"), publication.published_at
        stage.links.append(Link(_("查看公开的协商结果"), result_url))
    elif consultation is not None and consultation.status == ConsultationStatus.CONCLUDED:
        stage.state, stage.label = CURRENT, _("待公开")
        stage.links.append(Link(_("查看协商结果和落实情况"), result_url))
    return stage


def _rating(consultation: Consultation | None, is_open: bool, rate_url: str, user) -> Stage:
    stage = Stage(_("评价"))
    if consultation is None or not is_open:
        return stage
    mine = selectors.rating_of(consultation, user)
    if mine is not None:
        stage.state, stage.label, stage.at = DONE, _("您已评价"), mine.created_at
        stage.links.append(Link(_("查看评价情况"), rate_url))
    else:
        stage.state, stage.label = CURRENT, _("欢迎评价")
        stage.lines.append(_("请对协商过程和落实结果作出评价，登录后每人评价一次。"))
        stage.links.append(Link(_("去评价"), rate_url))
    return stage


def _status_text(consultation: Consultation | None, items: list, is_open: bool) -> str:
    if consultation is None:
        return _("已列为议题，正在安排协商。")
    status = consultation.status
    if status == ConsultationStatus.PLANNED:
        return _("已列为议题，正在筹备协商。")
    if status == ConsultationStatus.NOTIFIED:
        return _("协商定于 %(when)s 召开。") % {"when": _when(consultation)}
    if status == ConsultationStatus.IN_SESSION:
        return _("正在协商。")
    if status == ConsultationStatus.HELD:
        return _("已协商，正在形成协商意见。")
    if any(item.status == public_results.NOT_ASSIGNED for item in items):
        text = _("已形成协商意见，正在交办落实。")
    elif any(item.status not in CLOSED_ITEMS for item in items):
        text = _("已协商，建议正在办理。")
    else:
        text = _("协商建议已全部办结或作出说明。")
    if is_open:
        text += _("结果已公开，欢迎评价。")
    return text


def later_stages(*, topic: Topic | None, user) -> LaterStages:
    """Stages after the approval of ``topic`` (all greyed while it is None); at most five queries."""
    consultation = current_consultation(topic) if topic is not None else None
    concluded = consultation is not None and consultation.status == ConsultationStatus.CONCLUDED
    items = public_results.public_items(consultation) if concluded else []
    publication = public_results.publication_of(consultation) if concluded else None
    is_open = concluded and services.is_rating_open(consultation)
    result_url = reverse("outcomes_public:result", args=[consultation.pk]) if concluded else ""
    rate_url = reverse("evaluation_public:rate", args=[consultation.pk]) if is_open else ""
    public = consultation is not None and consultation.status in PUBLIC_PAGE
    stages = [
        _arrangement(consultation),
        _session(consultation),
        _opinion(consultation, items),
        _publication(consultation, publication, result_url),
        _rating(consultation, is_open, rate_url, user),
    ]
    return LaterStages(
        stages,
        status_text=_status_text(consultation, items, is_open) if topic is not None else "",
        consultation_url=reverse("consultations:public_page", args=[consultation.pk]) if public else "",
        result_url=result_url,
        rate_url=rate_url,
    )
