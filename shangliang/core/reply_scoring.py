"""Reply quality (答复质量) as the platform stores it: ``core.reply_quality`` with the official calendar.

A unit's reply is scored where it is recorded: a hotline record's reply (``hotline.services``), a report's
written reply and an assignment's result (``outcomes.services``). Each keeps the score (0–100) and a small
dict of its parts, reasons and flags, so lists filter on ``is_low`` without scoring again and the page
says why. Timeliness counts working days (``core.workdays``, with the 调休 days and local overrides); the
reply is due ``due_working_days`` after it was asked, or by ``due_on`` when the matter has a deadline.
"""

import datetime

from django.utils import timezone

from shangliang.core import reply_quality
from shangliang.core.workdays import working_days_between

# A reply is due this many working days after the question when the matter sets no date (12345: 10).
DEFAULT_DUE_WORKING_DAYS = 10


def _day(moment) -> datetime.date | None:
    if moment is None:
        return None
    if isinstance(moment, datetime.datetime):
        return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return moment


def scored(
    question: str,
    reply: str,
    asked_at=None,
    replied_at=None,
    *,
    subject: str = "",
    due_on: datetime.date | None = None,
) -> tuple[float | None, dict]:
    """``(score, parts)`` of ``reply`` to ``question``: ``(None, {})`` when there is no reply yet.

    ``parts`` holds each part's score and reason in words, the flags, ``is_low`` and the working days
    taken; ``due_on`` (a deadline) sets how many working days the reply had, else 10."""
    if not (reply or "").strip():
        return None, {}
    asked, replied = _day(asked_at), _day(replied_at)
    due_days = DEFAULT_DUE_WORKING_DAYS
    if due_on is not None and asked is not None:
        due_days = max(1, working_days_between(asked, due_on))
    quality = reply_quality.score(
        question,
        reply,
        asked,
        replied,
        subject=subject,
        working_days_between=working_days_between,
        due_working_days=due_days,
    )
    return round(quality.total * 100, 1), {
        "parts": {name: part.score for name, part in quality.parts().items()},
        "reasons": {name: part.text for name, part in quality.parts().items()},
        "flags": list(quality.flags),
        "is_low": quality.is_low,
        "working_days": quality.working_days,
        "due_working_days": due_days,
    }
