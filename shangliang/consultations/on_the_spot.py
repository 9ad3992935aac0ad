"""Problems solved on the spot (当场解决): a statement or a suggestion whose matter was settled in the
session itself, by whom and how.

It counts among the practical problems solved (``docs/figures.md``, ``dashboard.seed_figures``). The
mark follows the correction windows of the record: a statement from the opening of the session until
the minutes are confirmed, a suggestion while the resolution is being drawn up (held, not concluded).
Undoing the mark keeps who marked it and why it was undone in the history; nothing is deleted.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.consultations import services
from shangliang.consultations.models import Statement, Suggestion
from shangliang.core.errors import DomainError
from shangliang.core.records import save_record

FIELDS = ["solved_on_spot_at", "solved_by", "solved_note", "solved_recorded_by"]


def _check(solved_by: str, note: str) -> tuple[str, str]:
    solved_by, note = (solved_by or "").strip(), (note or "").strip()
    if not solved_by:
        raise DomainError(_("请写明当场解决的单位或人员。"), field="solved_by")
    if not note:
        raise DomainError(_("请写明怎样解决的。"), field="solved_note")
    return solved_by, note


def _mark(row, *, actor, solved_by: str, note: str, reason: str, now=None):
    if row.is_solved_on_spot:
        raise DomainError(_("已经标记为当场解决。"), field="solved_by")
    row.solved_on_spot_at = now or timezone.now()
    row.solved_by, row.solved_note, row.solved_recorded_by = solved_by, note, actor
    return save_record(row, actor=actor, reason=reason, update_fields=FIELDS, now=now)


def _unmark(row, *, actor, reason_text: str, reason: str, now=None):
    reason_text = (reason_text or "").strip()
    if not reason_text:
        raise DomainError(_("请写明撤销原因。"), field="reason")
    if not row.is_solved_on_spot:
        raise DomainError(_("这条记录没有标记为当场解决。"), field="reason")
    row.solved_on_spot_at, row.solved_by, row.solved_note, row.solved_recorded_by = None, "", "", None
    return save_record(row, actor=actor, reason=reason, note=reason_text, update_fields=FIELDS, now=now)


@transaction.atomic
def statement_solve(statement: Statement, *, actor, solved_by: str, solved_note: str, now=None) -> Statement:
    """Mark a statement's matter as solved on the spot, by ``solved_by`` and how (``solved_note``).

    Raises DomainError outside the statement's correction window, for a withdrawn statement, without
    who or how, and when it is already marked.
    """
    solved_by, solved_note = _check(solved_by, solved_note)
    consultation, statement = services._locked_statement(statement)
    draft_before = services._draft_if_held(consultation)
    _mark(statement, actor=actor, solved_by=solved_by, note=solved_note, reason="statement.solved_on_spot", now=now)
    services._minutes_follow(consultation, draft_before, actor=actor, note=_("当场解决"), now=now)
    return statement


@transaction.atomic
def statement_unsolve(statement: Statement, *, actor, reason: str, now=None) -> Statement:
    """Take the mark off (entered by mistake), with the reason; the history keeps the mark."""
    consultation, statement = services._locked_statement(statement)
    draft_before = services._draft_if_held(consultation)
    _unmark(statement, actor=actor, reason_text=reason, reason="statement.solve_undone", now=now)
    services._minutes_follow(consultation, draft_before, actor=actor, note=reason, now=now)
    return statement


@transaction.atomic
def suggestion_solve(suggestion: Suggestion, *, actor, solved_by: str, solved_note: str, now=None) -> Suggestion:
    """Mark a suggestion as solved on the spot while the resolution is drawn up (the consultation held).

    Raises DomainError once the resolution is agreed, for a withdrawn suggestion, without who or how,
    and when it is already marked.
    """
    solved_by, solved_note = _check(solved_by, solved_note)
    _consultation, suggestion = services._locked_suggestion(suggestion)
    return _mark(
        suggestion, actor=actor, solved_by=solved_by, note=solved_note, reason="suggestion.solved_on_spot", now=now
    )


@transaction.atomic
def suggestion_unsolve(suggestion: Suggestion, *, actor, reason: str, now=None) -> Suggestion:
    _consultation, suggestion = services._locked_suggestion(suggestion)
    return _unmark(suggestion, actor=actor, reason_text=reason, reason="suggestion.solve_undone", now=now)


def solved_words(row) -> str:
    """ "当场解决：镇城管办，现场协调清运" — how the minutes, the resolution and the result say it."""
    if not row.is_solved_on_spot:
        return ""
    return _("当场解决：%(by)s，%(note)s") % {"by": row.solved_by, "note": row.solved_note}
