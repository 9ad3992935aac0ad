"""The records behind the seeds' statistics in the demo district (docs/figures.md, ``dashboard.seed_figures``).

Over the loop's history: a few statements and suggestions marked 当场解决 in sessions already held (who solved
it and how), small matters settled directly by the village instead of going to a consultation, the measures
of done items split from what the units reported, and the chair council's half-yearly reviews. Played on a
``Timeline``; every moment is yesterday or earlier.
"""

import random
import re
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from shangliang.consultations.models import Statement, Suggestion
from shangliang.consultations.states import ConsultationStatus
from shangliang.core.records import save_record
from shangliang.dashboard import reviews
from shangliang.dashboard.states import Half
from shangliang.demo.timeline import Timeline
from shangliang.orgs.models import Region
from shangliang.orgs.states import RegionLevel
from shangliang.outcomes import measures
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus
from shangliang.topics import services as topic_services
from shangliang.topics import settle
from shangliang.topics.models import Category
from shangliang.topics.states import Source

# Who, in the session, solved the matter raised and how (当场解决).
ON_THE_SPOT = [
    ("镇城管办负责人", "会上当场联系环卫所，次日清运"),
    ("村委会主任", "当场答复：村集体出资维修，本周内完成"),
    ("镇水务站站长", "当场安排人员疏通排水沟"),
    ("供电所所长", "当场登记，安排电工上门检修线路"),
    ("区交通运输局参会人员", "当场明确由养护站负责补修坑槽"),
    ("镇社保所负责人", "会上当场办理了参保登记"),
]
# How a small matter was settled directly, without a consultation (即时办结).
SETTLEMENTS = [
    "村委会当天联系电工更换了损坏的路灯，已告知反映人。",
    "网格员现场查看后联系物业，次日完成维修。",
    "村里安排保洁员当天清理，并纳入日常保洁范围。",
    "联络站转镇相关办公室，三天内处理完毕并电话回访。",
    "村委会协调双方当面沟通，当场达成一致。",
]
# Small matters a village settles at once (title, what the resident wrote, category).
SMALL_MATTERS = [
    ("村口路灯不亮", "村口那盏路灯坏了一个多星期，晚上回家看不清路。", "公共设施"),
    ("垃圾桶破损", "小区3栋门口的垃圾桶破了，垃圾撒一地。", "环境卫生"),
    ("井盖松动", "菜市场门口的井盖踩上去会晃，怕有人摔倒。", "道路桥梁"),
    ("楼道堆放杂物", "2单元楼道里堆满了纸箱，有消防隐患。", "环境卫生"),
    ("健身器材损坏", "广场上的漫步机坏了，老人用着不安全。", "公共设施"),
    ("排水沟堵塞", "下雨时排水沟堵住，水漫到路上。", "环境卫生"),
    ("公交站牌字迹不清", "村头公交站牌被晒得看不清线路。", "停车与交通秩序"),
    ("宣传栏玻璃破碎", "村委会门口宣传栏玻璃碎了，容易划伤小孩。", "公共设施"),
]
ON_SPOT_STATEMENTS = 10
ON_SPOT_SUGGESTIONS = 4
MEASURED_SHARE = 0.5


def _split_result(result: str) -> list[str]:
    """The measures a unit's result names: its clauses of some length, at most three."""
    parts = [p.strip() for p in re.split(r"[，,；;。]", result or "") if len(p.strip()) >= 4]
    return parts[:3]


def build(*, users, district, yesterday) -> dict:
    rng = random.Random("figures")
    timeline = Timeline()
    made = {"on_spot": 0, "settled": 0, "measures": 0, "chair_reviews": 0}
    path = district.path
    convener = users["convener"]
    cppcc = users["cppcc"]
    raised: dict = {}  # index → the submission, raised before it is settled

    # 当场解决: statements and suggestions of sessions held and concluded, marked as the session recorded them.
    held = {
        "consultation__status": ConsultationStatus.CONCLUDED,
        "consultation__platform__region__path__startswith": path,
    }
    statements = list(Statement.objects.filter(**held, solved_on_spot_at__isnull=True).select_related("consultation"))
    suggestions = list(
        Suggestion.objects.filter(**held, solved_on_spot_at__isnull=True, assignments__isnull=True).select_related(
            "consultation"
        )
    )
    picked = rng.sample(statements, min(ON_SPOT_STATEMENTS, len(statements)))
    picked += rng.sample(suggestions, min(ON_SPOT_SUGGESTIONS, len(suggestions)))
    for row in picked:
        opened = row.consultation.in_session_at or row.consultation.starts_at
        moment = min(opened + timedelta(hours=1), yesterday)
        by, note = rng.choice(ON_THE_SPOT)

        def mark(moment, row=row, by=by, note=note):
            row.solved_on_spot_at, row.solved_by, row.solved_note = moment, by, note
            row.solved_recorded_by = row.consultation.convener
            fields = ["solved_on_spot_at", "solved_by", "solved_note", "solved_recorded_by"]
            actor = row.consultation.convener
            if isinstance(row, Statement):
                save_record(row, actor=actor, reason="statement.solved_on_spot", update_fields=fields, now=moment)
            else:
                save_record(row, actor=actor, reason="suggestion.solved_on_spot", update_fields=fields, now=moment)

        timeline.add(moment, mark)
        made["on_spot"] += 1

    # 直接解决: small matters residents raised that the village solved at once instead of consulting on them.
    villages = list(Region.objects.filter(level=RegionLevel.VILLAGE, is_archived=False, path__startswith=path))
    categories = {c.name: c for c in Category.objects.all()}
    for index, (title, content, category_name) in enumerate(SMALL_MATTERS):
        village = villages[rng.randrange(len(villages))]
        came = yesterday - timedelta(days=20 + index * 23, hours=rng.randint(1, 6))
        moment = came + timedelta(days=rng.randint(1, 3))
        how = SETTLEMENTS[index % len(SETTLEMENTS)]
        category = categories.get(category_name) or next(iter(categories.values()))

        def raise_one(came, village=village, title=title, content=content, category=category, index=index):
            created = topic_services.submission_create(
                actor=None,
                region=village,
                title=title,
                content=content,
                source=Source.RESIDENT,
                category=category,
            )
            raised[index] = created.submission

        def settle_one(moment, how=how, index=index):
            settle.submission_settle(actor=convener, submission=raised[index], settlement=how, now=moment)

        timeline.add(came, raise_one)
        timeline.add(moment, settle_one)
        made["settled"] += 1

    # 落实成果: half of the done items get their measures, split from what the unit reported.
    done = list(
        Assignment.objects.filter(
            status=AssignmentStatus.DONE,
            is_archived=False,
            suggestion__consultation__platform__region__path__startswith=path,
            done_at__isnull=False,
        ).order_by("pk")
    )
    for item in done:
        parts = _split_result(item.result)
        if len(parts) < 2 or rng.random() > MEASURED_SHARE:
            continue
        moment = min(item.done_at, yesterday)
        day = timezone.localdate(moment)

        def record(moment, item=item, parts=parts, day=day):
            for text in parts:
                measures.measure_add(actor=item.assigned_by, assignment=item, text=text[:300], implemented_on=day)

        timeline.add(moment, record)
        made["measures"] += len(parts)

    # 主席会议每半年专题研究: the last two half-years that have ended.
    today = timezone.localdate()
    halves = []
    year, half = today.year, Half.FIRST if today.month <= 6 else Half.SECOND
    for _ in range(2):
        year, half = (year, Half.FIRST) if half == Half.SECOND else (year - 1, Half.SECOND)
        halves.append((year, half))
    for year, half in halves:
        end = date(year, 6, 30) if half == Half.FIRST else date(year, 12, 31)
        held_on = min(end - timedelta(days=rng.randint(3, 20)), today - timedelta(days=1))
        moment = timezone.make_aware(datetime.combine(held_on, time(15)))

        def review(moment, year=year, half=half, held_on=held_on):
            label = "上半年" if half == Half.FIRST else "下半年"
            reviews.review_record(
                actor=cppcc,
                region=district,
                year=year,
                half=half,
                held_on=held_on,
                title=f"区政协主席会议（{year}年{label}专题研究“有事好商量”工作）",
                reviewed=f"听取区政协办公室关于{year}年{label}协商议事工作情况的汇报，审议各联络站年度目标完成情况。",
                findings="个别村（社区）议事室开展活动不经常；部分交办事项办理超期；委员下沉联系村（社区）不均衡。",
                decisions="对未开展协商的议事室下发督办通知；逾期事项由专委会牵头督办；调整委员联系村（社区）安排。",
            )

        timeline.add(moment, review)
        made["chair_reviews"] += 1

    timeline.play()
    return made
