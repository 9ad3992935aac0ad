"""Vocabularies of hotline and grid records (12345工单, 留言, 网格事件) and their analysis."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    WORK_ORDER = "work_order", _("12345工单")
    MESSAGE = "message", _("网上留言")
    GRID = "grid", _("网格事件")


class PlaceStatus(models.TextChoices):
    """How a record's place (village/community, grid) was found."""

    MATCHED = "matched", _("自动匹配")  # confident enough to count without review
    REVIEW = "review", _("待核对")  # a guess below the threshold, or nothing found: in the review queue
    CONFIRMED = "confirmed", _("已核对")  # a person confirmed or corrected it


class CategoryBy(models.TextChoices):
    """Where a record's category came from; the source's own and the staff's are training labels."""

    NONE = "", _("未分类")
    SOURCE = "source", _("来源系统分类")
    MODEL = "model", _("模型分类")
    STAFF = "staff", _("人工校正")


# The labels the classifier learns from: what a person (here or at the source) decided.
TRAINING_LABELS = (CategoryBy.SOURCE, CategoryBy.STAFF)


class IssueStatus(models.TextChoices):
    OPEN = "open", _("关注中")
    TOPIC = "topic", _("已转为议题")
    MERGED = "merged", _("已并入其他热点")
    DISMISSED = "dismissed", _("不作为议题")


ISSUE_MOVES = {
    IssueStatus.OPEN: {IssueStatus.TOPIC, IssueStatus.MERGED, IssueStatus.DISMISSED},
    IssueStatus.DISMISSED: {IssueStatus.OPEN},
    IssueStatus.TOPIC: set(),
    IssueStatus.MERGED: set(),
}


class PlaceOrigin(models.TextChoices):
    """Where a place name (alias) of the gazetteer came from."""

    MANUAL = "manual", _("人工录入")
    LEARNT = "learnt", _("核对时学习")


# Fields a column of an export can be mapped to (the first three are required).
FIELDS = {
    "external_id": _("工单编号"),
    "received_at": _("受理时间"),
    "text": _("诉求内容"),
    "title": _("标题"),
    "place": _("事发地址"),
    "reporter": _("诉求人"),
    "phone": _("联系电话"),
    "person": _("用户标识"),
    "category": _("原分类"),
    "likes": _("点赞数"),
    "dislikes": _("反对数"),
    "unit": _("承办单位"),
    "reply": _("答复内容"),
    "replied_at": _("答复时间"),
}
REQUIRED_FIELDS = ("external_id", "received_at", "text")

# What a history row says happened (``core.audit``).
AUDIT_REASONS = {
    "hotline_source.created": _("新建数据来源"),
    "hotline_source.updated": _("修改数据来源"),
    "hotline_record.place_confirmed": _("核对地点"),
    "hotline_record.category_corrected": _("校正分类"),
    "hotline_record.moved": _("调整所属热点"),
    "hotline_record.result_sent": _("回传办理结果"),
    "hot_issue.created": _("形成热点诉求"),
    "hot_issue.merged": _("合并热点"),
    "hot_issue.split": _("拆分热点"),
    "hot_issue.to_topic": _("转为协商议题"),
    "hot_issue.dismissed": _("不作为议题"),
    "hot_issue.reopened": _("重新关注"),
    "place_alias.created": _("新增地名"),
    "classifier.trained": _("训练分类模型"),
}
