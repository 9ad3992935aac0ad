"""The consultation funds in the demo district (协商资金: 开立专门账户, 专款专用).

The district's rules (``FundRule``): the township station head approves every spending line, and from
10,000 yuan the township party committee too. The two villages of the first township with conveners
(``convener``, ``convener2``) keep accounts with the year's allocation, a company's donation, and spending
tied to their concluded consultations (running them) and to their items (carrying them out): paid with a
voucher, so each shows on the consultation's public result; one refused, one withdrawn. One open item,
stalled for want of money (资金尚未落实), has a request waiting for the station head (``station``'s home
page). Two villages of other townships have accounts with their allocation only. Played on a ``Timeline``;
nothing is stamped today.
"""

import io
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.images import clean_photo
from shangliang.core.records import save_record
from shangliang.demo.timeline import Timeline
from shangliang.funds import services
from shangliang.funds.models import FundAccount, FundRule
from shangliang.funds.states import ApproverKind
from shangliang.orgs.models import Region, ScopedRole
from shangliang.orgs.states import RegionLevel, Role, UnitKind
from shangliang.outcomes import services as outcome_services
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus

RULES = ((ApproverKind.TOWNSHIP_STATION, Decimal("0")), (ApproverKind.TOWNSHIP_PARTY, Decimal("10000")))

# (kind, purpose, payee, amount): running a consultation, then carrying out its items.
OPERATION = [
    ("印制协商通知、议事规则和意见征询表", "县城彩印部", "360.00"),
    ("协商议事室座签、展板制作", "城关广告制作部", "980.00"),
    ("法律顾问列席协商咨询服务费", "明理律师事务所", "1500.00"),
]
IMPLEMENTATION = [
    ("购置并安装停车标识牌和限速牌", "路安交通设施有限公司", "4860.00"),
    ("村道破损路段修补（沥青冷补料）", "青石建材经营部", "12680.00"),
    ("公共照明线路检修及更换灯具", "光明电器维修部", "3275.50"),
    ("垃圾分类收集亭及分类桶采购", "洁美环卫设备有限公司", "7420.00"),
]
STALLED = ("落实所需材料款（资金尚未落实）", "青石建材经营部", "6500.00")


def _voucher(rng: random.Random, number: int) -> ContentFile:
    """A small picture of a receipt (lines and a stamp), re-encoded as uploads are (``core.images``)."""
    image = Image.new("RGB", (360, 240), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((8, 8, 351, 231), outline=(60, 60, 60), width=2)
    for row in range(5):
        y = 50 + row * 30
        draw.line((24, y, 24 + rng.randint(180, 300), y), fill=(90, 90, 90), width=2)
    draw.ellipse((250, 140, 330, 220), outline=(200, 30, 30), width=4)
    draw.text((24, 18), f"No.{number:06d}", fill=(0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return clean_photo(ContentFile(buffer.getvalue(), name="voucher.png"))


def _holder(role, region):
    grant = ScopedRole.objects.filter(role=role, region=region, revoked_at__isnull=True).select_related("user").first()
    return grant.user if grant else None


def _keeper_unit(village):
    return village.units.filter(kind=UnitKind.VILLAGE_COMMITTEE, is_archived=False).first()


def build(*, users, district, yesterday) -> dict:
    rng = random.Random("funds")
    admin, station, party = users.get("admin"), users.get("station"), users.get("township_party")
    if admin is None or station is None or party is None:
        return {"fund_accounts": 0}
    township = station.scoped_roles.get(role=Role.STATION_HEAD).region
    for approver, start in RULES:
        save_record(
            FundRule(district=district, approver=approver, from_amount=start),
            actor=admin,
            reason="fund_rule.changed",
            now=yesterday - timedelta(days=400),
        )
    kept = [
        users[name].scoped_roles.get(role=Role.CONVENER).region for name in ("convener", "convener2") if name in users
    ]
    # A village of the station's township with an item still open gets an account too: that item is the
    # one held up for want of money (``_stalled``), on the station head's home page.
    stalled = next(
        (
            village
            for village in Region.objects.filter(
                level=RegionLevel.VILLAGE, is_archived=False, path__startswith=township.path
            ).order_by("path")
            if village not in kept and _open_item(village) is not None
        ),
        None,
    )
    others = ([stalled] if stalled else []) + list(
        Region.objects.filter(level=RegionLevel.VILLAGE, is_archived=False, path__startswith=district.path)
        .exclude(path__startswith=township.path)
        .order_by("path")[: 1 if stalled else 2]
    )
    timeline = Timeline()
    year_start = timezone.make_aware(datetime.combine(yesterday.date().replace(month=1, day=1), time(9)))
    opened = min(year_start - timedelta(days=300), yesterday - timedelta(days=400))
    counts = {"fund_accounts": 0, "fund_entries": 0}
    accounts: dict[int, FundAccount] = {}

    def open_account(village, actor, when):
        def step(moment):
            accounts[village.pk] = services.account_open(
                actor=actor,
                village=village,
                name=f"{village.name}协商资金专户",
                opened_on=moment.date(),
                bank="农村商业银行" + (village.parent.name if village.parent_id else "") + "支行",
                account_name=f"{village.name}村（居）民委员会",
                account_number=f"62305200{rng.randint(10**10, 10**11 - 1)}",
                keeper_unit=_keeper_unit(village),
            )
            counts["fund_accounts"] += 1

        timeline.add(min(when, yesterday), step)

    def income(village, actor, when, amount, kind="allocation", purpose=None, payer=None):
        def step(moment):
            services.income_record(
                actor=actor,
                account=accounts[village.pk],
                kind=kind,
                amount=Decimal(amount),
                booked_on=moment.date(),
                purpose=purpose or f"{moment.year}年度村级协商资金",
                counterparty=payer or f"{township.name if village.path.startswith(township.path) else '镇'}财政所",
            )
            counts["fund_entries"] += 1

        timeline.add(min(when, yesterday - timedelta(hours=1)), step)

    for village in kept:
        open_account(village, station, opened)
    for village in others:
        open_account(village, admin, opened + timedelta(days=3))
        income(village, admin, year_start + timedelta(days=rng.randint(20, 60)), "20000.00")

    for index, village in enumerate(kept):
        convener = _holder(Role.CONVENER, village)
        if convener is None:
            continue
        income(village, convener, opened + timedelta(days=10), "30000.00", purpose="上年度村级协商资金")
        income(village, convener, year_start + timedelta(days=35), "20000.00")
        if index == 0:
            income(
                village,
                convener,
                year_start + timedelta(days=70),
                "5000.00",
                kind="donation",
                purpose="企业捐赠用于协商成果落实",
                payer="青石农业发展有限公司",
            )
        consultations = list(
            Consultation.objects.filter(
                topic__convening_region__path__startswith=village.path,
                status=ConsultationStatus.CONCLUDED,
                is_archived=False,
                concluded_at__lt=yesterday - timedelta(days=20),
            ).order_by("concluded_at")
        )
        for number, consultation in enumerate(consultations[-3:]):
            purpose, payee, amount = OPERATION[(number + index) % len(OPERATION)]
            _spend(
                timeline,
                rng,
                counts,
                accounts,
                village,
                convener,
                station,
                party,
                yesterday,
                consultation.concluded_at - timedelta(days=3),
                "operation",
                purpose,
                payee,
                amount,
                consultation=consultation,
                floor=opened + timedelta(days=11),
            )
        items = list(
            Assignment.objects.filter(
                suggestion__consultation__in=consultations, status=AssignmentStatus.DONE, is_archived=False
            ).order_by("done_at")
        )
        for number, item in enumerate(items[-3:]):
            purpose, payee, amount = IMPLEMENTATION[(number + 2 * index) % len(IMPLEMENTATION)]
            when = max(item.accepted_at or item.assigned_at, item.assigned_at) + timedelta(days=2)
            _spend(
                timeline,
                rng,
                counts,
                accounts,
                village,
                convener,
                station,
                party,
                yesterday,
                when,
                "implementation",
                purpose,
                payee,
                amount,
                assignment=item,
                floor=opened + timedelta(days=11),
            )
        if index == 0 and consultations:
            _refused_and_withdrawn(timeline, counts, accounts, village, convener, station, consultations[-1], yesterday)
    # The first village with an account and an item still open has that item held up for want of money.
    # Villages with their own convener come first (the convener enters the request); in a village without one
    # the district office enters it.
    candidates = [(village, _holder(Role.CONVENER, village)) for village in [*kept, *others]]
    candidates.sort(key=lambda pair: pair[1] is None)
    for village, convener_of in candidates:
        if _stalled(timeline, counts, accounts, village, convener_of or admin, yesterday):
            break
    timeline.play()
    return counts


def _spend(
    timeline,
    rng,
    counts,
    accounts,
    village,
    convener,
    station,
    party,
    yesterday,
    when,
    kind,
    purpose,
    payee,
    amount,
    *,
    floor,
    consultation=None,
    assignment=None,
):
    """A line requested, approved by each step, paid with its voucher a few days later (all before today), never
    before the account's first income."""
    when = min(max(when, floor), yesterday - timedelta(days=8))
    holder = {}

    def request(moment):
        holder["entry"] = services.spending_request(
            actor=convener,
            account=accounts[village.pk],
            kind=kind,
            amount=Decimal(amount),
            purpose=purpose,
            counterparty=payee,
            consultation=consultation,
            assignment=assignment,
        )
        counts["fund_entries"] += 1

    def approve(moment):
        entry = holder["entry"]
        services.entry_approve(actor=station, entry=entry, opinion="符合专款专用，同意", now=moment)
        entry.refresh_from_db()
        if entry.next_step == ApproverKind.TOWNSHIP_PARTY:
            services.entry_approve(
                actor=party, entry=entry, opinion="经镇党委会研究同意", now=moment + timedelta(hours=3)
            )

    def pay(moment):
        services.entry_pay(
            actor=convener,
            entry=holder["entry"],
            paid_on=moment.date(),
            voucher=_voucher(rng, rng.randint(1, 999999)),
            now=moment,
        )

    timeline.add(when, request)
    timeline.add(when + timedelta(days=1, hours=2), approve)
    timeline.add(when + timedelta(days=rng.randint(3, 6)), pay)


def _refused_and_withdrawn(timeline, counts, accounts, village, convener, station, consultation, yesterday):
    holder = {}
    when = yesterday - timedelta(days=30)

    def request(moment):
        holder["refused"] = services.spending_request(
            actor=convener,
            account=accounts[village.pk],
            kind="operation",
            amount=Decimal("2400.00"),
            purpose="协商会参会人员误餐补助",
            counterparty="村口农家饭店",
            consultation=consultation,
        )
        holder["withdrawn"] = services.spending_request(
            actor=convener,
            account=accounts[village.pk],
            kind="operation",
            amount=Decimal("650.00"),
            purpose="议事室空调清洗",
            counterparty="城关家电服务部",
            consultation=consultation,
        )
        counts["fund_entries"] += 2

    def decide(moment):
        services.entry_refuse(
            actor=station,
            entry=holder["refused"],
            opinion="误餐补助不属于协商资金支出范围，请从村级办公经费列支。",
            now=moment,
        )
        services.entry_withdraw(actor=convener, entry=holder["withdrawn"], reason="已由村委会办公经费支付", now=moment)

    timeline.add(when, request)
    timeline.add(when + timedelta(days=2), decide)


def _open_item(village):
    """The village's open item with the nearest deadline, or None."""
    return (
        Assignment.objects.filter(
            suggestion__consultation__topic__convening_region__path__startswith=village.path,
            status__in=(AssignmentStatus.ACCEPTED, AssignmentStatus.DEFERRED),
            is_archived=False,
        )
        .select_related("lead_unit")
        .order_by("deadline")
        .first()
    )


def _stalled(timeline, counts, accounts, village, convener, yesterday):
    """An open item of the village held up for want of money, and its fund request waiting for the station."""
    item = _open_item(village)
    if item is None:
        return False
    liaison = ScopedRole.objects.filter(role=Role.UNIT_LIAISON, unit=item.lead_unit, revoked_at__isnull=True).first()
    when = yesterday - timedelta(days=4)

    def report(moment):
        if liaison is not None and item.status == AssignmentStatus.ACCEPTED:
            outcome_services.progress_add(
                actor=liaison.user,
                assignment=item,
                unit=item.lead_unit,
                progress="已完成现场勘察和预算编制",
                problems="资金尚未落实，材料款约6500元无处列支",
                next_steps="申请村协商资金",
                reported_on=moment.date(),
            )

    def request(moment):
        purpose, payee, amount = STALLED
        services.spending_request(
            actor=convener,
            account=accounts[village.pk],
            kind="implementation",
            amount=Decimal(amount),
            purpose=purpose,
            counterparty=payee,
            assignment=item,
        )
        counts["fund_entries"] += 1

    timeline.add(when, report)
    timeline.add(when + timedelta(days=1), request)
    return True
