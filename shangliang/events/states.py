"""Vocabularies and allowed moves of briefings, lectures, training and legal publicity (宣讲培训).

An event is a light record apart from consultations: it is planned, then held or cancelled; the
questions residents ask wait for staff to answer or let them through before the public sees them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    # 我说你听: departments explain policies and the government's work (知情明政).
    BRIEFING = "briefing", _("知情明政")
    # Public-interest lectures for residents (公益培训): health, farming, anti-fraud …
    LECTURE = "lecture", _("公益培训")
    # Training of grassroots cadres, conveners and members (开展基层干部…专题培训).
    TRAINING = "training", _("专题培训")
    # Policy publicity and legal education (广泛开展政策宣传，普及法律知识).
    LEGAL = "legal", _("法治宣传")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("计划举办")  # announced; sign-in opens an hour before the start
    HELD = "held", _("已举办")  # took place: counts in the figures and earns the speaker points
    CANCELLED = "cancelled", _("已取消")  # called off, with the reason


EVENT_MOVES = {
    EventStatus.PLANNED: {EventStatus.HELD, EventStatus.CANCELLED},
    EventStatus.HELD: set(),
    EventStatus.CANCELLED: set(),
}


class SignInVia(models.TextChoices):
    FORM = "form", _("扫码填写")  # scanned the QR and gave a name and mobile number
    ACCOUNT = "account", _("扫码一键签到")  # scanned the QR while logged in
    STAFF = "staff", _("工作人员补录")  # added by hand by the staff (marked as such)


class QuestionSource(models.TextChoices):
    PUBLIC = "public", _("群众网上提问")  # asked on the public page; shown once staff let it through
    STAFF = "staff", _("现场提问")  # asked on the spot and recorded by the staff with the answer


class QuestionStatus(models.TextChoices):
    PENDING = "pending", _("待回复")  # asked on the public page, not yet public
    PUBLISHED = "published", _("已公开")  # answered or let through by the staff: on the public page
    HIDDEN = "hidden", _("不予公开")  # off-topic, personal data, abuse: kept, never shown


QUESTION_MOVES = {
    QuestionStatus.PENDING: {QuestionStatus.PUBLISHED, QuestionStatus.HIDDEN},
    QuestionStatus.PUBLISHED: {QuestionStatus.HIDDEN},
    QuestionStatus.HIDDEN: set(),
}


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "event.created": _("登记宣讲培训活动"),
    "event.edited": _("修改活动信息"),
    "event.held": _("记为已举办"),
    "event.cancelled": _("取消活动"),
    "event.recorded": _("更新举办情况"),
    "event.sign_in": _("扫码签到"),
    "event.sign_in_added": _("工作人员补录签到"),
    "event.sign_in_withdrawn": _("撤销签到记录"),
    "event.question_asked": _("群众网上提问"),
    "event.question_recorded": _("记录现场问答"),
    "event.question_answered": _("答复或公开提问"),
    "event.question_hidden": _("提问不予公开"),
    "event.photo_added": _("上传活动照片"),
    "event.photo_archived": _("撤下活动照片"),
    "event.material_added": _("上传活动材料"),
    "event.material_archived": _("撤下活动材料"),
}
