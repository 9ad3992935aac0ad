"""How an assignment reads in a document: its units, a person's name, its status with dates."""

import datetime

from django.utils.translation import gettext as _

from shangliang.core.documents.formats import local_date
from shangliang.outcomes import selectors
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.states import AssignmentStatus


def units_text(assignment: Assignment) -> str:
    co = "、".join(unit.name for unit in assignment.co_units.all())
    if not co:
        return assignment.lead_unit.name
    return _("%(lead)s（牵头）；%(co)s（配合）") % {"lead": assignment.lead_unit.name, "co": co}


def person_name(user) -> str:
    return (user.full_name or user.username) if user else ""


def status_line(assignment: Assignment, today: datetime.date) -> str:
    label = assignment.get_status_display()
    if assignment.status == AssignmentStatus.DONE and assignment.done_at:
        return _("%(status)s（%(date)s）") % {"status": label, "date": local_date(assignment.done_at).isoformat()}
    if selectors.is_overdue(assignment, today):
        days = selectors.days_overdue(assignment, today)
        return _("%(status)s（已逾期%(days)d天）") % {"status": label, "days": days}
    return label
