"""Who hears of a report's written reply (书面答复): the unit it is addressed to, and the organisers.

A report sent to a unit (``OutcomeReport.recipient_unit``) is the unit's to answer: its liaisons
(单位联络员) are told at once, by inbox and text, so a unit whose people never log in still learns of
it; they open it on their own page (``reply_views``) and record the reply there. When the reply is
recorded (by the unit, or by staff for a unit that never logs in) the organisers are told. The
reminders before and after the due date are in ``reminders``.
"""

from dataclasses import replace

from django.urls import reverse
from django.utils.translation import gettext as _

from shangliang.core.notify import Kind, Recipient, active_users, notify, recipient
from shangliang.outcomes import selectors
from shangliang.outcomes.models import OutcomeReport


def linked(users, url: str) -> list[Recipient]:
    """``users`` as recipients whose message links to ``url``."""
    return [replace(recipient(user), url=url) for user in active_users(users)]


def unit_url(report: OutcomeReport) -> str:
    return reverse("outcomes:unit_report", args=[report.pk])


def staff_url(report: OutcomeReport) -> str:
    return reverse("outcomes:report", args=[report.pk])


def unit_people(report: OutcomeReport) -> list:
    """The liaisons of the report's unit; its head when it has none (a unit nobody works in the system)."""
    unit = report.recipient_unit
    if unit is None:
        return []
    liaisons = selectors.unit_liaisons([unit.pk])
    return liaisons or active_users([unit.head])


def organisers(report: OutcomeReport) -> list:
    """Who sent the report and who convened its consultation: the organisers waiting for the reply."""
    return active_users([report.sent_by, report.created_by, report.consultation.convener])


def unit_told_of_report(report: OutcomeReport) -> int:
    """Tell the unit a report was sent to it (once per report); nothing for a free-text recipient."""
    people = unit_people(report)
    if not people:
        return 0
    values = {"title": report.title, "topic": report.consultation.topic.title}
    if report.reply_due_on:
        values["due"] = report.reply_due_on.isoformat()
        title = _("【报送】“%(title)s”已报送本单位，请于%(due)s前书面答复") % values
    else:
        title = _("【报送】“%(title)s”已报送本单位") % values
    body = _("议题：%(topic)s。请登录系统查看报送材料，并在报送页面填写书面答复。") % values
    return notify(
        kind=Kind.REMINDER,
        reason=f"report.sent:{report.pk}",
        recipients=linked(people, unit_url(report)),
        title=title,
        body=body,
    )


def organisers_told_of_reply(report: OutcomeReport, *, actor) -> int:
    """Tell the organisers (but the one who recorded it) that the written reply came (once per report)."""
    people = [user for user in organisers(report) if user.pk != getattr(actor, "pk", None)]
    if not people:
        return 0
    unit = report.recipient_unit.name if report.recipient_unit else report.recipient
    values = {"title": report.title, "unit": unit}
    return notify(
        kind=Kind.FEEDBACK,
        reason=f"report.replied:{report.pk}",
        recipients=linked(people, staff_url(report)),
        title=_("【书面答复】%(unit)s已答复“%(title)s”") % values,
        body=_("%(unit)s对“%(title)s”的书面答复已登记，请查看。") % values,
    )
