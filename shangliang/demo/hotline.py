"""Hotline records in the demo district (issue 17): the district's 12345 work orders of the last half year.

A few concrete problems recur in one place each (a broken street lamp in an estate, a noisy market,
flooding at an underpass…), so the page has hot issues to rank and one to turn into a topic; the rest
are single complaints spread over the villages. Some addresses name no village the gazetteer knows:
they wait in the review queue. A third of the single complaints have a unit's reply, good or poor, in
time or late, so 答复质量 has something to show, and a first category model is trained on the source's
categories. Phones are generated, never real. Nothing is stamped today: the records' import times, the
issues' creation and the model's training are moved to yesterday.
"""

import random
from datetime import datetime, timedelta

from shangliang.core.models import BackgroundJob
from shangliang.hotline import imports, services
from shangliang.hotline.models import Classifier, HotIssue, Record, Source
from shangliang.orgs.models import Region
from shangliang.orgs.states import RegionLevel
from shangliang.topics.models import Submission

RNG_SEED = "demo hotline"
# (category, estate or place, the problem in a few wordings) of the recurring problems.
RECURRING = [
    (
        "公共设施",
        "幸福家园小区",
        ["{p}门口路灯坏了一个多月，晚上漆黑一片", "{p}路灯不亮，老人晚上出门摔倒了", "{p}大门口的路灯一直没人修"],
    ),
    (
        "环境卫生",
        "农贸市场",
        ["{p}早上五点就开始卸货，噪音太大睡不着", "{p}周边垃圾堆放，夏天臭气熏天", "{p}凌晨卸货车辆鸣笛扰民"],
    ),
    (
        "道路桥梁",
        "铁路桥下涵洞",
        ["{p}一下雨就积水，车辆熄火", "{p}积水半米深，行人无法通行", "{p}排水不畅，每次下雨都淹"],
    ),
    (
        "停车与交通秩序",
        "实验小学",
        ["{p}门口上下学时段车辆乱停，孩子过马路很危险", "{p}放学时校门口拥堵半小时", "{p}门口需要设置临时停车位"],
    ),
    ("物业管理", "锦绣花园小区", ["{p}电梯经常停运，物业不管", "{p}电梯坏了三次，物业推诿", "{p}电梯困人，维保不到位"]),
]
SINGLES = [
    ("教育", "孩子入学学位紧张，希望增加学位"),
    ("医疗卫生", "社区卫生服务站看病排队时间长"),
    ("养老服务", "希望开设老年食堂，解决老人吃饭难"),
    ("环境卫生", "河道里有生活垃圾漂浮，长期无人清理"),
    ("农业生产", "灌溉水渠堵塞，春耕用水困难"),
    ("就业与收入", "在本地企业工作被拖欠工资三个月"),
    ("文化体育", "村里没有健身场地，希望安装健身器材"),
    ("平安建设", "夜间有人在路边聚集喝酒喧哗"),
]

# Units' replies to the single complaints, by the complaint: (unit, a reply that answers it). A few get a
# reply that only acknowledges or promises instead (POOR), so 答复质量 has both kinds to show.
REPLIES = {
    "孩子入学学位紧张，希望增加学位": (
        "区教育局",
        "经核实，您反映的学位紧张问题属实。根据《义务教育法》第十二条和我区招生政策，我局已协调中心小学增加"
        "两个班级、学位90个，9月1日起招生，请按通知到学校报名。",
    ),
    "社区卫生服务站看病排队时间长": (
        "区卫生健康局",
        "经调查，该卫生服务站上午就诊集中。我局已增派全科医生2名，自6月起开通预约挂号并延长周六门诊，"
        "排队时间由约1小时缩短到20分钟左右。",
    ),
    "希望开设老年食堂，解决老人吃饭难": (
        "区民政局",
        "按照《区老年助餐服务实施办法》，我局已将该村纳入今年第二批助餐点建设，预计10月开餐，80岁以上老人每餐补贴3元。",
    ),
    "河道里有生活垃圾漂浮，长期无人清理": (
        "镇人民政府",
        "经现场查看，该河段垃圾确有堆积。镇河长办已于上周组织清理，共清运垃圾3吨，今后每周巡河两次，"
        "并在桥头设置垃圾收集点。",
    ),
    "灌溉水渠堵塞，春耕用水困难": (
        "区农业农村局",
        "经现场核实，该水渠约300米淤堵。我局已安排农田水利维修资金2万元，3月10日前完成清淤，保障春灌用水。",
    ),
    "在本地企业工作被拖欠工资三个月": (
        "区人社局",
        "经调查核实，该企业拖欠12名职工工资共计15万元。依据《保障农民工工资支付条例》第五十条，我局已责令"
        "限期支付，企业已于5月20日全部结清。",
    ),
    "村里没有健身场地，希望安装健身器材": (
        "区文化体育局",
        "按照全民健身设施补短板计划，我局已将该村列入今年健身路径建设名单，安装器材12件，预计8月底完工。",
    ),
    "夜间有人在路边聚集喝酒喧哗": (
        "区公安分局",
        "经核实，派出所已加强该路段夜间巡逻，对聚集喧哗人员进行了劝离和教育，依照《治安管理处罚法》处罚1人。",
    ),
}
POOR = [
    "您的来信已收悉，感谢您对我们工作的关心和支持。",
    "已转相关部门研究办理。",
    "关于您反映的问题，我们将认真研究，依法依规处理。",
]


def build(*, users, district, yesterday) -> dict:
    rng = random.Random(RNG_SEED)
    admin = users.get("admin")
    if admin is None:
        return {"hotline_records": 0}
    source = services.source_save(actor=admin, source=Source(name="区12345热线", region=district))
    villages = list(
        Region.objects.filter(path__startswith=district.path, level=RegionLevel.VILLAGE, is_archived=False)
        .select_related("parent")
        .order_by("path")
    )
    rows = []
    serial = 0

    def add(text, place, category, days_ago, likes=0):
        nonlocal serial
        serial += 1
        moment = yesterday - timedelta(days=days_ago, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
        rows.append(
            {
                "external_id": f"GD{moment:%Y%m%d}{serial:04d}",
                "received_at": moment.strftime("%Y-%m-%d %H:%M"),
                "text": text,
                "place": place,
                "phone": f"139{rng.randint(10_000_000, 99_999_999)}",
                "category": category,
                "likes": str(likes),
            }
        )

    for k, (category, place, wordings) in enumerate(RECURRING):
        village = villages[(k * 7 + 3) % len(villages)]
        full = f"{village.parent.name}{village.name}{place}"
        for n in range(rng.randint(5, 12)):
            wording = wordings[n % len(wordings)].format(p=place)
            add(
                f"{village.name}{wording}。",
                full,
                category,
                rng.randint(1, 150) if n else rng.randint(1, 20),
                rng.randint(0, 6),
            )
    for n in range(120):
        category, text = rng.choice(SINGLES)
        village = rng.choice(villages)
        place = rng.choice([f"{village.parent.name}{village.name}", f"{village.name}", "城区某路段"])
        days_ago = rng.randint(1, 180)
        add(f"{village.name if '某' not in place else ''}{text}。", place, category, days_ago)
        delay = rng.choice([2, 5, 9, 30])
        if n % 3 == 0 and delay < days_ago:
            # Replied before yesterday: in time (2–9 days) or late (a month); one in four only acknowledges.
            unit, reply = REPLIES[text]
            if n % 4 == 0:
                reply = POOR[n % len(POOR)]
            replied = datetime.strptime(rows[-1]["received_at"], "%Y-%m-%d %H:%M") + timedelta(days=delay)
            rows[-1] |= {"unit": unit, "reply": reply, "replied_at": f"{replied:%Y-%m-%d %H:%M}"}
    job = BackgroundJob.objects.create(kind="hotline_import", created_by=admin, payload={"name": "演示数据"})
    outcome = imports.Outcome()
    mapping = {name: name for name in imports.FIELDS}
    parsed = [
        p
        for i, cells in enumerate(rows)
        if (p := imports.parse_row(i + 2, cells | {"_original": {}}, mapping, outcome))
    ]
    made = services.write_batch(source, parsed, outcome, job)
    services.group_new(source, made)
    # A first model from the source's own categories, so the model page has a version and its figures.
    # scikit-learn's first import draws from the global generator (rich, for progress bars); the seed
    # leaves that generator as it found it.
    state = random.getstate()
    model = services.classifier_train(actor=admin)
    random.setstate(state)
    Classifier.history.filter(pk=model.pk).update(history_date=yesterday)
    Classifier.objects.filter(pk=model.pk).update(trained_at=yesterday)
    # The hottest issue placed in a village has been made a topic (a 12345 submission awaiting screening).
    hottest = (
        HotIssue.objects.filter(owner_region=district, region__isnull=False, category__isnull=False)
        .select_related("region", "category")
        .order_by("-heat", "pk")
        .first()
    )
    if hottest is not None:
        issue = services.issue_to_topic(
            actor=admin, issue=hottest, title=hottest.title, region=hottest.region, category=hottest.category
        )
        Submission.objects.filter(pk=issue.submission_id).update(created_at=yesterday, updated_at=yesterday)
        Submission.history.filter(id=issue.submission_id).update(
            history_date=yesterday, created_at=yesterday, updated_at=yesterday
        )
    # Nothing stamped today.
    Record.objects.filter(source=source).update(imported_at=yesterday, updated_at=yesterday)
    HotIssue.objects.filter(owner_region=district).update(created_at=yesterday)
    for model in (Record, HotIssue, Source):
        model.history.filter(history_date__date__gte=yesterday.date()).update(history_date=yesterday)
    BackgroundJob.objects.filter(pk=job.pk).update(created_at=yesterday, status="succeeded", result=outcome.as_result())
    return {"hotline_records": outcome.created, "hot_issues": HotIssue.objects.filter(owner_region=district).count()}
