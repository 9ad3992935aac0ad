"""Hotline and grid records (12345工单, 网上留言, 网格事件), their places, categories and hot issues.

A record is imported (a file, or pushed by the hotline system) from a ``Source``, whose column mapping
says which column of its export holds which field. Records keep the row as received beside the
normalised text. Staff changes (a place confirmed, a category corrected, a record moved between hot
issues) are kept in history with who and when; an import is its own record (the background job with
its counts and bad rows), so a 10,000-row file does not write 10,000 history rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.models import BackgroundJob
from shangliang.hotline.states import CategoryBy, IssueStatus, PlaceOrigin, PlaceStatus, RecordKind
from shangliang.orgs.models import Region
from shangliang.topics.models import Category, Submission


class Source(models.Model):
    """An export format and origin of records: a district's 12345 work orders, a township's grid system.

    ``region`` owns the records (a district or a township): its staff see the records no place was found
    for. ``mapping`` maps a field (``states.FIELDS``) to the column heading of the export that holds it.
    ``push_token_hash`` is the SHA-256 of the token the hotline system sends to push records; the token
    itself is shown once when made. ``callback_url`` receives the result of a record that became a topic.
    """

    name = models.CharField(_("来源名称"), max_length=60)
    kind = models.CharField(_("记录类型"), max_length=20, choices=RecordKind.choices, default=RecordKind.WORK_ORDER)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    mapping = models.JSONField(_("列对应关系"), default=dict, blank=True)
    push_token_hash = models.CharField(max_length=64, blank=True, editable=False)
    callback_url = models.URLField(_("结果回传地址"), blank=True, help_text=_("热线系统接收办理结果的接口地址"))
    is_archived = models.BooleanField(_("已停用"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    history = history_records(excluded_fields=["push_token_hash"])

    class Meta:
        verbose_name = _("热线数据来源")
        verbose_name_plural = _("热线数据来源")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="hotline_source_name_unique"),
            *valid_choices("hotline_source", kind=RecordKind),
        ]

    def __str__(self):
        return self.name


class HotIssue(models.Model):
    """热点诉求: records about one concrete problem in one place, ranked by heat.

    ``group_key`` is the group's id in the grouping state of its owner region (``GroupingState``), so new
    records join without regrouping everything. The counts and heat are stored for ranking lists and refreshed
    whenever a record joins or leaves (``services.refresh_issue``).
    """

    title = models.CharField(_("热点标题"), max_length=200)
    owner_region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey(
        Region, verbose_name=_("地点"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("状态"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.OPEN)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )
    submission = models.OneToOneField(
        Submission,
        verbose_name=_("转成的诉求"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hot_issue",
    )
    group_key = models.CharField(max_length=20, editable=False)
    record_count = models.PositiveIntegerField(_("记录数"), default=0)
    people_count = models.PositiveIntegerField(_("诉求人数"), default=0)
    likes = models.PositiveIntegerField(_("点赞数"), default=0)
    first_at = models.DateTimeField(_("最早"), null=True, blank=True)
    last_at = models.DateTimeField(_("最近"), null=True, blank=True)
    heat = models.FloatField(_("热度"), default=0, db_index=True)
    heat_parts = models.JSONField(default=dict, blank=True, editable=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("形成时间"), auto_now_add=True)
    history = history_records(excluded_fields=["heat_parts"])

    class Meta:
        verbose_name = _("热点诉求")
        verbose_name_plural = _("热点诉求")
        ordering = ["-heat", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["owner_region", "group_key"], name="hot_issue_group_unique"),
            *valid_choices("hot_issue", status=IssueStatus),
        ]

    def __str__(self):
        return self.title


class Record(models.Model):
    """One hotline work order, message or grid report, as imported or pushed, with what analysis made of it.

    ``(source, external_id)`` is unique: importing the same 工单编号 again updates the record. ``region`` is
    the place found (a village/community or a grid) or empty; ``owner_region`` is the source's region,
    copied so scope filters on columns of this table. ``reporter_phone`` is kept as received (often
    masked already) and shown masked except to the staff who call back.
    """

    source = models.ForeignKey(Source, verbose_name=_("来源"), on_delete=models.PROTECT, related_name="records")
    external_id = models.CharField(_("工单编号"), max_length=64)
    kind = models.CharField(_("记录类型"), max_length=20, choices=RecordKind.choices)
    owner_region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("受理时间"), db_index=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    text = models.TextField(_("诉求内容"), max_length=limits.TEXT)
    original = models.JSONField(_("原始记录"), default=dict, editable=False)
    place_text = models.CharField(_("事发地址"), max_length=200, blank=True)
    reporter_name = models.CharField(_("诉求人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    person_key = models.CharField(max_length=64, blank=True, editable=False)
    likes = models.PositiveIntegerField(_("点赞数"), default=0)
    dislikes = models.PositiveIntegerField(_("反对数"), default=0)
    region = models.ForeignKey(
        Region, verbose_name=_("地点"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    place_status = models.CharField(
        _("地点状态"), max_length=20, choices=PlaceStatus.choices, default=PlaceStatus.REVIEW
    )
    place_confidence = models.FloatField(_("地点置信度"), default=0)
    category = models.ForeignKey(
        Category, verbose_name=_("类别"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category_by = models.CharField(
        _("分类来源"), max_length=20, choices=CategoryBy.choices, default=CategoryBy.NONE, blank=True
    )
    category_confidence = models.FloatField(_("分类置信度"), null=True, blank=True)
    source_category = models.CharField(_("原分类"), max_length=60, blank=True)
    reply_unit = models.CharField(_("承办单位"), max_length=100, blank=True)
    reply_text = models.TextField(_("答复内容"), max_length=limits.TEXT, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    reply_score = models.FloatField(_("答复质量得分"), null=True, blank=True)
    reply_parts = models.JSONField(default=dict, blank=True, editable=False)
    issue = models.ForeignKey(
        HotIssue, verbose_name=_("热点诉求"), null=True, blank=True, on_delete=models.PROTECT, related_name="records"
    )
    # The record's group in the grouping state (a group becomes a hot issue once it has two records).
    group_key = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    result_sent_at = models.DateTimeField(_("结果回传时间"), null=True, blank=True)
    import_job = models.ForeignKey(
        BackgroundJob, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_archived = models.BooleanField(_("已归档"), default=False)
    history = history_records(excluded_fields=["original", "reply_parts", "updated_at", "text"])

    class Meta:
        verbose_name = _("热线记录")
        verbose_name_plural = _("热线记录")
        ordering = ["-received_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "external_id"], name="hotline_record_unique"),
            *valid_choices("hotline_record", kind=RecordKind, place_status=PlaceStatus, category_by=CategoryBy),
        ]
        indexes = [models.Index(fields=["owner_region", "received_at"], name="hotline_record_owner_time")]

    def __str__(self):
        return self.external_id


class PlaceAlias(models.Model):
    """A place name that points to a region: a road, an estate, an old name (learnt when staff confirm a
    record's place, or entered by hand). Region names themselves need no alias."""

    region = models.ForeignKey(Region, verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("地名"), max_length=60)
    origin = models.CharField(_("来源"), max_length=20, choices=PlaceOrigin.choices, default=PlaceOrigin.MANUAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    is_archived = models.BooleanField(_("已停用"), default=False)
    history = history_records()

    class Meta:
        verbose_name = _("地名别名")
        verbose_name_plural = _("地名别名")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"], condition=Q(is_archived=False), name="hotline_alias_unique"
            ),
            *valid_choices("hotline_alias", origin=PlaceOrigin),
        ]

    def __str__(self):
        return self.name


class Classifier(models.Model):
    """A trained category model: its version, when and on how many records it was trained, its own
    cross-validated figures, and the model itself. The newest active one classifies new records."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    trained_at = models.DateTimeField(_("训练时间"))
    trained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("训练人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    training_size = models.PositiveIntegerField(_("训练样本数"))
    labels = models.JSONField(_("类别"), default=list)
    figures = models.JSONField(_("交叉验证结果"), default=dict)
    model = models.BinaryField(editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    history = history_records(excluded_fields=["model"])

    class Meta:
        verbose_name = _("分类模型")
        verbose_name_plural = _("分类模型")
        ordering = ["-version"]

    def __str__(self):
        return _("分类模型 v%(version)s") % {"version": self.version}


class GroupingState(models.Model):
    """The grouping's state of one owner region (``hotline.grouping.State.to_json``): the term frequencies
    and one signature per group, so new records join groups without regrouping everything."""

    owner_region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="+")
    state = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("热点分组状态")
        verbose_name_plural = _("热点分组状态")

    def __str__(self):
        return str(self.owner_region_id)
