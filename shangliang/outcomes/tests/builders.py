"""Builders for outcome records, through the services: a concluded consultation, units, assignments."""

import datetime
import itertools

from django.utils import timezone

from shangliang.consultations import services as consultation_services
from shangliang.consultations.tests.builders import in_session
from shangliang.core.records import save_record
from shangliang.orgs import services as org_services
from shangliang.orgs.states import Role, UnitKind
from shangliang.orgs.tests.factories import grant, make_user
from shangliang.outcomes import services

DEFAULT_SUGGESTIONS = ("规划电动车停放点", "安排赶集日值守")

_seq = itertools.count(1)


def concluded(district, *, title="集镇电动车乱停放", suggestions=DEFAULT_SUGGESTIONS, convener=None, **kwargs):
    """A consultation held, its minutes confirmed and its resolution agreed with ``suggestions`` (in order).

    Other keyword arguments go to ``consultations.tests.builders.planned`` (mode, days_ahead, regions).
    """
    consultation = in_session(district, convener=convener, title=title, **kwargs)
    actor = consultation.convener
    consultation = consultation_services.session_close(actor=actor, consultation=consultation)
    consultation_services.minutes_confirm(actor=actor, consultation=consultation)
    for text in suggestions:
        consultation_services.suggestion_add(actor=actor, consultation=consultation, text=text)
    return consultation_services.resolution_agree(actor=actor, consultation=consultation)


def make_unit(region, name="区住建局", *, kind=UnitKind.GOVERNMENT_DEPARTMENT, head=None, liaisons=()):
    """A unit in ``region``; ``head`` receives the escalation notice, ``liaisons`` get UNIT_LIAISON there."""
    unit = org_services.unit_create(actor=None, name=name, kind=kind, region=region)
    if head is not None:
        unit.head = head
        save_record(unit, actor=None)
    for user in liaisons:
        grant(user, Role.UNIT_LIAISON, unit=unit)
    return unit


def liaison_of(unit, username=None, **fields):
    """A new user granted UNIT_LIAISON at ``unit``; ``fields`` go to the user (full_name, mobile)."""
    fields.setdefault("full_name", "联络员")
    return grant(make_user(username, **fields), Role.UNIT_LIAISON, unit=unit)


def assigned(
    consultation,
    *,
    unit=None,
    order=0,
    days=30,
    deadline=None,
    today=None,
    supervisor=None,
    actor=None,
    responsible_person="王科长",
    responsible_mobile="",
    co_units=(),
    cppcc_committee=None,
):
    """Hand suggestion number ``order`` (0-based) of a concluded consultation to ``unit`` (交办).

    The deadline is ``deadline``, else ``days`` after ``today``. ``today`` is the day it is handed
    out (the service's default is the real date), so a test can hand out an item that is already
    due by passing an earlier day. The convener hands it out unless ``actor`` is given; without
    ``supervisor`` a new user supervises; without ``unit`` a unit is made in the platform's region.
    """
    suggestion = list(consultation.suggestions.all())[order]
    start = today or timezone.localdate()
    return services.assignment_create(
        actor=actor or consultation.convener,
        suggestion=suggestion,
        lead_unit=unit or make_unit(consultation.platform.region, name=f"承办单位{next(_seq)}"),
        deadline=deadline or start + datetime.timedelta(days=days),
        responsible_person=responsible_person,
        responsible_mobile=responsible_mobile,
        supervisor=supervisor or make_user(full_name="督办员"),
        co_units=co_units,
        cppcc_committee=cppcc_committee,
        today=today,
    )
