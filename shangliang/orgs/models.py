"""The organisation: regions, platforms, units, sectors, members and who holds which role where."""

import secrets

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from shangliang.core import limits
from shangliang.core.audit import history_records
from shangliang.core.constraints import valid_choices
from shangliang.core.models import ArchivableModel
from shangliang.core.phones import mask_mobile, validate_mobile
from shangliang.orgs.states import (
    AppointmentStatus,
    JoinRequestStatus,
    MemberLevel,
    PlatformKind,
    RegionLevel,
    Role,
    SixHave,
    UnitKind,
    VenueType,
)

statistical_code_validator = RegexValidator(r"^\d{12}$", _("统计用区划代码应为12位数字。"))


class Region(ArchivableModel):
    """A node of the administrative hierarchy.

    ``path`` is the chain of zero-padded primary keys from the top ("/00000001/00000005/"),
    kept by the region services, so "everything under X" is one indexed prefix query and
    sorting by path gives the tree in order.
    """

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=20, choices=RegionLevel.choices)
    code = models.CharField(
        _("统计用区划代码"),
        max_length=12,
        null=True,
        blank=True,
        unique=True,
        validators=[statistical_code_validator],
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("上级区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # A village's registered electorate and its representatives: the assembly's quorum is checked against them.
    electorate = models.PositiveIntegerField(
        _("登记选民数"), null=True, blank=True, help_text=_("本村（居）十八周岁以上有选举权的村（居）民人数")
    )
    representatives = models.PositiveIntegerField(_("村（居）民代表人数"), null=True, blank=True)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    history = history_records(excluded_fields=["path", "depth"])

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            *valid_choices("orgs_region", level=RegionLevel),
            models.UniqueConstraint(fields=["parent", "name"], name="orgs_region_unique_name_in_parent"),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def path_segment(pk: int) -> str:
        return f"{pk:08d}/"


class Sector(ArchivableModel):
    """A CPPCC sector (界别)."""

    name = models.CharField(_("名称"), max_length=50, unique=True)
    history = history_records()

    class Meta:
        verbose_name = _("界别")
        verbose_name_plural = _("界别")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Unit(ArchivableModel):
    """A body: a department, a party organisation, a CPPCC committee, a village committee, a company."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类别"), max_length=30, choices=UnitKind.choices)
    region = models.ForeignKey(Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey(
        "self", verbose_name=_("上级单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("单位负责人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="headed_units",
        help_text=_("督办升级时接收通知"),
    )
    history = history_records()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "name"]
        constraints = [
            *valid_choices("orgs_unit", kind=UnitKind),
            models.UniqueConstraint(fields=["region", "name"], name="orgs_unit_unique_name_in_region"),
        ]

    def __str__(self):
        return self.name


class Platform(ArchivableModel):
    """A consultation platform (协商议事室)."""

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=30, choices=PlatformKind.choices)
    brand = models.CharField(_("品牌"), max_length=50, default="有事好商量", help_text=_("如：有事好商量、有事来协商"))
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT, related_name="platforms")
    address = models.CharField(_("地址"), max_length=200, blank=True)
    host_unit = models.ForeignKey(
        Unit,
        verbose_name=_("主办单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="hosted_platforms",
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("界别"), null=True, blank=True, on_delete=models.PROTECT, related_name="platforms"
    )
    active_since = models.DateField(_("启用日期"), null=True, blank=True)
    description = models.TextField(_("简介"), max_length=limits.TEXT, blank=True)
    venue_type = models.CharField(
        _("场所类型"), max_length=30, choices=VenueType.choices, blank=True, help_text=_("仅“其他议事场所”填写")
    )
    is_practice_base = models.BooleanField(_("委员履职实践基地"), default=False)
    # A room a township and its communities share (镇社共用): the communities listed here count it as theirs.
    shared_regions = models.ManyToManyField(
        Region, verbose_name=_("共用的村（社区）"), blank=True, related_name="shared_platforms"
    )
    # The person in charge (专人负责): named on posters, takes appointments (预约).
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="kept_platforms",
    )
    keeper_name = models.CharField(_("负责人"), max_length=50, blank=True)
    contact_phone = models.CharField(
        _("联系电话"), max_length=20, blank=True, help_text=_("公开在海报和公开页上的办公电话")
    )
    supervision_phone = models.CharField(_("监督电话"), max_length=20, blank=True)
    opening_hours = models.CharField(_("开放时间"), max_length=100, blank=True, help_text=_("如：工作日 9:00—17:00"))
    history = history_records(m2m_fields=[shared_regions])

    class Meta:
        verbose_name = _("协商议事平台")
        verbose_name_plural = _("协商议事平台")
        ordering = ["region__path", "name"]
        constraints = [
            *valid_choices("orgs_platform", kind=PlatformKind),
            models.CheckConstraint(
                condition=Q(venue_type__in=[*VenueType.values, ""]), name="orgs_platform_venue_type_valid"
            ),
            models.UniqueConstraint(fields=["region", "name"], name="orgs_platform_unique_name_in_region"),
        ]

    def __str__(self):
        return self.name


def platform_photo_path(instance, filename):
    return f"platforms/{instance.platform_id}/{instance.item}-{secrets.token_hex(4)}.jpg"


class PlatformCheck(models.Model):
    """One item of the six-haves standard for a platform."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(_("标准项"), max_length=20, choices=SixHave.choices)
    is_met = models.BooleanField(_("已达标"), default=False)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    photo = models.ImageField(_("照片"), upload_to=platform_photo_path, blank=True)
    checked_at = models.DateTimeField(_("核查时间"), null=True, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("六有核查项")
        verbose_name_plural = _("六有核查项")
        constraints = [
            models.UniqueConstraint(fields=["platform", "item"], name="orgs_platformcheck_one_per_item"),
            *valid_choices("orgs_platformcheck", item=SixHave),
        ]

    def __str__(self):
        return f"{self.platform} · {self.get_item_display()}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are archived, never deleted.")


class ConsultationCommittee(ArchivableModel):
    """The standing consultation committee of a village or community (社区协商委员会)."""

    region = models.OneToOneField(
        Region, verbose_name=_("村（社区）"), on_delete=models.PROTECT, related_name="consultation_committee"
    )
    name = models.CharField(_("名称"), max_length=100)
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("协商委员会")
        verbose_name_plural = _("协商委员会")

    def __str__(self):
        return self.name


class CommitteeSeat(ArchivableModel):
    """A person sitting on a village consultation committee."""

    committee = models.ForeignKey(ConsultationCommittee, on_delete=models.PROTECT, related_name="seats")
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=50, help_text=_("如：主任、委员"))
    mobile = models.CharField(_("手机号"), max_length=11, blank=True, validators=[validate_mobile])
    history = history_records()

    class Meta:
        verbose_name = _("协商委员会成员")
        verbose_name_plural = _("协商委员会成员")
        ordering = ["committee", "pk"]

    def __str__(self):
        return f"{self.name}（{self.position}）"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


def new_member_code() -> str:
    return secrets.token_urlsafe(9)


class Member(ArchivableModel):
    """A CPPCC member (政协委员)."""

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))], blank=True)
    level = models.CharField(_("委员层级"), max_length=20, choices=MemberLevel.choices)
    sector = models.ForeignKey(Sector, verbose_name=_("界别"), on_delete=models.PROTECT, related_name="members")
    specialty = models.CharField(_("专长"), max_length=100, blank=True)
    workplace = models.CharField(_("工作单位及职务"), max_length=150, blank=True)
    mobile = models.CharField(_("手机号"), max_length=11, blank=True, validators=[validate_mobile])
    home_region = models.ForeignKey(
        Region, verbose_name=_("居住地"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    work_region = models.ForeignKey(
        Region, verbose_name=_("工作地"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="member",
    )
    code = models.CharField(_("履职码"), max_length=20, unique=True, default=new_member_code, editable=False)
    bio = models.TextField(_("简介"), max_length=limits.TEXT, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("政协委员")
        verbose_name_plural = _("政协委员")
        ordering = ["level", "name", "pk"]
        constraints = valid_choices("orgs_member", level=MemberLevel)

    def __str__(self):
        return self.name

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)


class MemberAssignment(models.Model):
    """A member attached (下沉) to a station or platform for a period."""

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="assignments")
    platform = models.ForeignKey(
        Platform, verbose_name=_("联系站点"), on_delete=models.PROTECT, related_name="member_assignments"
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("委员下沉")
        verbose_name_plural = _("委员下沉")
        ordering = ["-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "platform"],
                condition=Q(ended_on__isnull=True),
                name="orgs_memberassignment_one_open_per_platform",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="orgs_memberassignment_ends_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.platform}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are archived, never deleted.")


class ContactLink(models.Model):
    """A CPPCC special committee linked to a station or member studio (联系点)."""

    committee = models.ForeignKey(
        Unit,
        verbose_name=_("政协专委会"),
        on_delete=models.PROTECT,
        related_name="contact_links",
        limit_choices_to={"kind": UnitKind.CPPCC_COMMITTEE},
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("联系站点"), on_delete=models.PROTECT, related_name="contact_links"
    )
    started_on = models.DateField(_("开始日期"))
    ended_on = models.DateField(_("结束日期"), null=True, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("联系点")
        verbose_name_plural = _("联系点")
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "platform"],
                condition=Q(ended_on__isnull=True),
                name="orgs_contactlink_one_open",
            )
        ]

    def __str__(self):
        return f"{self.committee} ↔ {self.platform}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are archived, never deleted.")


class ScopedRole(models.Model):
    """A role held by a user in exactly one scope: a region (and all below it), a platform or a unit."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scoped_roles")
    role = models.CharField(_("角色"), max_length=30, choices=Role.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("区划"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    platform = models.ForeignKey(
        Platform, verbose_name=_("平台"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            *valid_choices("orgs_scopedrole", role=Role),
            models.CheckConstraint(
                condition=(
                    Q(region__isnull=False, platform__isnull=True, unit__isnull=True)
                    | Q(region__isnull=True, platform__isnull=False, unit__isnull=True)
                    | Q(region__isnull=True, platform__isnull=True, unit__isnull=False)
                ),
                name="orgs_scopedrole_exactly_one_scope",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.scope}"

    @property
    def scope(self):
        return self.region or self.platform or self.unit

    def delete(self, *args, **kwargs):
        raise PermissionError("Roles are revoked, never deleted.")


class JoinRequest(models.Model):
    """A member asks to join a station (按照“就近、自主”的原则下沉); approval makes a MemberAssignment."""

    member = models.ForeignKey(Member, verbose_name=_("委员"), on_delete=models.PROTECT, related_name="join_requests")
    platform = models.ForeignKey(
        Platform, verbose_name=_("申请加入的站点"), on_delete=models.PROTECT, related_name="join_requests"
    )
    reason = models.TextField(_("申请理由"), max_length=limits.NOTE, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    approved_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    refused_at = models.DateTimeField(_("未同意时间"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decision_note = models.TextField(_("审核意见"), max_length=limits.NOTE, blank=True)
    assignment = models.OneToOneField(
        MemberAssignment, null=True, blank=True, on_delete=models.PROTECT, related_name="join_request"
    )
    history = history_records()

    class Meta:
        verbose_name = _("委员下沉申请")
        verbose_name_plural = _("委员下沉申请")
        ordering = ["-requested_at"]
        constraints = [
            *valid_choices("orgs_joinrequest", status=JoinRequestStatus),
            models.UniqueConstraint(
                fields=["member", "platform"],
                condition=Q(status=JoinRequestStatus.PENDING),
                name="orgs_joinrequest_one_pending",
            ),
        ]

    def __str__(self):
        return f"{self.member} → {self.platform}"

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are archived, never deleted.")


class ReceptionSlot(ArchivableModel):
    """An opening a resident can book: a member's reception hours (委员接待日) at a station, or the
    person in charge of a platform receiving residents by appointment (专人负责预约)."""

    platform = models.ForeignKey(Platform, verbose_name=_("地点"), on_delete=models.PROTECT, related_name="slots")
    member = models.ForeignKey(
        Member, verbose_name=_("接待委员"), null=True, blank=True, on_delete=models.PROTECT, related_name="slots"
    )
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveSmallIntegerField(_("可预约人数"), default=5)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = history_records()

    class Meta:
        verbose_name = _("接待时段")
        verbose_name_plural = _("接待时段")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="orgs_slot_ends_after_start"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="orgs_slot_capacity_positive"),
        ]

    def __str__(self):
        return f"{self.platform} · {self.starts_at:%Y-%m-%d %H:%M}"


def new_appointment_code() -> str:
    return secrets.token_urlsafe(9)


class Appointment(models.Model):
    """A resident's booking of a reception slot."""

    slot = models.ForeignKey(
        ReceptionSlot, verbose_name=_("接待时段"), on_delete=models.PROTECT, related_name="appointments"
    )
    name = models.CharField(_("姓名"), max_length=50)
    mobile = models.CharField(_("手机号"), max_length=11, validators=[validate_mobile])
    matter = models.TextField(_("想谈的事"), max_length=limits.NOTE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    code = models.CharField(max_length=20, unique=True, default=new_appointment_code, editable=False)
    status = models.CharField(
        _("状态"), max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    booked_at = models.DateTimeField(_("预约时间"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    attended_at = models.DateTimeField(_("接待时间"), null=True, blank=True)
    missed_at = models.DateTimeField(_("记为未到时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    outcome_note = models.TextField(_("接待情况"), max_length=limits.NOTE, blank=True)
    history = history_records()

    class Meta:
        verbose_name = _("预约")
        verbose_name_plural = _("预约")
        ordering = ["slot__starts_at", "pk"]
        constraints = [*valid_choices("orgs_appointment", status=AppointmentStatus)]

    def __str__(self):
        return f"{self.name} · {self.slot}"

    @property
    def masked_mobile(self) -> str:
        return mask_mobile(self.mobile)

    def delete(self, *args, **kwargs):
        raise PermissionError("Official records are archived, never deleted.")
