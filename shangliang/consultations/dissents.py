"""Dissent answered before the matter moves on; contested items decided by the assembly (issue 15, 1–2).

- 003: 对协商过程中持不同意见的群众，协商组织者要及时做好解释说明工作. Each dissent is due an explanation
  by the session's end plus ``SHANGLIANG_DISSENT_EXPLAIN_DAYS``; the convener may record instead why
  none could be given (``ExplanationOutcome.UNABLE``). A view kept after explanation against a
  resolution item makes the item contested.
- 003: 通过协商无法解决或存在较大争议的问题或事项，应当提交村（居）民会议或者村（居）民代表会议决定.
  A contested item waits for the assembly's vote; the vote, with its quorum checked against the
  village's registered electorate or representatives (村民委员会组织法 art. 22, 26), decides it:
  adopted, changed (the new text replaces it, the original is kept) or dropped.

``services`` keeps the public names (``dissent_explain``, ``assembly_vote_add`` …) and delegates here.
"""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, F, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations.models import AssemblyVote, Consultation, Dissent, Suggestion
from shangliang.consultations.states import (
    EXPLANATION_MOVES,
    AssemblyBody,
    ConsultationStatus,
    ExplanationOutcome,
    VoteResult,
)
from shangliang.core.errors import DomainError
from shangliang.core.records import save_record
from shangliang.core.transitions import ensure_move
from shangliang.core.workdays import deadline_on
from shangliang.orgs.models import Region
from shangliang.orgs.states import RegionLevel

AFTER_SESSION = {ConsultationStatus.HELD, ConsultationStatus.CONCLUDED}
CONTEST_REASON_MAX = Suggestion._meta.get_field("contest_reason").max_length


def may_decide(actor, consultation: Consultation) -> bool:
    """The convener (or a superuser) answers for the consultation's record of what could not be done."""
    return bool(getattr(actor, "is_superuser", False)) or (actor is not None and actor.pk == consultation.convener_id)


# --- due dates ---------------------------------------------------------------------------------


def explain_due_on(consultation: Consultation) -> date | None:
    """By when a dissent of ``consultation`` must be explained: the session's end (local date) plus the
    configured days (calendar or working days, ``SHANGLIANG_DEADLINE_COUNTING``); None while the session
    has not ended."""
    if consultation.held_at is None:
        return None
    held_on = timezone.localtime(consultation.held_at).date()
    return deadline_on("dissent_explain", held_on, settings.SHANGLIANG_DISSENT_EXPLAIN_DAYS)


def dissents_set_due(*, actor, consultation: Consultation, now=None) -> int:
    """Give every dissent of the closed session its due date (those carried at the close included)."""
    due = explain_due_on(consultation)
    if due is None:
        return 0
    undated = Dissent.all_objects.filter(consultation=consultation, explain_due_on__isnull=True)
    count = 0
    for dissent in undated.select_for_update():
        dissent.explain_due_on = due
        save_record(dissent, actor=actor, reason="dissent.due_set", update_fields=["explain_due_on"], now=now)
        count += 1
    return count


def is_overdue(dissent: Dissent, today: date | None = None) -> bool:
    """Still waiting for its explanation after its due date."""
    today = today or timezone.localdate()
    return (
        dissent.outcome == ExplanationOutcome.PENDING
        and dissent.explain_due_on is not None
        and dissent.explain_due_on < today
    )


# --- the explanation ---------------------------------------------------------------------------


def item_of(consultation: Consultation, suggestion, field: str) -> Suggestion | None:
    """``suggestion`` checked to be an item (in force) of ``consultation``; None stays None."""
    if suggestion is None:
        return None
    if suggestion.consultation_id != consultation.pk or suggestion.withdrawn_at is not None:
        raise DomainError(_("请选择本次协商意见中的建议。"), field=field)
    return suggestion


def _assigned(suggestion: Suggestion) -> bool:
    # ``assignments`` belongs to the outcome stage; its reverse name is all this stage needs to know.
    return suggestion.assignments.exists()


def _contest(suggestion: Suggestion, *, actor, reason: str, now=None) -> Suggestion:
    suggestion.contested_at = now or timezone.now()
    suggestion.contested_by = actor
    suggestion.contest_reason = reason[:CONTEST_REASON_MAX]
    return save_record(
        suggestion,
        actor=actor,
        reason="suggestion.contested",
        note=reason,
        update_fields=["contested_at", "contested_by", "contest_reason"],
        now=now,
    )


@transaction.atomic
def dissent_explain(
    *, actor, dissent: Dissent, method: str, explanation: str, outcome: str, suggestion=None, now=None
) -> Dissent:
    """Record who explained, when, how, and whether the person accepts it (解释说明).

    ``UNABLE``: no explanation could be given; ``explanation`` is the reason (本人拒绝见面), recorded by
    the convener only. ``RESERVED`` against an item (``suggestion``, or the one named when the dissent
    was recorded) makes that item contested, unless it is already contested, voted or assigned.
    """
    method, explanation = (method or "").strip(), (explanation or "").strip()
    if outcome not in {ExplanationOutcome.ACCEPTED, ExplanationOutcome.RESERVED, ExplanationOutcome.UNABLE}:
        raise DomainError(_("请选择解释结果。"), field="outcome")
    dissent = Dissent.objects.select_for_update().select_related("consultation").get(pk=dissent.pk)
    consultation = dissent.consultation
    # An explanation is recorded once (``EXPLANATION_MOVES``).
    ensure_move(dissent, to=outcome, moves=EXPLANATION_MOVES, field="outcome")
    if outcome == ExplanationOutcome.UNABLE:
        if not may_decide(actor, consultation):
            raise DomainError(_("确实无法解释说明的，由召集人记录原因。"), field="outcome")
        if not explanation:
            raise DomainError(_("请写明未能解释说明的原因（如本人拒绝见面）。"), field="explanation")
    else:
        if not method:
            raise DomainError(_("请填写解释方式。"), field="method")
        if not explanation:
            raise DomainError(_("请填写解释说明。"), field="explanation")
    item = item_of(consultation, suggestion, "suggestion")
    now = now or timezone.now()
    dissent.explained_by, dissent.explained_at = actor, now
    dissent.explanation_method, dissent.explanation, dissent.outcome = method, explanation, outcome
    if item is not None:
        dissent.suggestion = item
    if dissent.explain_due_on is None:
        dissent.explain_due_on = explain_due_on(consultation)
    save_record(dissent, actor=actor, reason="dissent.explained", now=now)
    if outcome == ExplanationOutcome.RESERVED and dissent.suggestion_id:
        item = Suggestion.all_objects.select_for_update().get(pk=dissent.suggestion_id)
        if item.withdrawn_at is None and not item.is_contested and not item.vote_result and not _assigned(item):
            reason = _("不同意见经解释说明后仍保留（%(holder)s）") % {"holder": dissent.holder}
            _contest(item, actor=actor, reason=reason, now=now)
    return dissent


# --- contested items ---------------------------------------------------------------------------


def _locked_item(suggestion: Suggestion) -> Suggestion:
    suggestion = Suggestion.all_objects.select_for_update().select_related("consultation").get(pk=suggestion.pk)
    if suggestion.withdrawn_at is not None:
        raise DomainError(_("这条建议已经撤回。"))
    return suggestion


@transaction.atomic
def suggestion_contest(*, actor, suggestion: Suggestion, reason: str, now=None) -> Suggestion:
    """The convener marks an item contested (存在较大争议): it waits for the assembly's vote.

    After the session, before the item is assigned; the reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明争议情况。"), field="reason")
    suggestion = _locked_item(suggestion)
    consultation = suggestion.consultation
    if not may_decide(actor, consultation):
        raise DomainError(_("争议事项由召集人确定。"), field="reason")
    if consultation.status not in AFTER_SESSION:
        raise DomainError(_("协商结束后才能将建议列为争议事项。"), field="reason")
    if suggestion.is_contested:
        raise DomainError(_("这条建议已列为争议事项。"), field="reason")
    if suggestion.vote_result:
        raise DomainError(_("这条建议已经会议表决。"), field="reason")
    if _assigned(suggestion):
        raise DomainError(_("已交办的建议不能再列为争议事项。"), field="reason")
    return _contest(suggestion, actor=actor, reason=reason, now=now)


@transaction.atomic
def suggestion_uncontest(*, actor, suggestion: Suggestion, reason: str, now=None) -> Suggestion:
    """The convener takes the contested mark off (the dispute was settled), while no vote is recorded."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请写明取消争议标记的原因。"), field="reason")
    suggestion = _locked_item(suggestion)
    if not may_decide(actor, suggestion.consultation):
        raise DomainError(_("争议事项由召集人确定。"), field="reason")
    if not suggestion.is_contested:
        raise DomainError(_("这条建议没有列为争议事项。"), field="reason")
    if suggestion.vote_result or suggestion.votes.exists():
        raise DomainError(_("已经记录表决的争议事项不能取消标记。"), field="reason")
    suggestion.contested_at, suggestion.contested_by, suggestion.contest_reason = None, None, ""
    return save_record(
        suggestion,
        actor=actor,
        reason="suggestion.uncontested",
        note=reason,
        update_fields=["contested_at", "contested_by", "contest_reason"],
        now=now,
    )


def awaiting_vote(consultation: Consultation):
    """The contested items of ``consultation`` the assembly has not decided yet (the vote form's choices)."""
    return consultation.suggestions.filter(contested_at__isnull=False, vote_result="")


# --- the assembly's vote -----------------------------------------------------------------------


def village_of(consultation: Consultation) -> Region | None:
    """The village whose assembly decides: the topic's convening region, or a grid's (group's) village.
    None for a township or district matter (no villagers' assembly of its own)."""
    region = consultation.topic.convening_region
    if region.level == RegionLevel.GRID:
        region = region.parent
    return region if region is not None and region.level == RegionLevel.VILLAGE else None


def _quorum(village: Region | None, body: str, attendees: int) -> int:
    """Check the quorum of ``body`` against the village's register; returns the eligible count."""
    if village is None:
        raise DomainError(_("村（居）民会议或代表会议表决只适用于村（社区）协商的事项。"), field="body")
    if body == AssemblyBody.VILLAGERS:
        eligible = village.electorate
        if not eligible:
            raise DomainError(_("请先由管理员登记本村选民数。"), field="body")
        needed = eligible // 2 + 1
        if attendees < needed:
            raise DomainError(
                _(
                    "村（居）民会议须有本村过半数有选举权的村（居）民参加：登记选民%(eligible)d人，"
                    "到会%(attendees)d人，至少须%(needed)d人。"
                )
                % {"eligible": eligible, "attendees": attendees, "needed": needed},
                field="attendees",
            )
    elif body == AssemblyBody.REPRESENTATIVES:
        eligible = village.representatives
        if not eligible:
            raise DomainError(_("请先由管理员登记本村代表人数。"), field="body")
        needed = -(-2 * eligible // 3)  # two thirds, rounded up
        if attendees < needed:
            raise DomainError(
                _(
                    "村（居）民代表会议须有三分之二以上的组成人员参加：登记代表%(eligible)d人，"
                    "到会%(attendees)d人，至少须%(needed)d人。"
                )
                % {"eligible": eligible, "attendees": attendees, "needed": needed},
                field="attendees",
            )
    else:
        raise DomainError(_("请选择表决会议。"), field="body")
    if attendees > eligible:
        raise DomainError(
            _("到会人数（%(attendees)d）超过登记的应到人数（%(eligible)d）。")
            % {"attendees": attendees, "eligible": eligible},
            field="attendees",
        )
    return eligible


def _check_result(result: str, *, attendees: int, votes_for: int, changed_text: str) -> None:
    if result not in VoteResult.values:
        raise DomainError(_("请选择表决结论。"), field="result")
    majority = votes_for * 2 > attendees
    if result in {VoteResult.ADOPTED, VoteResult.CHANGED} and not majority:
        raise DomainError(
            _("表决通过须经到会人员过半数同意：到会%(attendees)d人，赞成%(votes_for)d票，至少须%(needed)d票。")
            % {"attendees": attendees, "votes_for": votes_for, "needed": attendees // 2 + 1},
            field="votes_for",
        )
    if result == VoteResult.DROPPED and majority:
        raise DomainError(_("赞成票已过到会人数半数，表决结论应为通过。"), field="result")
    if result == VoteResult.CHANGED and not changed_text:
        raise DomainError(_("修改后通过的，请填写修改后的建议。"), field="changed_text")


@transaction.atomic
def assembly_vote_add(
    *,
    actor,
    consultation: Consultation,
    body: str,
    held_on,
    matter: str = "",
    attendees: int,
    votes_for: int,
    votes_against: int,
    abstentions: int,
    decision: str = "",
    suggestion=None,
    result: str = "",
    changed_text: str = "",
) -> AssemblyVote:
    """Record the assembly's vote on a contested item and decide the item by it.

    The quorum is checked against the village's register (``eligible`` is kept with the vote); an
    adopted or changed item needs more than half of those present. One decisive vote per item.
    ``suggestion`` may be left out for a matter recorded in words only (no item is decided then).
    """
    consultation = (
        # Lock the consultation only: PostgreSQL cannot lock the nullable side of the parent's outer join.
        Consultation.objects.select_for_update(of=("self",))
        .select_related("topic__convening_region__parent")
        .get(pk=consultation.pk)
    )
    if consultation.status not in AFTER_SESSION:
        raise DomainError(_("会后才能记录表决。"))
    matter, decision, changed_text = (matter or "").strip(), (decision or "").strip(), (changed_text or "").strip()
    if votes_for + votes_against + abstentions > attendees:
        raise DomainError(_("赞成、反对、弃权合计不能超过到会人数。"), field="attendees")
    item = item_of(consultation, suggestion, "suggestion")
    if item is not None:
        item = Suggestion.all_objects.select_for_update().get(pk=item.pk)
        if not item.is_contested:
            raise DomainError(_("只有列为争议事项的建议才提交会议表决。"), field="suggestion")
        if item.vote_result:
            raise DomainError(
                _("这条建议已经表决：%(result)s。") % {"result": item.get_vote_result_display()}, field="suggestion"
            )
        _check_result(result, attendees=attendees, votes_for=votes_for, changed_text=changed_text)
        matter = matter or item.text
    elif result:
        raise DomainError(_("请选择表决的建议。"), field="suggestion")
    if not matter:
        raise DomainError(_("请填写表决事项。"), field="matter")
    eligible = _quorum(village_of(consultation), body, attendees)
    if not decision:
        decision = VoteResult(result).label if result else ""
        if result == VoteResult.CHANGED:
            decision = f"{decision}：{changed_text}"
    if not decision:
        raise DomainError(_("请填写表决结果。"), field="decision")
    vote = save_record(
        AssemblyVote(
            consultation=consultation,
            suggestion=item,
            body=body,
            held_on=held_on,
            matter=matter,
            attendees=attendees,
            votes_for=votes_for,
            votes_against=votes_against,
            abstentions=abstentions,
            decision=decision,
            eligible=eligible,
            result=result,
            changed_text=changed_text if result == VoteResult.CHANGED else "",
            recorded_by=actor,
        ),
        actor=actor,
        reason="assembly_vote.added",
    )
    if item is not None:
        fields = ["vote_result"]
        item.vote_result = result
        if result == VoteResult.CHANGED:
            if not item.original_text:
                item.original_text = item.text
                fields.append("original_text")
            item.text = changed_text
            fields.append("text")
        save_record(item, actor=actor, reason="suggestion.voted", note=decision, update_fields=fields)
    return vote


# --- what the public is told -------------------------------------------------------------------


def dissent_summary(consultation: Consultation) -> str:
    """One sentence for residents: how many dissents were recorded and how each was answered. No names.

    "协商中记录不同意见3条，均已解释说明（2条理解认可，1条仍保留意见并提交村民代表会议表决）"; empty
    when there were none."""
    rows = list(Dissent.objects.filter(consultation=consultation).values_list("outcome", "suggestion__contested_at"))
    if not rows:
        return ""
    total = len(rows)
    accepted = sum(1 for outcome, _c in rows if outcome == ExplanationOutcome.ACCEPTED)
    reserved = sum(1 for outcome, _c in rows if outcome == ExplanationOutcome.RESERVED)
    voted = sum(1 for outcome, contested in rows if outcome == ExplanationOutcome.RESERVED and contested)
    unable = sum(1 for outcome, _c in rows if outcome == ExplanationOutcome.UNABLE)
    pending = total - accepted - reserved - unable
    parts = []
    if accepted:
        parts.append(_("%(n)d条理解认可") % {"n": accepted})
    if voted:
        parts.append(_("%(n)d条仍保留意见并提交村（居）民会议或代表会议表决") % {"n": voted})
    if reserved - voted:
        parts.append(_("%(n)d条仍保留意见") % {"n": reserved - voted})
    if unable:
        parts.append(_("%(n)d条因故未能当面解释，已记录原因") % {"n": unable})
    detail = "，".join(parts)
    if pending:
        head = _("协商中记录不同意见%(total)d条，已解释说明%(done)d条，%(pending)d条正在解释说明") % {
            "total": total,
            "done": total - pending,
            "pending": pending,
        }
    else:
        head = _("协商中记录不同意见%(total)d条，均已解释说明") % {"total": total}
    return f"{head}（{detail}）。" if detail else f"{head}。"


# --- who is owed an explanation ----------------------------------------------------------------


def owed_by_consultation(consultations, today: date | None = None, limit: int = 100) -> list[dict]:
    """Dissents still owed an explanation in ``consultations`` (a queryset), one row per consultation:
    ``pk``, ``title``, ``platform``, ``n`` and the earliest ``due`` date, with ``overdue``; overdue
    (earliest due) first. One query."""
    today = today or timezone.localdate()
    rows = list(
        Dissent.objects.filter(
            outcome=ExplanationOutcome.PENDING,
            consultation__in=consultations,
            consultation__status__in=AFTER_SESSION,
        )
        .order_by()
        .values("consultation_id", "consultation__topic__title", "consultation__platform__name")
        .annotate(n=Count("pk"), due=Min("explain_due_on"))
        .order_by(F("due").asc(nulls_last=True), "consultation_id")[:limit]
    )
    return [
        {
            "pk": row["consultation_id"],
            "title": row["consultation__topic__title"],
            "platform": row["consultation__platform__name"],
            "n": row["n"],
            "due": row["due"],
            "overdue": row["due"] is not None and row["due"] < today,
        }
        for row in rows
    ]
