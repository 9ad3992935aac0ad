"""What waits for a user on the home page: every hand-over of the consultation loop lands on someone's list.

Each stage contributes a provider: a function (user) -> list of WaitingItem, built from that
stage's selectors. A provider answers with counts, and for the steps taken one record at a time
with the first few records themselves (``entries``), each linking to the page where the step is
taken. An item of one record links straight to it; an item of several links to the filtered list.
Each kind costs one query (two when more than ``SHOWN`` records wait), so the home page stays bounded.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, F, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations import legal
from shangliang.consultations import selectors as consultation_selectors
from shangliang.consultations.permissions import LEGAL_REVIEWERS, ORGANISERS, consultations_visible_to
from shangliang.consultations.states import ConsultationStatus
from shangliang.evaluation.permissions import follow_ups_visible_to
from shangliang.evaluation.states import FollowUpStatus
from shangliang.events import permissions as event_permissions
from shangliang.events import selectors as event_selectors
from shangliang.funds import permissions as fund_permissions
from shangliang.handoffs import selectors as handoff_selectors
from shangliang.handoffs.models import Handoff
from shangliang.handoffs.states import Channel as HandoffChannel
from shangliang.hotline import permissions as hotline_permissions
from shangliang.hotline import selectors as hotline_selectors
from shangliang.orgs import joining, reception
from shangliang.orgs.permissions import role_names
from shangliang.outcomes import decisions as outcome_decisions
from shangliang.outcomes import handdown
from shangliang.outcomes import permissions as outcome_permissions
from shangliang.outcomes import selectors as outcome_selectors
from shangliang.outcomes.permissions import (
    ASSIGNERS,
    SUPERVISORS,
    assignments_to_check,
    assignments_visible_to,
    liaison_unit_ids,
)
from shangliang.outcomes.states import AssignmentStatus
from shangliang.publicity import selectors as publicity_selectors
from shangliang.publicity.permissions import ARCHIVISTS as PUBLICITY_ARCHIVISTS
from shangliang.publicity.permissions import WRITERS as PUBLICITY_WRITERS
from shangliang.topics import linkage
from shangliang.topics.selectors import waiting_counts

# Records named under an item; past this the item links to the list of all of them.
SHOWN = 5


@dataclass(frozen=True)
class Entry:
    """One record waiting: what it is about, and the page where the step is taken."""

    label: str
    url: str


@dataclass(frozen=True)
class WaitingItem:
    title: str
    url: str
    count: int
    entries: tuple[Entry, ...] = ()

    @property
    def more(self) -> int:
        """How many records wait beyond those named."""
        return self.count - len(self.entries) if self.entries else 0


def listed(title: str, qs: QuerySet, *, fields: tuple[str, ...], entry: Callable, list_url: str) -> WaitingItem:
    """The item for the records of ``qs``: the first ``SHOWN`` as entries (``entry(row)`` of the ``fields``
    values), the count in the same query unless more wait."""
    rows = list(qs.values(*fields)[: SHOWN + 1])
    count = len(rows) if len(rows) <= SHOWN else qs.count()
    entries = tuple(entry(row) for row in rows[:SHOWN])
    return WaitingItem(title, entries[0].url if count == 1 else list_url, count, entries)


def grouped(title: str, qs: QuerySet, *, by: str, label: str, url: Callable[[int], str], list_url: str) -> WaitingItem:
    """The item for the records of ``qs`` counted per ``by`` (a consultation): one entry per group, "label（n）"."""
    groups = list(qs.order_by(by).values(by, label).annotate(n=Count("pk")).order_by("-n", by)[: SHOWN + 1])
    count = sum(g["n"] for g in groups) if len(groups) <= SHOWN else qs.count()
    entries = tuple(
        Entry(_("%(label)s（%(n)d）") % {"label": g[label], "n": g["n"]} if g["n"] > 1 else g[label], url(g[by]))
        for g in groups[:SHOWN]
    )
    return WaitingItem(title, entries[0].url if len(groups) == 1 else list_url, count, entries)


def _consultation_entry(view: str, anchor: str = "") -> Callable[[dict], Entry]:
    def entry(row: dict) -> Entry:
        return Entry(row["topic__title"], reverse(view, args=[row["pk"]]) + anchor)

    return entry


def _consultations(title, qs, view, status, anchor="", entry=None) -> WaitingItem:
    list_url = f"{reverse('consultations:list')}?status={status}"
    return listed(
        title,
        qs.order_by("starts_at", "pk"),
        fields=("pk", "topic__title", "starts_at"),
        entry=entry or _consultation_entry(view, anchor),
        list_url=list_url,
    )


def _notice_entry(today) -> Callable[[dict], Entry]:
    """A notice due, with the last day it may go out (the start less the notice period)."""
    days = settings.SHANGLIANG_NOTICE_DAYS

    def entry(row: dict) -> Entry:
        last_day = timezone.localtime(row["starts_at"] - timedelta(days=days)).date()
        if last_day < today:
            when = _("已过通知期限，请调整协商时间")
        else:
            when = _("最晚%(date)s发出") % {"date": last_day.strftime("%m-%d")}
        label = f"{row['topic__title']} · {when}"
        return Entry(label, reverse("consultations:notice", args=[row["pk"]]))

    return entry


def _today_entry(row: dict) -> Entry:
    when = timezone.localtime(row["starts_at"]).strftime("%H:%M")
    return Entry(f"{when} {row['topic__title']}", reverse("consultations:detail", args=[row["pk"]]))


def _dissents_item(user, today) -> WaitingItem:
    """Dissents owed an explanation, per consultation, the earliest due first, each saying its due date
    or that it is overdue (the convener, and the station head of the township covering the village)."""
    qs = consultation_selectors.dissents_to_explain(user)
    groups = list(
        qs.order_by()
        .values("consultation_id", "consultation__topic__title")
        .annotate(n=Count("pk"), due=Min("explain_due_on"))
        .order_by(F("due").asc(nulls_last=True), "consultation_id")[: SHOWN + 1]
    )
    count = sum(g["n"] for g in groups) if len(groups) <= SHOWN else qs.count()

    def entry(g: dict) -> Entry:
        label = g["consultation__topic__title"]
        if g["n"] > 1:
            label = _("%(label)s（%(n)d）") % {"label": label, "n": g["n"]}
        if g["due"] is not None:
            due = g["due"].strftime("%m-%d")
            when = _("已逾期（期限%(date)s）") % {"date": due} if g["due"] < today else _("%(date)s前") % {"date": due}
            label = f"{label} · {when}"
        return Entry(label, reverse("consultations:resolution", args=[g["consultation_id"]]) + "#dissents")

    entries = tuple(entry(g) for g in groups[:SHOWN])
    list_url = f"{reverse('consultations:list')}?status={ConsultationStatus.HELD}"
    return WaitingItem(_("待解释说明的不同意见"), entries[0].url if len(groups) == 1 else list_url, count, entries)


def topic_items(user) -> list[WaitingItem]:
    counts = waiting_counts(user)
    queue = reverse("topics:queue")
    items = [
        WaitingItem(_("待筛查的诉求"), f"{queue}?tab=submissions&status=submitted", counts.to_screen),
        WaitingItem(_("待核实拟定"), f"{queue}?tab=submissions&status=accepted", counts.to_draft),
        WaitingItem(_("待我审定的议题"), f"{queue}?tab=approve", counts.to_approve),
    ]
    return [item for item in items if item.count]


def consultation_items(user) -> list[WaitingItem]:
    """Organisers (the convener): approved topics to plan, notices due, sessions today, minutes to
    confirm, resolutions to agree, dissents to explain, results to publish."""
    if not (user.is_superuser or role_names(user) & ORGANISERS):
        return []
    today = timezone.localdate()
    s = consultation_selectors
    plannable = s.topics_awaiting_plan(user)
    items = [
        listed(
            _("待安排协商的议题"),
            plannable,
            fields=("pk", "title"),
            entry=lambda row: Entry(row["title"], reverse("consultations:plan", args=[row["pk"]])),
            list_url=reverse("consultations:list"),
        ),
        _consultations(
            _("待发出事先通知"),
            s.notices_due(user, today),
            "consultations:notice",
            ConsultationStatus.PLANNED,
            entry=_notice_entry(today),
        ),
        _consultations(
            _("今天召开的协商"),
            s.sessions_today(user, today),
            "consultations:detail",
            ConsultationStatus.NOTIFIED,
            entry=_today_entry,
        ),
        _consultations(
            _("待确认的会议纪要"), s.minutes_to_confirm(user), "consultations:minutes", ConsultationStatus.HELD
        ),
        _consultations(
            _("待确认的协商意见"), s.resolutions_to_agree(user), "consultations:resolution", ConsultationStatus.HELD
        ),
        _dissents_item(user, today),
        _consultations(
            _("待公开的落实结果"),
            outcome_permissions.consultations_to_publish(user),
            "outcomes:consultation",
            ConsultationStatus.CONCLUDED,
            anchor="#publication",
        ),
    ]
    return [item for item in items if item.count]


def check_items(user) -> list[WaitingItem]:
    """Conveners (a village's items) and supervisors (the others): items the unit finished, to check (验收)."""
    if not (user.is_superuser or role_names(user) & (ORGANISERS | SUPERVISORS)):
        return []
    item = listed(
        _("办结待验收的事项"),
        assignments_to_check(user).order_by("done_at", "pk"),
        fields=("pk", "suggestion__text", "lead_unit__name"),
        entry=lambda row: Entry(
            f"{row['lead_unit__name']} · {row['suggestion__text'][:40]}",
            reverse("outcomes:assignment", args=[row["pk"]]),
        ),
        list_url=f"{reverse('outcomes:board')}?state={AssignmentStatus.FINISHED}",
    )
    return [item] if item.count else []


def assigner_items(user) -> list[WaitingItem]:
    """The party committee and government (approvers): reports received, suggestions waiting for 交办."""
    if not (user.is_superuser or role_names(user) & ASSIGNERS):
        return []
    items = [
        listed(
            _("收到的报送待答复"),
            outcome_permissions.reports_received_by(user).order_by("sent_at", "pk"),
            fields=("pk", "title"),
            entry=lambda row: Entry(row["title"], reverse("outcomes:report", args=[row["pk"]])),
            list_url=f"{reverse('outcomes:reports')}?show=received",
        ),
        grouped(
            _("待决定采纳的建议"),
            outcome_decisions.suggestions_to_decide(user),
            by="consultation_id",
            label="consultation__topic__title",
            url=lambda pk: reverse("outcomes:consultation", args=[pk]) + "#suggestions",
            list_url=f"{reverse('consultations:list')}?status={ConsultationStatus.CONCLUDED}",
        ),
        grouped(
            _("待交办的协商建议"),
            outcome_permissions.suggestions_to_assign(user),
            by="consultation_id",
            label="consultation__topic__title",
            url=lambda pk: reverse("outcomes:consultation", args=[pk]) + "#suggestions",
            list_url=f"{reverse('consultations:list')}?status={ConsultationStatus.CONCLUDED}",
        ),
    ]
    return [item for item in items if item.count]


def _reply_entry(today) -> Callable[[dict], Entry]:
    """A report owing its unit's written reply, with its due date or the days it is late."""

    def entry(row: dict) -> Entry:
        due = row["reply_due_on"]
        label = row["title"]
        if due is not None and due < today:
            label += " · " + _("答复已逾期%(days)d天") % {"days": (today - due).days}
        elif due is not None:
            label += " · " + _("%(date)s前答复") % {"date": due.strftime("%m-%d")}
        return Entry(label, reverse("outcomes:unit_report", args=[row["pk"]]) + "#reply-form")

    return entry


def outcome_items(user) -> list[WaitingItem]:
    """Unit liaisons: items to accept, their unit's overdue items and the reports owing its written reply.
    Supervisors: overdue items and extension requests. Organisers: entrusted reports still waiting for a
    written reply."""
    today = timezone.localdate()
    roles = role_names(user)
    is_root = user.is_superuser
    items = []
    units = liaison_unit_ids(user)
    if units:
        desk = reverse("outcomes:unit_desk")
        mine = outcome_selectors.assignments_of_units(units)
        to_accept = mine.filter(status=AssignmentStatus.ASSIGNED, lead_unit_id__in=units).count()
        overdue = mine.filter(outcome_selectors.overdue_q(today)).count()
        items += [
            WaitingItem(_("待签收的交办事项"), f"{desk}?tab=todo", to_accept),
            WaitingItem(_("本单位逾期事项"), f"{desk}?tab=overdue", overdue),
            listed(
                _("待书面答复的报送"),
                outcome_permissions.reports_to_answer(user).order_by("reply_due_on", "sent_at", "pk"),
                fields=("pk", "title", "reply_due_on"),
                entry=_reply_entry(today),
                list_url=f"{reverse('outcomes:unit_reports')}?show=awaiting",
            ),
        ]
    if is_root or roles & SUPERVISORS:
        board = reverse("outcomes:board")
        visible = assignments_visible_to(user)
        overdue = visible.filter(outcome_selectors.overdue_q(today)).count()
        extensions = outcome_selectors.pending_extensions(visible).count()
        items += [
            WaitingItem(_("逾期未办结事项"), f"{board}?state=overdue", overdue),
            WaitingItem(_("待审批的延期申请"), f"{board}#extensions", extensions),
        ]
    if is_root or roles & ORGANISERS:
        reports = reverse("outcomes:reports")
        reports_visible = outcome_selectors.reports_of(consultations_visible_to(user))
        late = outcome_selectors.replies_late(reports_visible, today).count()
        items.append(WaitingItem(_("书面答复已超期的委托事项"), f"{reports}?show=late", late))
    return [item for item in items if item.count]


def evaluation_items(user) -> list[WaitingItem]:
    """Organisers and supervisors: follow-ups (回访重办) still open in their regions, and the overdue ones."""
    roles = role_names(user)
    if not (user.is_superuser or roles & (ORGANISERS | SUPERVISORS)):
        return []
    open_ones = follow_ups_visible_to(user).filter(status=FollowUpStatus.OPEN)
    counts = open_ones.aggregate(open=Count("pk"), overdue=Count("pk", filter=Q(deadline__lt=timezone.localdate())))
    url = reverse("evaluation:follow_ups")
    items = [
        WaitingItem(_("逾期未完成的回访重办"), url, counts["overdue"]),
        WaitingItem(_("进行中的回访重办"), url, counts["open"] - counts["overdue"]),
    ]
    return [item for item in items if item.count]


def linkage_items(user) -> list[WaitingItem]:
    """镇村联动: the township station's topics handed up by villages, still to verify, draft and submit; the
    village convener's items handed down by the township, still open. One query each (none without the role)."""
    items = [
        listed(
            _("村（社区）提请的议题"),
            linkage.escalations_to_draft(user).order_by("created_at", "pk"),
            fields=("pk", "title", "escalated_from__convening_region__name"),
            entry=lambda row: Entry(
                f"{row['escalated_from__convening_region__name']} · {row['title']}",
                reverse("topics:topic_detail", args=[row["pk"]]),
            ),
            list_url=f"{reverse('topics:queue')}?tab=topics",
        ),
        listed(
            _("乡镇（街道）下达的事项"),
            handdown.open_handed_down_to(user).order_by("deadline", "pk"),
            fields=("pk", "suggestion__text", "deadline"),
            entry=lambda row: Entry(
                f"{row['suggestion__text'][:40]} · {row['deadline']:%m-%d}",
                reverse("outcomes:assignment", args=[row["pk"]]),
            ),
            list_url=reverse("outcomes:handdown"),
        ),
    ]
    return [item for item in items if item.count]


def legal_review_items(user) -> list[WaitingItem]:
    """The township government's legal reviewer: village resolutions agreed in the township, not yet reviewed
    and not yet reported (those the district requires and the optional ones alike). One query."""
    if not (user.is_superuser or role_names(user) & LEGAL_REVIEWERS):
        return []
    item = listed(
        _("待合法性审查的村（社区）协商结果"),
        legal.reviews_due(user).order_by("concluded_at", "pk"),
        fields=("pk", "topic__title", "topic__convening_region__name"),
        entry=lambda row: Entry(
            f"{row['topic__convening_region__name']} · {row['topic__title']}",
            reverse("consultations:legal_review", args=[row["pk"]]),
        ),
        list_url=f"{reverse('consultations:list')}?status={ConsultationStatus.CONCLUDED}",
    )
    return [item] if item.count else []


def _fund_entry(row: dict) -> Entry:
    label = f"{row['account__village__name']} · {row['purpose']} · {row['amount']:,.2f}" + _("元")
    return Entry(label, reverse("funds:entry", args=[row["pk"]]))


def fund_items(user) -> list[WaitingItem]:
    """The consultation fund: spending waiting for the user's approval step (as the district's rules say), and
    for the account's keepers approved spending whose payment is still to be registered. One query each."""
    roles = role_names(user)
    if not (user.is_superuser or roles & fund_permissions.READERS):
        return []
    fields = ("pk", "purpose", "amount", "account__village__name")
    items = [
        listed(
            _("待审批的协商资金支出"),
            fund_permissions.entries_to_approve(user).order_by("requested_at", "pk"),
            fields=fields,
            entry=_fund_entry,
            list_url=reverse("funds:approvals"),
        )
    ]
    if user.is_superuser or roles & fund_permissions.KEEPERS:
        to_pay = fund_permissions.entries_to_pay(user).order_by("approved_at", "pk")
        items.append(
            listed(
                _("已批准待支付的协商资金支出"),
                to_pay,
                fields=fields,
                entry=_fund_entry,
                list_url=reverse("funds:accounts"),
            )
        )
    return [item for item in items if item.count]


def publicity_items(user) -> list[WaitingItem]:
    """Writers: their own news drafts not yet published, their archive drafts, and the consultations they run
    starting soon with no session announcement (提前公布协商的内容、形式及过程). One query each."""
    roles = role_names(user)
    if not (user.is_superuser or roles & PUBLICITY_ARCHIVISTS):
        return []
    items = [
        listed(
            _("未发布的新闻公告草稿"),
            publicity_selectors.drafts_of(user).order_by("-updated_at", "-pk"),
            fields=("pk", "title"),
            entry=lambda row: Entry(row["title"], reverse("publicity:detail", args=[row["pk"]])),
            list_url=f"{reverse('publicity:manage')}?status=draft",
        ),
        listed(
            _("未发布的理论研究与经验交流文档"),
            publicity_selectors.document_drafts_of(user).order_by("-updated_at", "-pk"),
            fields=("pk", "title"),
            entry=lambda row: Entry(row["title"], reverse("publicity:document", args=[row["pk"]])),
            list_url=reverse("publicity:archive"),
        ),
    ]
    if user.is_superuser or roles & PUBLICITY_WRITERS:
        items.append(
            listed(
                _("即将召开、尚未发布协商预告的协商"),
                publicity_selectors.unannounced_consultations(user).order_by("starts_at", "pk"),
                fields=("pk", "topic__title", "starts_at"),
                entry=lambda row: Entry(
                    f"{timezone.localtime(row['starts_at']):%m-%d} · {row['topic__title']}",
                    reverse("publicity:preview_new", args=[row["pk"]]),
                ),
                list_url=reverse("publicity:upcoming"),
            )
        )
    return [item for item in items if item.count]


def reception_items(user) -> list[WaitingItem]:
    """Those who receive residents (the member, the platform's keeper, the station): bookings still open,
    soonest first, to call back before and to record after (已接待/未到). Members of the CPPCC office and
    station heads: members' requests to join a station. One query each."""
    items = [
        listed(
            _("群众预约待接待"),
            reception.appointments_waiting(user),
            fields=("pk", "slot_id", "slot__starts_at", "slot__platform__name"),
            entry=lambda row: Entry(
                f"{timezone.localtime(row['slot__starts_at']):%m-%d %H:%M} · {row['slot__platform__name']}",
                reverse("orgs:slot_detail", args=[row["slot_id"]]) + f"#appointment-{row['pk']}",
            ),
            list_url=reverse("orgs:reception_home"),
        )
    ]
    if user.is_superuser or role_names(user) & joining.DECIDERS:
        items.append(
            listed(
                _("待审核的委员下沉申请"),
                joining.requests_to_decide(user),
                fields=("pk", "member__name", "platform__name"),
                entry=lambda row: Entry(
                    f"{row['member__name']} → {row['platform__name']}", reverse("orgs:join_decide", args=[row["pk"]])
                ),
                list_url=reverse("orgs:join_queue"),
            )
        )
    return [item for item in items if item.count]


def _event_entry(row: dict) -> Entry:
    when = timezone.localtime(row["starts_at"]).strftime("%m-%d %H:%M")
    return Entry(f"{when} · {row['title']}", reverse("events:detail", args=[row["pk"]]))


def event_items(user) -> list[WaitingItem]:
    """Briefings, lectures and training of the platforms the user runs: planned this week (print the sign-in
    QR), over but not yet recorded as held or cancelled, and residents' questions to answer. One query each."""
    if not (user.is_superuser or role_names(user) & event_permissions.ORGANISERS):
        return []
    events = event_permissions.events_run_by(user)
    fields = ("pk", "title", "starts_at")
    list_url = reverse("events:list")
    items = [
        listed(
            _("本周的宣讲培训活动"),
            event_selectors.coming_this_week(events).order_by("starts_at", "pk"),
            fields=fields,
            entry=_event_entry,
            list_url=f"{list_url}?status=planned",
        ),
        listed(
            _("待记录举办情况的宣讲培训活动"),
            event_selectors.to_record(events).order_by("starts_at", "pk"),
            fields=fields,
            entry=_event_entry,
            list_url=f"{list_url}?status=planned",
        ),
        grouped(
            _("待答复的群众提问"),
            event_selectors.questions_waiting(events),
            by="event_id",
            label="event__title",
            url=lambda pk: reverse("events:detail", args=[pk]) + "#questions",
            list_url=list_url,
        ),
    ]
    return [item for item in items if item.count]


def handoff_items(user) -> list[WaitingItem]:
    """Whoever handed a matter to another channel: hand-offs still unanswered past the period
    (``SHANGLIANG_HANDOFF_ANSWER_DAYS``), the oldest first, to chase the answer. One query."""
    item = listed(
        _("转交其他渠道超期未答复"),
        handoff_selectors.awaiting_answer(Handoff.objects.filter(handed_by=user)),
        fields=("pk", "channel", "unit__name", "recipient", "handed_at"),
        entry=lambda row: Entry(
            f"{timezone.localtime(row['handed_at']):%m-%d} · {HandoffChannel(row['channel']).label} · "
            f"{row['unit__name'] or row['recipient']}",
            reverse("handoffs:detail", args=[row["pk"]]),
        ),
        list_url=f"{reverse('handoffs:list')}?overdue=on",
    )
    return [item] if item.count else []


def hotline_items(user) -> list[WaitingItem]:
    """The district office and the stations: hotline records whose place waits for a check, and the open hot
    issues to weigh (make a topic, or 不作为议题), the hottest first. Two or three queries."""
    if not hotline_permissions.can_manage(user):
        return []
    review = hotline_selectors.review_queue(hotline_permissions.records_visible_to(user)).count()
    issues = listed(
        _("待研判的热点诉求"),
        hotline_selectors.open_issues(hotline_permissions.issues_visible_to(user)),
        fields=("pk", "title", "record_count"),
        entry=lambda row: Entry(
            _("%(title)s（%(n)d条）") % {"title": row["title"], "n": row["record_count"]},
            reverse("hotline:issue", args=[row["pk"]]),
        ),
        list_url=reverse("hotline:issues"),
    )
    items = [WaitingItem(_("地点待核对的热线记录"), f"{reverse('hotline:records')}?place=review", review), issues]
    return [item for item in items if item.count]


PROVIDERS = [
    topic_items,
    linkage_items,
    consultation_items,
    legal_review_items,
    check_items,
    assigner_items,
    outcome_items,
    evaluation_items,
    publicity_items,
    fund_items,
    reception_items,
    handoff_items,
    event_items,
    hotline_items,
]


def waiting_for(user) -> list[WaitingItem]:
    if not user.is_authenticated:
        return []
    items = []
    for provider in PROVIDERS:
        items.extend(provider(user))
    return items
