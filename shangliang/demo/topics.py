"""Three years of submissions and topics in the demo district, written through the topic services.

About three hundred submissions from every source go through screening, merging, drafting and
approval (about 120 of their topics are consulted on, as in the source district's three years), so
every queue of the demo accounts has something in it: the station head and the conveners of the
first township have submissions to screen and topics to draft, ``secretary`` and
``township_party`` have topics to approve, and the public pool shows the approved ones. The real
topics of the source documents (春耕生产用水难, 红房子未开发区保护, 关爱少年儿童, 集镇电动车乱停放,
农村环境卫生管理) are among them.

Every step is planned first, each at a day in the past, and then played in the order of those
days. The services stamp the current time, so right after each step everything it wrote (rows,
status stamps, history rows) is moved back to the planned moment: the tracking timeline then
reads like the real history it imitates. One ``random.Random(SEED)`` drives every choice; only
the dates move with the day the demo is seeded, so that the waiting items stay recent.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from shangliang.demo import district
from shangliang.demo.names import NameSource
from shangliang.orgs.models import Member, MemberAssignment, Platform, Region, Unit
from shangliang.orgs.states import PlatformKind, RegionLevel, UnitKind
from shangliang.topics import services
from shangliang.topics.models import Category, Reply, Submission, Topic, TopicSupport, Verification
from shangliang.topics.permissions import CPPCC_PLATFORM_KINDS
from shangliang.topics.states import ExclusionReason, Source, SubmissionStatus, TopicStatus

SEED = district.SEED + 1

RURAL, URBAN, ANY = "rural", "urban", "any"


@dataclass(frozen=True)
class Matter:
    """What a submission says. ``{village}``, ``{grid}`` and ``{town}`` in the content are filled in
    for the place it comes from; ``topic`` names the topic drafted from it, after the place."""

    theme: str
    category: str
    title: str
    content: str
    where: str = ANY
    topic: str = ""


# Each theme is raised at most once per township, so the duplicate finder meets only the
# duplicates planted on purpose, not the same generated complaint twice.
GENERIC_MATTERS = (
    Matter(
        "road",
        "道路桥梁",
        "组里的路还是泥巴路，希望硬化",
        "从{village}村委会到{grid}的两公里多路一直没有硬化，晴天一身灰、雨天一身泥，农用车和接送孩子的车经常陷住。",
        RURAL,
        "通组道路硬化",
    ),
    Matter(
        "streetlight",
        "公共设施",
        "路灯坏了没人修，晚上出行不安全",
        "{village}{grid}一带有五六盏路灯坏了两个多月，晚上老人和下晚自习的学生走路看不清，希望尽快维修。",
        ANY,
        "路灯维修",
    ),
    Matter(
        "sorting",
        "环境卫生",
        "垃圾分类投放点太少，离家太远",
        "{village}只设了一个垃圾分类投放点，离{grid}太远，不少居民图方便随手乱扔，希望增设投放点并安排督导员。",
        URBAN,
        "垃圾分类投放点优化",
    ),
    Matter(
        "parking",
        "停车与交通秩序",
        "老小区停车位严重不足",
        "{village}老小区只有几十个车位，私家车越来越多，晚上只能停在路边和绿化带上，邻里经常为停车吵架。",
        URBAN,
        "老旧小区停车难",
    ),
    Matter(
        "elevator",
        "住房保障",
        "老楼没有电梯，腿脚不便的老人下不了楼",
        "{village}{grid}是上世纪九十年代建的六层楼，住户一半以上是老人，有的老人几个月没下过楼，希望支持加装电梯。",
        URBAN,
        "老旧小区加装电梯",
    ),
    Matter(
        "water",
        "公共设施",
        "自来水经常停水，水质发黄",
        "{village}{grid}的自来水管是二十多年前铺的，经常爆管停水，放出来的水有时发黄，希望改造供水管网。",
        RURAL,
        "农村饮水安全",
    ),
    Matter(
        "meal",
        "养老服务",
        "老人做饭难，希望办老年食堂",
        "{village}六十岁以上老人有两百多人，不少子女在外地，老人自己做饭不方便，希望办一个老年食堂或助餐点。",
        ANY,
        "养老助餐",
    ),
    Matter(
        "children",
        "教育",
        "孩子放学后没地方去",
        "{village}很多家长下午五点半以后才下班，孩子三点半放学后没地方去，希望在党群服务中心办课后托管。",
        ANY,
        "课后托管",
    ),
    Matter(
        "river",
        "生态环境",
        "河道垃圾多、淤泥厚",
        "流经{village}的小河多年没有清淤，河里漂着垃圾，夏天有臭味，下大雨时河水漫上路面。",
        RURAL,
        "河道清淤整治",
    ),
    Matter(
        "market",
        "停车与交通秩序",
        "农贸市场周边占道经营",
        "{village}农贸市场门口每天早上摆满地摊，买菜的电动车、三轮车挤在一起，经常堵到主路上。",
        URBAN,
        "农贸市场周边秩序",
    ),
    Matter(
        "bridge",
        "道路桥梁",
        "村里的石板桥成了危桥",
        "{village}通往{grid}的石板桥桥面开裂、没有护栏，学生每天上下学都要经过，家长很担心。",
        RURAL,
        "危桥改造",
    ),
    Matter(
        "toilet",
        "环境卫生",
        "集市公共厕所太少又脏",
        "赶集的日子{village}附近只有一座公共厕所，排长队，卫生也差，希望增建并安排专人保洁。",
        ANY,
        "公共厕所建设与保洁",
    ),
    Matter(
        "sewage",
        "生态环境",
        "生活污水直排水沟，气味难闻",
        "{village}{grid}十几户人家的生活污水直接排进路边水沟，夏天气味很大，蚊蝇多。",
        RURAL,
        "生活污水治理",
    ),
    Matter(
        "pests",
        "农业生产",
        "希望统一组织水稻病虫害防治",
        "去年{village}稻飞虱严重，各家各户自己打药效果不好，还浪费农药，希望村里统一组织统防统治。",
        RURAL,
        "水稻病虫害统防统治",
    ),
    Matter(
        "sales",
        "就业与收入",
        "猕猴桃丰收卖不出去",
        "{village}今年猕猴桃丰收，收购价压得很低，不少果子烂在地里，希望帮忙联系电商和超市，拓宽销路。",
        RURAL,
        "特色农产品销售",
    ),
    Matter(
        "jobs",
        "就业与收入",
        "希望社区提供就业培训和招聘信息",
        "{village}有不少待业人员，不知道去哪里找工作，希望社区定期办招聘会和技能培训。",
        URBAN,
        "家门口就业服务",
    ),
    Matter(
        "clinic",
        "医疗卫生",
        "村卫生室缺医少药",
        "{village}卫生室只有一名村医，常用药经常缺，老人量个血压、拿点药都要跑到镇卫生院。",
        RURAL,
        "村卫生室服务提升",
    ),
    Matter(
        "doctor",
        "医疗卫生",
        "慢性病老人希望家庭医生上门",
        "{village}高血压、糖尿病老人多，行动不便，希望家庭医生签约后能定期上门随访。",
        ANY,
        "家庭医生签约服务",
    ),
    Matter(
        "property",
        "物业管理",
        "物业服务差，收费不透明",
        "{village}{grid}物业费年年收，但楼道没人打扫、门禁坏了也不修，公共收益去向也不公开。",
        URBAN,
        "物业服务与公共收益公开",
    ),
    Matter(
        "cctv",
        "平安建设",
        "小区监控坏了，电动车接连被偷",
        "{village}小区大门和车棚的监控坏了半年，最近一个月丢了四辆电动车，居民很担心安全。",
        URBAN,
        "小区技防设施维护",
    ),
    Matter(
        "square",
        "文化体育",
        "村里没有活动场地",
        "{village}村民晚上想跳跳舞、下下棋都没有地方，希望利用村部旁边的空地建一个文化小广场。",
        RURAL,
        "文化小广场建设",
    ),
    Matter(
        "fitness",
        "文化体育",
        "健身器材老化损坏",
        "{village}{grid}的健身器材用了十年，有的已经断裂，小孩在上面玩很危险，希望更换。",
        ANY,
        "健身器材更新",
    ),
    Matter(
        "school_gate",
        "停车与交通秩序",
        "学校门口上下学时段拥堵",
        "{village}小学门口接送孩子的车辆乱停，早晚高峰堵成一团，孩子过马路很危险。",
        ANY,
        "校门口交通秩序",
    ),
    Matter(
        "school_bus",
        "教育",
        "孩子上学路远，希望开通校车",
        "{village}{grid}离镇中心小学有八公里，没有公交，家长每天接送很辛苦，希望开通校车或定制公交。",
        RURAL,
        "学生上学交通",
    ),
    Matter(
        "disabled",
        "扶弱助困",
        "残疾人家庭希望做无障碍改造",
        "{village}有几户残疾人家庭，家门口有台阶，轮椅进出困难，卫生间也没有扶手。",
        ANY,
        "残疾人家庭无障碍改造",
    ),
    Matter(
        "heating",
        "扶弱助困",
        "独居困难老人冬天取暖难",
        "{village}几位独居困难老人住的房子漏风，冬天只能靠电热毯，希望帮忙修缮门窗并送去取暖设备。",
        RURAL,
        "困难老人冬季取暖",
    ),
    Matter(
        "insurance",
        "政策落实",
        "老人不会用手机交医保",
        "今年医保改为手机缴费，{village}很多老人不会操作，子女又不在身边，希望村里设代办点。",
        ANY,
        "城乡居民医保缴费代办",
    ),
    Matter(
        "subsidy",
        "政策落实",
        "希望公开耕地地力保护补贴发放情况",
        "{village}村民不清楚耕地地力保护补贴每亩补多少、按什么面积发，希望在村务公开栏公开明细。",
        RURAL,
        "惠农补贴公开",
    ),
    Matter(
        "signal",
        "公共设施",
        "山里手机信号差，网络不通",
        "{village}{grid}在山坳里，手机经常没信号，孩子上网课要跑到山顶，希望增设通信基站。",
        RURAL,
        "通信信号覆盖",
    ),
    Matter(
        "express",
        "公共设施",
        "村里没有快递服务点",
        "{village}离镇上十多公里，快递都放在镇上的驿站，老人取件很不方便，希望在村里设快递服务点。",
        RURAL,
        "快递进村",
    ),
    Matter(
        "bus",
        "道路桥梁",
        "到城里的公交班次太少",
        "{village}到城区的公交一个多小时才一班，下午五点就停运，看病、办事很不方便。",
        RURAL,
        "城乡公交",
    ),
    Matter(
        "flooding",
        "公共设施",
        "一下雨小区门口就积水",
        "{village}{grid}门口地势低，一下大雨积水没过脚踝，电动车熄火，居民只能蹚水进出。",
        URBAN,
        "雨天积水治理",
    ),
    Matter(
        "fumes",
        "生态环境",
        "沿街餐馆油烟扰民",
        "{village}临街几家餐馆没有装油烟净化器，油烟直接排到楼上住户窗口，夏天不敢开窗。",
        URBAN,
        "餐饮油烟治理",
    ),
    Matter(
        "dogs",
        "平安建设",
        "流浪狗多，咬伤路人",
        "{village}最近流浪狗越来越多，晚上成群结队，上个月有老人被咬伤，孩子上学也害怕。",
        ANY,
        "流浪犬管理",
    ),
    Matter(
        "falling",
        "平安建设",
        "高楼抛物，砸坏楼下车辆",
        "{village}{grid}最近几次有人从楼上扔垃圾，砸坏了楼下停的车，大家担心砸到人。",
        URBAN,
        "高空抛物治理",
    ),
    Matter(
        "elder_room",
        "养老服务",
        "老年活动室太小，想下棋都没位置",
        "{village}老年活动室只有二十多平方米，每天下午挤满了人，希望找个大点的地方。",
        ANY,
        "老年活动场所",
    ),
    Matter(
        "kindergarten",
        "教育",
        "附近没有普惠性幼儿园",
        "{village}周边只有一所民办幼儿园，收费高、学位少，不少孩子要送到几公里外上学。",
        ANY,
        "普惠性幼儿园学位",
    ),
    Matter(
        "old_house",
        "住房保障",
        "几户老人还住土坯房",
        "{village}{grid}还有几户老人住在五十多年前的土坯房里，墙体开裂，下雨漏水，希望纳入危房改造。",
        RURAL,
        "农村危房改造",
    ),
    Matter(
        "idle_school",
        "就业与收入",
        "村里闲置校舍长期空着",
        "{village}原来的村小撤并后校舍空了七八年，希望盘活利用，发展集体经济或办成老年活动中心。",
        RURAL,
        "闲置校舍盘活利用",
    ),
    Matter(
        "farm_road",
        "农业生产",
        "机耕路坑洼不平，农机下不了田",
        "{village}{grid}到田畈的机耕路被雨水冲得坑坑洼洼，收割机进不去，只能人工收割。",
        RURAL,
        "机耕路修缮",
    ),
    Matter(
        "charging",
        "平安建设",
        "电动车在楼道充电，火灾隐患大",
        "{village}{grid}没有集中充电桩，不少居民把电动车推进楼道、拉飞线充电，存在很大火灾隐患。",
        URBAN,
        "电动车集中充电",
    ),
    Matter(
        "green",
        "物业管理",
        "小区绿地被毁种菜",
        "{village}有住户把公共绿地开垦成菜地，还用粪水浇菜，气味难闻，其他住户意见很大。",
        URBAN,
        "公共绿地管护",
    ),
    Matter(
        "custom",
        "其他",
        "红白喜事大操大办，人情负担重",
        "{village}办酒席越来越多，礼金越随越大，村民负担很重，希望通过村规民约倡导简办。",
        RURAL,
        "移风易俗",
    ),
    Matter(
        "tank",
        "公共设施",
        "高层二次供水水箱多年没清洗",
        "{village}{grid}是高层住宅，楼顶的二次供水水箱好几年没清洗过，住户担心水质。",
        URBAN,
        "二次供水卫生",
    ),
    Matter(
        "curve",
        "道路桥梁",
        "村道急弯没有护栏",
        "{village}村道在{grid}附近有个急弯，没有警示标志和护栏，今年已经发生两起摩托车摔伤事故。",
        RURAL,
        "村道安全防护",
    ),
    Matter(
        "piecework",
        "就业与收入",
        "希望引进来料加工，让妇女在家门口就业",
        "{village}留守妇女多，既要带孩子又想挣钱，希望引进来料加工项目，在家门口就能干活。",
        RURAL,
        "家门口就业",
    ),
    Matter(
        "clutter",
        "环境卫生",
        "房前屋后杂物乱堆乱放",
        "{village}{grid}房前屋后柴草、建筑垃圾乱堆，影响村容村貌，还容易引发火灾。",
        RURAL,
        "人居环境整治",
    ),
    Matter(
        "pond",
        "生态环境",
        "村里池塘发黑发臭",
        "{village}村中心的池塘多年没有治理，水发黑发臭，周边住户夏天不敢开窗。",
        RURAL,
        "池塘水体治理",
    ),
    Matter(
        "playground",
        "文化体育",
        "小区没有儿童游乐设施",
        "{village}小区孩子多，但没有一处儿童游乐场，孩子只能在停车场里玩，很不安全。",
        URBAN,
        "儿童游乐设施",
    ),
)


@dataclass(frozen=True)
class Duplicate:
    """A submission and the later ones that say the same in other words; the later ones are merged."""

    original: Matter
    copies: tuple[Matter, ...]


# The ground truth of the duplicate finder (bench/duplicates.py). Each title is used exactly once.
DUPLICATES = {
    "ebike": Duplicate(
        Matter(
            "ebike",
            "停车与交通秩序",
            "集镇电动车乱停放，堵塞人行道",
            "集镇主街两侧电动车乱停乱放，把人行道和盲道都占满了，行人只能走到机动车道上，很不安全。",
            URBAN,
            "集镇电动车乱停放",
        ),
        (
            Matter(
                "ebike",
                "停车与交通秩序",
                "镇上电动车到处乱停，人走不过去",
                "赶集的时候镇上电动车到处乱停，街边一辆挨一辆，人都走不过去，老人被挤得差点摔倒。",
            ),
            Matter(
                "ebike",
                "停车与交通秩序",
                "超市门口电瓶车停满了，推婴儿车都过不去",
                "社区超市门口每天停满电瓶车，推婴儿车、坐轮椅的根本过不去，希望划定停车区。",
            ),
        ),
    ),
    "irrigation": Duplicate(
        Matter(
            "irrigation",
            "农业生产",
            "春耕在即，灌溉水渠年久失修放不进水",
            "{village}的灌溉水渠是七十年代修的，渠身开裂、淤堵严重，春耕用水时上游放水下来，田里还是放不进水。",
            RURAL,
            "破解春耕生产用水难",
        ),
        (
            Matter(
                "irrigation",
                "农业生产",
                "田里放不进水，水渠渗漏堵塞，今年春耕怕要耽误",
                "{grid}的农户反映水渠渗漏、堵塞，下游的田里放不进水，担心今年春耕插秧要耽误。",
            ),
        ),
    ),
    "streetlight": Duplicate(
        Matter(
            "streetlight",
            "公共设施",
            "进组的路灯坏了一大半，晚上一片漆黑",
            "{village}{grid}进组那段路的路灯坏了一大半，晚上一片漆黑，前几天有村民骑车摔进了水沟。",
            RURAL,
            "路灯维修",
        ),
        (
            Matter(
                "streetlight",
                "公共设施",
                "那段路晚上黑灯瞎火的，路灯好久没亮了",
                "{grid}那段路晚上黑灯瞎火的，路灯好久都没亮了，晚上接孩子回家只能打手电。",
            ),
        ),
    ),
    "garbage": Duplicate(
        Matter(
            "garbage",
            "环境卫生",
            "小区垃圾桶满了好几天没人清运，气味很大",
            "{village}{grid}的垃圾桶经常满了好几天才清运一次，垃圾堆到桶外面，气味很大，还招老鼠。",
            URBAN,
            "生活垃圾及时清运",
        ),
        (
            Matter(
                "garbage",
                "环境卫生",
                "垃圾清运不及时，夏天臭气熏天",
                "小区垃圾清运不及时，天一热就臭气熏天，苍蝇蚊子到处都是，住在垃圾房边上的人家窗户都不敢开。",
            ),
        ),
    ),
    "elevator": Duplicate(
        Matter(
            "elevator",
            "住房保障",
            "老旧小区没有电梯，老人上下楼困难",
            "{village}{grid}都是六层老楼，没有电梯，住在高层的老人上下楼非常困难，看病买菜都要人背。",
            URBAN,
            "老旧小区加装电梯",
        ),
        (
            Matter(
                "elevator",
                "住房保障",
                "6号楼住的多是老人，希望加装电梯",
                "我们6号楼住的大多是七八十岁的老人，爬楼太吃力，大家都愿意出一部分钱，希望政府帮忙加装电梯。",
            ),
        ),
    ),
    "water": Duplicate(
        Matter(
            "water",
            "公共设施",
            "山上几户吃水难，水压太低经常断水",
            "{village}{grid}住在半山腰的十几户，水压太低，一到用水高峰就断水，只能到山下挑水。",
            RURAL,
            "农村饮水安全",
        ),
        (
            Matter(
                "water",
                "公共设施",
                "自来水水压低，高处人家用水高峰就没水",
                "{village}地势高的人家自来水水压低，早晚用水高峰水龙头就没水，希望加装加压泵站。",
            ),
        ),
    ),
    "market": Duplicate(
        Matter(
            "market",
            "停车与交通秩序",
            "农贸市场门口占道经营，交通拥堵",
            "{village}农贸市场门口每天早上摆满了地摊，三轮车、电动车乱停，整条街堵得水泄不通。",
            URBAN,
            "农贸市场周边秩序",
        ),
        (
            Matter(
                "market",
                "停车与交通秩序",
                "菜市场外面摆摊把路都堵了，车过不去",
                "菜市场外面的路上全是摆摊卖菜的，早上开车送孩子上学根本过不去，救护车来了也进不去。",
            ),
        ),
    ),
    "river": Duplicate(
        Matter(
            "river",
            "生态环境",
            "村前小河多年没清淤，一下大雨就漫到路上",
            "{village}村前的小河十多年没清过淤，河床越来越高，一下大雨河水就漫到路上，淹了好几户的菜地。",
            RURAL,
            "河道清淤整治",
        ),
        (
            Matter(
                "river",
                "生态环境",
                "河道淤积严重，雨季容易内涝",
                "{village}段河道淤积严重、水草丛生，行洪不畅，雨季周边农田和房屋容易内涝。",
            ),
        ),
    ),
    "parking": Duplicate(
        Matter(
            "parking",
            "停车与交通秩序",
            "小区停车位不够，晚上车都停到消防通道上",
            "{village}{grid}车位只有几十个，晚上回来的车都停到消防通道上，前几天救护车都开不进来。",
            URBAN,
            "小区停车与消防通道",
        ),
        (
            Matter(
                "parking",
                "停车与交通秩序",
                "消防通道被私家车占了，出了事消防车进不来",
                "小区消防通道长期被私家车占用，万一发生火灾消防车根本进不来，希望划定车位、规范停车。",
            ),
        ),
    ),
    "children": Duplicate(
        Matter(
            "children",
            "教育",
            "留守儿童放学后没人看管，希望办托管班",
            "{village}外出务工的多，很多孩子跟着爷爷奶奶，放学后没人辅导作业，到处乱跑，希望村里办托管班。",
            RURAL,
            "留守儿童课后托管",
        ),
        (
            Matter(
                "children",
                "教育",
                "爸妈在外打工的孩子放学后到处跑，没人照看",
                "村里爸妈在外打工的孩子，放了学就在河边、马路上玩，老人管不住，太危险了。",
            ),
        ),
    ),
    "meal": Duplicate(
        Matter(
            "meal",
            "养老服务",
            "村里独居老人吃饭难，希望办老年食堂",
            "{village}独居老人有三十多位，年纪大了做饭不方便，经常一顿饭吃两天，希望办个老年食堂。",
            RURAL,
            "养老助餐点",
        ),
        (
            Matter(
                "meal",
                "养老服务",
                "老人自己做饭不方便，能不能搞个助餐点",
                "我家隔壁的老人八十多了，自己做饭不方便，村里能不能搞个助餐点，送送饭也行。",
            ),
        ),
    ),
    "noise": Duplicate(
        Matter(
            "noise",
            "环境卫生",
            "广场舞音响太吵，晚上影响休息",
            "{village}{grid}楼下广场每天晚上跳广场舞，音响开得很大，一直跳到十点多，老人孩子没法休息。",
            URBAN,
            "广场舞噪音协调",
        ),
        (
            Matter(
                "noise",
                "环境卫生",
                "晚上跳舞的音乐声音开得很大，孩子没法写作业",
                "每天晚上小区广场的跳舞音乐声音开得特别大，孩子在家没法写作业，说了好几次也没用。",
            ),
        ),
    ),
    "bus": Duplicate(
        Matter(
            "bus",
            "道路桥梁",
            "公交车班次太少，进城要等一个多小时",
            "{village}到城区的公交车一个多小时一班，下午五点后就没车了，老人进城看病很不方便。",
            RURAL,
            "城乡公交加密班次",
        ),
        (
            Matter(
                "bus",
                "道路桥梁",
                "去城里只有早晚两班车，出行很不方便",
                "我们这里去城里只有早晚两班车，中间有事只能打车或者搭别人的摩托，希望多开几班。",
            ),
        ),
    ),
    "express": Duplicate(
        Matter(
            "express",
            "公共设施",
            "快递不进村，取件要跑到镇上",
            "{village}的快递都只送到镇上，取个件来回要一个多小时，老人网购了东西都拿不回来。",
            RURAL,
            "快递进村",
        ),
        (
            Matter(
                "express",
                "公共设施",
                "网购的东西只送到镇上驿站，老人取件很麻烦",
                "网购的东西只送到镇上的驿站，村里老人不会骑车，取个件要托人捎，希望快递能送进村。",
            ),
        ),
    ),
    # Near-verbatim repeats are common too: the same resident twice, a hotline or grid record of a
    # matter already submitted.
    "stairlight": Duplicate(
        Matter(
            "stairlight",
            "物业管理",
            "楼道里的灯坏了一个月了，晚上上下楼摸黑",
            "{village}{grid}楼道里的声控灯坏了一个月了，晚上上下楼只能摸黑，老人摔过一跤。",
            URBAN,
            "楼道照明维修",
        ),
        (
            Matter(
                "stairlight",
                "物业管理",
                "楼道灯坏了一个多月，晚上上下楼摸黑",
                "{grid}楼道里的声控灯坏了一个多月了，晚上上下楼只能摸黑，前几天老人还摔了一跤。",
            ),
        ),
    ),
    "dump": Duplicate(
        Matter(
            "dump",
            "环境卫生",
            "村口垃圾堆没人清理，苍蝇很多",
            "{village}村口的垃圾堆了半个多月没人清理，苍蝇很多，路过都要捂鼻子。",
            RURAL,
            "村口垃圾点整治",
        ),
        (
            Matter(
                "dump",
                "环境卫生",
                "村口垃圾堆长期无人清理",
                "{village}村口垃圾堆了半个多月没人清理，苍蝇多、气味大。",
            ),
        ),
    ),
    "drain": Duplicate(
        Matter(
            "drain",
            "公共设施",
            "菜场旁边下水道堵了，污水漫到路面",
            "{village}菜场旁边的下水道堵了，污水漫到路面上，一股臭味，走路都要绕开。",
            URBAN,
            "菜场周边排水疏通",
        ),
        (
            Matter(
                "drain",
                "公共设施",
                "菜场边下水道堵塞，污水外溢",
                "{village}菜场旁边下水道堵塞，污水漫到路面，气味很大。",
                URBAN,
            ),
        ),
    ),
}

# (reason, what was submitted, the note the submitter reads). Several carry the keywords that the
# exclusion hints look for (起诉, 仲裁, 复议, 信访, 上访, 举报, 纪委, 涉密), several do not.
EXCLUSIONS = (
    (
        ExclusionReason.ILLEGAL,
        Matter(
            "",
            "农业生产",
            "想在承包地上盖厂房出租，希望村里同意",
            "我家承包地在公路边，想盖几间厂房出租给人家做仓库，希望村里协商同意。",
            RURAL,
        ),
        "在承包耕地上建厂房属于违法占用耕地，违反《土地管理法》，不能纳入协商。可向镇自然资源所咨询合法的用地途径。",
    ),
    (
        ExclusionReason.ILLEGAL,
        Matter(
            "",
            "物业管理",
            "要求把楼前公共绿地划给一楼住户当花园",
            "我们一楼住户希望把楼前的公共绿地分给各家做私家花园，自己出钱围栏杆。",
            URBAN,
        ),
        "小区公共绿地属于全体业主共有，划给个别住户独占使用不符合《民法典》的规定，不能纳入协商。",
    ),
    (
        ExclusionReason.SECRET,
        Matter(
            "",
            "其他",
            "希望公开镇里军用光缆的走向图",
            "村里修路挖沟怕挖断光缆，希望把镇上所有军用光缆的走向图公开出来，是不是涉密我们也不清楚。",
            RURAL,
        ),
        "军用通信设施的位置依法应当保密，不能公开协商。施工前请联系镇武装部，由其告知避让要求。",
    ),
    (
        ExclusionReason.SECRET,
        Matter(
            "",
            "平安建设",
            "要求公布派出所监控探头的具体点位",
            "想知道派出所在辖区装了哪些监控、装在哪里，希望公布出来让大家监督，看看哪里还有盲区。",
            URBAN,
        ),
        "公安视频监控点位属于依法应当保密的信息，不能公开协商。发现监控盲区可以告诉社区民警，由派出所评估补点。",
    ),
    (
        ExclusionReason.LITIGATION,
        Matter(
            "",
            "住房保障",
            "与邻居宅基地界址纠纷，已向法院起诉",
            "我和邻居因为宅基地界址有纠纷，去年已经向区法院起诉，还没有判，希望村里出面协商。",
            RURAL,
        ),
        "该纠纷已进入诉讼程序，请等待法院依法裁判。村人民调解委员会可以在诉讼之外提供调解帮助。",
    ),
    (
        ExclusionReason.LITIGATION,
        Matter(
            "",
            "就业与收入",
            "工地拖欠工资，已经申请劳动仲裁",
            "我在城东一个工地干了半年，老板拖欠工资三万多元，已经申请了劳动仲裁，希望协商让老板先把钱付了。",
        ),
        "该事项已申请劳动仲裁，需按仲裁程序处理。欠薪线索也可以向区人社局劳动保障监察大队反映。",
    ),
    (
        ExclusionReason.LITIGATION,
        Matter(
            "",
            "住房保障",
            "对房屋征收补偿决定不服，已申请行政复议",
            "对区里作出的房屋征收补偿决定不服，已经申请了行政复议，希望在社区议事会上再商量补偿标准。",
            URBAN,
        ),
        "该事项已进入行政复议程序，请等待复议决定，协商议事不能替代法定程序。",
    ),
    (
        ExclusionReason.PETITION,
        Matter(
            "",
            "政策落实",
            "征地补偿款分配不公，已到区信访局反映",
            "前年征地的补偿款在组里分配不公平，我们已经到区信访局反映过了，希望村里再协商一次。",
            RURAL,
        ),
        "该事项已作为信访事项由区信访局受理转办，请关注信访事项的办理答复。",
    ),
    (
        ExclusionReason.PETITION,
        Matter(
            "",
            "住房保障",
            "老宅基地确权问题，上访多年没解决",
            "我家老宅基地确权的事上访了好几年，信访部门说在办，希望通过议事会帮忙解决。",
            RURAL,
        ),
        "该事项已交信访部门办理，为避免重复处理，不再纳入协商。办理进度可向区信访局查询。",
    ),
    (
        ExclusionReason.ACCUSATION,
        Matter(
            "",
            "扶弱助困",
            "实名举报村干部低保评定优亲厚友",
            "我实名举报：村里低保评定时，有干部把自己亲戚评上了，真正困难的人家却没评上。",
            RURAL,
        ),
        "实名举报请向区纪委监委或区民政局反映，协商议事不受理举报事项。举报电话和网址已另行告知。",
    ),
    (
        ExclusionReason.ACCUSATION,
        Matter(
            "",
            "其他",
            "实名举报菜场摊主缺斤少两",
            "我实名举报菜市场东头的水产摊，秤有问题，买两斤少三两，希望处理。",
            URBAN,
        ),
        "对商户的举报请拨打12315或向区市场监督管理局反映，协商议事不受理举报事项。",
    ),
    (
        ExclusionReason.DISCIPLINE,
        Matter(
            "",
            "政策落实",
            "村集体资金去向不明，听说纪委在查",
            "村里几笔集体资金去向不明，听说纪委已经在查了，希望开会让村干部说清楚。",
            RURAL,
        ),
        "该事项正由纪检监察机关调查处理，不宜在协商中讨论。调查结果将按规定公开。",
    ),
    (
        ExclusionReason.DISCIPLINE,
        Matter(
            "",
            "其他",
            "要求通报纪委对原社区主任的调查情况",
            "原来的社区主任被纪委带走调查了，居民想知道是什么问题，希望开会通报。",
            URBAN,
        ),
        "该事项正由纪检监察机关调查，不宜协商讨论，也不能提前通报调查情况。",
    ),
    (
        ExclusionReason.ANSWERED,
        Matter(
            "",
            "扶弱助困",
            "残疾人两项补贴为什么停发了",
            "我家孩子的残疾人两项补贴从今年起停发了，区残联答复说年审材料不全，我想再议一议。",
        ),
        "该事项属于个人事项，区残联已作出答复；按答复补齐年审材料后可以恢复发放。",
    ),
    (
        ExclusionReason.ANSWERED,
        Matter(
            "",
            "教育",
            "孩子入学划片不合理，要求调整",
            "我家孩子按划片要去离家远的学校，区教育局已经答复说按户籍划片，我觉得不合理。",
            URBAN,
        ),
        "该事项属于个人事项，区教育局已作出明确答复；如有异议，可按答复告知的途径办理。",
    ),
    (
        ExclusionReason.UNSUITABLE,
        Matter(
            "",
            "其他",
            "希望村里出钱组织全体村民外出旅游",
            "村里集体经济今年有结余，希望拿出一部分钱组织全体村民出去旅游一次。",
            RURAL,
        ),
        "使用集体资金组织全体村民旅游不属于协商议事的范围，集体收益分配应按村民会议的程序决定。",
    ),
    (
        ExclusionReason.UNSUITABLE,
        Matter(
            "",
            "其他",
            "邻居家的树挡了我家阳光，要求砍掉",
            "邻居家门口的大樟树挡住了我家的阳光，跟他说了不肯砍，希望议事会帮忙协商。",
            RURAL,
        ),
        "该事项属于相邻关系纠纷，建议由村人民调解委员会调解，不纳入协商议事。",
    ),
    (
        ExclusionReason.UNSUITABLE,
        Matter(
            "",
            "其他",
            "希望社区逢年过节给每户发米面油",
            "希望社区每逢过年过节给每户居民发一袋米、一桶油，大家都高兴。",
            URBAN,
        ),
        "节日福利发放不属于协商议事的范围；困难家庭的慰问可以向社区申请。",
    ),
)

# The five consultations named in the source documents, as the demo titles their topics.
SOURCE_TOPICS = (
    "破解春耕生产用水难",
    "加强红房子未开发区保护，促进文旅产业发展",
    "关爱少年儿童，呵护健康成长",
    "集镇电动车乱停放",
    "农村环境卫生管理",
)

# A department that would assign (点题) matters of each category.
ASSIGNING_DEPARTMENTS = {
    "教育": "区教育局",
    "就业与收入": "区人力资源和社会保障局",
    "医疗卫生": "区卫生健康局",
    "养老服务": "区民政局",
    "住房保障": "区住房和城乡建设局",
    "扶弱助困": "区民政局",
    "道路桥梁": "区交通运输局",
    "环境卫生": "区城市管理局",
    "停车与交通秩序": "区公安分局",
    "生态环境": "区生态环境分局",
    "农业生产": "区农业农村局",
    "公共设施": "区住房和城乡建设局",
    "物业管理": "区住房和城乡建设局",
    "文化体育": "区文化和广电旅游体育局",
    "平安建设": "区委政法委员会",
    "政策落实": "区政府办公室",
}

# Generated stories on top of the planned ones: enough approved topics for about 116 concluded
# consultations over three years, as in the source district.
GENERIC_STORIES = 210
# Days before today of the oldest generated submission: its consultation falls three years back.
OLDEST_STORY = 1170
# Townships that lagged in one stretch of the history (township index: ages in days of the
# submissions they hardly raised): they fall short of the two consultations a year in that year.
LAGGING = {5: (760, OLDEST_STORY), 8: (700, OLDEST_STORY), 3: (330, 640)}
LAGGING_WEIGHT = 0.05

SOURCE_WEIGHTS = {
    Source.RESIDENT: 45,
    Source.MEMBER: 12,
    Source.GOVERNMENT: 9,
    Source.GRID: 13,
    Source.OFFLINE: 12,
    Source.HOTLINE: 9,
}
# How staff-recorded matters begin; a few words only, so that they do not make unrelated
# submissions look alike to the duplicate finder.
SOURCE_LEADS = {
    Source.MEMBER: ("委员走访了解到：", "委员调研发现：", ""),
    Source.GOVERNMENT: ("请组织协商：", "按照工作安排，请就此组织协商："),
    Source.GRID: ("网格员巡查发现：", "网格员入户时群众反映："),
    Source.OFFLINE: ("民情恳谈日上村民提出：", "村民说事会上群众反映：", "议事室接待日群众反映："),
    Source.HOTLINE: ("12345热线近三个月接到相关诉求{count}件：",),
}

# The steps after "submit" that lead to each outcome.
_TOPIC_STEPS = ("accept", "draft", "verify", "send")
CHAINS = {
    "submitted": (),
    "accepted": ("accept",),
    "draft": ("accept", "draft"),
    "verified": ("accept", "draft", "verify"),
    "pending": _TOPIC_STEPS,
    "returned": (*_TOPIC_STEPS, "return"),
    "approved": (*_TOPIC_STEPS, "approve"),
    "approved_after_return": (*_TOPIC_STEPS, "return", "resend", "approve"),
    "rejected": (*_TOPIC_STEPS, "reject"),
}
# Days between a step and the one before it.
GAPS = {
    "accept": (1, 6),
    "exclude": (1, 8),
    "reopen": (1, 5),
    "merge": (1, 5),
    "draft": (3, 25),
    "verify": (2, 12),
    "send": (1, 10),
    "approve": (2, 15),
    "reject": (2, 15),
    "return": (2, 15),
    "resend": (4, 20),
}
DECISIONS = ("approve", "reject", "return")  # steps named after the decision they record

ACCEPT_REPLIES = (
    "您反映的问题已受理，我们将会同村（居）委会到现场核实，请留意本页的进展。",
    "已受理。网格员将在一周内上门了解具体情况。",
)
HANDLED_DIRECTLY_REPLY = "经研究，该问题由村（居）委会直接办理，不再另行组织协商，办理结果将在村务公开栏公布。"
DRAFT_REPLY = "您反映的问题已拟定为协商议题，报同级党组织审定后将组织协商，欢迎届时参加。"
APPROVED_REPLY = "议题已审定通过，协商会的时间和地点确定后将在公开栏和本页通知。"
MERGED_REPLY = "您反映的问题与此前群众反映的事项相同，已合并办理，进展请见本页。"
REJECT_NOTES = (
    "该事项已列入主管部门年度计划，由主管部门直接办理，不再另行协商。",
    "涉及资金和审批权限超出本级范围，建议通过人大代表建议或政协提案渠道反映。",
    "经研究，该事项属于少数住户之间的矛盾，建议由人民调解委员会调解。",
)
RETURN_NOTES = (
    "背景情况不够具体，请补充涉及的户数和现场照片后再报。",
    "请补充相关部门的意见后再报。",
    "请核实是否涉及相邻村（社区），明确召集层级后再报。",
)
APPROVE_NOTES = ("", "同意列为协商议题，请做好商前调研。", "同意。请邀请相关部门和利益相关群众参加。")
FINDINGS = (
    "到现场查看，反映情况属实；走访群众{count}户，多数希望尽快解决。",
    "现场核实属实，已拍照留存；与村（居）委会和相关部门初步沟通，具备协商条件。",
    "查阅相关资料并走访{count}户群众，问题确实存在，群众意见比较集中。",
)
SMALL_CUT_REASONS = (
    "问题具体、范围明确，涉及约{count}户群众，解决办法在本级职责范围内。",
    "群众反映集中，切口小、见效快，能带动同类问题的解决。",
    "",
)


@dataclass
class _Story:
    """One submission and what happens to it; filled in as its steps are played."""

    village: Region
    matter: Matter
    create: dict  # the arguments of submission_create
    steps: dict[str, int] = field(default_factory=dict)  # step → age in days
    replies: dict[str, str] = field(default_factory=dict)
    regions: list[Region] = field(default_factory=list)
    topic_title: str = ""
    background: str = ""
    platform: Platform | None = None
    exclusion: tuple[str, str] = ("", "")
    reopen_note: str = ""
    decision_notes: dict[str, str] = field(default_factory=dict)
    merge_into: "_Story | None" = None
    submission: Submission | None = None
    topic: Topic | None = None


@dataclass
class DemoTopics:
    """What ``build_demo_topics`` made: counts by status, and the planted (later, earlier) duplicates."""

    counts: dict
    duplicate_pairs: list[tuple[int, int]]


def build_demo_topics(*, stdout=None) -> DemoTopics:
    """Add the history of submissions and topics to the demo district built by ``build_demo_district``.

    Runs in one transaction and writes through the topic services only. Returns the counts by
    status and the planted duplicate pairs.
    """
    with transaction.atomic():
        history = _History(stdout)
        history.plan()
        history.play()
        return DemoTopics(history.counts(), demo_duplicate_pairs())


def demo_duplicate_pairs() -> list[tuple[int, int]]:
    """(later submission id, earlier submission id) for each planted duplicate in the demo district."""
    district_path = Region.objects.get(code=district.DISTRICT_CODE).path
    titles = [m.title for d in DUPLICATES.values() for m in (d.original, *d.copies)]
    ids = dict(
        Submission.objects.filter(region__path__startswith=district_path, title__in=titles).values_list("title", "pk")
    )
    return [(ids[copy.title], ids[d.original.title]) for d in DUPLICATES.values() for copy in d.copies]


# Everything the services stamp with the current time; moved back to the planned moment after each step.
_STAMPED_MODELS = (Submission, Topic, Reply, Verification, TopicSupport)
_SAVED_UID = "shangliang.demo.topics.saved"


def _time_fields(model) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if isinstance(f, models.DateTimeField)]


class _History:
    """Plans every step of every story at a day in the past, then plays them in the order of those days."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.names = NameSource(self.rng)
        self.today = timezone.localdate()
        self.started = timezone.now()
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.themes: dict[int, set[str]] = defaultdict(set)
        tables = [*_STAMPED_MODELS, *(m.history.model for m in _STAMPED_MODELS if hasattr(m, "history"))]
        self.stamped = {model: _time_fields(model) for model in tables}
        self.saved: dict[tuple[type, int], models.Model] = {}
        self.load()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    # --- the district as built ------------------------------------------------------------

    def load(self) -> None:
        self.district = Region.objects.get(code=district.DISTRICT_CODE)
        self.townships = list(Region.objects.filter(parent=self.district).order_by("code"))
        self.villages: dict[int, list[Region]] = defaultdict(list)
        for village in Region.objects.filter(level=RegionLevel.VILLAGE, parent__in=self.townships).order_by("code"):
            self.villages[village.parent_id].append(village)
        self.grids: dict[int, list[Region]] = defaultdict(list)
        for grid in Region.objects.filter(level=RegionLevel.GRID, path__startswith=self.district.path).order_by("pk"):
            self.grids[grid.parent_id].append(grid)
        platforms = Platform.objects.filter(region__path__startswith=self.district.path).order_by("pk")
        self.rooms = {
            p.region_id: p for p in platforms if p.kind in (PlatformKind.VILLAGE_ROOM, PlatformKind.TOWNSHIP_ROOM)
        }
        self.studios = {p.name: p for p in platforms if p.kind == PlatformKind.MEMBER_STUDIO}
        self.cppcc_platforms = {p.pk for p in platforms if p.kind in CPPCC_PLATFORM_KINDS}
        self.units = {u.name: u for u in Unit.objects.filter(region=self.district)}
        self.governments = {
            u.region_id: u for u in Unit.objects.filter(kind=UnitKind.TOWNSHIP_GOVERNMENT, region__in=self.townships)
        }
        self.members: dict[int, list] = defaultdict(list)
        assignments = MemberAssignment.objects.filter(
            platform__kind=PlatformKind.TOWNSHIP_ROOM, platform__region__in=self.townships, ended_on__isnull=True
        ).select_related("member__user", "platform")
        for assignment in assignments.order_by("member_id"):
            self.members[assignment.platform.region_id].append(assignment.member)
        self.users = {u.username: u for u in get_user_model().objects.filter(username__in=district.DEMO_USERNAMES)}
        self.demo_member = Member.objects.get(user=self.users["member"])
        self.categories = {c.name: c for c in Category.objects.all()}
        self.first = self.townships[0]
        first_villages = self.villages[self.first.pk]
        self.screeners = {
            first_villages[0].pk: self.users["convener"],
            first_villages[1].pk: self.users["convener2"],
        }
        self.approvers = {
            first_villages[0].pk: self.users["secretary"],
            self.first.pk: self.users["township_party"],
            self.district.pk: self.users["district_party"],
        }

    def village(self, township: int, index: int) -> Region:
        return self.villages[self.townships[township].pk][index]

    def screener(self, village: Region):
        if village.pk in self.screeners:
            return self.screeners[village.pk]
        return self.users["station"] if village.parent_id == self.first.pk else self.users["admin"]

    def drafter(self, regions: list[Region]):
        if len({r.pk for r in regions}) == 1:
            return self.screener(regions[0])
        if all(r.parent_id == self.first.pk for r in regions):
            return self.users["station"]
        return self.users["admin"]

    def approver(self, topic: Topic):
        if topic.platform_id in self.cppcc_platforms:
            return self.users["cppcc"]
        return self.approvers.get(topic.convening_region_id, self.users["admin"])

    # --- time -----------------------------------------------------------------------------

    def moment(self, age: int, *, staff: bool) -> datetime:
        day = self.today - timedelta(days=age)
        hour = self.rng.randint(8, 17) if staff else self.rng.randint(7, 21)
        return timezone.make_aware(datetime.combine(day, time(hour, self.rng.randrange(60))))

    def gap(self, step: str) -> int:
        return self.rng.randint(*GAPS[step])

    def schedule(self, story: _Story, steps: list[tuple[str, int]]) -> None:
        for step, age in steps:
            if age < 1:
                raise ValueError(f"{story.matter.title}: {step} would fall on or after today")
            story.steps[step] = age
            when = self.moment(age, staff=step not in ("submit", "support"))
            self.steps.append((when, len(self.steps), lambda story=story, step=step: self.run(story, step)))

    def forward(self, story: _Story, goal: str, start: int) -> None:
        """Play the chain towards ``goal`` from the submission day; stop where today is reached."""
        steps, age = [("submit", start)], start
        for step in CHAINS[goal]:
            age -= self.gap(step)
            if age < 1:
                break
            steps.append((step, age))
        self.schedule(story, steps)

    def backward(self, story: _Story, goal: str, end: int) -> None:
        """Place the chain towards ``goal`` so that its last step falls ``end`` days ago."""
        names = ["submit", *CHAINS[goal]]
        ages = [end]
        for step in reversed(names[1:]):
            ages.append(ages[-1] + self.gap(step))
        self.schedule(story, list(zip(names, reversed(ages), strict=True)))

    # --- stories --------------------------------------------------------------------------

    def story(
        self,
        village: Region,
        matter: Matter,
        *,
        source: str = Source.RESIDENT,
        actor=None,
        named: bool | None = None,
        member=None,
        unit: Unit | None = None,
        platform: Platform | None = None,
        lead: str | None = None,
    ) -> _Story:
        rng = self.rng
        township = self.township_of(village)
        grids = self.grids[village.pk]
        grid = rng.choice(grids)
        content = matter.content.format(
            village=village.name, grid=grid.name, town=township.name.removesuffix("镇").removesuffix("街道")
        )
        if lead is None:
            lead = rng.choice(SOURCE_LEADS.get(source, ("",))).format(count=rng.randint(6, 40))
        recorder = self.screener(village)
        create = {
            "source": source,
            "region": village,
            "category": self.categories[matter.category],
            "title": matter.title,
            "content": lead + content,
            "platform": platform,
        }
        if source == Source.RESIDENT:
            create["actor"] = actor
            if named is None:
                named = actor is not None or rng.random() < 0.35
            if named:
                create["is_anonymous"] = False
                create["submitter_name"] = actor.full_name if actor else self.names.person(self.names.gender(0.5))
                create["submitter_mobile"] = actor.mobile if actor else self.names.mobile()
            if platform is None and village.pk in self.rooms and rng.random() < 0.4:
                create["platform"] = self.rooms[village.pk]
        elif source == Source.MEMBER:
            member = member or rng.choice(self.members[township.pk])
            create["member"] = member
            create["actor"] = member.user or recorder
            create["platform"] = platform or self.rooms[township.pk]
        else:
            create["actor"] = actor or recorder
            if source == Source.GRID:
                create["grid"] = grid
            elif source == Source.GOVERNMENT:
                if unit is None:
                    department = ASSIGNING_DEPARTMENTS.get(matter.category)
                    use_department = department and rng.random() < 0.6
                    unit = self.units[department] if use_department else self.governments[township.pk]
                create["assigning_unit"] = unit
            elif source == Source.OFFLINE and platform is None:
                create["platform"] = self.rooms.get(village.pk) or self.rooms[township.pk]
        self.themes[township.pk].add(matter.theme)
        return _Story(village=village, matter=matter, create=create, regions=[village])

    def topic_plan(
        self,
        story: _Story,
        *,
        regions: list[Region] | None = None,
        title: str = "",
        background: str = "",
        platform: Platform | None = None,
    ) -> None:
        rng = self.rng
        story.regions = regions or [story.village]
        parents = {r.parent_id for r in story.regions}
        if len(story.regions) == 1:
            place = story.village.name
        elif len(parents) == 1:
            place = self.township_of(story.regions[0]).name
        else:
            place = ""
        story.topic_title = title or f"{place}{story.matter.topic or story.matter.title}"
        households = rng.randint(12, 260)
        story.background = background or f"{story.create['content']}经现场核实，涉及群众约{households}户。"
        if platform is not None:
            story.platform = platform
        elif len(parents) == 1:
            key = story.regions[0].pk if len(story.regions) == 1 else story.regions[0].parent_id
            story.platform = self.rooms.get(key)
        story.decision_notes["small_cut"] = rng.choice(SMALL_CUT_REASONS).format(count=households)
        story.decision_notes["findings"] = rng.choice(FINDINGS).format(count=rng.randint(5, 30))
        story.decision_notes["checker"] = self.names.person(self.names.gender(0.5))

    def township_of(self, region: Region) -> Region:
        return next(t for t in self.townships if t.pk == region.parent_id)

    def add_replies(self, story: _Story) -> None:
        """Replies to some of the steps the story reaches; a rejection is explained more often than not."""
        rng = self.rng
        reached = story.steps
        if "merge" in reached and rng.random() < 0.5:
            story.replies["merge"] = MERGED_REPLY
        if "accept" in reached and rng.random() < 0.3:
            story.replies["accept"] = rng.choice(ACCEPT_REPLIES)
        if "draft" in reached and rng.random() < 0.3:
            story.replies["draft"] = DRAFT_REPLY
        if "approve" in reached and rng.random() < 0.3:
            story.replies["approve"] = APPROVED_REPLY
        if "reject" in reached and rng.random() < 0.6:
            story.replies["reject"] = "经同级党组织审定，该事项暂不列为协商议题。" + story.decision_notes["reject"]

    def decisions(self, story: _Story) -> None:
        story.decision_notes["approve"] = self.rng.choice(APPROVE_NOTES)
        story.decision_notes["reject"] = self.rng.choice(REJECT_NOTES)
        story.decision_notes["return"] = self.rng.choice(RETURN_NOTES)

    def topic_story(self, story: _Story, goal: str, *, end: int | None = None, start: int | None = None, **plan):
        self.topic_plan(story, **plan)
        self.decisions(story)
        if end is not None:
            self.backward(story, goal, end)
        else:
            self.forward(story, goal, start)
        return story

    def merge(self, copy: _Story, into: _Story, *, submitted: int, merged: int) -> _Story:
        copy.merge_into = into
        self.schedule(copy, [("submit", submitted), ("merge", merged)])
        return copy

    def support(self, story: _Story, *, days_after: int) -> None:
        self.schedule(story, [("support", story.steps["approve"] - days_after)])

    # --- the plan -------------------------------------------------------------------------

    def plan(self) -> None:
        self.plan_first_township()
        self.plan_source_topics()
        self.plan_duplicates()
        self.plan_exclusions()
        self.plan_generic(GENERIC_STORIES)

    def plan_first_township(self) -> None:
        """What the demo accounts of 青石镇 find in their queues."""
        v = self.villages[self.first.pk]
        resident = self.users["resident"]
        ebike = DUPLICATES["ebike"]
        # 集镇电动车乱停放: three submissions, one topic for the town seat and two villages next to
        # it, waiting for the township party committee.
        a = self.topic_story(
            self.story(v[0], ebike.original),
            "pending",
            end=6,
            regions=[v[0], v[2], v[3]],
            title="集镇电动车乱停放",
            background=(
                "集镇主街、农贸市场和超市门口电动车乱停乱放，占用人行道和盲道，赶集日尤为突出。"
                f"群众通过线上、网格和热线多次反映，涉及{v[0].name}和{v[2].name}、{v[3].name}两个村的赶集群众。"
                "经联络站会同城管中队现场核实，主街约1.2公里内没有划定非机动车停放区。"
            ),
        )
        self.merge(self.story(v[2], ebike.copies[0]), a, submitted=a.steps["submit"] - 4, merged=a.steps["submit"] - 6)
        self.merge(
            self.story(v[0], ebike.copies[1], actor=resident),
            a,
            submitted=a.steps["submit"] - 9,
            merged=a.steps["submit"] - 10,
        )
        # A village topic waiting for the village party secretary.
        elevator = Matter(
            "elevator",
            "住房保障",
            "3号楼老人多，爬楼太难，希望加装电梯",
            "{village}{grid}3号楼建于1996年，六层无电梯，住户中70岁以上老人有十一位，多数住户同意分摊费用，希望社区牵头申请加装电梯。",
            URBAN,
            "老旧小区加装电梯",
        )
        self.topic_story(self.story(v[0], elevator, named=True), "pending", end=4)
        # Returned by the township party committee: the station has to complete it.
        market = Matter(
            "market",
            "停车与交通秩序",
            "早市摊位占到马路上，周边经常堵车",
            "每天早上六点到九点，{village}农贸市场周边的摊贩把摊位摆到马路上，周边几个村来赶早市的车辆也停在路边，经常堵到公交站。",
            URBAN,
            "农贸市场周边秩序",
        )
        returned = self.story(v[0], market, source=Source.GRID)
        self.topic_story(returned, "returned", end=12, regions=[v[0], v[4]])
        returned.decision_notes["return"] = "请补充市场监管所和城管中队的意见，并说明周边几个村的摊贩来源。"
        # Drafts: one verified and ready to send, one just started.
        children = Matter(
            "children",
            "教育",
            "留守儿童暑期和课后无人看护",
            "{village}外出务工家庭多，暑假和放学后孩子多由老人看护，存在溺水、交通等安全隐患，建议依托村党群服务中心开设托管班，招募大学生志愿者。",
            RURAL,
            "留守儿童托管",
        )
        member = self.demo_member
        self.topic_story(
            self.story(v[1], children, source=Source.MEMBER, member=member, lead="委员走访了解到："), "verified", end=3
        )
        pond = Matter(
            "river",
            "农业生产",
            "山塘多年没清淤，蓄水不足",
            "{village}{grid}的山塘十几年没清淤，蓄水量不到原来一半，塘坝还有渗漏，下游几十亩田靠它灌溉。",
            RURAL,
            "山塘清淤加固",
        )
        self.topic_story(self.story(v[5], pond, source=Source.OFFLINE), "draft", end=2)
        # An open submission and a later one in other words, both still waiting.
        light = DUPLICATES["streetlight"]
        original = self.story(v[1], light.original, source=Source.GRID)
        self.backward(original, "accepted", 16)
        copy = self.story(v[1], light.copies[0])
        self.schedule(copy, [("submit", 2)])
        # Accepted, waiting to be drafted.
        crossing = Matter(
            "crossing",
            "停车与交通秩序",
            "法庭门口路口绿灯太短，老人过马路来不及",
            "区法院{town}法庭门口的路口，行人绿灯只有十几秒，老人过马路走到一半就变灯了，很危险。",
            URBAN,
        )
        self.backward(self.story(v[0], crossing), "accepted", 11)
        bus = Matter(
            "bus",
            "道路桥梁",
            "到集镇的班车太少，早上赶不上趟",
            "{village}到集镇只有早上七点一班车，老人赶集、看病很不方便，希望增开班次或开通预约公交。",
            RURAL,
        )
        self.backward(self.story(v[6], bus, source=Source.HOTLINE), "accepted", 9)
        # Waiting for screening: a dispute already in court (the hints flag it), a member's idea.
        lawsuit = Matter(
            "",
            "住房保障",
            "邻居占了我家宅基地，已经向法院起诉了",
            "邻居盖房时多占了我家半米宅基地，我已经向法院起诉，但判决要等很久，希望村里先出面协商让他拆掉。",
            RURAL,
        )
        self.schedule(self.story(v[7], lawsuit, named=True), [("submit", 1)])
        tea = Matter(
            "sales",
            "就业与收入",
            "高山茶品牌小、卖不上价",
            "{village}高山茶品质不错，但都是散户零卖，没有品牌，卖不上价，建议由村集体牵头成立合作社，统一品牌和包装。",
            RURAL,
        )
        self.schedule(
            self.story(v[8], tea, source=Source.MEMBER, member=member, lead="委员调研发现："), [("submit", 3)]
        )
        # Excluded by mistake, put back and accepted.
        hall = Matter(
            "culture",
            "文化体育",
            "文化礼堂年久失修，漏雨严重",
            "{village}文化礼堂是村里办活动、开会的地方，屋顶漏雨、电线老化，去年冬天起就不敢用了。",
            RURAL,
        )
        reopened = self.story(v[9], hall, source=Source.OFFLINE)
        reopened.exclusion = (ExclusionReason.UNSUITABLE, "属于村级工程维修事项，建议由村委会按程序直接办理。")
        reopened.reopen_note = "经复查，文化礼堂修缮需要村民共同商议筹资方案，属于村级公共事务，重新筛查。"
        self.schedule(reopened, [("submit", 45), ("exclude", 40), ("reopen", 37), ("accept", 35)])
        # The resident's own submissions: one on the board, one waiting, one answered elsewhere.
        meal = Matter(
            "meal",
            "养老服务",
            "社区独居老人多，希望开个老年食堂",
            "{village}独居和高龄老人有一百多位，子女白天上班，老人午饭常常凑合，希望在社区开个老年食堂，价格实惠一点。",
            URBAN,
            "养老助餐点建设",
        )
        dining = self.topic_story(self.story(v[0], meal, actor=resident), "approved", end=150)
        dining.replies["approve"] = APPROVED_REPLY
        self.support(dining, days_after=3)
        clinic = Matter(
            "clinic",
            "医疗卫生",
            "社区卫生服务站周末不开门",
            "{village}卫生服务站周末和晚上都不开门，孩子半夜发烧只能打车去城里医院。",
            URBAN,
        )
        self.schedule(self.story(v[0], clinic, actor=resident), [("submit", 1)])
        housing = Matter(
            "",
            "住房保障",
            "我的公租房申请为什么没通过",
            "我去年申请公租房，镇里答复说家庭收入超过标准，我觉得算得不对，希望拿到议事会上讨论。",
            URBAN,
        )
        answered = self.story(v[0], housing, actor=resident)
        answered.exclusion = (
            ExclusionReason.ANSWERED,
            "您的公租房申请属于个人事项，镇住房保障办已于去年作出书面答复；"
            "如对收入核定有异议，可持相关材料向区住房和城乡建设局申请复核。",
        )
        answered.replies["exclude"] = "已电话联系您，说明了申请复核需要准备的材料，有问题可以随时到社区咨询。"
        self.schedule(answered, [("submit", 210), ("exclude", 207)])
        # An older village topic of the second convener, approved by the administrator (the village
        # has no approver account), which the resident supports.
        farm_road = next(m for m in GENERIC_MATTERS if m.theme == "farm_road")
        road = self.topic_story(self.story(v[1], farm_road, source=Source.OFFLINE), "approved", end=300)
        self.support(road, days_after=12)

    def plan_source_topics(self) -> None:
        """The consultations named in the source documents, and topics at the district level."""
        t1, t2, t4, t5, t7, t8 = (self.villages[self.townships[i].pk] for i in (1, 2, 4, 5, 7, 8))
        irrigation = DUPLICATES["irrigation"]
        spring = self.story(t1[1], irrigation.original, source=Source.MEMBER)
        self.topic_story(
            spring,
            "approved",
            end=296,
            regions=[t1[1], t1[2], t1[3]],
            title="破解春耕生产用水难",
            background=(
                f"{t1[1].name}、{t1[2].name}、{t1[3].name}的灌溉渠系建于上世纪七十年代，渠身开裂、淤堵，"
                "末端农田春耕时放不进水，涉及水田约两千三百亩。委员调研建议由镇政府牵头、区水利局和区农业农村局"
                "参加，商定渠系修复和用水轮灌办法。"
            ),
            platform=self.studios["乡村振兴委员工作室"],
        )
        self.merge(
            self.story(t1[2], irrigation.copies[0], source=Source.GRID),
            spring,
            submitted=spring.steps["submit"] - 3,
            merged=spring.steps["submit"] - 5,
        )
        self.support(spring, days_after=6)

        red_houses = Matter(
            "heritage",
            "文化体育",
            "红房子片区老建筑缺乏保护，损毁严重",
            "{town}红房子片区保留着一批上世纪五六十年代的红砖建筑，未开发区域缺乏保护，有的被拆改、有的漏雨坍塌，"
            "请组织协商，统筹保护与文旅开发。",
            RURAL,
        )
        self.topic_story(
            self.story(t4[2], red_houses, source=Source.GOVERNMENT, unit=self.units["区文化和广电旅游体育局"]),
            "approved",
            end=620,
            regions=[t4[1], t4[2]],
            title="加强红房子未开发区保护，促进文旅产业发展",
        )

        children = Matter(
            "youth",
            "教育",
            "社区孩子近视、肥胖多，课后缺少运动场所",
            "{village}等社区中小学生近视率和肥胖率偏高，放学后缺少安全的运动场所，家长普遍关心。"
            "建议整合学校操场、社区场地开展课后活动，并开展健康筛查。",
            URBAN,
        )
        self.topic_story(
            self.story(t2[0], children, source=Source.MEMBER, lead="委员调研发现："),
            "approved",
            end=480,
            regions=[t2[0], t2[1]],
            title="关爱少年儿童，呵护健康成长",
            platform=self.studios["健康服务委员工作室"],
        )

        sanitation = Matter(
            "sanitation",
            "环境卫生",
            "农村环境卫生长效管理机制不健全",
            "部分村保洁员配备不足、垃圾收运不及时，整治后反弹明显，请双溪镇、梅山乡选取试点村，协商建立环境卫生长效管理机制。",
            RURAL,
        )
        rural = self.topic_story(
            self.story(t7[1], sanitation, source=Source.GOVERNMENT, unit=self.units["区农业农村局"]),
            "approved",
            end=700,
            regions=[t7[1], t7[2], t8[0], t8[1]],
            title="农村环境卫生管理",
        )
        self.support(rural, days_after=20)

        river = Matter(
            "river",
            "生态环境",
            "白沙河沿岸垃圾多、河水发臭",
            "{village}段白沙河沿岸堆放生活垃圾，部分排污口直排，夏天河水发臭。白沙河流经白沙、云溪两个街道，需要两边一起治理。",
            URBAN,
        )
        t3 = self.villages[self.townships[3].pk]
        self.topic_story(
            self.story(t2[5], river, source=Source.OFFLINE),
            "approved",
            end=420,
            regions=[t2[5], t3[6]],
            title="白沙河流域综合整治",
        )

        bus = Matter(
            "bus",
            "道路桥梁",
            "偏远村到城区没有直达公交，换乘要两次",
            "{village}到城区没有直达公交，要先到镇上再换乘两次，单程两个小时，相邻的梅山乡几个村也是这样。",
            RURAL,
        )
        self.topic_story(
            self.story(t5[6], bus, source=Source.HOTLINE),
            "pending",
            end=8,
            regions=[t5[6], t8[6]],
            title="城乡公交延伸至偏远村",
        )

        drugs = Matter(
            "clinic",
            "医疗卫生",
            "社区卫生服务站慢病常用药经常断供",
            "高血压、糖尿病患者反映，{village}卫生服务站部分慢病常用药经常断供，只能去城区医院开药，"
            "建议扩大基层慢病用药目录并建立缺药登记。",
            URBAN,
            "慢病常用药保障",
        )
        self.topic_story(
            self.story(t2[3], drugs, source=Source.MEMBER, lead="委员走访了解到："),
            "pending",
            end=5,
            platform=self.studios["健康服务委员工作室"],
        )

    def plan_duplicates(self) -> None:
        # (key, township, village of the original, village of the copy, the original's goal and the
        # age of its last step, whether its topic covers both villages, copy source or "" for a resident)
        placements = (
            ("garbage", 3, 0, 0, "approved", 200, False, ""),
            ("elevator", 6, 0, 0, "approved", 350, False, ""),
            ("water", 8, 2, 3, "approved", 150, True, ""),
            ("market", 4, 0, 0, "rejected", 260, False, ""),
            ("river", 7, 4, 5, "approved", 540, True, Source.GRID),
            ("parking", 2, 4, 4, "approved", 90, False, ""),
            ("children", 5, 1, 1, "accepted", 40, False, ""),
            ("meal", 1, 7, 7, "approved", 800, False, ""),
            ("noise", 3, 4, 4, "returned", 15, False, ""),
            ("bus", 1, 5, 6, "approved", 950, True, ""),
            ("express", 4, 5, 6, "accepted", 60, False, ""),
            ("stairlight", 6, 5, 5, "accepted", 10, False, ""),
            ("dump", 7, 6, 6, "approved", 400, False, Source.HOTLINE),
            ("drain", 5, 0, 0, "draft", 20, False, Source.GRID),
        )
        sources = list(SOURCE_WEIGHTS)
        weights = list(SOURCE_WEIGHTS.values())
        for key, township, v_original, v_copy, goal, end, both, copy_source in placements:
            duplicate = DUPLICATES[key]
            first, second = self.village(township, v_original), self.village(township, v_copy)
            source = Source.RESIDENT if copy_source else self.rng.choices(sources, weights)[0]
            original = self.story(first, duplicate.original, source=source)
            if goal == "accepted":
                self.backward(original, goal, end)
            else:
                self.topic_story(original, goal, end=end, regions=[first, second] if both else None)
            copy = self.story(second, duplicate.copies[0], source=copy_source or Source.RESIDENT)
            if key == "stairlight":
                # The resident tried again while the first one waits: both are open for the screener.
                self.schedule(copy, [("submit", self.rng.randint(1, 5))])
            else:
                submitted = max(original.steps["submit"] - self.rng.randint(2, 20), 3)
                self.merge(copy, original, submitted=submitted, merged=submitted - self.rng.randint(1, 2))
            self.add_replies(copy)
            self.add_replies(original)

    def plan_exclusions(self) -> None:
        rng = self.rng
        first_township = {ExclusionReason.ACCUSATION, ExclusionReason.DISCIPLINE}
        for reason, matter, note in EXCLUSIONS:
            if reason in first_township and matter.where == RURAL:
                township = self.first
                first_township.discard(reason)
            else:
                township = rng.choice([t for t in self.townships[1:] if self.has_village_for(t, matter)])
            village = self.pick_village(township, matter)
            named = reason == ExclusionReason.ACCUSATION or rng.random() < 0.4
            source = Source.RESIDENT if rng.random() < 0.75 else rng.choice([Source.HOTLINE, Source.OFFLINE])
            story = self.story(village, matter, source=source, named=named if source == Source.RESIDENT else None)
            story.exclusion = (reason, note)
            start = rng.randint(20, 1000)
            self.schedule(story, [("submit", start), ("exclude", start - self.gap("exclude"))])

    def open_matters(self, township: Region) -> list[Matter]:
        """Matters whose theme the township has not raised yet, and that fit one of its villages."""
        used = self.themes[township.pk]
        return [m for m in GENERIC_MATTERS if m.theme not in used and self.has_village_for(township, m)]

    def has_village_for(self, township: Region, matter: Matter) -> bool:
        return any(self.fits(v, matter) for v in self.villages[township.pk])

    def pick_village(self, township: Region, matter: Matter) -> Region:
        villages = [v for v in self.villages[township.pk] if self.fits(v, matter)]
        return self.rng.choice(villages)

    @staticmethod
    def fits(village: Region, matter: Matter) -> bool:
        if matter.where == RURAL:
            return village.name.endswith("村")
        if matter.where == URBAN:
            return village.name.endswith("社区")
        return True

    def plan_generic(self, count: int) -> None:
        rng = self.rng
        sources, source_weights = list(SOURCE_WEIGHTS), list(SOURCE_WEIGHTS.values())
        for _ in range(count):
            # Most of the history is settled; the last weeks fill the screening queues.
            share = rng.random()
            if share < 0.08:
                start = rng.randint(1, 14)
            elif share < 0.22:
                start = rng.randint(15, 120)
            else:
                start = rng.randint(121, OLDEST_STORY)
            open_matters = {t.pk: self.open_matters(t) for t in self.townships}
            townships = [t for t in self.townships if open_matters[t.pk]]
            # The demo accounts work in the first township, so it gets more than its share.
            township = rng.choices(townships, [self.township_weight(t, start) for t in townships])[0]
            villages = self.villages[township.pk]
            matter = rng.choice(open_matters[township.pk])
            village = self.pick_village(township, matter)
            story = self.story(village, matter, source=rng.choices(sources, source_weights)[0])
            if start > 150:
                goals = {"approved": 78, "approved_after_return": 6, "rejected": 10, "accepted": 6}
            elif start <= 21:
                goals = {"submitted": 55, "accepted": 30, "draft": 15}
            else:
                goals = {
                    "approved": 30,
                    "approved_after_return": 4,
                    "rejected": 6,
                    "pending": 14,
                    "returned": 8,
                    "verified": 8,
                    "draft": 8,
                    "accepted": 22,
                }
            goal = rng.choices(list(goals), list(goals.values()))[0]
            regions = None
            if goal != "accepted" and rng.random() < 0.2:
                siblings = [v for v in villages if v.pk != village.pk]
                regions = [village, *rng.sample(siblings, rng.randint(1, 2))]
            self.topic_story(story, goal, start=start, regions=regions)
            self.add_replies(story)
            if goal == "accepted" and start > 150 and "accept" in story.steps:
                story.replies["accept"] = HANDLED_DIRECTLY_REPLY

    def township_weight(self, township: Region, start: int) -> float:
        index = self.townships.index(township)
        low, high = LAGGING.get(index, (0, -1))
        if low <= start <= high:
            return LAGGING_WEIGHT
        return 3 if township == self.first else 1

    # --- playing the plan -----------------------------------------------------------------

    def play(self) -> None:
        # Only observes which rows each step saved, so that exactly those are backdated; the steps
        # themselves are plain service calls.
        post_save.connect(self.note_saved, weak=False, dispatch_uid=_SAVED_UID)
        try:
            for when, _order, run in sorted(self.steps, key=lambda step: (step[0], step[1])):
                run()
                self.backdate(when)
        finally:
            post_save.disconnect(dispatch_uid=_SAVED_UID)
        self.say(f"诉求与建议：{Submission.objects.count()} 件，议题：{Topic.objects.count()} 个")

    def note_saved(self, sender, instance, **kwargs) -> None:
        if sender in self.stamped:
            self.saved[(sender, instance.pk)] = instance

    def backdate(self, when: datetime) -> None:
        """Move every time the last step stamped on the rows it saved back to ``when``."""
        for (model, pk), instance in self.saved.items():
            fresh = {
                name: when
                for name in self.stamped[model]
                if getattr(instance, name) is not None and getattr(instance, name) >= self.started
            }
            if fresh:
                model.objects.filter(pk=pk).update(**fresh)
        self.saved.clear()

    def run(self, story: _Story, step: str) -> None:
        """One step, through the service the screener, drafter or approver would use."""
        users = self.users
        submission = story.submission
        actor = self.screener(story.village)
        if step == "submit":
            story.submission = services.submission_create(**story.create).submission
            return
        if step == "accept":
            services.submission_screen(actor=actor, submission=submission, eligible=True)
        elif step == "exclude":
            reason, note = story.exclusion
            services.submission_screen(actor=actor, submission=submission, eligible=False, reason=reason, note=note)
        elif step == "reopen":
            services.submission_reopen(actor=actor, submission=submission, note=story.reopen_note)
        elif step == "merge":
            services.submission_merge(actor=actor, submission=submission, into=story.merge_into.submission)
        elif step == "draft":
            actor = self.drafter(story.regions)
            topic = services.topic_draft_from_submission(actor=actor, submission=submission)
            story.topic = self.update(story, topic, actor, story.background)
        elif step == "verify":
            actor = self.drafter(story.regions)
            self.verify(story, actor, story.decision_notes["findings"], checked=story.steps[step])
        elif step == "send":
            actor = self.drafter(story.regions)
            story.topic = services.topic_submit(actor=actor, topic=story.topic)
        elif step in DECISIONS:
            actor = self.approver(story.topic)
            story.topic = services.topic_decide(
                actor=actor, topic=story.topic, decision=step, note=story.decision_notes[step]
            )
        elif step == "resend":
            actor = self.drafter(story.regions)
            self.update(story, story.topic, actor, story.background + "（已按审定意见补充相关部门意见和现场照片。）")
            self.verify(story, actor, "按审定意见再次核实，补充了相关部门的意见和现场照片。", checked=story.steps[step])
            story.topic = services.topic_submit(actor=actor, topic=story.topic)
        elif step == "support":
            services.topic_support(user=users["resident"], topic=story.topic)
            return
        text = story.replies.get(step)
        if text:
            services.reply_add(actor=actor, submission=submission, text=text)

    def update(self, story: _Story, topic: Topic, actor, background: str) -> Topic:
        category = self.categories[story.matter.category]
        return services.topic_update(
            actor=actor,
            topic=topic,
            title=story.topic_title,
            background=background,
            category=category,
            is_livelihood=category.is_livelihood,
            small_cut_reason=story.decision_notes["small_cut"],
            regions=story.regions,
            platform=story.platform,
        )

    def verify(self, story: _Story, actor, findings: str, *, checked: int) -> None:
        # The administrator stands in for the stations outside the first township.
        station = f"{self.township_of(story.village).name}政协联络站" if actor.is_superuser else actor.full_name
        services.verification_add(
            actor=actor,
            topic=story.topic,
            checked_by=f"{station}、{story.decision_notes['checker']}（网格员）",
            checked_on=self.today - timedelta(days=checked),
            findings=findings,
        )

    # --- summary --------------------------------------------------------------------------

    def counts(self) -> dict:
        submissions = Submission.objects.filter(region__path__startswith=self.district.path)
        topics = Topic.objects.filter(convening_region__path__startswith=self.district.path)
        counts = {"submissions": submissions.count(), "topics": topics.count()}
        by_status = Counter(submissions.values_list("status", flat=True))
        counts |= {f"submissions_{status}": by_status[status] for status in SubmissionStatus.values}
        by_status = Counter(topics.values_list("status", flat=True))
        counts |= {f"topics_{status}": by_status[status] for status in TopicStatus.values}
        return counts
