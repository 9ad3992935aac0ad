"""镇村联动, the downward half (003: 建立镇协商与村、社区协商的联动机制): a township's outcome handed down.

An item of a township's (or the district's) consultation is assigned (交办) to a village's committee
(村（居）委会, a Unit of kind VILLAGE_COMMITTEE in that village) like to any unit, through
``services.assignments_create``; the village then works it as its own assignment. Besides the
committee's liaisons (单位联络员), the village's convener (召集人, Role.CONVENER covering the village)
acts for the committee on such a handed-down item: they see it, accept or return it, report progress,
finish it, defer it and ask for more time. On the village's own consultations the convener keeps the
organiser's part (checking the items, ``permissions.can_check``) and does not act for the committee,
so nobody checks their own work.

This module holds the rules and reads (imported by ``permissions`` and ``services``), and
``items_hand_down``, the service in the village committee's terms.
"""

from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from shangliang.consultations.models import Consultation
from shangliang.core.errors import DomainError
from shangliang.core.limits import EXCERPT_SHORT, excerpt
from shangliang.core.notify import Kind, notify
from shangliang.orgs.models import Unit
from shangliang.orgs.permissions import path_q, region_paths
from shangliang.orgs.states import RegionLevel, Role, UnitKind
from shangliang.outcomes.models import Assignment
from shangliang.outcomes.selectors import ancestor_paths, of_units_q
from shangliang.outcomes.states import OPEN_ASSIGNMENT

# Consultations above a village: their items handed to a village committee are handed down.
ABOVE_VILLAGE = (RegionLevel.TOWNSHIP, RegionLevel.DISTRICT)
LEVEL = "suggestion__consultation__topic__convening_region__level"


def _is_root(user) -> bool:
    return bool(getattr(user, "is_superuser", False))


def is_hand_down(consultation: Consultation, unit: Unit) -> bool:
    """Whether giving an item of ``consultation`` to ``unit`` hands it down to a village."""
    return unit.kind == UnitKind.VILLAGE_COMMITTEE and consultation.topic.convening_region.level in ABOVE_VILLAGE


def lead_unit_refusal(consultation: Consultation, unit: Unit) -> str | None:
    """A township hands items down to the villages under it only (None when ``unit`` may take the item)."""
    if not is_hand_down(consultation, unit):
        return None
    region = consultation.topic.convening_region
    if unit.region.level != RegionLevel.VILLAGE or not unit.region.path.startswith(region.path):
        return _("只能下达给%(region)s所辖村（社区）的村（居）委会。") % {"region": region.name}
    return None


# --- who acts for a village committee ----------------------------------------------------------


def convener_committee_ids(user) -> set[int]:
    """The village committees of the villages the user convenes (Role.CONVENER at the village or above it);
    read once per request and kept on the user object, like ``orgs.permissions.roles_of``."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_convener_committee_ids", None)
    if cached is None:
        paths = region_paths(user, {Role.CONVENER})
        cached = set()
        if paths:
            cached = set(
                Unit.objects.filter(
                    path_q(paths, "region__path"),
                    kind=UnitKind.VILLAGE_COMMITTEE,
                    region__level=RegionLevel.VILLAGE,
                    is_archived=False,
                ).values_list("pk", flat=True)
            )
        user._convener_committee_ids = cached
    return cached


def handed_down_q(unit_ids) -> Q:
    """Items of consultations above a village led by (or shared with) one of the committees ``unit_ids``."""
    return of_units_q(unit_ids) & Q(**{f"{LEVEL}__in": ABOVE_VILLAGE})


def _is_above_village(assignment: Assignment) -> bool:
    return assignment.suggestion.consultation.topic.convening_region.level in ABOVE_VILLAGE


def leads_for_village(user, assignment: Assignment) -> bool:
    """The convener of the village whose committee leads this handed-down item (acts as its lead liaison)."""
    return assignment.lead_unit_id in convener_committee_ids(user) and _is_above_village(assignment)


def acting_committee_ids(user, assignment: Assignment) -> set[int]:
    """The committees the user acts for on this item: those they convene, when the item is handed down."""
    units = convener_committee_ids(user)
    return units if units and _is_above_village(assignment) else set()


def shares_for_village(user, assignment: Assignment) -> bool:
    """The convener of a village whose committee leads or shares (co-unit) this handed-down item."""
    units = acting_committee_ids(user, assignment)
    if not units:
        return False
    return assignment.lead_unit_id in units or assignment.co_units.filter(pk__in=units).exists()


def handed_down_to(user) -> QuerySet[Assignment]:
    """Items handed down to the villages the user convenes (乡镇（街道）下达的事项), not archived."""
    qs = Assignment.objects.filter(is_archived=False)
    if _is_root(user):
        return qs.filter(lead_unit__kind=UnitKind.VILLAGE_COMMITTEE, **{f"{LEVEL}__in": ABOVE_VILLAGE})
    units = convener_committee_ids(user)
    if not units:
        return qs.none()
    return qs.filter(handed_down_q(units))


def open_handed_down_to(user) -> QuerySet[Assignment]:
    return handed_down_to(user).filter(status__in=OPEN_ASSIGNMENT)


def village_conveners(unit: Unit) -> list:
    """The active conveners of a village committee's village (at the village or above it), each once."""
    return list(
        get_user_model()
        .objects.filter(
            is_active=True,
            scoped_roles__role=Role.CONVENER,
            scoped_roles__revoked_at__isnull=True,
            scoped_roles__region__path__in=ancestor_paths(unit.region),
        )
        .distinct()
        .order_by("pk")
    )


def tell_conveners(created: list[Assignment], *, consultation: Consultation, lead_unit: Unit, deadline: date) -> int:
    """The village's conveners learn that the township handed items down to their village (one message for
    the action, like the liaisons' ``services._tell_units_assigned``). Nothing when it is not a hand-down."""
    if not created or not is_hand_down(consultation, lead_unit):
        return 0
    items = "；".join(f"{i}. {excerpt(a.suggestion.text, EXCERPT_SHORT)}" for i, a in enumerate(created, 1))
    values = {
        "n": len(created),
        "region": consultation.topic.convening_region.name,
        "unit": lead_unit.name,
        "date": deadline.isoformat(),
        "items": items,
    }
    url = reverse("outcomes:assignment", args=[created[0].pk]) if len(created) == 1 else reverse("outcomes:handdown")
    return notify(
        kind=Kind.REMINDER,
        reason=f"assignment.handed_down:{created[0].pk}",
        recipients=village_conveners(lead_unit),
        title=_("【%(region)s下达】%(n)d项事项待签收办理") % values,
        body=_("承办：%(unit)s；办理时限：%(date)s。%(items)s") % values,
        url=url,
    )


# --- the service ---------------------------------------------------------------------------------


def items_hand_down(
    *,
    actor,
    suggestions,
    village_unit: Unit,
    deadline: date,
    responsible_person: str,
    supervisor,
    **fields,
) -> list[Assignment]:
    """Hand items of a township's (or the district's) consultation down to a village's committee (下达到村).

    The assignment is an ordinary one (``services.assignments_create``: its rules, history and
    messages), led by ``village_unit``; the village's conveners are told too. Raises DomainError when
    ``village_unit`` is not a village committee under the consultation's region or the consultation
    is a village's own. ``fields``: the other arguments of ``assignments_create`` (co_units,
    responsible_mobile, cppcc_committee, today).
    """
    from shangliang.outcomes.services import assignments_create  # services imports this module

    suggestions = list(suggestions)
    if village_unit.kind != UnitKind.VILLAGE_COMMITTEE:
        raise DomainError(_("请选择村（居）委会。"), field="lead_unit")
    if suggestions and suggestions[0].consultation.topic.convening_region.level not in ABOVE_VILLAGE:
        raise DomainError(_("只有乡镇（街道）或区（县）的协商成果可以下达到村（社区）。"), field="lead_unit")
    return assignments_create(
        actor=actor,
        suggestions=suggestions,
        lead_unit=village_unit,
        deadline=deadline,
        responsible_person=responsible_person,
        supervisor=supervisor,
        **fields,
    )
