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
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Q

from shangliang.accounts.services import resident_register, staff_account_create
from shangliang.core.errors import DomainError
from shangliang.core.records import stamp_history
from shangliang.demo.content import load
from shangliang.demo.names import NameSource, numeral
from shangliang.orgs import services, six_haves
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
# 3301 is a real prefecture but 99 is not one of its districts, so no code collides with a real place.
DISTRICT_CODE = "330199000000"
RESIDENT_MOBILE = "13800000001"
LEGAL_REVIEWER_MOBILE = "13800000002"

_DISTRICT = load("district")
DISTRICT_NAME = _DISTRICT["name"]
# Townships with the number of their villages and communities (2 × 11 + 7 × 10 = 92, as in the source
# district) and of the villages still without a room: 8 gaps leave 84 of 92 covered. Rural townships
# lag behind; the first township stays complete because the demo conveners work there.
TOWNSHIPS = tuple((t["name"], t["villages"]) for t in _DISTRICT["townships"])
UNCOVERED_PER_TOWNSHIP = {index: t["uncovered"] for index, t in enumerate(_DISTRICT["townships"]) if t["uncovered"]}

PARTY_UNITS = tuple(_DISTRICT["party_units"])
GOVERNMENT_UNITS = tuple(_DISTRICT["government_units"])
# The departments to invite when a matter of a category is consulted on (Category.responsible_units).
RESPONSIBLE_UNITS = {category: tuple(units) for category, units in _DISTRICT["responsible_units"].items()}
# The department of the demo ``liaison`` account.
LIAISON_UNIT = _DISTRICT["liaison_unit"]
CPPCC_COMMITTEES = tuple(_DISTRICT["cppcc_committees"])
SECTORS = tuple(sector["name"] for sector in _DISTRICT["sectors"])
# Relative size of each sector among the district's members, in the order of SECTORS.
SECTOR_WEIGHTS = tuple(sector["weight"] for sector in _DISTRICT["sectors"])

# (company, township index, name of its room or "" when it has none)
COMPANIES = tuple((c["name"], c["township"], c["room"]) for c in _DISTRICT["companies"])
# (studio, township index, what it works on)
MEMBER_STUDIOS = tuple((s["name"], s["township"], s["focus"]) for s in _DISTRICT["member_studios"])
SECTOR_ROOMS = tuple(_DISTRICT["sector_rooms"])
# Each special committee follows its township stations (by index) and one member studio (by index);
# together the stations cover all nine townships.
CONTACT_LINKS = {
    committee: (tuple(link["townships"]), link["studio"]) for committee, link in _DISTRICT["contact_links"].items()
}

SPECIALTIES = tuple(_DISTRICT["specialties"])
# Members mostly work in the field their sector stands for; the other sectors draw freely.
SECTOR_SPECIALTIES = {sector: tuple(fields) for sector, fields in _DISTRICT["sector_specialties"].items()}
WORKPLACES = {specialty: tuple(places) for specialty, places in _DISTRICT["workplaces"].items()}

# Chance that a six-haves item is still unmet: signs and rooms come first, lasting results last.
GAP_CHANCE = {
    SixHave.PLACE: 0.02,
    SixHave.SIGN: 0.04,
    SixHave.RULES: 0.06,
    SixHave.PROCEDURE: 0.08,
    SixHave.ACTIVITIES: 0.10,
    SixHave.RESULTS: 0.15,
}
GAP_NOTES = _DISTRICT["six_haves_gap_notes"]
BODIES = _DISTRICT["bodies"]
PLATFORM_TEXTS = _DISTRICT["platforms"]
COMMITTEE_TEXTS = _DISTRICT["committees"]

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
    ("township_legal", Role.LEGAL_REVIEWER),
    ("member", Role.MEMBER),
    ("liaison", Role.UNIT_LIAISON),
    ("supervisor", Role.SUPERVISOR),
    ("evaluator", Role.EVALUATOR),
    ("resident", ""),
)
DEMO_USERNAMES = tuple(username for username, _role in DEMO_ACCOUNTS)

# The other units' liaisons, made by ``demo.outcomes`` for every unit that gets an item, log in as
# liaison_<short code>: a department's code (liaison_jyj for 区教育局), a township government's
# (liaison_qingshi for 青石镇), a village committee's its township's and its number in the township
# (liaison_qingshi01 for the first village of 青石镇, the ``convener``'s). ``liaison`` stays the login
# of 区住房和城乡建设局's liaison.
LIAISON_PREFIX = "liaison_"
LIAISON_UNIT_CODES = _DISTRICT["liaison_codes"]["units"]
LIAISON_TOWNSHIP_CODES = _DISTRICT["liaison_codes"]["townships"]


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


def liaison_username(unit: Unit) -> str:
    """The login of the demo liaison of ``unit`` (see LIAISON_PREFIX)."""
    if unit.kind == UnitKind.VILLAGE_COMMITTEE:
        village = unit.region
        township = Region.objects.get(pk=village.parent_id)
        number = Region.objects.filter(parent_id=township.pk, level=RegionLevel.VILLAGE, code__lte=village.code).count()
        return f"{LIAISON_PREFIX}{LIAISON_TOWNSHIP_CODES[township.name]}{number:02d}"
    if unit.kind == UnitKind.TOWNSHIP_GOVERNMENT:
        return f"{LIAISON_PREFIX}{LIAISON_TOWNSHIP_CODES[unit.region.name]}"
    return f"{LIAISON_PREFIX}{LIAISON_UNIT_CODES.get(unit.name, unit.pk)}"


_demo_password_hash: list[str] = []


def give_demo_password(user) -> None:
    """Let a generated demo account log in with the demo password.

    Hashing the password costs about a tenth of a second (Argon2), so it is hashed once per process and
    the same hash is stored for every such account: the demo password is public anyway.
    """
    if not _demo_password_hash:
        _demo_password_hash.append(make_password(DEMO_PASSWORD))
    user.password = _demo_password_hash[0]
    type(user).objects.filter(pk=user.pk).update(password=user.password)


def liaison_accounts() -> list[tuple[str, str, Unit]]:
    """(username, full name, unit) of the demo liaisons of the units other than ``liaison``'s."""
    grants = (
        ScopedRole.objects.filter(
            role=Role.UNIT_LIAISON, revoked_at__isnull=True, user__username__startswith=LIAISON_PREFIX
        )
        .select_related("user", "unit")
        .order_by("unit__kind", "user__username")
    )
    return [(grant.user.username, grant.user.full_name, grant.unit) for grant in grants]


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
            actor=None,
            username="admin",
            password=DEMO_PASSWORD,
            full_name=_DISTRICT["admin_full_name"],
            is_superuser=True,
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
                village = self.register_voters(village)
                township.villages.append(village)
                for grid_name in self.grid_names(name, village_name):
                    self.region(grid_name, RegionLevel.GRID, village)
            self.townships.append(township)
        villages = sum(len(t.villages) for t in self.townships)
        self.say(f"区划：{DISTRICT_NAME}，{len(self.townships)} 个乡镇（街道），{villages} 个村（社区）")

    def register_voters(self, village: Region) -> Region:
        """The village's registered electorate and representatives, against which the assembly's quorum
        is checked; drawn from the village's own code so the rest of the demo keeps its sequence."""
        draw = random.Random(village.code)
        electorate = draw.randrange(600, 2800, 10)
        representatives = max(25, min(65, electorate // 40 + draw.randint(-3, 3)))
        return services.region_update(
            actor=self.actor,
            region=village,
            name=village.name,
            code=village.code,
            electorate=electorate,
            representatives=representatives,
        )

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
            bodies = BODIES["street" if name.endswith("街道") else "town"]
            party_name, government_name = bodies["party"].format(name=name), bodies["government"].format(name=name)
            township.party = self.unit(party_name, UnitKind.PARTY_ORGANISATION, township.region, district_committee)
            township.government = self.unit(government_name, UnitKind.TOWNSHIP_GOVERNMENT, township.region)
            for village in township.villages:
                bodies = BODIES["village" if village.name.endswith("村") else "community"]
                self.village_committees[village.pk] = self.unit(
                    bodies["committee"].format(name=village.name), UnitKind.VILLAGE_COMMITTEE, village
                )
                # The village party organisation approves the village's topics, so it exists too.
                self.unit(
                    bodies["party"].format(name=village.name), UnitKind.PARTY_ORGANISATION, village, township.party
                )
        for name, t_index, _room in COMPANIES:
            self.companies[name] = self.unit(name, UnitKind.COMPANY, self.townships[t_index].region)
        self.say(f"单位：{self.unit_count} 个")

    def build_responsible_units(self) -> None:
        """Link each category to the departments a convener invites; categories have no service, so
        this is what an administrator does in the admin, with a history row naming them."""
        for category in Category.objects.filter(name__in=RESPONSIBLE_UNITS):
            # Added, not set: an installation may already link the category to its own departments.
            category.responsible_units.add(*(self.units[name] for name in RESPONSIBLE_UNITS[category.name]))
            stamp_history(
                category, actor=self.actor, reason="category.units_set", note=_DISTRICT["category_units_note"]
            )
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
            if item in six_haves.DERIVED:
                continue  # 有活动 and 有实效 are read from the records (orgs/six_haves.py); the draw keeps the sequence
            note = "" if is_met else GAP_NOTES[item]
            services.platform_check_update(actor=self.actor, platform=platform, item=item, is_met=is_met, note=note)
        self.platform_count += 1
        return platform

    def address(self, township: Region, place: str) -> str:
        road = township.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")
        number = self.rng.randint(1, 199)
        return _DISTRICT["street_address"].format(
            district=DISTRICT_NAME, township=township.name, road=road, number=number, place=place
        )

    def build_platforms(self) -> None:
        rng = self.rng
        texts = PLATFORM_TEXTS
        for township in self.townships:
            name = township.region.name
            since = _random_date(rng, date(2019, 1, 1), date(2019, 12, 31))
            place = texts["township_room"]["place"].format(
                government=township.government.name, floor=numeral(rng.randint(2, 3))
            )
            township.room = self.platform(
                name=texts["township_room"]["name"].format(township=name),
                kind=PlatformKind.TOWNSHIP_ROOM,
                region=township.region,
                since=since,
                address=self.address(township.region, place),
                host_unit=township.government,
                description=texts["township_room"]["description"].format(township=name),
            )
        for t_index, township in enumerate(self.townships):
            gaps = set(rng.sample(range(1, len(township.villages)), UNCOVERED_PER_TOWNSHIP.get(t_index, 0)))
            for v_index, village in enumerate(township.villages):
                if v_index in gaps:
                    continue
                since = _random_date(rng, date(2019, 6, 1), date(2023, 12, 31))
                address = texts["village_room"]["address"].format(
                    township=township.region.name, village=village.name, floor=numeral(rng.randint(1, 2))
                )
                self.village_rooms[village.pk] = self.platform(
                    name=texts["village_room"]["name"].format(village=village.name),
                    kind=PlatformKind.VILLAGE_ROOM,
                    region=village,
                    since=since,
                    address=address,
                    host_unit=self.village_committees[village.pk],
                )
        for company, t_index, room in COMPANIES:
            if not room:
                continue
            township = self.townships[t_index].region
            self.platform(
                name=room,
                kind=PlatformKind.COMPANY_ROOM,
                brand=texts["company_room"]["brand"],
                region=township,
                since=_random_date(rng, date(2021, 1, 1), date(2023, 12, 31)),
                address=self.address(township, texts["company_room"]["place"]),
                host_unit=self.companies[company],
                description=texts["company_room"]["description"],
            )
        for name, t_index, focus in MEMBER_STUDIOS:
            township = self.townships[t_index].region
            studio = self.platform(
                name=name,
                kind=PlatformKind.MEMBER_STUDIO,
                region=township,
                since=_random_date(rng, date(2021, 1, 1), date(2023, 12, 31)),
                address=self.address(township, texts["member_studio"]["place"]),
                description=texts["member_studio"]["description"].format(focus=focus),
            )
            self.studios.append(studio)
        for sector in SECTOR_ROOMS:
            since = _random_date(rng, date(2021, 1, 1), date(2023, 12, 31))
            floor = numeral(rng.randint(2, 5))
            self.platform(
                name=texts["sector_room"]["name"].format(sector=sector),
                kind=PlatformKind.SECTOR_ROOM,
                region=self.district,
                sector=self.sectors[sector],
                since=since,
                address=texts["sector_room"]["address"].format(district=DISTRICT_NAME, floor=floor),
                description=texts["sector_room"]["description"].format(sector=sector),
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
                    name=COMMITTEE_TEXTS["name"].format(village=village.name),
                    established_on=room.active_since - timedelta(days=self.rng.randrange(60)),
                )
                size = self.rng.randint(5, 7)
                deputies = 2 if size == 7 else 1
                chair, deputy, member = COMMITTEE_TEXTS["chair"], COMMITTEE_TEXTS["deputy"], COMMITTEE_TEXTS["member"]
                positions = [chair] + [deputy] * deputies + [member] * (size - 1 - deputies)
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

        # The first township's government reviews its villages' resolutions (合法性审查); named and
        # numbered here so the rest of the demo keeps its sequence.
        reviewer = self.staff("township_legal", full_name="沈立法", mobile=LEGAL_REVIEWER_MOBILE)
        self.grant(reviewer, Role.LEGAL_REVIEWER, region=first.region)

        # The demo member sits at the first township's station, so the station head sees them.
        member = next(
            m
            for m in self.members
            if m.level == MemberLevel.COUNTY and self.assignments[m.pk].region_id == first.region.pk
        )
        member_user = self.staff("member", full_name=member.name, mobile=member.mobile)
        services.member_update(actor=self.actor, member=member, user=member_user)
        self.grant(member_user, Role.MEMBER, platform=self.assignments[member.pk])

        self.grant(self.staff("liaison"), Role.UNIT_LIAISON, unit=self.units[LIAISON_UNIT])
        self.grant(self.staff("supervisor"), Role.SUPERVISOR, region=self.district)
        self.grant(self.staff("evaluator"), Role.EVALUATOR, region=self.district)

        # A short login name is easier to type in a demo; the mobile number works as well.
        resident_register(
            mobile=RESIDENT_MOBILE,
            password=DEMO_PASSWORD,
            full_name=self.names.person(self.names.gender()),
            username="resident",
            verified=True,
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
