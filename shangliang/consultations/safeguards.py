"""The safeguards that hold a resolution back until they are met, whoever asks to move it on.

- Every dissent is answered (explained, or the convener recorded why it could not be) before the
  report is sent or the results are published (003: 对持不同意见的群众…做好解释说明工作).
- A contested item waits for the assembly's vote; an item the vote dropped, or the party committee
  and government did not adopt, is never assigned (003: 提交村（居）民会议或代表会议决定).
- Where the district requires it, a village resolution is reviewed by the township government before
  it is reported or assigned (003: 协商结果违反法律法规的，基层政府应当依法纠正).

Each check answers with the refusal in words (empty when the step may go ahead); the services of
the outcome stage raise it.
"""

from django.db.models import Q
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation, Dissent, LegalReview, ProcedureRules, Suggestion
from shangliang.consultations.states import ExplanationOutcome, LegalReviewMode, SuggestionDecision, VoteResult
from shangliang.orgs.selectors import district_pk
from shangliang.topics import elsewhere
from shangliang.topics.states import ConveningLevel


def not_taken_q(prefix: str = "") -> Q:
    """Items the party committee and government will not carry out: not adopted, deferred or dropped by
    the assembly's vote, or handed to another channel that settles them (``topics.elsewhere``: a CPPCC
    proposal, the government directly …). They are settled without an assignment; completion and
    figures leave them out. ``prefix`` reaches suggestions from another model ("suggestions__")."""
    return (
        Q(**{f"{prefix}decision__in": [SuggestionDecision.NOT_ADOPTED, SuggestionDecision.DEFERRED]})
        | Q(**{f"{prefix}vote_result": VoteResult.DROPPED})
        | elsewhere.handed_off_q("suggestion", prefix)
    )


# Resolutions of these levels are village (community) self-government: the township reviews them.
VILLAGE_LEVELS = frozenset({ConveningLevel.VILLAGE, ConveningLevel.GRID})


def rules_for(consultation: Consultation) -> ProcedureRules | None:
    """The procedure rules of the consultation's district, or None (no hearings required, review optional)."""
    district = district_pk(consultation.topic.convening_region)
    return ProcedureRules.objects.filter(district_id=district).first()


def legal_review_required(consultation: Consultation) -> bool:
    """Whether the district requires the township's legal review of this resolution before it moves on."""
    if consultation.topic.convening_level not in VILLAGE_LEVELS:
        return False
    rules = rules_for(consultation)
    if rules is None or rules.legal_review == LegalReviewMode.OPTIONAL:
        return False
    if rules.legal_review == LegalReviewMode.ALL:
        return True
    return rules.legal_review_categories.filter(pk=consultation.topic.category_id).exists()


def dissents_owed(consultation: Consultation) -> int:
    """Dissents of the consultation still waiting for their explanation."""
    return Dissent.objects.filter(consultation=consultation, outcome=ExplanationOutcome.PENDING).count()


def _dissent_refusal(consultation: Consultation, step: str) -> str:
    owed = dissents_owed(consultation)
    if not owed:
        return ""
    return _("还有%(n)d条不同意见未作解释说明，%(step)s前须逐一解释说明（确实无法解释的，由召集人记录原因）。") % {
        "n": owed,
        "step": step,
    }


def _review_refusal(consultation: Consultation) -> str:
    if legal_review_required(consultation) and not LegalReview.objects.filter(consultation=consultation).exists():
        return _("本区规定村（社区）协商结果须经乡镇（街道）政府合法性审查，审查后才能报送或交办。")
    return ""


def report_refusal(consultation: Consultation) -> str:
    """Why the outcome report cannot be sent yet: dissents owed an explanation, a legal review missing."""
    return _dissent_refusal(consultation, _("报送")) or _review_refusal(consultation)


def publish_refusal(consultation: Consultation) -> str:
    """Why the results cannot be published yet: dissents owed an explanation."""
    return _dissent_refusal(consultation, _("公开结果"))


def assign_refusal(suggestion: Suggestion) -> str:
    """Why this item cannot be assigned: awaiting the assembly's vote, dropped, not adopted, not reviewed."""
    if suggestion.awaits_vote:
        return _("该建议存在较大争议，须提交村（居）民会议或村（居）民代表会议表决后才能交办。")
    if suggestion.vote_result == VoteResult.DROPPED:
        return _("该建议经会议表决未通过，不能交办。")
    if suggestion.decision == SuggestionDecision.NOT_ADOPTED:
        return _("该建议已决定不予采纳，不能交办。")
    if suggestion.decision == SuggestionDecision.DEFERRED:
        return _("该建议已决定暂缓采纳；如需交办，请先改为采纳。")
    if Suggestion.all_objects.filter(elsewhere.handed_off_q("suggestion"), pk=suggestion.pk).exists():
        return _("该建议已转交其他渠道办理，不再交办；如需交办，请先撤回转交。")
    return _review_refusal(suggestion.consultation)


def suggestion_marks(suggestion: Suggestion, *, decision: bool = True) -> list[tuple[str, str]]:
    """What happened to an item beyond the session, as (tone, words): contested, voted, corrected,
    decided. The three lists, the resolution, the public result and the printed sheets all say it so.

    ``tone`` is ``warn`` (waiting), ``ok`` or ``no``. ``decision=False`` leaves out the decision (not
    adopted, deferred) for pages that state it with its reason on their own."""
    marks = []
    if suggestion.solved_on_spot_at:
        marks.append(
            ("ok", _("当场解决：%(by)s，%(note)s") % {"by": suggestion.solved_by, "note": suggestion.solved_note})
        )
    if suggestion.awaits_vote:
        marks.append(("warn", _("存在较大争议，待村（居）民会议或代表会议表决")))
    if suggestion.vote_result:
        tone = "no" if suggestion.vote_result == VoteResult.DROPPED else "ok"
        marks.append((tone, _("会议表决：%(result)s") % {"result": suggestion.get_vote_result_display()}))
    if suggestion.corrected_at:
        marks.append(("no", _("经乡镇（街道）政府依法纠正，依据：%(basis)s") % {"basis": suggestion.legal_basis}))
    if suggestion.original_text and suggestion.original_text != suggestion.text:
        marks.append(("", _("原建议：%(text)s") % {"text": suggestion.original_text}))
    if decision and suggestion.decision in {SuggestionDecision.NOT_ADOPTED, SuggestionDecision.DEFERRED}:
        marks.append(
            (
                "no" if suggestion.decision == SuggestionDecision.NOT_ADOPTED else "warn",
                _("%(decision)s：%(reason)s")
                % {"decision": suggestion.get_decision_display(), "reason": suggestion.decision_reason},
            )
        )
    return marks


def suggestion_marks_text(suggestion: Suggestion) -> str:
    """The marks as one line, for spreadsheets and printed documents."""
    return "；".join(words for _tone, words in suggestion_marks(suggestion))
