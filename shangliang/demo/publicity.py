"""News, announcements, session announcements and the theory-research archive in the demo district.

The district office (``cppcc``) announces the year's call for topics and files most of the archive; the
station head (``station``) and the convener (``convener``) write about their rooms' sessions and results;
a few other township rooms have news of their own. The next consultation the convener or the station runs
is announced in advance (协商预告, 004: 提前公布协商的内容、形式及过程) when the demo has one; one news item
was withdrawn for a wrong date; the convener has a draft waiting on the home page. Played on a ``Timeline``:
nothing is stamped today.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from shangliang.consultations.models import Consultation
from shangliang.consultations.states import ConsultationStatus
from shangliang.demo.timeline import Timeline
from shangliang.orgs.models import Platform, ScopedRole
from shangliang.orgs.states import PlatformKind
from shangliang.publicity import selectors, services
from shangliang.publicity.states import ArticleKind, DocumentKind

DISTRICT_NEWS = [
    (
        ArticleKind.ANNOUNCEMENT,
        "关于征集年度“有事好商量”协商议题的公告",
        "为聚焦党政工作重点、群众关心热点、基层治理难点，现面向全区征集年度协商议题。\n"
        "一、征集范围：群众普遍关心、反映强烈的实际困难，切口小、关联广的民生事项。\n"
        "二、征集方式：可到各镇（街道）、村（社区）协商议事室当面反映，也可在本平台“反映问题”中提交。\n"
        "三、以下事项不纳入协商：涉及国家秘密、依法应通过诉讼仲裁解决、已进入信访程序等情形，详见各议事室公示。",
    ),
    (
        ArticleKind.NEWS,
        "区政协召开基层协商议事工作推进会",
        "区政协召开基层协商议事工作推进会，通报上半年各镇（街道）协商议事室开展小微协商、成果转化落实情况，"
        "交流“群众点题、委员荐题、党政出题”的经验做法，部署下半年协商计划和“六有”阵地建设。",
    ),
]
ROOM_NEWS = [
    "开放时间调整的公告",
    "委员接待日安排",
    "举办“我说你听”政策宣讲",
]
RESULT_NEWS = "“{topic}”协商成果落地见效"
ARCHIVE = [
    (
        DocumentKind.THEORY,
        "基层协商民主的实践逻辑与制度衔接",
        "区政协理论研究会",
        "理论研究、制度衔接、政协协商",
        "从政协协商与基层协商有效衔接入手，分析“有事好商量”平台运行中的组织、程序和成果转化机制。",
    ),
    (
        DocumentKind.THEORY,
        "小微协商中的群众参与：自愿参商率的意义与提升",
        "区政协理论研究会",
        "理论研究、群众参与、小微协商",
        "利益涉及谁就和谁商量：提前公布协商内容、形式及过程对提高群众自愿参商率的作用。",
    ),
    (
        DocumentKind.PRACTICE,
        "“六步法”开展村级协商议事的做法",
        "镇协商议事联络站",
        "经验做法、议事规则、六步法",
        "征集议题、审定议题、商前调研、协商议事、成果落实、群众评议六个环节的具体做法和注意事项。",
    ),
    (
        DocumentKind.PRACTICE,
        "委员下沉联络站“就近、自主”的经验",
        "区政协委员工作室",
        "经验做法、委员履职、联络站",
        "委员按居住地、工作地就近下沉，结合专长自主选择联系点，定期接待群众、参与协商。",
    ),
    (
        DocumentKind.PRACTICE,
        "协商成果“三张清单”交办落实的经验",
        "区政协办公室",
        "经验做法、成果落实、督办",
        "以问题清单、任务清单、责任清单推动协商成果转化，逾期事项逐级提醒、列入通报。",
    ),
    (
        DocumentKind.RULES,
        "镇（街道）协商议事室工作规则",
        "区政协办公室",
        "制度文件、议事规则、六有",
        "明确协商议事室的职责、议题范围、协商程序、成果报送与公开，以及“有阵地、有标识、有制度、有流程、有活动、有实效”的要求。",
    ),
    (
        DocumentKind.RULES,
        "协商议事成果采纳落实和反馈办法",
        "区政协办公室",
        "制度文件、成果落实、公开反馈",
        "协商成果的报送、交办、办理时限、书面答复、结果公开和群众满意度测评的办法。",
    ),
    (
        DocumentKind.SURVEY,
        "关于农村人居环境整治协商成果落实情况的调研报告",
        "区政协社会和法制委员会",
        "调研报告、人居环境、成果落实",
        "对全区村（社区）人居环境类协商建议的落实情况开展调研，提出下一步加强督办的建议。",
    ),
    (
        DocumentKind.SURVEY,
        "园区企业协商议事室运行情况调研",
        "区政协经济委员会",
        "调研报告、企业协商、园区",
        "调研园区企业协商议事室的议题来源、参与主体和成果转化，建议完善企企、政企协商机制。",
    ),
]
# Filed but not yet published: waits on its writer's home page.
ARCHIVE_DRAFT = (
    DocumentKind.PRACTICE,
    "网上协商议事室运行的几点体会",
    "镇协商议事联络站",
    "经验做法、网上协商",
    "线上线下结合开展协商、网上征求意见和群众评议的做法。",
)


def _region_of(user):
    grant = ScopedRole.objects.filter(user=user, revoked_at__isnull=True, region__isnull=False).first()
    return grant.region if grant else None


def _room_of(user, kind) -> Platform | None:
    region = _region_of(user)
    if region is None:
        return None
    return Platform.objects.filter(region=region, kind=kind, is_archived=False).order_by("pk").first()


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _upcoming_to_announce(users) -> Consultation | None:
    """The next consultation the convener or the station runs that is still to come, if the demo has one."""
    regions = [r for r in (_region_of(users.get("convener")), _region_of(users.get("station"))) if r is not None]
    for region in regions:
        found = (
            Consultation.objects.filter(
                status__in=(ConsultationStatus.PLANNED, ConsultationStatus.NOTIFIED),
                starts_at__gt=timezone.now(),
                is_archived=False,
                topic__convening_region__path__startswith=region.path,
            )
            .select_related("topic", "platform", "session_format")
            .order_by("starts_at")
            .first()
        )
        if found is not None:
            return found
    return None


def build(*, users, district, yesterday) -> dict:
    rng = random.Random("publicity")
    office, station, convener = users.get("cppcc"), users.get("station"), users.get("convener")
    if office is None or station is None or convener is None:
        return {"articles": 0, "archive_documents": 0}
    today = timezone.localdate()
    timeline = Timeline()
    made = {"articles": 0, "articles_published": 0, "session_announcements": 0, "archive_documents": 0}

    def write(moment_written, moment_published, *, actor, publish=True, withdraw="", **fields):
        holder = {}

        def create(moment):
            holder["article"] = services.article_create(actor=actor, now=moment, **fields)
            made["articles"] += 1

        timeline.add(moment_written, create)
        if publish:

            def publish_it(moment):
                services.article_publish(actor=actor, article=holder["article"], now=moment)
                made["articles_published"] += 1
                if fields.get("kind") == ArticleKind.PREVIEW:
                    made["session_announcements"] += 1

            timeline.add(moment_published, publish_it)
        if withdraw:
            timeline.add(
                moment_published + timedelta(hours=3),
                lambda moment: services.article_withdraw(actor=actor, article=holder["article"], reason=withdraw),
            )

    # The district office's own news.
    for index, (kind, title, body) in enumerate(DISTRICT_NEWS):
        day = today - timedelta(days=150 - index * 60)
        write(_at(day, 9), _at(day, 10), actor=office, kind=kind, title=title, body=body, region=district)

    # The rooms' news: the station's township room, the convener's village room and three other township rooms.
    station_room = _room_of(station, PlatformKind.TOWNSHIP_ROOM)
    village_room = _room_of(convener, PlatformKind.VILLAGE_ROOM)
    others = Platform.objects.filter(
        region__path__startswith=district.path, kind=PlatformKind.TOWNSHIP_ROOM, is_archived=False
    ).exclude(pk=getattr(station_room, "pk", None))
    rooms = [(station_room, station), (village_room, convener)] + [(room, office) for room in others.order_by("pk")[:3]]
    rooms = [(room, actor) for room, actor in rooms if room is not None]
    for index, (room, actor) in enumerate(rooms):
        title = ROOM_NEWS[index % len(ROOM_NEWS)]
        day = today - timedelta(days=rng.randint(8, 120))
        hours = room.opening_hours or "工作日 9:00—17:00"
        body = f"{room.name}{title}。开放时间：{hours}。欢迎群众到议事室反映身边的问题、参加协商。"
        write(
            _at(day, 9),
            _at(day, 11),
            actor=actor,
            kind=ArticleKind.ANNOUNCEMENT,
            title=f"{room.name}{title}",
            body=body,
            platform=room,
        )

    # News of results already public, linked to their consultation (the media package then has its photos).
    concluded = (
        Consultation.objects.filter(
            status=ConsultationStatus.CONCLUDED,
            is_archived=False,
            publication__isnull=False,
            platform__in=[room for room, _actor in rooms],
        )
        .select_related("topic", "platform", "publication")
        .order_by("-publication__published_at")[:4]
    )
    for consultation in concluded:
        published = consultation.publication.published_at
        moment = min(published + timedelta(days=2), yesterday)
        actor = (
            convener
            if consultation.platform == village_room
            else station
            if consultation.platform == station_room
            else office
        )
        body = (
            f"{consultation.platform.name}就“{consultation.topic.title}”开展协商后，形成的协商意见已交有关单位办理，"
            f"办理结果已公开。{consultation.publication.summary[:200]}"
        )
        write(
            moment,
            moment + timedelta(hours=2),
            actor=actor,
            kind=ArticleKind.NEWS,
            consultation=consultation,
            title=RESULT_NEWS.format(topic=consultation.topic.title)[:100],
            body=body,
            platform=consultation.platform,
        )

    # A session announced in advance, when the demo has one to come.
    upcoming = _upcoming_to_announce(users)
    if upcoming is not None:
        actor = convener if upcoming.topic.convening_region.path.startswith(_region_of(convener).path) else station
        written = min(yesterday, upcoming.starts_at - timedelta(days=5))
        written = max(written, min(upcoming.created_at, yesterday))
        if written < upcoming.starts_at:
            text = selectors.preview_text(upcoming)
            write(
                written,
                written + timedelta(minutes=30),
                actor=actor,
                kind=ArticleKind.PREVIEW,
                consultation=upcoming,
                platform=upcoming.platform,
                **text,
            )

    # One withdrawn for a wrong date, and one draft waiting on the convener's home page.
    if village_room is not None:
        day = today - timedelta(days=30)
        write(
            _at(day, 9),
            _at(day, 10),
            actor=convener,
            kind=ArticleKind.ANNOUNCEMENT,
            platform=village_room,
            title="村民说事日时间通知",
            body="本月村民说事日定于15日上午。",
            withdraw="日期有误，已另行发布更正后的通知",
        )
        write(
            yesterday - timedelta(hours=2),
            None,
            actor=convener,
            publish=False,
            kind=ArticleKind.NEWS,
            platform=village_room,
            title="议事室新添无障碍坡道",
            body="在群众建议下，议事室入口新修了无障碍坡道，方便老人和残疾人参加协商。",
        )

    # The archive: the district office's papers and rules, the station's ways of working.
    for index, (kind, title, source, tags, summary) in enumerate(ARCHIVE):
        actor = station if kind == DocumentKind.PRACTICE and index % 2 == 0 else office
        region = _region_of(station) if actor is station else district
        issued = today - timedelta(days=40 + index * 37)
        holder = {}

        def file_it(
            moment,
            kind=kind,
            title=title,
            source=source,
            tags=tags,
            summary=summary,
            actor=actor,
            region=region,
            issued=issued,
            holder=holder,
        ):
            body = f"{summary}\n\n（正文略，全文见附件或向{source}索取。）"
            holder["document"] = services.document_create(
                actor=actor,
                title=title,
                kind=kind,
                region=region,
                issued_on=issued,
                summary=summary,
                body=body,
                source=source,
                tags=tags,
                now=moment,
            )
            made["archive_documents"] += 1

        timeline.add(_at(issued + timedelta(days=2), 10), file_it)
        timeline.add(
            _at(issued + timedelta(days=3), 9),
            lambda moment, actor=actor, holder=holder: services.document_publish(
                actor=actor, document=holder["document"], now=moment
            ),
        )
    kind, title, source, tags, summary = ARCHIVE_DRAFT

    def file_draft(moment):
        services.document_create(
            actor=station,
            title=title,
            kind=kind,
            region=_region_of(station),
            issued_on=timezone.localdate(yesterday) - timedelta(days=1),
            summary=summary,
            body=summary,
            source=source,
            tags=tags,
            now=moment,
        )
        made["archive_documents"] += 1

    timeline.add(yesterday - timedelta(hours=1), file_draft)
    timeline.play()
    return made
