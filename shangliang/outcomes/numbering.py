"""The numbers the CPPCC office gives a proposal (提案编号) and an opinion bulletin (社情民意信息, 期号).

A report of a numbered kind gets the next number of its kind and year when it is sent
(``services.report_send``), never before: a draft has no number, and a number once given is never
given again (``outcomes_report_one_serial_per_kind_year``). The next number is read under a lock, so
two reports sent at the same moment cannot take the same one.
"""

from django.db import connection
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.outcomes.models import OutcomeReport
from shangliang.outcomes.states import ReportKind

NUMBERED_KINDS = frozenset({ReportKind.PROPOSAL, ReportKind.OPINION_BULLETIN})
# One advisory lock key per numbered kind (PostgreSQL); SQLite serialises writers by itself.
LOCK_KEYS = {ReportKind.PROPOSAL: 7_160_001, ReportKind.OPINION_BULLETIN: 7_160_002}


def _lock(kind: str) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEYS[kind]])


def next_serial(kind: str, year: int) -> int:
    """The next free number of ``kind`` in ``year``; call inside the transaction that saves it."""
    _lock(kind)
    last = OutcomeReport.objects.filter(kind=kind, serial_year=year).aggregate(last=Max("serial_seq"))["last"]
    return (last or 0) + 1


def serial_changes(report: OutcomeReport, now) -> dict:
    """The fields to save with the sending: the year and number, for a numbered kind without one yet."""
    if report.kind not in NUMBERED_KINDS or report.serial_seq:
        return {}
    year = timezone.localtime(now).year
    return {"serial_year": year, "serial_seq": next_serial(report.kind, year)}


def serial_text(report: OutcomeReport) -> str:
    """The number as printed: 提案 "〔2026〕15号", 社情民意信息 "2026年第15期"; "" before it is sent."""
    if not report.serial_seq:
        return ""
    values = {"year": report.serial_year, "number": report.serial_seq}
    if report.kind == ReportKind.OPINION_BULLETIN:
        return _("%(year)d年第%(number)d期") % values
    return _("〔%(year)d〕%(number)d号") % values
