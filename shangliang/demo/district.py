"""The demo district 云溪区: a fictional county modelled on the figures of the source district.

9 townships, 92 villages and communities, 105 platforms (84 villages covered), 34 city-level and
151 county-level members assigned to the 9 township stations, and one demo account per role (one
per level for the approvers). Every row is written through the services, like a real administrator
would, so the history tables name the demo administrator as the author. One ``random.Random(SEED)``
drives every choice: the same code builds the same district every time.
"""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from shangliang.accounts.services import resident_register, staff_account_create
from shangliang.core.errors import DomainError
from shangliang.demo.names import NameSource, numeral
from shangliang.orgs import services
from shangliang.orgs.models import (
    CommitteeSeat,
    ConsultationCommittee,
    ContactLink,
    Member,
    MemberAssignment,
    Platform,
    Region,
    ScopedRole,
    Sector,
    Unit,
)
from shangliang.orgs.states import MemberLevel, PlatformKind, RegionLevel, Role, SixHave, UnitKind
from shangliang.topics.models import Category

SEED = 2026
DEMO_PASSWORD = "shangliang-demo"
DISTRICT_NAME = "云溪区"
# 3301 is a real prefecture but 99 is not one of its districts, so no code collides with a real place.
DISTRICT_CODE = "330199000000"
RESIDENT_MOBILE = "13800000001"

# (name, number of villages/communities): 2 × 11 + 7 × 10 = 92, as in the source district.
TOWNSHIPS = (
    ("青石镇", 11),
    ("桃源镇", 10),
    ("白沙街道", 10),
    ("云溪街道", 10),
    ("凤岭镇", 11),
    ("长丰镇", 10),
    ("东湖街道", 10),
    ("双溪镇", 10),
    ("梅山乡", 10),
)
# Villages still without a room, by township index: 8 gaps leave 84 of 92 covered. Rural
# townships lag behind; the first township stays complete because the demo conveners work there.
UNCOVERED_PER_TOWNSHIP = {1: 2, 4: 2, 5: 1, 7: 2, 8: 1}

PARTY_UNITS = ("区委", "区委组织部", "区委宣传部", "区委统战部", "区委政法委员会")
GOVERNMENT_UNITS = (
    "区政府办公室",
    "区发展和改革局",
    "区教育局",
    "区公安分局",
    "区民政局",
    "区司法局",
    "区财政局",
    "区人力资源和社会保障局",
    "区自然资源局",
    "区生态环境分局",
    "区住房和城乡建设局",
    "区交通运输局",
    "区水利局",
    "区农业农村局",
    "区商务局",
    "区文化和广电旅游体育局",
    "区卫生健康局",
    "区退役军人事务局",
    "区应急管理局",
    "区市场监督管理局",
    "区城市管理局",
    "区医疗保障局",
    "区信访局",
)
# The departments to invite when a matter of a category is consulted on (Category.responsible_units).
RESPONSIBLE_UNITS = {
    "教育": ("区教育局",),
    "就业与收入": ("区人力资源和社会保障局",),
    "医疗卫生": ("区卫生健康局", "区医疗保障局"),
    "养老服务": ("区民政局",),
    "住房保障": ("区住房和城乡建设局",),
    "扶弱助困": ("区民政局",),
    "道路桥梁": ("区交通运输局", "区住房和城乡建设局"),
    "环境卫生": ("区城市管理局",),
    "停车与交通秩序": ("区城市管理局", "区交通运输局"),
    "生态环境": ("区生态环境分局",),
    "农业生产": ("区农业农村局", "区水利局"),
    "公共设施": ("区住房和城乡建设局",),
    "物业管理": ("区住房和城乡建设局",),
    "文化体育": ("区文化和广电旅游体育局",),
    "平安建设": ("区公安分局",),
    "政策落实": ("区政府办公室",),
}
CPPCC_COMMITTEES = (
    "提案委员会",
    "经济委员会",
    "农业农村委员会",
    "社会和法制委员会",
    "教科卫体委员会",
    "文化文史和学习委员会",
    "人口资源环境委员会",
)
SECTORS = (
    "中共",
    "民革",
    "民盟",
    "民建",
    "民进",
    "农工党",
    "致公党",
    "九三学社",
    "无党派人士",
    "共青团",
    "工会",
    "妇联",
    "工商联",
    "经济界",
    "农业界",
    "教育界",
    "科技界",
    "医药卫生界",
    "文化艺术界",
    "社会福利和社会保障界",
    "少数民族界",
    "宗教界",
)
# Relative size of each sector among the district's members, in the order of SECTORS.
SECTOR_WEIGHTS = (14, 2, 4, 4, 4, 4, 2, 4, 5, 3, 3, 4, 8, 12, 10, 8, 6, 8, 5, 5, 2, 2)

# (company, township index, name of its room or "" when it has none)
COMPANIES = (
    ("云溪经济开发区管理委员会", 2, "云溪经济开发区协商议事室"),
    ("桃源茶业有限公司", 1, "桃源茶业企业协商议事室"),
    ("凤岭智能装备有限公司", 4, "凤岭智能装备企业协商议事室"),
    ("双溪纺织有限公司", 7, ""),
    ("云溪物流园运营管理有限公司", 6, ""),
)
# (studio, township index, what it works on)
MEMBER_STUDIOS = (
    ("乡村振兴委员工作室", 1, "聚焦特色农业、农村人居环境和乡风文明"),
    ("法律服务委员工作室", 3, "为群众提供法律咨询，参与矛盾纠纷化解"),
    ("健康服务委员工作室", 2, "组织义诊和健康讲座，推动基层医疗服务提升"),
    ("民营经济委员工作室", 6, "倾听企业诉求，推动营商环境优化"),
    ("生态环保委员工作室", 7, "关注河道治理、垃圾分类和生态保护"),
)
SECTOR_ROOMS = ("经济界", "农业界", "医药卫生界", "教育界")
# Each special committee follows its township stations (by index) and one member studio (by index);
# together the stations cover all nine townships.
CONTACT_LINKS = {
    "提案委员会": ((0, 7), 3),
    "经济委员会": ((1, 8), 3),
    "农业农村委员会": ((2,), 0),
    "社会和法制委员会": ((3,), 1),
    "教科卫体委员会": ((4,), 2),
    "文化文史和学习委员会": ((5,), 0),
    "人口资源环境委员会": ((6,), 4),
}

SPECIALTIES = (
    "农业技术",
    "法律",
    "医疗",
    "教育",
    "城市规划",
    "企业管理",
    "社会工作",
    "文化旅游",
    "生态环保",
    "金融",
    "科技创新",
)
# Members mostly work in the field their sector stands for; the other sectors draw freely.
SECTOR_SPECIALTIES = {
    "农业界": ("农业技术",),
    "医药卫生界": ("医疗",),
    "农工党": ("医疗",),
    "教育界": ("教育",),
    "民进": ("教育",),
    "民盟": ("教育", "法律"),
    "民革": ("法律",),
    "经济界": ("企业管理", "金融"),
    "民建": ("企业管理", "金融"),
    "工商联": ("企业管理",),
    "致公党": ("企业管理", "科技创新"),
    "科技界": ("科技创新",),
    "九三学社": ("科技创新", "城市规划"),
    "文化艺术界": ("文化旅游",),
    "社会福利和社会保障界": ("社会工作",),
    "妇联": ("社会工作",),
}
WORKPLACES = {
    "农业技术": ("{town}农业综合服务中心 农艺师", "云溪区农业技术推广中心 高级农艺师", "{village}{trade}家庭农场 场主"),
    "法律": ("云溪{trade}律师事务所 主任", "云溪区法律援助中心 律师", "云溪{trade}律师事务所 合伙人"),
    "医疗": ("云溪区人民医院 主任医师", "云溪区中医院 副院长", "{town}卫生院 院长", "云溪区妇幼保健院 副主任医师"),
    "教育": ("云溪区第一中学 教师", "{town}中心小学 校长", "云溪区实验幼儿园 园长", "云溪区职业中专 副校长"),
    "城市规划": ("云溪区规划设计研究院 高级工程师", "云溪{trade}建筑设计有限公司 总工程师"),
    "企业管理": (
        "云溪{trade}实业有限公司 董事长",
        "云溪{trade}科技有限公司 总经理",
        "{town}{trade}商贸有限公司 总经理",
    ),
    "社会工作": ("云溪区{trade}社会工作服务中心 主任", "{town}{village} 党组织书记", "云溪区慈善总会 副秘书长"),
    "文化旅游": ("云溪区文化馆 副馆长", "云溪{trade}文化旅游发展有限公司 总经理"),
    "生态环保": ("云溪区环境监测站 工程师", "云溪{trade}环保科技有限公司 总经理"),
    "金融": ("云溪农商银行{town}支行 行长", "云溪{trade}融资担保有限公司 总经理"),
    "科技创新": ("云溪{trade}智能科技有限公司 董事长", "云溪区科技创新服务中心 主任"),
}

# Chance that a six-haves item is still unmet: signs and rooms come first, lasting results last.
GAP_CHANCE = {
    SixHave.PLACE: 0.02,
    SixHave.SIGN: 0.04,
    SixHave.RULES: 0.06,
    SixHave.PROCEDURE: 0.08,
    SixHave.ACTIVITIES: 0.10,
    SixHave.RESULTS: 0.15,
}
GAP_NOTES = {
    SixHave.PLACE: "暂借村委会会议室，尚无固定场所",
    SixHave.SIGN: "门口标识牌尚未制作",
    SixHave.RULES: "议事规则尚未上墙",
    SixHave.PROCEDURE: "协商议事流程图尚未上墙",
    SixHave.ACTIVITIES: "本年度尚未开展协商活动",
    SixHave.RESULTS: "协商成果尚在落实，未形成实效",
}

# (username, role or "" for a resident); the order of the printed account list.
DEMO_ACCOUNTS = (
    ("admin", Role.ADMINISTRATOR),
    ("cppcc", Role.COMMITTEE_STAFF),
    ("station", Role.STATION_HEAD),
    ("convener", Role.CONVENER),
    ("convener2", Role.CONVENER),
    ("secretary", Role.APPROVER),
    ("township_party", Role.APPROVER),
    ("district_party", Role.APPROVER),
    ("member", Role.MEMBER),
    ("liaison", Role.UNIT_LIAISON),
    ("supervisor", Role.SUPERVISOR),
    ("evaluator", Role.EVALUATOR),
    ("resident", ""),
)
DEMO_USERNAMES = tuple(username for username, _role in DEMO_ACCOUNTS)


@dataclass
class Township:
    region: Region
    villages: list[Region] = field(default_factory=list)
    government: Unit | None = None
    party: Unit | None = None
    room: Platform | None = None


def demo_district_exists() -> bool:
    return Region.objects.filter(code=DISTRICT_CODE).exists()


def build_demo_district(*, stdout=None) -> dict:
    """Create the demo district with its platforms, members and accounts, in one transaction.

    Returns the counts of what was made, or an empty dict when the district is already there
    (nothing is changed). Raises DomainError when a demo login name or mobile is already taken.
    """
    with transaction.atomic():
        if demo_district_exists():
            return {}
        _refuse_taken_accounts()
        return _Builder(stdout).build()


def _refuse_taken_accounts() -> None:
    # Login names are unique regardless of case, so "Admin" blocks "admin" as well.
    lookup = Q(mobile=RESIDENT_MOBILE)
    for username in (*DEMO_USERNAMES, RESIDENT_MOBILE):
        lookup |= Q(username__iexact=username)
    taken = get_user_model().objects.filter(lookup)
    names = sorted(taken.values_list("username", flat=True))
    if names:
        raise DomainError(f"演示账号的登录名或手机号已被占用：{'、'.join(names)}。请先处理这些账号再生成演示数据。")


def demo_accounts() -> list[tuple[str, str, str]]:
    """(username, full name, what they may do where) for each demo account that exists."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
    grants = ScopedRole.objects.filter(user__in=users.values(), revoked_at__isnull=True).select_related(
        "region", "platform", "unit"
    )
    scopes: dict[int, list[str]] = {}
    for grant in grants:
        scopes.setdefault(grant.user_id, []).append(f"{grant.get_role_display()} @ {grant.scope}")
    rows = []
    for username, _role in DEMO_ACCOUNTS:
        user = users.get(username)
        if user is None:
            continue
        described = scopes.get(user.pk, [])
        if user.is_superuser:
            described.append("超级用户（可进入后台）")
        if not described:
            described.append(f"群众（无角色），手机号 {user.mobile}")
        rows.append((username, user.full_name, "；".join(described)))
    return rows


def _random_date(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randrange((end - start).days + 1))


class _Builder:
    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.names = NameSource(self.rng)
        self.actor = None
        self.district: Region | None = None
        self.townships: list[Township] = []
        self.units: dict[str, Unit] = {}
        self.unit_count = 0
        self.village_committees: dict[int, Unit] = {}
        self.companies: dict[str, Unit] = {}
        self.platform_count = 0
        self.sectors: dict[str, Sector] = {}
        self.village_rooms: dict[int, Platform] = {}
        self.studios: list[Platform] = []
        self.members: list[Member] = []
        self.assignments: dict[int, Platform] = {}
        self.chairs: dict[int, CommitteeSeat] = {}

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    def build(self) -> dict:
        # The administrator exists first so that every later row names a real author.
        self.actor = staff_account_create(
            actor=None, username="admin", password=DEMO_PASSWORD, full_name="系统管理员", is_superuser=True
        )
        self.build_regions()
        self.build_units()
        self.build_responsible_units()
        self.build_sectors()
        self.build_platforms()
        self.build_committees()
        self.build_members()
        self.build_contact_links()
        self.build_accounts()
        return self.counts()

    # --- regions ---------------------------------------------------------------------------

    def region(self, name: str, level: str, parent: Region | None, code: str | None = None) -> Region:
        return services.region_create(actor=self.actor, name=name, level=level, parent=parent, code=code)

    def build_regions(self) -> None:
        self.district = self.region(DISTRICT_NAME, RegionLevel.DISTRICT, None, DISTRICT_CODE)
        for name, _count in TOWNSHIPS:
            self.names.reserve_place(name.removesuffix("街道").removesuffix("镇").removesuffix("乡"))
        for t_index, (name, count) in enumerate(TOWNSHIPS, start=1):
            code = f"330199{t_index:03d}000"
            township = Township(self.region(name, RegionLevel.TOWNSHIP, self.district, code))
            for v_index, village_name in enumerate(self.village_names(name, count), start=1):
                code = f"330199{t_index:03d}{v_index:03d}"
                village = self.region(village_name, RegionLevel.VILLAGE, township.region, code)
                township.villages.append(village)
                for grid_name in self.grid_names(name, village_name):
                    self.region(grid_name, RegionLevel.GRID, village)
            self.townships.append(township)
        villages = sum(len(t.villages) for t in self.townships)
        self.say(f"区划：{DISTRICT_NAME}，{len(self.townships)} 个乡镇（街道），{villages} 个村（社区）")

    def village_names(self, township: str, count: int) -> list[str]:
        if township.endswith("街道"):
            return [f"{self.names.community()}社区" for _ in range(count)]
        villages = [f"{self.names.village()}村" for _ in range(count - 1)]
        if township.endswith("镇"):
            # A town's seat is an urban community named after the town.
            return [f"{township.removesuffix('镇')}社区", *villages]
        return [f"{self.names.village()}村", *villages]

    def grid_names(self, township: str, village: str) -> list[str]:
        count = self.rng.randint(2, 4)
        if village.endswith("村"):
            return [f"{numeral(n)}组" for n in range(1, count + 1)]
        if township.endswith("街道") and self.rng.random() < 0.3:
            return [f"{n}号楼" for n in range(1, count + 1)]
        return [f"第{numeral(n)}网格" for n in range(1, count + 1)]

    # --- units and sectors -----------------------------------------------------------------

    def unit(self, name: str, kind: str, region: Region, parent: Unit | None = None) -> Unit:
        unit = services.unit_create(actor=self.actor, name=name, kind=kind, region=region, parent=parent)
        self.unit_count += 1
        if region.pk == self.district.pk:
            self.units[name] = unit
        return unit

    def build_units(self) -> None:
        district_committee = self.unit(PARTY_UNITS[0], UnitKind.PARTY_ORGANISATION, self.district)
        for name in PARTY_UNITS[1:]:
            self.unit(name, UnitKind.PARTY_ORGANISATION, self.district, district_committee)
        for name in GOVERNMENT_UNITS:
            self.unit(name, UnitKind.GOVERNMENT_DEPARTMENT, self.district)
        for name in CPPCC_COMMITTEES:
            self.unit(name, UnitKind.CPPCC_COMMITTEE, self.district)
        for township in self.townships:
            name = township.region.name
            if name.endswith("街道"):
                party_name, government_name = f"{name}党工委", f"{name}办事处"
            else:
                party_name, government_name = f"{name}党委", f"{name}人民政府"
            township.party = self.unit(party_name, UnitKind.PARTY_ORGANISATION, township.region, district_committee)
            township.government = self.unit(government_name, UnitKind.TOWNSHIP_GOVERNMENT, township.region)
            for village in township.villages:
                is_village = village.name.endswith("村")
                committee = "村民委员会" if is_village else "居民委员会"
                self.village_committees[village.pk] = self.unit(
                    f"{village.name}{committee}", UnitKind.VILLAGE_COMMITTEE, village
                )
                # The village party organisation approves the village's topics, so it exists too.
                branch = "党支部" if is_village else "党委"
                self.unit(f"{village.name}{branch}", UnitKind.PARTY_ORGANISATION, village, township.party)
        for name, t_index, _room in COMPANIES:
            self.companies[name] = self.unit(name, UnitKind.COMPANY, self.townships[t_index].region)
        self.say(f"单位：{self.unit_count} 个")

    def build_responsible_units(self) -> None:
        """Link each category to the departments a convener invites; categories have no service, so
        this is what an administrator does in the admin, with a history row naming them."""
        for category in Category.objects.filter(name__in=RESPONSIBLE_UNITS):
            # Added, not set: an installation may already link the category to its own departments.
            category.responsible_units.add(*(self.units[name] for name in RESPONSIBLE_UNITS[category.name]))
            category._history_user = self.actor
            category._change_reason = "演示数据：设置主管单位"
            category.save()

    def build_sectors(self) -> None:
        for name in SECTORS:
            self.sectors[name] = services.sector_get_or_create(actor=self.actor, name=name)

    # --- platforms -------------------------------------------------------------------------

    def platform(self, *, name: str, kind: str, region: Region, since: date, **fields) -> Platform:
        platform = services.platform_create(
            actor=self.actor, name=name, kind=kind, region=region, active_since=since, **fields
        )
        for item in SixHave.values:
            is_met = self.rng.random() >= GAP_CHANCE[item]
            note = "" if is_met else GAP_NOTES[item]
            services.platform_check_update(actor=self.actor, platform=platform, item=item, is_met=is_met, note=note)
        self.platform_count += 1
        return platform

    def address(self, township: Region, place: str) -> str:
        road = township.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        return f"{DISTRICT_NAME}{township.name}{road}路{self.rng.randint(1, 199)}号{place}"

    def build_platforms(self) -> None:
        rng = self.rng
        for township in self.townships:
            township.room = self.platform(
                name=f"{township.region.name}协商议事室",
                kind=PlatformKind.TOWNSHIP_ROOM,
                region=township.region,
                since=_random_date(rng, date(2019, 1, 1), date(2019, 12, 31)),
                address=self.address(township.region, f"{township.government.name}{numeral(rng.randint(2, 3))}楼"),
                host_unit=township.government,
                description=f"{township.region.name}政协委员联络站所在地，承担乡镇（街道）层面的协商议事。",
            )
        for t_index, township in enumerate(self.townships):
            gaps = set(rng.sample(range(1, len(township.villages)), UNCOVERED_PER_TOWNSHIP.get(t_index, 0)))
            for v_index, village in enumerate(township.villages):
                if v_index in gaps:
                    continue
                self.village_rooms[village.pk] = self.platform(
                    name=f"{village.name}协商议事室",
                    kind=PlatformKind.VILLAGE_ROOM,
                    region=village,
                    since=_random_date(rng, date(2019, 6, 1), date(2023, 12, 31)),
                    address=f"{township.region.name}{village.name}党群服务中心{numeral(rng.randint(1, 2))}楼",
                    host_unit=self.village_committees[village.pk],
                )
        for company, t_index, room in COMPANIES:
            if not room:
                continue
            township = self.townships[t_index].region
            self.platform(
                name=room,
                kind=PlatformKind.COMPANY_ROOM,
                brand="有事来协商",
                region=township,
                since=_random_date(rng, date(2021, 1, 1), date(2023, 12, 31)),
                address=self.address(township, "职工之家"),
                host_unit=self.companies[company],
                description="企业职工、周边群众与企业就用工、安全生产和环境影响等事项协商。",
            )
        for name, t_index, focus in MEMBER_STUDIOS:
            township = self.townships[t_index].region
            studio = self.platform(
                name=name,
                kind=PlatformKind.MEMBER_STUDIO,
                region=township,
                since=_random_date(rng, date(2021, 1, 1), date(2023, 12, 31)),
                address=self.address(township, "委员之家"),
                description=f"由相关界别委员轮值，{focus}。",
            )
            self.studios.append(studio)
        for sector in SECTOR_ROOMS:
            self.platform(
                name=f"{sector}协商议事室",
                kind=PlatformKind.SECTOR_ROOM,
                region=self.district,
                sector=self.sectors[sector],
                since=_random_date(rng, date(2021, 1, 1), date(2023, 12, 31)),
                address=f"{DISTRICT_NAME}政协机关{numeral(rng.randint(2, 5))}楼",
                description=f"{sector}委员围绕本界别关注的问题开展协商。",
            )
        self.say(f"平台：{self.platform_count} 个，覆盖 {len(self.village_rooms)} 个村（社区）")

    # --- village consultation committees ---------------------------------------------------

    def seat(self, committee: ConsultationCommittee, position: str) -> CommitteeSeat:
        return services.committee_seat_add(
            actor=self.actor,
            committee=committee,
            name=self.names.person(self.names.gender(0.4)),
            position=position,
            mobile=self.names.mobile(),
        )

    def build_committees(self) -> None:
        for township in self.townships:
            for village in township.villages:
                room = self.village_rooms.get(village.pk)
                if room is None:
                    continue
                committee = services.committee_create(
                    actor=self.actor,
                    region=village,
                    name=f"{village.name}协商委员会",
                    established_on=room.active_since - timedelta(days=self.rng.randrange(60)),
                )
                size = self.rng.randint(5, 7)
                deputies = 2 if size == 7 else 1
                positions = ["主任"] + ["副主任"] * deputies + ["委员"] * (size - 1 - deputies)
                seats = [self.seat(committee, position) for position in positions]
                self.chairs[village.pk] = seats[0]
        self.say(f"协商委员会：{len(self.chairs)} 个")

    # --- members ---------------------------------------------------------------------------

    def build_members(self) -> None:
        rng = self.rng
        # Every sector has at least one member; the rest follow the sectors' sizes.
        sector_names = list(SECTORS) + rng.choices(SECTORS, weights=SECTOR_WEIGHTS, k=185 - len(SECTORS))
        rng.shuffle(sector_names)
        levels = [MemberLevel.CITY] * 34 + [MemberLevel.COUNTY] * 151
        # Stations take members in turn after one shuffle, so each gets 20 or 21 of mixed levels.
        station_order = list(range(len(levels)))
        rng.shuffle(station_order)
        stations = {member_index: turn % len(self.townships) for turn, member_index in enumerate(station_order)}
        for index, (level, sector_name) in enumerate(zip(levels, sector_names, strict=True)):
            township = self.townships[stations[index]]
            home = rng.choice(township.villages)
            specialty = rng.choice(SECTOR_SPECIALTIES.get(sector_name, SPECIALTIES))
            workplace = rng.choice(WORKPLACES[specialty]).format(
                town=township.region.name, village=home.name, trade=self.names.trade_name()
            )
            gender = self.names.gender()
            member = services.member_create(
                actor=self.actor,
                name=self.names.person(gender),
                gender=gender,
                level=level,
                sector=self.sectors[sector_name],
                specialty=specialty,
                workplace=workplace,
                mobile=self.names.mobile(),
                home_region=home,
            )
            services.member_assign(
                actor=self.actor,
                member=member,
                platform=township.room,
                started_on=_random_date(rng, date(2021, 1, 1), date(2023, 12, 31)),
            )
            self.members.append(member)
            self.assignments[member.pk] = township.room
        self.say(f"委员：{len(self.members)} 名，已全部下沉到 {len(self.townships)} 个联络站")

    def build_contact_links(self) -> None:
        for committee, (township_indexes, studio_index) in CONTACT_LINKS.items():
            platforms = [self.townships[i].room for i in township_indexes] + [self.studios[studio_index]]
            for platform in platforms:
                services.contact_link_create(
                    actor=self.actor,
                    committee=self.units[committee],
                    platform=platform,
                    started_on=_random_date(self.rng, date(2022, 1, 1), date(2022, 6, 30)),
                )

    # --- accounts --------------------------------------------------------------------------

    def staff(self, username: str, *, full_name: str = "", mobile: str | None = None):
        if not full_name:
            full_name = self.names.person(self.names.gender())
        return staff_account_create(
            actor=self.actor,
            username=username,
            password=DEMO_PASSWORD,
            full_name=full_name,
            mobile=mobile or self.names.mobile(),
        )

    def grant(self, user, role: str, **scope) -> None:
        services.role_grant(actor=self.actor, user=user, role=role, **scope)

    def build_accounts(self) -> None:
        admin = self.actor
        self.grant(admin, Role.ADMINISTRATOR, region=self.district)

        self.grant(self.staff("cppcc"), Role.COMMITTEE_STAFF, region=self.district)
        first = self.townships[0]
        self.grant(self.staff("station"), Role.STATION_HEAD, region=first.region)
        # The conveners are the chairs of their villages' consultation committees, as in practice.
        for username, village in (("convener", first.villages[0]), ("convener2", first.villages[1])):
            chair = self.chairs[village.pk]
            self.grant(self.staff(username, full_name=chair.name, mobile=chair.mobile), Role.CONVENER, region=village)
        # Topics are approved by the party organisation of exactly their convening level, so the demo
        # has one approver per level: the first convener's village, the first township, the district.
        for username, region in (
            ("secretary", first.villages[0]),
            ("township_party", first.region),
            ("district_party", self.district),
        ):
            self.grant(self.staff(username), Role.APPROVER, region=region)

        # The demo member sits at the first township's station, so the station head sees them.
        member = next(
            m
            for m in self.members
            if m.level == MemberLevel.COUNTY and self.assignments[m.pk].region_id == first.region.pk
        )
        member_user = self.staff("member", full_name=member.name, mobile=member.mobile)
        services.member_update(actor=self.actor, member=member, user=member_user)
        self.grant(member_user, Role.MEMBER, platform=self.assignments[member.pk])

        self.grant(self.staff("liaison"), Role.UNIT_LIAISON, unit=self.units["区住房和城乡建设局"])
        self.grant(self.staff("supervisor"), Role.SUPERVISOR, region=self.district)
        self.grant(self.staff("evaluator"), Role.EVALUATOR, region=self.district)

        # A short login name is easier to type in a demo; the mobile number works as well.
        resident_register(
            mobile=RESIDENT_MOBILE,
            password=DEMO_PASSWORD,
            full_name=self.names.person(self.names.gender()),
            username="resident",
        )
        self.say(f"演示账号：{len(DEMO_ACCOUNTS)} 个，密码均为 {DEMO_PASSWORD}")

    # --- summary ---------------------------------------------------------------------------

    def counts(self) -> dict:
        under = Q(region__path__startswith=self.district.path)
        regions = Region.objects.filter(path__startswith=self.district.path)
        platforms = Platform.objects.filter(under)
        committees = ConsultationCommittee.objects.filter(under)
        members = Member.objects.filter(assignments__platform__in=platforms).distinct()
        counts = {
            "districts": regions.filter(level=RegionLevel.DISTRICT).count(),
            "townships": regions.filter(level=RegionLevel.TOWNSHIP).count(),
            "villages": regions.filter(level=RegionLevel.VILLAGE).count(),
            "grids": regions.filter(level=RegionLevel.GRID).count(),
            "units": Unit.objects.filter(under).count(),
            "sectors": len(self.sectors),
            "platforms": platforms.count(),
        }
        for kind in (
            PlatformKind.TOWNSHIP_ROOM,
            PlatformKind.VILLAGE_ROOM,
            PlatformKind.COMPANY_ROOM,
            PlatformKind.MEMBER_STUDIO,
            PlatformKind.SECTOR_ROOM,
        ):
            counts[kind.value] = platforms.filter(kind=kind).count()
        counts |= {
            "villages_covered": platforms.filter(kind=PlatformKind.VILLAGE_ROOM).values("region").distinct().count(),
            "committees": committees.count(),
            "committee_seats": CommitteeSeat.objects.filter(committee__in=committees).count(),
            "members_city": members.filter(level=MemberLevel.CITY).count(),
            "members_county": members.filter(level=MemberLevel.COUNTY).count(),
            "assignments": MemberAssignment.objects.filter(platform__in=platforms).count(),
            "contact_links": ContactLink.objects.filter(platform__in=platforms).count(),
            "accounts": get_user_model().objects.filter(username__in=DEMO_USERNAMES).count(),
        }
        return counts
