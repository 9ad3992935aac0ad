"""Vocabularies of the organisation: levels, kinds and roles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    DISTRICT = "district", _("区/县")  # the deployment's top level
    TOWNSHIP = "township", _("乡镇/街道")  # second level
    VILLAGE = "village", _("村/社区")  # third level
    GRID = "grid", _("网格/小组/楼栋")  # fourth level


REGION_CHILD_LEVEL = {
    RegionLevel.DISTRICT: RegionLevel.TOWNSHIP,
    RegionLevel.TOWNSHIP: RegionLevel.VILLAGE,
    RegionLevel.VILLAGE: RegionLevel.GRID,
}


class PlatformKind(models.TextChoices):
    TOWNSHIP_ROOM = "township_room", _("乡镇（街道）协商议事室")  # run by the township station
    VILLAGE_ROOM = "village_room", _("村（社区）协商议事室")  # run by the village committee
    SECTOR_ROOM = "sector_room", _("界别协商议事室")  # for one CPPCC sector
    COMPANY_ROOM = "company_room", _("企业协商议事室")  # in a company
    PARK_ROOM = "park_room", _("园区协商议事室")  # in an industrial or business park, for its companies
    MEMBER_STUDIO = "member_studio", _("委员工作室")  # run by one or a few members
    ONLINE_ROOM = "online_room", _("网上协商议事室")  # online only
    # Another standing venue (党群之家, 村民说事室 …): listed and bookable, but not a consultation room, so it
    # never counts towards a village's coverage.
    VENUE = "venue", _("其他议事场所")


# The kinds that are consultation rooms proper (they count towards coverage and the six-haves).
ROOM_KINDS = [kind for kind in PlatformKind if kind != PlatformKind.VENUE]


class VenueType(models.TextChoices):
    PARTY_MASS_HOME = "party_mass_home", _("党群之家")
    VILLAGER_TALK = "villager_talk", _("村民说事室")
    VETERAN_STUDIO = "veteran_studio", _("老党员工作室")
    DEPUTIES_STUDIO = "deputies_studio", _("两代表一委员工作室")
    WOMEN_HOME = "women_home", _("妇女之家")
    OTHER = "other", _("其他")


class SixHave(models.TextChoices):
    PLACE = "place", _("有阵地")  # a room or hall
    SIGN = "sign", _("有标识")  # a sign at the door
    RULES = "rules", _("有制度")  # written rules on the wall
    PROCEDURE = "procedure", _("有流程")  # the consultation procedure displayed
    ACTIVITIES = "activities", _("有活动")  # sessions actually held
    RESULTS = "results", _("有实效")  # outcomes implemented


class UnitKind(models.TextChoices):
    GOVERNMENT_DEPARTMENT = "government_department", _("政府部门")  # 区住建局 …
    TOWNSHIP_GOVERNMENT = "township_government", _("乡镇政府/街道办")  # the township's government
    PARTY_ORGANISATION = "party_organisation", _("党组织")  # 区委, 镇党委, 村党支部
    CPPCC_COMMITTEE = "cppcc_committee", _("政协专委会")  # follows items, links to stations
    VILLAGE_COMMITTEE = "village_committee", _("村（居）委会")  # village self-government
    COMPANY = "company", _("企业")  # company or park management
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织")  # owners' committee, association


class MemberLevel(models.TextChoices):
    PROVINCE = "province", _("省政协委员")
    CITY = "city", _("市政协委员")
    COUNTY = "county", _("区（县）政协委员")


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("管理员")  # configures hierarchy and people in scope
    COMMITTEE_STAFF = "committee_staff", _("政协委室工作人员")  # CPPCC office and committees
    STATION_HEAD = "station_head", _("联络站负责人")  # township station, covers its villages
    CONVENER = "convener", _("召集人")  # village/community convener
    APPROVER = "approver", _("审定（同级党组织）")  # party organisation of the region; approves topics
    # The township government's legal review of village resolutions (协商结果违反法律法规的，依法纠正).
    LEGAL_REVIEWER = "legal_reviewer", _("乡镇（街道）政府合法性审查")
    MEMBER = "member", _("政协委员")  # a CPPCC member
    UNIT_LIAISON = "unit_liaison", _("单位联络员")  # works the items of one unit
    SUPERVISOR = "supervisor", _("督办负责人")  # follows assignments
    EVALUATOR = "evaluator", _("第三方评估")  # independent evaluation
    RESIDENT = "resident", _("群众")  # a resident; public material and own submissions


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("已预约")  # a resident booked the slot
    CANCELLED = "cancelled", _("已取消")  # cancelled by the resident or the staff, with a reason
    ATTENDED = "attended", _("已接待")  # the meeting took place
    MISSED = "missed", _("未到场")  # the resident did not come


APPOINTMENT_MOVES = {
    AppointmentStatus.BOOKED: {AppointmentStatus.CANCELLED, AppointmentStatus.ATTENDED, AppointmentStatus.MISSED},
    AppointmentStatus.CANCELLED: set(),
    AppointmentStatus.ATTENDED: set(),
    AppointmentStatus.MISSED: set(),
}


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", _("待审核")  # a member asked to join a station (自主下沉)
    APPROVED = "approved", _("已同意")  # the station head or the CPPCC office agreed; an assignment was made
    REFUSED = "refused", _("未同意")  # refused with a reason
    WITHDRAWN = "withdrawn", _("已撤回")  # the member withdrew the request


JOIN_REQUEST_MOVES = {
    JoinRequestStatus.PENDING: {JoinRequestStatus.APPROVED, JoinRequestStatus.REFUSED, JoinRequestStatus.WITHDRAWN},
    JoinRequestStatus.APPROVED: set(),
    JoinRequestStatus.REFUSED: set(),
    JoinRequestStatus.WITHDRAWN: set(),
}


STAFF_ROLES = frozenset(set(Role.values) - {Role.RESIDENT})


# What a history row says happened (``core.audit``): stable codes, translated when shown.
AUDIT_REASONS = {
    "region.created": _("新建区划"),
    "region.updated": _("修改区划"),
    "region.archived": _("归档"),
    "platform.created": _("新建平台"),
    "platform.updated": _("修改平台信息"),
    "platform.checked": _("六有核查"),
    "platform.archived": _("归档"),
    "unit.created": _("新建单位"),
    "sector.created": _("新建界别"),
    "committee.formed": _("成立协商委员会"),
    "committee_seat.added": _("增补协商委员会成员"),
    "member.created": _("新增委员"),
    "member.updated": _("修改委员信息"),
    "member.archived": _("归档"),
    "member_assignment.started": _("委员下沉"),
    "member_assignment.ended": _("结束下沉"),
    "contact_link.created": _("建立联系点"),
    "role.granted": _("授予角色"),
    "role.revoked": _("撤销角色"),
    # Reception hours and bookings (orgs/reception.py), members' requests to join a station (orgs/joining.py).
    "reception_slot.opened": _("开放接待时段"),
    "reception_slot.withdrawn": _("撤销接待时段"),
    "appointment.booked": _("群众预约"),
    "appointment.cancelled": _("取消预约"),
    "appointment.attended": _("已接待"),
    "appointment.missed": _("预约未到"),
    "join_request.made": _("申请下沉到站点"),
    "join_request.approved": _("同意下沉申请"),
    "join_request.refused": _("未同意下沉申请"),
    "join_request.withdrawn": _("撤回下沉申请"),
}
