"""Consultations on the approved topics of the demo district, written through the consultation services.

Four in five of the older approved topics get a consultation (about 135, 120 of them concluded over
three years, as in the source district), and the newest ones carry consultations in every status:
planned (some with nobody picked yet), notified, in session, held with the minutes waiting,
concluded with confirmed minutes, suggestions and explained dissent, and cancelled (one of them
planned again later). Participants come from the candidates
the system proposes, plus the deputies, experts and cadres a convener adds by hand. The demo
accounts of 青石镇 each find work: ``convener`` a topic with candidates still to pick, a session
open online and minutes to confirm; ``station`` a notice out and a consultation ready to notify.

As in ``demo.topics``, every step is planned at a moment in the past and played in the order of
those moments, and whatever a step stamped with the current time is moved back to its moment.
Three things the services do not offer for a history are worked around here, each where it is
needed: notices queued for after the commit are sent at once through a sender that sends nothing
(so they carry their moment and no generated number ever receives a message), an online post is
made with the clock at its moment (``online_post`` checks the window against the clock and takes no
``now=``), and the picks of one consultation are resolved against one list of candidates.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models.signals import post_save
from django.test.utils import override_settings
from django.utils import timezone

from shangliang.accounts.services import resident_register
from shangliang.consultations import selectors, services
from shangliang.consultations.models import (
    AgendaItem,
    AssemblyVote,
    Consultation,
    ConsultationForm,
    Dissent,
    NoticeDelivery,
    NoticeRead,
    OnlinePost,
    Participant,
    Research,
    Statement,
    Suggestion,
)
from shangliang.consultations.states import (
    AFFECTED_CATEGORIES,
    AssemblyBody,
    ConsultationStatus,
    ExplanationOutcome,
    Mode,
    ParticipantCategory,
    Rsvp,
    Stance,
)
from shangliang.core.errors import DomainError
from shangliang.core.models import Notification
from shangliang.core.senders import Result
from shangliang.demo import district
from shangliang.demo.names import NameSource
from shangliang.demo.topics import SOURCE_TOPICS
from shangliang.orgs.models import CommitteeSeat, ConsultationCommittee, Member, Platform, Region
from shangliang.orgs.states import PlatformKind, RegionLevel
from shangliang.topics.models import Submission, Topic
from shangliang.topics.permissions import CPPCC_PLATFORM_KINDS
from shangliang.topics.states import ConveningLevel, TopicStatus

SEED = district.SEED + 2

PLANNED, NOTIFIED, IN_SESSION, HELD, CONCLUDED, CANCELLED = (
    ConsultationStatus.PLANNED,
    ConsultationStatus.NOTIFIED,
    ConsultationStatus.IN_SESSION,
    ConsultationStatus.HELD,
    ConsultationStatus.CONCLUDED,
    ConsultationStatus.CANCELLED,
)
# A consultation planned but with nobody picked yet: the convener still has candidates to choose.
UNPICKED = "unpicked"

AFFECTED = (ParticipantCategory.RESIDENT, ParticipantCategory.STAKEHOLDER, ParticipantCategory.GRID_HEAD)
OFFICIAL = (
    ParticipantCategory.UNIT,
    ParticipantCategory.MEMBER,
    ParticipantCategory.EXPERT,
    ParticipantCategory.DEPUTY,
    ParticipantCategory.TOWNSHIP,
)


@dataclass(frozen=True)
class Talk:
    """What is found, read, said and agreed on a matter of one category.

    ``{place}`` and ``{n}`` in the finding are filled in for the topic; each concern is a dissenting
    view and the explanation the organiser gives afterwards.
    """

    finding: str
    policies: tuple[str, ...]
    suggestions: tuple[str, ...]
    concerns: tuple[tuple[str, str], ...]
    reply: str = ""
    expert: str = "区社会工作服务中心 社工"


TALKS = {
    "教育": Talk(
        "走访{place}家长{n}户，约六成是双职工或外出务工家庭，孩子放学后无人看管、接送困难；"
        "附近可以利用的场地有党群服务中心活动室和学校操场。",
        (
            "《中华人民共和国未成年人保护法》",
            "《中华人民共和国教育法》",
            "《云溪区中小学课后服务实施办法》",
        ),
        (
            "依托党群服务中心开设课后托管点，由区教育局指导，学校教师轮值，周一至周五开放",
            "招募大学生和退休教师志愿者，建立托管志愿者队伍和值班表",
            "托管服务由家长自愿报名，费用按成本收取，困难家庭减免",
            "上下学时段在学校门口增设护学岗，安排专人值守",
        ),
        (
            (
                "托管收费再低也是负担，困难家庭出不起这个钱。",
                "低保和困难家庭的孩子全部免费，费用由村集体和慈善资金兜底。",
            ),
            (
                "志愿者不是专业老师，孩子出了安全问题谁负责？",
                "托管点统一购买意外险，每班至少一名在职教师，志愿者只做辅助。",
            ),
        ),
        "课后服务是今年的民生实事，我们可以协调学校教师轮值，并按学生人数给予补助。",
        "区教师发展中心 教研员",
    ),
    "就业与收入": Talk(
        "调查{place}劳动年龄人口就业情况，走访{n}户，留守妇女和大龄待业人员普遍希望就近就业；"
        "周边两家企业有来料加工和季节性用工需求。",
        ("《中华人民共和国就业促进法》", "《云溪区就业创业扶持资金管理办法》", "《中华人民共和国乡村振兴促进法》"),
        (
            "在党群服务中心设立家门口就业服务站，每月发布一次用工信息",
            "对接周边企业引进来料加工项目，优先吸纳留守妇女和脱贫劳动力",
            "每季度组织一次技能培训，培训合格的按规定发放补贴",
            "盘活闲置集体用房作为加工车间，租金纳入村集体经济收入",
        ),
        (
            (
                "闲置房子租给老板做车间，集体收益怎么分要先说清楚。",
                "租金全部进村集体账户，每季度公开收支，年底由村民代表会议决定用途。",
            ),
            (
                "来料加工计件工资太低，不如出去打工。",
                "计件单价已与企业协商上调，在家门口干活还能照顾家里，是否参加由个人自愿。",
            ),
        ),
        "可以把这里纳入家门口就业服务站建设，提供岗位信息和培训补贴。",
        "区公共就业服务中心 职业指导师",
    ),
    "医疗卫生": Talk(
        "走访{place}慢性病患者和老年人{n}户，卫生室常用药品种不足，周末和晚上不开门；家庭医生签约后上门随访次数偏少。",
        (
            "《中华人民共和国基本医疗卫生与健康促进法》",
            "《关于推进家庭医生签约服务高质量发展的指导意见》",
            "《云溪区村卫生室建设管理办法》",
        ),
        (
            "镇卫生院建立慢病用药缺药登记制度，缺药三日内配送到位",
            "家庭医生团队每月固定一天到村（社区）坐诊，对行动不便的老人上门随访",
            "卫生室周末实行轮值，在门口公布值班电话",
            "高血压、糖尿病常用药目录与城区医院保持一致",
        ),
        (
            ("轮值以后平时看病反而找不到医生了。", "轮值只在周末，工作日坐诊时间不变，排班表在卫生室门口公布。"),
            ("签约了家庭医生也没见上过门，再签有什么用？", "签约团队已调整，每月随访记录在网格群公布，群众可以监督。"),
        ),
        "可以把这里列为家庭医生签约服务提升试点，由镇卫生院组建团队定期下沉。",
        "区人民医院 主任医师",
    ),
    "养老服务": Talk(
        "摸排{place}六十岁以上老人情况，独居和高龄老人{n}位，多数午饭凑合；"
        "党群服务中心一楼有八十平方米闲置用房，可以改造成助餐点。",
        ("《中华人民共和国老年人权益保障法》", "《积极发展老年助餐服务行动方案》", "《云溪区居家养老服务补贴办法》"),
        (
            "利用党群服务中心闲置用房建设老年助餐点，按标准申请建设补助",
            "八十岁以上和困难老人就餐给予补贴，其他老人按成本价就餐",
            "行动不便的老人由志愿者送餐上门",
            "引入有资质的餐饮企业运营，每周公示菜单和价格",
        ),
        (
            ("助餐点离我们组太远，老人走过去不方便。", "第一批先办一个点，同时开通送餐上门，路远的老人登记后送餐。"),
            ("请企业来运营，以后价格会不会越涨越高？", "运营协议约定调价须经村民代表会议同意，并纳入年度考核。"),
        ),
        "符合助餐点建设条件，可以给予一次性建设补助和运营补贴。",
        "区养老服务指导中心 社工",
    ),
    "住房保障": Talk(
        "入户查看{place}相关住房{n}户，墙体开裂、屋面漏雨等问题属实；加装电梯的楼栋多数住户同意，"
        "少数低层住户担心采光和噪音。",
        ("《中华人民共和国民法典》物权编", "《云溪区既有住宅加装电梯实施办法》", "《农村危房改造基本安全技术导则》"),
        (
            "组织房屋安全鉴定，鉴定为C级、D级的纳入改造计划",
            "加装电梯费用按楼层分摊，一楼住户不出资，政府按台给予补助",
            "施工期间安排临时过渡住房，优先保障老人",
            "改造方案和费用分摊表在楼道公示七天，无异议后实施",
        ),
        (
            (
                "我住一楼，装电梯挡光还吵，我不同意。",
                "电梯井采用玻璃幕墙，经测算对一楼采光影响不到一小时，一楼不出资并给予补偿。",
            ),
            (
                "分摊比例对二楼不公平，二楼基本用不上电梯。",
                "楼栋再次协商后，二楼分摊比例由百分之八降为百分之五，差额由高层住户承担。",
            ),
        ),
        "可以纳入今年老旧小区改造和既有住宅加装电梯补助计划。",
        "区房屋安全鉴定所 工程师",
    ),
    "扶弱助困": Talk(
        "排查{place}困难老人和残疾人家庭{n}户，部分房屋门窗漏风、门口有台阶、卫生间没有扶手，冬季取暖主要靠电热毯。",
        ("《中华人民共和国残疾人保障法》", "《中华人民共和国无障碍环境建设法》", "《社会救助暂行办法》"),
        (
            "对困难家庭逐户评估，制定一户一策改造清单",
            "入冬前完成门窗修缮，为独居困难老人配送取暖设备",
            "网格员结对联系困难家庭，寒潮天气每日上门或电话探访",
            "引导社会组织和爱心企业参与，设立帮扶资金",
        ),
        (
            (
                "名单怎么定的？有的人家条件不差也报上去了。",
                "名单按低保、特困和残疾等级确定，在村务公开栏公示七天，接受监督。",
            ),
        ),
        "可以统筹困难群众救助资金，对符合条件的家庭给予改造补助。",
    ),
    "道路桥梁": Talk(
        "实地踏勘{place}相关路段和桥梁，路面破损、没有护栏等问题属实，涉及{n}户群众日常出行；"
        "初步测算了工程量，资金来源和施工时间需要商定。",
        ("《农村公路建设管理办法》", "《公路安全保护条例》", "《云溪区“四好农村路”建设实施方案》"),
        (
            "将项目纳入年度农村公路提升计划，汛期前完工",
            "村内筹资筹劳按“一事一议”办理，标准由村民代表会议讨论确定",
            "急弯和临水路段增设警示标志和波形护栏",
            "成立由村民代表参加的质量监督小组，全程监督施工",
        ),
        (
            (
                "路面拓宽要占我家的自留地，补偿没讲清楚之前我不同意。",
                "占用的自留地按一比一用村集体机动地置换，置换方案在公示栏公示。",
            ),
            ("筹资按户收不合理，路主要是大户的农机在走。", "筹资改为按户和按承包面积各半计算，经营大户多承担一部分。"),
        ),
        "可以安排技术人员现场踏勘，符合条件的按“以奖代补”给予补助。",
        "区交通工程质量监督站 高级工程师",
    ),
    "环境卫生": Talk(
        "巡查{place}垃圾收集点和公共厕所，收集点不足、清运不及时，部分地方垃圾外溢；走访群众{n}户，多数愿意配合分类。",
        (
            "《农村人居环境整治提升五年行动方案（2021—2025年）》",
            "《城市生活垃圾管理办法》",
            "《云溪区生活垃圾分类管理办法》",
        ),
        (
            "增设垃圾分类投放点并安排督导员，早晚高峰定时督导",
            "调整清运线路和频次，做到日产日清",
            "公共厕所实行专人保洁，每日保洁不少于两次",
            "将门前三包和垃圾分类写入村规民约，每季度评选“美丽庭院”",
        ),
        (
            (
                "投放点设在我家门口，气味太大，我不同意。",
                "投放点采用密闭箱体、每日清洗消毒，位置向外移五米，并与住户签订管护约定。",
            ),
            ("保洁费每户每年都要收，老人户负担不起。", "低保户、特困户和八十岁以上老人户免收保洁费，收支每季度公开。"),
        ),
        "可以调整清运频次，并给予分类设施补助。",
    ),
    "停车与交通秩序": Talk(
        "早晚高峰在{place}现场观察，机动车和电动车乱停放突出，人行道和消防通道被占；"
        "统计周边空地和路边泊位，约可新增车位{n}个。",
        (
            "《中华人民共和国道路交通安全法》",
            "《电动自行车安全技术规范》（GB 17761—2018）",
            "《云溪区电动自行车停放管理办法》",
        ),
        (
            "在主要路段施划非机动车停放区，增设停车指引标志",
            "利用闲置空地建设临时停车场，实行错时共享停车",
            "消防通道施划禁停标线，社区联合交警开展劝导",
            "上下学高峰设置即停即走区，安排志愿者疏导",
        ),
        (
            ("划了停车区门口就不让停，我们做生意的顾客少了。", "店铺门口保留临时停靠位，限停十五分钟，方便顾客购物。"),
            ("占用空地建停车场，孩子们玩的地方就没了。", "停车场只占空地东侧，西侧保留儿童活动区并加装隔离护栏。"),
        ),
        "可以会同交警部门施划停车区，城管中队定期巡查。",
        "区交通工程质量监督站 工程师",
    ),
    "生态环境": Talk(
        "沿{place}河道和池塘踏勘，发现排污口{n}处，淤积严重，夏季有异味；查阅近年水质监测数据，部分指标超标。",
        ("《中华人民共和国水污染防治法》", "《关于全面推行河长制的意见》", "《云溪区河道管理办法》"),
        (
            "对排污口逐一排查，直排的限期整改",
            "汛期前完成清淤，淤泥检测合格后就近用于农田改良",
            "落实村级河长和保洁员，每周巡河不少于两次",
            "沿河住户生活污水接入管网，暂时接不上的建设小型处理设施",
        ),
        (
            ("清淤的淤泥堆在田边，会不会污染我家的地？", "淤泥检测合格后才用于农田，不合格的统一外运处置。"),
            ("接管要挖我家院子，恢复原状谁负责？", "挖掘部分由施工单位负责恢复原状，施工前拍照留档。"),
        ),
        "可以安排执法人员排查排污口，并协调治理资金。",
        "区环境监测站 工程师",
    ),
    "农业生产": Talk(
        "到{place}田间地头查看，渠道淤堵、机耕路损毁、病虫害各家各户分散防治等问题属实，走访种植户{n}户，意见比较集中。",
        ("《中华人民共和国农业法》", "《农田水利条例》", "《云溪区高标准农田建设管理办法》"),
        (
            "将渠系和机耕路修复纳入高标准农田建设项目",
            "成立用水协会，排定轮灌表，上下游按时放水",
            "由合作社统一开展病虫害统防统治",
            "机耕路修缮采用“一事一议”，村民投工投劳，政府以奖代补",
        ),
        (
            ("轮灌表对下游不公平，每次轮到我们水都不够了。", "下游放水时间延长两小时，并用抗旱水泵补水。"),
            (
                "筹资筹劳按户平摊不合理，田多的人家用得多。",
                "筹资筹劳改为按户和按承包面积结合计算，方案提交村民代表会议表决。",
            ),
        ),
        "可以纳入今年农田基础设施项目，派技术人员现场指导。",
        "区农业技术推广中心 高级农艺师",
    ),
    "公共设施": Talk(
        "实地查看{place}供水、路灯、排水和通信等设施，问题属实；走访群众{n}户，产权单位和管护责任需要一起商定。",
        ("《城镇排水与污水处理条例》", "《城市照明管理规定》", "《云溪区城乡公共设施管护办法》"),
        (
            "明确设施产权和管护责任单位，公布报修电话",
            "损坏设施限期修复，修复情况在公开栏公示",
            "将设施巡查纳入网格员日常巡查，发现问题当天上报",
            "后续改造项目列入年度民生实事，分批实施",
        ),
        (("管护费用摊到每家每户我不同意，这本来是公家的事。", "管护费用由财政和产权单位承担，不向群众收费。"),),
        "可以协调产权单位限期修复，并纳入年度改造计划。",
        "区市政设施管理中心 工程师",
    ),
    "物业管理": Talk(
        "查阅{place}物业服务合同和近两年公共收益台账，走访业主{n}户，楼道保洁、门禁维修不及时，公共收益没有按规定公开。",
        ("《中华人民共和国民法典》物业服务合同编", "《物业管理条例》", "《云溪区住宅小区公共收益管理办法》"),
        (
            "物业公司每季度在公告栏公开公共收益收支明细",
            "制定物业服务清单和报修时限，纳入业主满意度测评",
            "成立业主委员会或物业管理委员会，监督物业服务",
            "公共收益优先用于楼道照明、门禁等公共设施维修",
        ),
        (("物业费要涨我不同意，服务还没改善。", "本次不调整物业费，先按服务清单整改，半年后再组织测评。"),),
        "将督促物业公司按规定公开公共收益，并纳入物业企业信用评价。",
        "云溪区物业管理协会 专家",
    ),
    "文化体育": Talk(
        "查看{place}现有活动场地和设施，场地不足、器材老化问题属实；走访群众{n}户，老人、孩子和文体队伍都有需求。",
        ("《中华人民共和国公共文化服务保障法》", "《全民健身条例》", "《云溪区文化礼堂建设管理办法》"),
        (
            "利用村部旁空地建设文化小广场，配套照明和座椅",
            "更换老化健身器材，设置儿童活动区并铺设防滑地面",
            "制定场地使用公约，晚上九点以后停止使用音响",
            "每年配送文化活动和体育指导进村（社区）",
        ),
        (("广场建在我家房后，晚上太吵影响休息。", "音响晚上九点前关闭，靠住户一侧种植隔音绿化带。"),),
        "可以给予体育器材配送和文化活动场所补助。",
        "区文化馆 副研究馆员",
    ),
    "平安建设": Talk(
        "夜间巡查{place}，监控和照明等技防设施损坏，存在安全隐患；走访群众{n}户，近三个月发生多起盗窃和纠纷。",
        (
            "《关于加强社会治安防控体系建设的意见》",
            "《云溪区“雪亮工程”建设管理办法》",
            "《高层民用建筑消防安全管理规定》",
        ),
        (
            "修复和新增监控点位，接入社区综治中心",
            "组建平安志愿者巡逻队，夜间重点时段巡查",
            "电动车集中停放充电，严禁楼道停放和飞线充电",
            "每季度开展一次防盗防诈宣传",
        ),
        (("监控装在楼道里，侵犯住户隐私。", "监控只覆盖出入口和公共通道，不对着住户家门，录像按规定保存和调取。"),),
        "派出所可以协助评估技防点位，并加强重点时段巡逻。",
    ),
    "政策落实": Talk(
        "查阅{place}惠民政策落实台账，走访群众{n}户，部分群众对补贴标准和办理流程不清楚，老人用手机办理困难。",
        (
            "《中华人民共和国村民委员会组织法》",
            "《关于加强城乡社区协商的意见》",
            "《云溪区惠民惠农财政补贴资金“一卡通”管理办法》",
        ),
        (
            "在村务公开栏和微信群公开补贴标准、发放名单和金额",
            "设立代办点，由网格员为老人代办缴费和补贴申领",
            "每季度开展一次“我说你听”政策宣讲",
            "群众疑问建立台账，十个工作日内答复",
        ),
        (
            (
                "公开名单和金额，家里的情况大家都知道了，有人不愿意。",
                "公开内容只含姓名、面积和金额，不公开身份证号等个人信息。",
            ),
        ),
        "将督促相关部门把补贴标准和流程公开到村，并纳入年度督查。",
    ),
    "其他": Talk(
        "走访{place}群众{n}户，红白喜事大操大办、人情负担重的情况普遍，多数群众希望有统一的标准。",
        ("《中华人民共和国村民委员会组织法》", "《关于进一步推进移风易俗建设文明乡风的指导意见》"),
        (
            "修订村规民约，明确酒席桌数和礼金上限",
            "成立红白理事会，由老党员和乡贤担任理事",
            "文化礼堂作为简办场所，免收场地费",
            "评选文明家庭，对简办户公开表扬",
        ),
        (("礼金定上限管得太宽，这是各家自己的事。", "上限是倡导性标准，不强制，村里通过表扬引导简办。"),),
    ),
}

# The consultations of the source documents say more than their category does.
SOURCE_TALKS = {
    "破解春耕生产用水难": Talk(
        "委员和镇水利员沿三个村的主干渠踏勘，渠身开裂渗漏十一处、淤积约两千米，末端约六百亩水田春耕时放不进水；"
        "走访种植大户和散户{n}户。",
        ("《农田水利条例》", "《中华人民共和国水法》", "《云溪区小型水利工程管理办法》"),
        (
            "由镇政府牵头、区水利局实施主干渠防渗改造，春耕前完成清淤",
            "成立三村联合用水协会，制定轮灌表，上下游按时放水",
            "区农业农村局调剂抗旱水泵三台，保障末端农田应急用水",
            "渠系修复后落实管护员，管护经费纳入村级公益事业补助",
        ),
        (("轮灌表让下游最后放水，每次都赶不上插秧。", "下游首轮优先放水，抗旱水泵补水，轮灌表每年春耕前重新协商。"),),
        "可以把三个村的渠系纳入今年小型水利工程维修养护计划，派技术人员驻点指导。",
        "区水利工程质量监督站 高级工程师",
    ),
    "加强红房子未开发区保护，促进文旅产业发展": Talk(
        "委员和区文化和广电旅游体育局工作人员逐栋查看红房子片区，现存红砖建筑{n}栋，部分屋面漏雨、墙体开裂，个别被私自拆改。",
        ("《中华人民共和国文物保护法》", "《历史文化名城名镇名村保护条例》", "《云溪区历史建筑保护管理办法》"),
        (
            "对片区老建筑逐栋建档，公布历史建筑名录，禁止私自拆改",
            "编制保护与文旅开发规划，原住户可以参与经营",
            "先期修缮屋面漏雨和墙体开裂的建筑，资金由区镇两级分担",
            "引入文旅企业时，村集体以房屋入股，收益按比例分给产权户",
        ),
        (
            (
                "列入名录以后我家的房子就不能翻修了，住着不方便。",
                "名录建筑允许内部改善居住条件，外立面按规划修缮，费用给予补助。",
            ),
        ),
        "可以把红房子片区列入历史建筑保护名录，并指导编制文旅开发规划。",
        "区规划设计研究院 高级工程师",
    ),
    "关爱少年儿童，呵护健康成长": Talk(
        "委员联合社区卫生服务中心对两个社区{n}名中小学生做了视力和体重筛查，近视率和超重率偏高；"
        "放学后能用的运动场地只有学校操场，周末不开放。",
        (
            "《中华人民共和国未成年人保护法》",
            "《综合防控儿童青少年近视实施方案》",
            "《云溪区学校体育场地开放管理办法》",
        ),
        (
            "推动学校操场在放学后和周末向社区学生有序开放",
            "社区卫生服务中心每学期为学生筛查一次视力和体重，建立健康档案",
            "组织委员和医生进社区开展近视防控和营养健康讲座",
            "社区开设“四点半课堂”，安排体育活动",
        ),
        (("学校操场开放了，安全和管理谁负责？", "开放时段由社区安排志愿者值守，学校统一购买场地责任险。"),),
        "支持学校操场错时开放，我们会和社区签订开放协议。",
        "区妇幼保健院 副主任医师",
    ),
    "农村环境卫生管理": Talk(
        "区农业农村局会同双溪镇、梅山乡对四个试点村逐村暗访，保洁员配备不足、垃圾收运不及时，整治后反弹明显；走访群众{n}户。",
        ("《农村人居环境整治提升五年行动方案（2021—2025年）》", "《云溪区农村生活垃圾治理考核办法》"),
        (
            "按每三百人配备一名保洁员，工资由区、镇、村按比例承担",
            "建立“户分类、村收集、镇转运、区处理”的收运体系，每日清运",
            "将环境卫生写入村规民约，每月评比“最美庭院”",
            "每季度暗访一次，结果与村级考核和奖补资金挂钩",
        ),
        (
            (
                "每户每年交三十元保洁费，老人户负担不起。",
                "低保户、特困户免交，八十岁以上老人户减半，保洁费收支每季度公开。",
            ),
        ),
        "可以把四个试点村的经验形成长效管理办法，在全区推广。",
    ),
}

# Forms by the kind of matter; each must exist (the defaults of consultations.defaults).
ONLINE_FORM = "网上协商（云协商）"
RURAL_FORMS = (("居（村）民议事会", 6), ("百姓评政坝坝会", 3), ("基层夜话", 2), ("党员议事会", 1))
URBAN_FORMS = (("居（村）民议事会", 4), ("社区茶馆会议", 2), ("网格协商", 1), ("你说我听", 2))
HOUSING_FORMS = (("小区协商", 3), ("楼栋协商", 2), ("业主协商", 2), ("决策听证会", 1))
TOWNSHIP_FORMS = (("民情恳谈会", 3), ("专题协商会", 2), ("你说我听", 2))

AGENDAS = {
    "default": (
        ("通报议题由来和商前调研情况", 10),
        ("群众代表和利益相关方发言", 30),
        ("职能部门和委员回应", 20),
        ("协商讨论，归纳意见", 20),
    ),
    "你说我听": (("群众代表反映问题", 40), ("职能部门现场答复", 30), ("归纳意见和办理分工", 15)),
    "我说你听": (("政策宣讲和调研情况通报", 30), ("群众提问和意见", 30), ("现场答疑，归纳意见", 20)),
    "百姓评政坝坝会": (("情况通报", 10), ("大家说", 50), ("形成共识", 15)),
    "基层夜话": (("情况通报", 10), ("村民说事", 45), ("职能部门和委员回应", 20), ("形成共识", 15)),
    "决策听证会": (("方案说明", 20), ("听证陈述", 40), ("质询和回应", 30), ("听证意见归纳", 10)),
    "专题协商会": (
        ("委员调研报告", 20),
        ("相关部门情况通报", 15),
        ("专题协商发言", 60),
        ("归纳协商意见", 15),
    ),
    ONLINE_FORM: (("发布议题和商前调研情况", 10), ("网上征集意见", 60), ("部门回应，汇总意见", 20)),
}
AGENDAS["调研协商"] = AGENDAS["专题协商会"]

# Who speaks on an agenda item, by the words of its title: the first match wins.
OPENING_WORDS = ("通报", "说明", "宣讲", "调研报告", "发布")
AFFECTED_WORDS = ("群众", "大家", "村民", "陈述", "反映", "征集", "专题协商发言")
OFFICIAL_WORDS = ("回应", "答复", "质询", "答疑")

RESIDENT_SUPPORT = (
    "这件事大家盼了好几年了，我代表我们组的几户人家表个态：赞成，越快越好。",
    "调研讲的都是实际情况，我赞成按这个方向办。",
    "只要账目公开、过程透明，我们愿意出力配合。",
    "我家就在边上，天天受影响，希望早点定下来、早点动手。",
    "我同意前面几位的意见，关键是办完以后要有人管，不能一阵风。",
)
RESIDENT_QUESTIONS = (
    "资金从哪里来？要不要我们出钱，出多少，要先讲清楚。",
    "施工能不能避开农忙和上下学的时间？",
    "以后谁来管护？不能修好了又没人管。",
    "这个方案什么时候能落地，有没有时间表？",
    "能不能先在一个组试点，效果好了再推开？",
)
ONLINE_OPINIONS = (
    ("支持！希望这次真能解决。", Stance.SUPPORT),
    ("我在外地打工，没法到现场，在网上说两句：希望方案和费用都公开。", Stance.SUGGEST),
    ("方案的细节能不能也在网上公布？方便在外面的人也看看。", Stance.NEUTRAL),
    ("我们楼的老人都赞成，就是担心施工噪音，希望避开午休时间。", Stance.SUGGEST),
    ("建议办理进度每周在群里通报一次。", Stance.SUGGEST),
    ("方案没有照顾到我们这边的情况，我不赞成现在就定。", Stance.OPPOSE),
    ("孩子上学天天经过这里，早就该管管了。", Stance.SUPPORT),
)
ONLINE_REPLY = ("赞成楼上的意见，公开透明最重要。", Stance.SUPPORT)
AD_POST = "专业防水补漏、管道疏通，上门服务，价格实惠，电话{mobile}。"
AD_REASON = "与议题无关的广告信息"

POSTPONED = "因防汛应急响应提升，原定参加人员需参加防汛值守，本次协商取消，汛期过后重新安排。"
CANCEL_REASONS = (
    "经现场复核，区住房和城乡建设局已将该事项列入年度改造计划并开工实施，不再需要协商，议题转为跟踪落实。",
    "涉及的几户群众已在村调解委员会主持下自行达成一致，经召集人与村两委研究，取消本次协商。",
    "因防汛应急响应提升，原定参加人员需参加防汛值守，议题转交镇政府直接办理，本次协商取消。",
)
EXPLAIN_METHODS = ("入户走访", "电话沟通", "个别座谈", "上门解释")

SOCIAL_BY_CATEGORY = {
    "物业管理": "{trade}物业服务有限公司 项目经理",
    "住房保障": "{trade}物业服务有限公司 项目经理",
    "农业生产": "{village}{trade}农机专业合作社 理事长",
    "就业与收入": "{village}{trade}农产品专业合作社 理事长",
    "养老服务": "云溪区{trade}居家养老服务中心 负责人",
    "停车与交通秩序": "{village}商户联合会 会长",
}


@dataclass
class _Plan:
    """One consultation to build and what happens to it; filled in as its steps are played."""

    topic: Topic
    goal: str
    convener: object
    talk: Talk
    form: ConsultationForm
    mode: str
    platform: Platform
    place: str
    agenda: tuple[tuple[str, int], ...]
    starts_at: datetime
    ends_at: datetime
    regions: list[Region] = field(default_factory=list)
    finding: str = ""
    consultation: Consultation | None = None
    dissents: list[tuple[Dissent, str]] = field(default_factory=list)  # each with the explanation to give
    posts: list[OnlinePost] = field(default_factory=list)
    reserved: bool = False  # a dissent stays reserved and goes to the assembly
    cancel_reason: str = ""


def build_demo_consultations(*, stdout=None) -> dict:
    """Add consultations to the approved topics of the demo district built by ``build_demo_topics``.

    Runs in one transaction and writes through the consultation services. Returns the counts.
    """
    with transaction.atomic():
        sessions = _Sessions(stdout)
        sessions.plan()
        sessions.play()
        return sessions.counts()


class DemoSender:
    """Records a demo notice as delivered without sending it: the numbers are generated, not anyone's."""

    def __init__(self, channel: str):
        self.channel = channel

    def send(self, message) -> Result:
        return Result(True, "演示数据，未实际发送")


DEMO_SENDERS = dict.fromkeys(("sms", "wechat"), f"{__name__}.DemoSender")

_STAMPED_MODELS = (
    Consultation,
    AgendaItem,
    Participant,
    Research,
    NoticeDelivery,
    NoticeRead,
    Statement,
    OnlinePost,
    Suggestion,
    Dissent,
    AssemblyVote,
    Notification,
    get_user_model(),
)
# Planned, not stamped: a session in the future keeps its time.
_PLANNED_FIELDS = {"starts_at", "ends_at"}
_SAVED_UID = "shangliang.demo.consultations.saved"


def _time_fields(model) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateTimeField) and f.attname not in _PLANNED_FIELDS
    ]


@contextmanager
def _clock(when: datetime):
    """The online window is checked against the clock and ``online_post`` takes no ``now=``: post at ``when``."""
    with mock.patch("django.utils.timezone.now", return_value=when):
        yield


class _Sessions:
    """Plans every step of every consultation at a moment in the past, then plays them in the order of those moments."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.rng = random.Random(SEED)
        self.names = NameSource(self.rng)
        self.today = timezone.localdate()
        self.started = timezone.now()
        self.limit = timezone.make_aware(datetime.combine(self.today, time()))
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.plans: list[_Plan] = []
        tables = [*_STAMPED_MODELS, *(m.history.model for m in _STAMPED_MODELS if hasattr(m, "history"))]
        self.stamped = {model: _time_fields(model) for model in tables}
        self.saved: dict[tuple[type, int], models.Model] = {}
        self.load()

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message + "\n")

    # --- the district and its topics -------------------------------------------------------

    def load(self) -> None:
        self.district = Region.objects.get(code=district.DISTRICT_CODE)
        self.townships = list(Region.objects.filter(parent=self.district).order_by("code"))
        self.first = self.townships[0]
        first_villages = list(Region.objects.filter(parent=self.first).order_by("code"))
        users = get_user_model().objects.filter(username__in=district.DEMO_USERNAMES)
        self.users = {u.username: u for u in users}
        self.village_conveners = {
            first_villages[0].pk: self.users["convener"],
            first_villages[1].pk: self.users["convener2"],
        }
        platforms = Platform.objects.filter(region__path__startswith=self.district.path).order_by("pk")
        self.rooms = {
            p.region_id: p for p in platforms if p.kind in (PlatformKind.VILLAGE_ROOM, PlatformKind.TOWNSHIP_ROOM)
        }
        self.committees = set(ConsultationCommittee.objects.values_list("region_id", flat=True))
        self.forms = {f.name: f for f in ConsultationForm.objects.filter(is_archived=False)}
        self.demo_member = Member.objects.select_related("sector").get(user=self.users["member"])
        self.demo_township_id = (
            self.demo_member.assignments.filter(ended_on__isnull=True)
            .values_list("platform__region_id", flat=True)
            .first()
        )
        # Generated names must not meet the people the district and the topics already have.
        self.taken_names = set(Member.objects.values_list("name", flat=True))
        self.taken_names |= set(CommitteeSeat.objects.values_list("name", flat=True))
        self.taken_names |= set(get_user_model().objects.values_list("full_name", flat=True))
        self.taken_names |= set(Submission.objects.values_list("submitter_name", flat=True))
        self.taken_mobiles = set(get_user_model().objects.exclude(mobile=None).values_list("mobile", flat=True))
        self.taken_mobiles |= set(Member.objects.values_list("mobile", flat=True))
        self.taken_mobiles |= set(CommitteeSeat.objects.values_list("mobile", flat=True))
        self.taken_mobiles |= set(Submission.objects.values_list("submitter_mobile", flat=True))
        self.topics = list(
            Topic.objects.filter(status=TopicStatus.APPROVED, convening_region__path__startswith=self.district.path)
            .select_related("category", "convening_region", "platform")
            .prefetch_related("regions")
            .order_by("approved_at", "pk")
        )
        self.online_residents: list = []
        self.ad_hidden = False

    def person(self, female_share: float = 0.4) -> str:
        while True:
            name = self.names.person(self.names.gender(female_share))
            if name not in self.taken_names:
                self.taken_names.add(name)
                return name

    def mobile(self) -> str:
        while True:
            number = self.names.mobile()
            if number not in self.taken_mobiles:
                self.taken_mobiles.add(number)
                return number

    def convener_for(self, topic: Topic):
        region = topic.convening_region
        if region.pk in self.village_conveners:
            return self.village_conveners[region.pk]
        if region.path.startswith(self.first.path):
            return self.users["station"]
        return self.users["admin"]

    def township_of(self, topic: Topic) -> Region:
        region = topic.convening_region
        if region.level == RegionLevel.TOWNSHIP:
            return region
        if region.level == RegionLevel.VILLAGE:
            return next(t for t in self.townships if t.pk == region.parent_id)
        return next(t for t in self.townships if t.pk == topic.regions.all()[0].parent_id)

    # --- time -----------------------------------------------------------------------------

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(hour, minute)))

    def office_hours(self, day: date) -> datetime:
        return self.at(day, self.rng.randint(8, 17), self.rng.randrange(60))

    def schedule(self, when: datetime, run: Callable[[], None]) -> None:
        if when >= self.limit:
            raise ValueError(f"a step at {when} would fall on or after today")
        self.steps.append((when, len(self.steps), run))

    # --- the plan -------------------------------------------------------------------------

    def plan(self) -> None:
        goals = self.goals()
        self.plan_online_residents()
        vote_plan = None
        for topic in self.topics:
            goal = goals.get(topic.pk)
            if goal is None:
                continue
            plan = self.plan_one(topic, goal)
            self.plans.append(plan)
            if vote_plan is None and goal == CONCLUDED and self.fits_vote(plan):
                vote_plan = plan
        if vote_plan is not None:
            vote_plan.reserved = True
        # A consultation called off for the flood season is planned again and held a month or two later.
        postponed = next((p for p in self.plans if p.goal == CANCELLED and self.age(p.starts_at) >= 80), None)
        if postponed is not None:
            postponed.cancel_reason = POSTPONED
            later = self.age(postponed.starts_at) - self.rng.randint(30, 50)
            self.plans.append(self.plan_one(postponed.topic, CONCLUDED, session_age=later))
        for plan in self.plans:
            self.schedule_plan(plan, vote=plan is vote_plan)

    def goals(self) -> dict[int, str]:
        """What each topic's consultation comes to; topics left out wait for one in the public pool."""
        goals: dict[int, str] = {}
        newest_first = sorted(self.topics, key=lambda t: (t.approved_at, t.pk), reverse=True)
        by_convener: dict[str, list[Topic]] = defaultdict(list)
        others = []
        for topic in newest_first:
            convener = self.convener_for(topic)
            if convener.username == "admin":
                others.append(topic)
            else:
                by_convener[convener.username].append(topic)
        # The demo accounts of the first township: the newest topics carry the open work.
        patterns = {
            "convener": (UNPICKED, IN_SESSION, HELD, CONCLUDED, CONCLUDED, CONCLUDED),
            "convener2": (CONCLUDED, CONCLUDED),
            "station": (PLANNED, NOTIFIED, None, CONCLUDED, CANCELLED, CONCLUDED),
        }
        for username, topics in by_convener.items():
            pattern = patterns.get(username, ())
            for index, topic in enumerate(topics):
                goal = pattern[index] if index < len(pattern) else self.old_goal(topic)
                if goal:
                    goals[topic.pk] = goal
        recent = (UNPICKED, PLANNED, NOTIFIED, PLANNED, NOTIFIED, IN_SESSION, HELD, HELD)
        for index, topic in enumerate(others):
            if topic.title in SOURCE_TOPICS:
                goals[topic.pk] = CONCLUDED
            elif index < len(recent):
                goals[topic.pk] = recent[index]
            else:
                goal = self.old_goal(topic)
                if goal:
                    goals[topic.pk] = goal
        return goals

    def old_goal(self, topic: Topic) -> str | None:
        """Four in five older topics have been consulted on; a few were called off, the rest still wait."""
        if self.age(topic.approved_at) < 45:
            return None
        draw = self.rng.random()
        if draw < 0.8:
            return CONCLUDED
        if draw < 0.83:
            return CANCELLED
        return None

    def age(self, moment: datetime) -> int:
        return (self.today - timezone.localdate(moment)).days

    def fits_vote(self, plan: _Plan) -> bool:
        """The assembly votes on a village matter that costs the villagers money or work."""
        topic = plan.topic
        return (
            topic.convening_level == ConveningLevel.VILLAGE
            and topic.category.name in ("农业生产", "道路桥梁")
            and plan.convener.username != "admin"
        )

    def plan_online_residents(self) -> None:
        """Residents who registered on the WeChat page and give their views online."""
        for index in range(5):
            name, mobile = self.person(0.5), self.mobile()
            when = self.office_hours(self.today - timedelta(days=1200 - 15 * index))
            self.schedule(when, lambda name=name, mobile=mobile: self.register(name, mobile))

    def register(self, name: str, mobile: str) -> None:
        self.online_residents.append(resident_register(mobile=mobile, password=district.DEMO_PASSWORD, full_name=name))

    def plan_one(self, topic: Topic, goal: str, *, session_age: int | None = None) -> _Plan:
        rng = self.rng
        regions = list(topic.regions.all())
        category = topic.category.name
        talk = SOURCE_TALKS.get(topic.title) or TALKS.get(category) or TALKS["其他"]
        platform = topic.platform or self.rooms.get(topic.convening_region_id) or self.rooms[regions[0].parent_id]
        approved_age = self.age(topic.approved_at)
        if session_age is None:
            session_age = self.session_age(goal, approved_age)
        draw = rng.random()
        if goal == IN_SESSION:
            # A session still open is an online one: its page stays open for a few days.
            mode = Mode.ONLINE
        elif goal == HELD:
            # Closed only days ago: a week-long online window would not have ended yet.
            mode = Mode.HYBRID if draw < 0.25 else Mode.OFFLINE
        else:
            mode = Mode.ONLINE if draw < 0.08 else Mode.HYBRID if draw < 0.25 else Mode.OFFLINE
        form_name = self.form_name(topic, platform, mode)
        form = self.forms.get(form_name) or self.forms["居（村）民议事会"]
        agenda = AGENDAS.get(form.name, AGENDAS["default"])
        day = self.today - timedelta(days=session_age)
        if mode == Mode.ONLINE:
            starts_at = self.at(day, 9)
            ends_at = self.at(day + timedelta(days=rng.randint(5, 7)), 18)
        else:
            if form.name in ("基层夜话", "百姓评政坝坝会"):
                starts_at = self.at(day, 19, 30 if form.name == "基层夜话" else 0)
            else:
                starts_at = self.at(day, *rng.choice(((9, 0), (9, 30), (14, 30), (15, 0))))
            length = sum(minutes for _title, minutes in agenda) + rng.choice((10, 20, 30))
            ends_at = starts_at + timedelta(minutes=length)
        return _Plan(
            topic=topic,
            goal=goal,
            convener=self.convener_for(topic),
            talk=talk,
            form=form,
            mode=mode,
            platform=platform,
            place="" if mode == Mode.ONLINE else self.place(topic, platform, form.name, regions),
            agenda=agenda,
            starts_at=starts_at,
            ends_at=ends_at,
            regions=regions,
            finding=talk.finding.format(place="、".join(r.name for r in regions[:3]), n=rng.randint(8, 60)),
        )

    def session_age(self, goal: str, approved_age: int) -> int:
        """Days from the session to today; negative when it lies ahead."""
        rng = self.rng
        if goal in (UNPICKED, PLANNED):
            return -rng.randint(12, 25)
        if goal == NOTIFIED:
            return -rng.randint(3, 8)
        if goal == IN_SESSION:
            return rng.randint(2, 3)
        if goal == HELD:
            return rng.randint(3, 9)
        # Consultations follow approval by two weeks to two months; the latest steps end before today.
        return max(approved_age - rng.randint(16, 60), 30)

    def form_name(self, topic: Topic, platform: Platform, mode: str) -> str:
        rng = self.rng
        if mode == Mode.ONLINE:
            return ONLINE_FORM
        if platform.kind in CPPCC_PLATFORM_KINDS:
            return rng.choice(("调研协商", "专题协商会"))
        if topic.convening_level == ConveningLevel.DISTRICT:
            return "专题协商会"
        if topic.category.name == "政策落实":
            return "我说你听"
        if topic.convening_level == ConveningLevel.TOWNSHIP:
            choices = TOWNSHIP_FORMS
        elif topic.convening_region.name.endswith("村"):
            choices = RURAL_FORMS
        elif topic.category.name in ("物业管理", "住房保障"):
            choices = HOUSING_FORMS
        else:
            choices = URBAN_FORMS
        return rng.choices([name for name, _w in choices], [w for _n, w in choices])[0]

    def place(self, topic: Topic, platform: Platform, form: str, regions: list[Region]) -> str:
        rng = self.rng
        region = topic.convening_region
        if topic.convening_level != ConveningLevel.VILLAGE or platform.kind in CPPCC_PLATFORM_KINDS:
            return platform.address or platform.name
        name = region.name
        if form == "百姓评政坝坝会":
            return rng.choice((f"{name}文化广场", f"{name}村委会院坝"))
        if name.endswith("村"):
            return rng.choice((f"{name}党群服务中心会议室", f"{name}党群服务中心议事室", f"{name}文化礼堂"))
        if form in ("小区协商", "楼栋协商", "业主协商"):
            return f"{name}小区物业服务用房"
        return rng.choice((f"{name}议事厅", f"{name}党群服务中心二楼会议室"))

    # --- the steps of one consultation ----------------------------------------------------

    def schedule_plan(self, plan: _Plan, *, vote: bool) -> None:
        rng = self.rng
        start = plan.starts_at
        approved_on = timezone.localdate(plan.topic.approved_at)
        if plan.goal in (UNPICKED, PLANNED):
            planned_on = max(self.today - timedelta(days=rng.randint(4, 12)), approved_on + timedelta(days=1))
            planned_on = min(planned_on, self.today - timedelta(days=2))
            notice_day = self.today
        else:
            # The notice goes out five to nine days ahead (at least three are required), never today.
            notice_day = min(
                timezone.localdate(start) - timedelta(days=rng.randint(5, 9)), self.today - timedelta(days=1)
            )
            planned_on = max(notice_day - timedelta(days=rng.randint(8, 20)), approved_on + timedelta(days=1))
            if planned_on > notice_day - timedelta(days=2):
                raise ValueError(f"{plan.topic.title}: approved too late for a notice on {notice_day}")
        plan_at = self.office_hours(planned_on)
        self.schedule(plan_at, lambda: self.run_plan(plan))
        if plan.goal == UNPICKED:
            self.schedule(plan_at + timedelta(minutes=20), lambda: self.invite(plan, picks=2, free=False))
            return
        self.schedule(plan_at + timedelta(minutes=30), lambda: self.invite(plan))
        # Research comes between picking the participants and the notice (不调研不协商).
        research_day = planned_on + timedelta(days=max(1, (notice_day - planned_on).days // 2))
        if plan.goal != PLANNED or rng.random() < 0.6:
            self.schedule(self.office_hours(research_day), lambda: self.research(plan, research_day, first=True))
            second = research_day + timedelta(days=1)
            if second < notice_day and rng.random() < 0.3:
                self.schedule(self.office_hours(second), lambda: self.research(plan, second, first=False))
        if plan.goal == PLANNED:
            return
        if plan.goal == CANCELLED and rng.random() < 0.5:
            self.schedule(self.office_hours(notice_day), lambda: self.cancel(plan))
            return
        notice_at = self.at(notice_day, rng.randint(9, 11), rng.randrange(60))
        self.schedule(notice_at, lambda: self.notice(plan, notice_at))
        replies_until = min(start - timedelta(hours=2), self.limit - timedelta(hours=3))
        if plan.goal == CANCELLED:
            cancel_at = self.at(notice_day + timedelta(days=2), rng.randint(9, 17))
            self.schedule(cancel_at, lambda: self.cancel(plan))
            replies_until = cancel_at - timedelta(hours=1)
        self.schedule(notice_at + timedelta(hours=1), lambda: self.replies(plan, notice_at, replies_until))
        sign_up_at = self.at(notice_day + timedelta(days=1), 20, rng.randrange(60))
        if rng.random() < 0.25 and sign_up_at < replies_until:
            self.schedule(sign_up_at, lambda: self.sign_up(plan))
        if plan.goal == CANCELLED:
            return
        if plan.mode != Mode.OFFLINE:
            self.schedule_posts(plan, notice_at)
        if plan.goal == NOTIFIED:
            return
        self.schedule(start - timedelta(minutes=25), lambda: self.session(plan))
        if plan.goal == IN_SESSION:
            return
        self.schedule(plan.ends_at, lambda: self.close(plan))
        if plan.goal == HELD:
            return
        explained = timezone.localdate(plan.ends_at) + timedelta(days=rng.randint(2, 6))
        self.schedule(self.office_hours(explained), lambda: self.explain(plan))
        drafted = explained + timedelta(days=rng.randint(1, 3))
        self.schedule(self.office_hours(drafted), lambda: self.resolve(plan))
        if vote:
            voted = drafted + timedelta(days=rng.randint(5, 10))
            self.schedule(self.at(voted, 19, 30), lambda: self.vote(plan, voted))
            drafted = voted
        agreed = drafted + timedelta(days=rng.randint(1, 4))
        self.schedule(self.office_hours(agreed), lambda: self.agree(plan))

    def schedule_posts(self, plan: _Plan, notice_at: datetime) -> None:
        rng = self.rng
        if plan.mode == Mode.ONLINE:
            first, last = plan.starts_at, plan.ends_at - timedelta(hours=2)
        else:
            first, last = notice_at + timedelta(hours=3), plan.starts_at - timedelta(hours=1)
        last = min(last, self.limit - timedelta(hours=3))
        if last <= first:
            return
        count = rng.randint(4, 7) if plan.mode == Mode.ONLINE else rng.randint(2, 4)
        span = (last - first).total_seconds()
        moments = sorted(first + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
        for index, when in enumerate(moments):
            self.schedule(when, lambda when=when, index=index: self.post(plan, when, index))

    # --- playing --------------------------------------------------------------------------

    def play(self) -> None:
        # Only observes which rows each step saved, so that exactly those are backdated.
        post_save.connect(self.note_saved, weak=False, dispatch_uid=_SAVED_UID)
        try:
            for when, _order, run in sorted(self.steps, key=lambda step: (step[0], step[1])):
                with self.sending():
                    run()
                self.backdate(when)
        finally:
            post_save.disconnect(dispatch_uid=_SAVED_UID)
        self.say(f"协商：{len(self.plans)} 次")

    def note_saved(self, sender, instance, **kwargs) -> None:
        if sender in self.stamped:
            self.saved[(sender, instance.pk)] = instance

    def backdate(self, when: datetime) -> None:
        """Move every time the steps since the last call stamped on the rows they saved back to ``when``."""
        groups: dict[tuple[type, tuple[str, ...]], list[int]] = defaultdict(list)
        for (model, pk), instance in self.saved.items():
            fresh = tuple(
                name
                for name in self.stamped[model]
                if getattr(instance, name) is not None and getattr(instance, name) >= self.started
            )
            if fresh:
                groups[(model, fresh)].append(pk)
        for (model, names), pks in groups.items():
            model.objects.filter(pk__in=pks).update(**dict.fromkeys(names, when))
        self.saved.clear()

    @contextmanager
    def sending(self):
        """Send the messages a step queues for after the commit at once, so that they carry the step's time.

        The demo sender records them as delivered without sending anything, and they are taken off the
        queue: the commit must not pass generated numbers to a real SMS gateway.
        """
        connection = transaction.get_connection()
        queued = len(connection.run_on_commit)
        yield
        callbacks = connection.run_on_commit[queued:]
        del connection.run_on_commit[queued:]
        with override_settings(SHANGLIANG_SENDERS=DEMO_SENDERS):
            for _savepoints, callback, _robust in callbacks:
                callback()

    def fresh(self, plan: _Plan) -> Consultation:
        plan.consultation = Consultation.objects.select_related("topic", "form", "platform", "convener").get(
            pk=plan.consultation.pk
        )
        return plan.consultation

    # --- what each step does --------------------------------------------------------------

    def run_plan(self, plan: _Plan) -> None:
        plan.consultation = services.consultation_plan(
            actor=plan.convener,
            topic=plan.topic,
            platform=plan.platform,
            form=plan.form,
            mode=plan.mode,
            starts_at=plan.starts_at,
            ends_at=plan.ends_at,
            place=plan.place,
            agenda=list(plan.agenda),
        )

    def invite(self, plan: _Plan, *, picks: int | None = None, free: bool = True) -> None:
        """Pick from the candidates the system proposes, then add those it cannot know about."""
        rng = self.rng
        consultation = plan.consultation
        candidates = selectors.candidates_for(consultation)
        keys = self.picks(plan, candidates)
        if picks is not None:
            keys = keys[:picks]
        # Every pick is resolved against the list as proposed, before anyone is added.
        resolved = self.with_demo_member(
            plan, [selectors.resolve_candidate(consultation, key, candidates) for key in keys]
        )
        for fields in resolved:
            # Someone proposed twice, e.g. as submitter and as supporter, is refused the second time.
            self.add(plan, **fields)
        if not free:
            return
        officials = self.officials(plan)
        for category, organisation in officials:
            self.add(plan, category=category, name=self.person(), organisation=organisation, mobile=self.mobile())
        # Residents and those the matter touches come to at least half (利益涉及谁就和谁商量), except in
        # about one consultation in seven, where officials outweigh them and the convener is warned.
        if rng.random() < 0.15:
            return
        counts = Counter(consultation.participants.values_list("category", flat=True))
        affected = sum(counts[c] for c in AFFECTED_CATEGORIES)
        missing = sum(counts.values()) - 2 * affected
        for category, organisation in self.residents(plan, max(missing + rng.randint(0, 2), 1)):
            self.add(plan, category=category, name=self.person(), organisation=organisation, mobile=self.mobile())

    def with_demo_member(self, plan: _Plan, resolved: list[dict]) -> list[dict]:
        """The demo ``member`` account's member takes the first member's place in the consultations of
        their township, so that account has a record and points to show. The member is attached to the
        township station but often ranks below the twelve candidates proposed; swapping one member for
        another keeps the number of participants, and so the rest of the demo, unchanged."""
        member = self.demo_member
        if self.township_of(plan.topic).pk != self.demo_township_id:
            return resolved
        if any(fields.get("member") == member for fields in resolved):
            return resolved
        for index, fields in enumerate(resolved):
            if fields.get("category") == ParticipantCategory.MEMBER:
                organisation = f"{member.sector.name} · {member.specialty}" if member.specialty else member.sector.name
                swapped = {"category": ParticipantCategory.MEMBER, "name": member.name, "organisation": organisation}
                swapped |= {"member": member, "user": member.user, "mobile": member.mobile}
                return [*resolved[:index], swapped, *resolved[index + 1 :]]
        return resolved

    def add(self, plan: _Plan, **fields) -> Participant | None:
        try:
            return services.participant_add(actor=plan.convener, consultation=plan.consultation, **fields)
        except DomainError:
            # Already on the list under another key (a seat holder who also submitted the matter).
            return None

    def picks(self, plan: _Plan, candidates: list) -> list[str]:
        rng = self.rng
        by_kind: dict[str, list] = defaultdict(list)
        for candidate in candidates:
            by_kind[candidate.key.split(":")[0]].append(candidate)
        keys = [c.key for c in by_kind["submission"][:2]] + [c.key for c in by_kind["user"][:1]]
        seats = by_kind["seat"]
        chairs = [c for c in seats if c.category == ParticipantCategory.VILLAGE_CADRE]
        others = [c for c in seats if c.category != ParticipantCategory.VILLAGE_CADRE]
        wide = plan.topic.convening_level != ConveningLevel.VILLAGE
        keys += [c.key for c in chairs[: 2 if wide else 1]]
        keys += [c.key for c in rng.sample(others, min(len(others), rng.randint(1, 2)))]
        members = by_kind["member"]
        wanted = 2 if wide or plan.platform.kind in CPPCC_PLATFORM_KINDS else 1
        demo = [c for c in members if c.key == f"member:{self.demo_member.pk}"]
        rest = [c for c in members if c not in demo]
        keys += [c.key for c in (demo + rest)[:wanted]]
        units = [c for c in by_kind["unit"] if c.category == ParticipantCategory.UNIT]
        keys += [c.key for c in units[: 2 if wide else 1]]
        if not chairs:
            keys += [c.key for c in by_kind["unit"] if c.category == ParticipantCategory.VILLAGE_CADRE][:1]
        return keys

    def officials(self, plan: _Plan) -> list[tuple[str, str]]:
        """Deputies, experts, cadres and organisations the convener adds by hand: (category, organisation)."""
        rng = self.rng
        topic = plan.topic
        town = self.township_of(topic).name
        category = topic.category.name
        cadre = "副镇长" if town.endswith("镇") else "办事处副主任" if town.endswith("街道") else "副乡长"
        people = [(ParticipantCategory.TOWNSHIP, f"{town}{cadre}")]
        village = topic.convening_region
        if topic.convening_level == ConveningLevel.VILLAGE and (
            village.pk not in self.committees or rng.random() < 0.3
        ):
            # The party secretary comes when the matter is the village's own, and always where no
            # consultation committee exists to propose a chair.
            branch = "党支部书记" if village.name.endswith("村") else "党委书记"
            people.append((ParticipantCategory.VILLAGE_CADRE, f"{village.name}{branch}"))
        if rng.random() < 0.35 or topic.convening_level != ConveningLevel.VILLAGE:
            congress = "区人大代表" if town.endswith("街道") or rng.random() < 0.4 else "镇人大代表"
            people.append((ParticipantCategory.DEPUTY, congress))
        if rng.random() < 0.3 or plan.platform.kind in CPPCC_PLATFORM_KINDS:
            people.append((ParticipantCategory.EXPERT, plan.talk.expert))
        if category in SOCIAL_BY_CATEGORY and rng.random() < 0.4:
            organisation = SOCIAL_BY_CATEGORY[category].format(
                trade=self.names.trade_name(), village=plan.regions[0].name
            )
            people.append((ParticipantCategory.SOCIAL, organisation))
        if rng.random() < 0.25:
            people.append((ParticipantCategory.ELDER, rng.choice(("老党员", "退休教师", "乡贤"))))
        if rng.random() < 0.5:
            people.append((ParticipantCategory.GRID_HEAD, f"{plan.regions[0].name}网格长"))
        return people

    def residents(self, plan: _Plan, count: int) -> list[tuple[str, str]]:
        word = self.stakeholder_word(plan.topic.category.name)
        people = []
        for index in range(count):
            region = plan.regions[index % len(plan.regions)].name
            if index % 3 == 0:
                people.append((ParticipantCategory.STAKEHOLDER, f"{region}{word}"))
            else:
                grid_word = "村民" if region.endswith("村") else "居民"
                people.append((ParticipantCategory.RESIDENT, f"{region}{grid_word}代表"))
        return people

    @staticmethod
    def stakeholder_word(category: str) -> str:
        return {
            "教育": "家长代表",
            "养老服务": "老人家属",
            "停车与交通秩序": "沿街商户",
            "农业生产": "种植户",
            "物业管理": "业主代表",
            "住房保障": "住户代表",
            "生态环境": "沿河住户",
            "道路桥梁": "沿线住户",
        }.get(category, "受影响住户")

    def research(self, plan: _Plan, day: date, *, first: bool) -> None:
        rng = self.rng
        consultation = self.fresh(plan)
        members = list(consultation.participants.filter(category=ParticipantCategory.MEMBER))
        convener = plan.convener
        organiser = f"{self.township_of(plan.topic).name}政协联络站" if convener.is_superuser else convener.full_name
        names = [f"委员{m.name}" for m in members[:2]] + [organiser, f"网格员{self.person()}"]
        place = "、".join(r.name for r in plan.regions[:3]) + "现场"
        if first:
            findings = plan.finding + rng.choice(
                ("群众意见主要集中在资金来源和后续管护两个方面。", "多数群众支持尽快解决，少数群众有顾虑。", "")
            )
            policies = "、".join(rng.sample(plan.talk.policies, min(2, len(plan.talk.policies))))
        else:
            findings = "委员再次走访，听取了持不同意见群众的想法，并向相关部门了解了资金和政策口径。"
            policies = plan.talk.policies[-1]
        services.research_add(
            actor=convener,
            consultation=consultation,
            researchers="、".join(names),
            researched_on=day,
            place=place,
            findings=findings,
            policies=policies,
            members=[m.member for m in members[:2] if m.member_id],
        )

    def notice(self, plan: _Plan, when: datetime) -> None:
        consultation = plan.consultation
        check = services.representativeness_check(consultation)
        consultation = services.notice_send(
            actor=plan.convener, consultation=consultation, acknowledge_warnings=bool(check.warnings), now=when
        )
        plan.consultation = consultation
        # The check records when it was made; it was made when the notice went out.
        record = consultation.representativeness | {"checked_at": when.isoformat()}
        Consultation.objects.filter(pk=consultation.pk).update(representativeness=record)
        consultation.history.filter(history_date__gte=self.started).update(representativeness=record)

    def replies(self, plan: _Plan, sent: datetime, until: datetime) -> None:
        """Participants open the notice and answer whether they come, over the days before the session."""
        rng = self.rng
        span = max((until - sent).total_seconds(), 3600)
        for participant in plan.consultation.participants.all():
            if not (participant.mobile or participant.user_id):
                continue
            read_at = sent + timedelta(seconds=rng.uniform(600, span / 2))
            if rng.random() < 0.7:
                services.notice_mark_read(participant)
                self.backdate(read_at)
                # The inbox message is cleared by a plain update, which the backdating does not see.
                Notification.objects.filter(
                    user_id=participant.user_id, url=services.participant_url(participant), read_at__isnull=False
                ).update(read_at=read_at)
            draw = rng.random()
            if draw < 0.75:
                answer = Rsvp.YES
            elif draw < 0.85:
                answer = Rsvp.NO
            else:
                continue
            services.participant_rsvp(participant=participant, answer=answer)
            self.backdate(read_at + timedelta(seconds=rng.uniform(60, span / 2)))

    def sign_up(self, plan: _Plan) -> None:
        """A resident signs up on the public page after seeing the notice."""
        if not self.online_residents:
            return
        user = self.rng.choice(self.online_residents)
        with suppress(DomainError):  # they signed up already, or it was called off meanwhile
            services.participant_signup(user=user, consultation=plan.consultation, name=user.full_name)

    def cancel(self, plan: _Plan) -> None:
        services.consultation_cancel(
            actor=plan.convener,
            consultation=plan.consultation,
            reason=plan.cancel_reason or self.rng.choice(CANCEL_REASONS),
        )

    def post(self, plan: _Plan, when: datetime, index: int) -> None:
        rng = self.rng
        consultation = self.fresh(plan)
        invited = [p.user for p in consultation.participants.exclude(user=None).select_related("user")]
        user = rng.choice(self.online_residents + invited)
        reply_to = None
        # One advertisement slips in overall, on an online consultation, and is hidden.
        is_ad = index == 1 and plan.mode == Mode.ONLINE and not self.ad_hidden
        if is_ad:
            text, stance = AD_POST.format(mobile=self.mobile()), Stance.NEUTRAL
        elif index == 2 and plan.posts:
            text, stance = ONLINE_REPLY
            reply_to = plan.posts[0]
        else:
            text, stance = rng.choice(ONLINE_OPINIONS)
            if stance == Stance.SUGGEST and rng.random() < 0.5:
                text = f"建议{rng.choice(plan.talk.suggestions)}。"
        with _clock(when):
            post = services.online_post(
                user=user, consultation=consultation, text=text, stance=stance, reply_to=reply_to
            )
        plan.posts.append(post)
        if is_ad:
            services.post_hide(actor=plan.convener, post=post, reason=AD_REASON)
            self.backdate(when + timedelta(minutes=rng.randint(20, 90)))
            self.ad_hidden = True

    def session(self, plan: _Plan) -> None:
        """Sign-in before the start, the session itself with its statements, and dissent noted as it is said."""
        rng = self.rng
        consultation = plan.consultation
        start = plan.starts_at
        people = list(consultation.participants.all())
        present = []
        for participant in people:
            if participant.rsvp == Rsvp.NO or (participant.rsvp == Rsvp.PENDING and rng.random() < 0.4):
                continue
            # Most scan the code at the door; staff sign in those without a phone at hand.
            by_staff = participant.user_id is None and rng.random() < 0.4
            arrived = start - timedelta(minutes=rng.randint(1, 25))
            services.sign_in(participant=participant, actor=plan.convener if by_staff else None, now=arrived)
            self.backdate(arrived)
            present.append(participant)
        plan.consultation = services.session_open(actor=plan.convener, consultation=consultation)
        self.backdate(start)
        if plan.mode == Mode.ONLINE:
            # The page opens with the background; the opinions come in over the following days.
            services.statement_add(
                actor=plan.convener,
                consultation=plan.consultation,
                participant=self.lead(present or people),
                text=f"发布议题和商前调研情况：{plan.finding}",
                agenda_item=plan.consultation.agenda.first(),
                is_online=True,
            )
            self.backdate(start + timedelta(minutes=5))
            return
        self.statements(plan, present or people)

    @staticmethod
    def lead(present: list[Participant]) -> Participant:
        """Who opens and sums up: the village cadre, else the township's, else an official."""
        for category in (ParticipantCategory.VILLAGE_CADRE, ParticipantCategory.TOWNSHIP, *OFFICIAL):
            for participant in present:
                if participant.category == category:
                    return participant
        return present[0]

    def statements(self, plan: _Plan, present: list[Participant]) -> None:
        """Who speaks follows the agenda: the opening, the people concerned, the officials, the summing up."""
        rng = self.rng
        consultation = plan.consultation
        talk = plan.talk
        affected = [p for p in present if p.category in AFFECTED]
        officials = sorted((p for p in present if p.category in OFFICIAL), key=lambda p: OFFICIAL.index(p.category))
        others = [p for p in present if p.category in (ParticipantCategory.ELDER, ParticipantCategory.SOCIAL)]
        lead = self.lead(present)
        concerns = list(talk.concerns)
        rng.shuffle(concerns)
        dissents = 0
        if plan.reserved or rng.random() < 0.55:
            dissents = 2 if len(concerns) > 1 and rng.random() < 0.2 else 1
        items = list(consultation.agenda.all())
        clock = plan.starts_at
        for number, item in enumerate(items):
            said: list[tuple[Participant, str, str, str]] = []  # speaker, text, stance, explanation if dissent
            if number == 0:
                said.append((lead, f"介绍议题由来和商前调研情况：{plan.finding}", Stance.NEUTRAL, ""))
            if any(word in item.title for word in AFFECTED_WORDS):
                speakers = rng.sample(affected, min(len(affected), rng.randint(2, 4)))
                for index, speaker in enumerate(speakers):
                    if dissents and index == len(speakers) - 1:
                        view, explanation = concerns.pop()
                        dissents -= 1
                        said.append((speaker, view, Stance.OPPOSE, explanation))
                    elif index == 0:
                        said.append((speaker, rng.choice(RESIDENT_SUPPORT), Stance.SUPPORT, ""))
                    elif rng.random() < 0.5:
                        said.append((speaker, rng.choice(RESIDENT_QUESTIONS), Stance.NEUTRAL, ""))
                    else:
                        said.append((speaker, f"我建议{rng.choice(talk.suggestions)}。", Stance.SUGGEST, ""))
                said += [(p, self.other_says(p), Stance.SUPPORT, "") for p in others[:1]]
            if any(word in item.title for word in OFFICIAL_WORDS) or (number == 1 and "部门" in item.title):
                ideas = rng.sample(talk.suggestions, len(talk.suggestions))
                for speaker, idea in zip(officials[:4], ideas, strict=False):
                    said.append((speaker, self.official_says(speaker, talk, idea), Stance.SUGGEST, ""))
            if number == len(items) - 1:
                first, second = rng.sample(talk.suggestions, 2)
                summary = f"综合大家的发言，初步形成以下共识：{first}；{second}。会后整理成协商意见。"
                said.append((lead, summary, Stance.SUGGEST, ""))
                if affected:
                    agreed = "同意这几条，希望会后尽快落实，办理情况及时公开。"
                    said.append((rng.choice(affected), agreed, Stance.SUPPORT, ""))
            if not said:
                said.append((lead, f"就“{item.title}”征求意见，与会人员没有补充。", Stance.NEUTRAL, ""))
            step = max(item.minutes // max(len(said), 1), 2)
            for speaker, text, stance, explanation in said:
                clock += timedelta(minutes=step)
                services.statement_add(
                    actor=plan.convener,
                    consultation=consultation,
                    participant=speaker,
                    text=text,
                    stance=stance,
                    agenda_item=item,
                )
                self.backdate(clock)
                if stance == Stance.OPPOSE:
                    dissent = services.dissent_add(
                        actor=plan.convener,
                        consultation=consultation,
                        holder=speaker.name,
                        view=text,
                        participant=speaker,
                    )
                    self.backdate(clock + timedelta(minutes=1))
                    plan.dissents.append((dissent, explanation))
            clock = max(clock, plan.starts_at + timedelta(minutes=sum(i.minutes for i in items[: number + 1])))

    def other_says(self, speaker: Participant) -> str:
        if speaker.category == ParticipantCategory.ELDER:
            return "我是老党员，村里的事大家商量着办最好。我带头赞成，也愿意去做邻居的工作。"
        return "我们愿意配合，需要出人出力的尽管说，后续管护我们也可以承担一部分。"

    def official_says(self, speaker: Participant, talk: Talk, suggestion: str = "") -> str:
        rng = self.rng
        category = speaker.category
        if category == ParticipantCategory.UNIT and speaker.unit_id and talk.reply:
            return talk.reply
        if category == ParticipantCategory.MEMBER:
            return f"调研中我们看到的情况和大家说的一致。建议{suggestion or rng.choice(talk.suggestions)}。"
        if category == ParticipantCategory.EXPERT:
            return "从专业角度看，方案技术上可行。建议施工前做好勘察设计，竣工后请群众代表参加验收。"
        if category == ParticipantCategory.DEPUTY:
            return "作为人大代表，我会持续跟踪这件事的办理，必要时形成代表建议，争取列入民生实事项目。"
        town = self.township_of(speaker.consultation.topic).name
        level = "街道" if town.endswith("街道") else "乡里" if town.endswith("乡") else "镇里"
        return f"这件事{level}会列入今年的重点工作清单，统筹资金和项目，请各村（社区）配合做好群众工作。"

    def close(self, plan: _Plan) -> None:
        consultation = plan.consultation
        if plan.mode == Mode.ONLINE:
            # The departments answer the online opinions before the page closes; their answers are recorded.
            answering = sorted(
                (p for p in consultation.participants.all() if p.category in OFFICIAL),
                key=lambda p: OFFICIAL.index(p.category),
            )
            items = list(consultation.agenda.all())
            for index, speaker in enumerate(answering[:2]):
                services.statement_add(
                    actor=plan.convener,
                    consultation=consultation,
                    participant=speaker,
                    text=self.official_says(speaker, plan.talk),
                    stance=Stance.SUGGEST,
                    agenda_item=items[-1] if items else None,
                    is_online=True,
                )
                self.backdate(plan.ends_at - timedelta(minutes=30 - 10 * index))
        services.session_close(actor=plan.convener, consultation=consultation)

    def explain(self, plan: _Plan) -> None:
        """The organiser follows up each dissenting view: most accept the explanation, some keep their view."""
        rng = self.rng
        last = len(plan.dissents) - 1
        for index, (dissent, explanation) in enumerate(plan.dissents):
            reserved = (plan.reserved and index == last) or (not plan.reserved and rng.random() < 0.2)
            services.dissent_explain(
                actor=plan.convener,
                dissent=dissent,
                method=rng.choice(EXPLAIN_METHODS),
                explanation=explanation,
                outcome=ExplanationOutcome.RESERVED if reserved else ExplanationOutcome.ACCEPTED,
            )

    def resolve(self, plan: _Plan) -> None:
        """Suggestions from the record, then the minutes: the draft with the suggestions, confirmed."""
        rng = self.rng
        consultation = self.fresh(plan)
        chosen = rng.sample(plan.talk.suggestions, rng.randint(2, min(4, len(plan.talk.suggestions))))
        # Members who were there put forward every other suggestion (no draw from rng: the rest of
        # the demo keeps its sequence).
        present = [
            p.member
            for p in consultation.participants.filter(
                category=ParticipantCategory.MEMBER, member__isnull=False, signed_in_at__isnull=False
            ).select_related("member")
        ]
        for index, text in enumerate(chosen):
            proposer = present[index // 2 % len(present)] if present and index % 2 == 0 else None
            services.suggestion_add(actor=plan.convener, consultation=consultation, text=text, proposed_by=proposer)
        lines = [consultation.minutes.rstrip(), "", "协商意见："]
        lines += [f"   {n}. {text}" for n, text in enumerate(chosen, start=1)]
        if plan.dissents:
            lines += ["", "不同意见已由召集人会后逐一解释说明。"]
        services.minutes_update(actor=plan.convener, consultation=consultation, text="\n".join(lines) + "\n")
        services.minutes_confirm(actor=plan.convener, consultation=plan.consultation)

    def vote(self, plan: _Plan, day: date) -> None:
        """The view that stayed contested goes to the villagers' representatives for a vote."""
        rng = self.rng
        attendees = rng.randint(35, 45)
        against, abstentions = rng.randint(3, 6), rng.randint(1, 3)
        services.assembly_vote_add(
            actor=plan.convener,
            consultation=self.fresh(plan),
            body=AssemblyBody.REPRESENTATIVES,
            held_on=day,
            matter=f"{plan.topic.title}的筹资筹劳方案：按“一事一议”每户投工三个或折资三百元，经营大户按承包面积每亩另筹二十元。",
            attendees=attendees,
            votes_for=attendees - against - abstentions,
            votes_against=against,
            abstentions=abstentions,
            decision="超过到会代表半数同意，表决通过。按方案实施，筹资筹劳情况在村务公开栏张榜公布。",
        )

    def agree(self, plan: _Plan) -> None:
        services.resolution_agree(actor=plan.convener, consultation=plan.consultation)

    # --- summary --------------------------------------------------------------------------

    def counts(self) -> dict:
        consultations = Consultation.objects.filter(topic__convening_region__path__startswith=self.district.path)
        by_status = Counter(consultations.values_list("status", flat=True))
        counts = {"consultations": consultations.count()}
        counts |= {f"consultations_{status}": by_status[status] for status in ConsultationStatus.values}
        counts |= {
            "participants": Participant.objects.filter(consultation__in=consultations).count(),
            "statements": Statement.objects.filter(consultation__in=consultations).count(),
            "online_posts": OnlinePost.objects.filter(consultation__in=consultations).count(),
            "suggestions": Suggestion.objects.filter(consultation__in=consultations).count(),
            "dissents": Dissent.objects.filter(consultation__in=consultations).count(),
            "assembly_votes": AssemblyVote.objects.filter(consultation__in=consultations).count(),
        }
        return counts
