"""The actions on one assignment, declared once.

Each action says in which statuses it is open, who may take it, its form and the one service it
calls (``ACTIONS``), and what the user is told (``TEXTS``). The assignment page reads this table to
decide which forms to show; the one POST view (``assignment_views.assignment_act``) reads it to check
and dispatch a submitted form. Rules beyond the status (the return window, one pending extension,
no approving one's own request) are the services' pure checks, asked here and enforced again in the
service.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shangliang.core.errors import DomainError
from shangliang.outcomes import handdown, permissions, selectors, services
from shangliang.outcomes.forms import (
    AcceptForm,
    CheckForm,
    CompleteForm,
    DecisionForm,
    DeferForm,
    ExtensionForm,
    ProgressForm,
    ResumeForm,
    ReturnForm,
    SendBackForm,
)
from shangliang.outcomes.models import Assignment, ExtensionRequest
from shangliang.outcomes.states import OPEN_ASSIGNMENT, AssignmentStatus, ExtensionStatus


@dataclass(frozen=True)
class Situation:
    """One user before one assignment: ``extension`` is the pending request (or, for a decision, the one named)."""

    user: object
    assignment: Assignment
    extension: ExtensionRequest | None
    now: datetime


class Texts(NamedTuple):
    success: Promise  # said after the action
    closed: Promise  # said when the item is not in one of the action's statuses


@dataclass(frozen=True)
class Action:
    key: str  # names the page's form ("<key>_form"), the URL's action and the action's ``TEXTS``
    statuses: frozenset[str]  # the item's statuses in which the action is open
    may: Callable[[object, Assignment], bool]  # who may take it (others get 404)
    form_class: type[forms.Form]
    call: Callable[[Situation, dict], object]  # the one service, with the form's cleaned data
    refusal: Callable[[Situation], DomainError | None] | None = None  # a further rule, as the service checks it
    on_extension: bool = False  # acts on a pending extension request, which the URL names

    @property
    def form_key(self) -> str:
        return f"{self.key}_form"

    @property
    def success(self) -> Promise:
        return TEXTS[self.key].success

    @property
    def closed(self) -> Promise:
        return TEXTS[self.key].closed

    def is_closed(self, situation: Situation) -> bool:
        """Not open in the item's status (or, for an action on a request, no request is pending)."""
        if situation.assignment.status not in self.statuses:
            return True
        extension = situation.extension
        return self.on_extension and (extension is None or extension.status != ExtensionStatus.PENDING)

    def refused(self, situation: Situation) -> str | None:
        """Why the action is not possible now (None when it is); the user's right is checked before."""
        if self.is_closed(situation):
            return str(self.closed)
        error = self.refusal(situation) if self.refusal else None
        return error.message if error else None


def _lead(key: str, statuses: frozenset[str], form_class: type[forms.Form], service, refusal=None) -> Action:
    """The common case: the lead unit's liaison acts through ``service(actor, assignment, **data)``."""

    def call(situation: Situation, data: dict):
        return service(actor=situation.user, assignment=situation.assignment, **data)

    return Action(key, statuses, permissions.is_lead_liaison, form_class, call, refusal)


def _progress(situation: Situation, data: dict):
    user, assignment = situation.user, situation.assignment
    # A village's convener reports for its committee on a handed-down item (``handdown``).
    units = permissions.liaison_unit_ids(user) | handdown.acting_committee_ids(user, assignment)
    unit = selectors.reporting_unit(assignment, units)
    return services.progress_add(actor=situation.user, assignment=situation.assignment, unit=unit, **data)


def _check(situation: Situation, data: dict):
    return services.assignment_check(situation.assignment, actor=situation.user, **data)


def _send_back(situation: Situation, data: dict):
    return services.assignment_send_back(situation.assignment, actor=situation.user, **data)


def _decide(situation: Situation, data: dict):
    return services.extension_decide(
        actor=situation.user,
        extension=situation.extension,
        approve=data["decision"] == "approve",
        note=data["note"],
    )


def _return_window(situation: Situation) -> DomainError | None:
    return services.assignment_return_refusal(situation.assignment, situation.now)


def _one_pending_extension(situation: Situation) -> DomainError | None:
    return services.extension_request_refusal(situation.extension)


def _not_own_request(situation: Situation) -> DomainError | None:
    return services.extension_decision_refusal(situation.extension, situation.user)


ASSIGNED = frozenset({AssignmentStatus.ASSIGNED})
ACCEPTED = frozenset({AssignmentStatus.ACCEPTED})
DEFERRED = frozenset({AssignmentStatus.DEFERRED})
FINISHED = frozenset({AssignmentStatus.FINISHED})
ANY_STATUS = frozenset(AssignmentStatus.values)

ACTIONS = {
    action.key: action
    for action in [
        _lead("accept", ASSIGNED, AcceptForm, services.assignment_accept),
        _lead("return", ASSIGNED, ReturnForm, services.assignment_return, _return_window),
        Action("progress", ACCEPTED | DEFERRED, permissions.can_post_progress, ProgressForm, _progress),
        _lead("complete", ACCEPTED, CompleteForm, services.assignment_complete),
        # The check (验收): the supervisor, or the organisers of a village's own consultation.
        Action("check", FINISHED, permissions.can_check, CheckForm, _check),
        Action("send_back", FINISHED, permissions.can_check, SendBackForm, _send_back),
        _lead("defer", ACCEPTED, DeferForm, services.assignment_defer),
        _lead("resume", DEFERRED, ResumeForm, services.assignment_resume),
        _lead("extension", OPEN_ASSIGNMENT, ExtensionForm, services.extension_request, _one_pending_extension),
        Action("decision", ANY_STATUS, permissions.can_supervise, DecisionForm, _decide, _not_own_request, True),
    ]
}

TEXTS = {
    "accept": Texts(_("已签收，请按时限办理并填报进展。"), _("只有待签收的事项可以签收。")),
    "return": Texts(_("已退回，交办单位将重新交办。"), _("只有待签收的事项可以退回。")),
    "progress": Texts(_("进展已填报。"), _("签收后才能填报进展。")),
    "complete": Texts(_("已报办结，验收通过后落实效果将告知相关群众。"), _("只有办理中的事项可以办结。")),
    "check": Texts(_("已验收通过，落实效果将告知相关群众。"), _("只有办结待验收的事项可以验收。")),
    "send_back": Texts(_("已退回承办单位继续办理。"), _("只有办结待验收的事项可以验收退回。")),
    "defer": Texts(_("已暂缓办理，原因将告知相关群众。"), _("只有办理中的事项可以暂缓办理。")),
    "resume": Texts(_("已恢复办理。"), _("只有暂缓办理的事项可以恢复办理。")),
    "extension": Texts(_("延期申请已提交，督办负责人同意后时限才会变更。"), _("只有办理中的事项可以申请延期。")),
    "decision": Texts(_("延期申请已审批。"), _("这份延期申请已经审批。")),
}


def page_state(situation: Situation) -> tuple[set[str], dict[str, str]]:
    """What the page offers: the actions open to this user now, and for the actions the user may take in
    this status but a rule refuses (the return window, their own request), the reason."""
    shown, hints = set(), {}
    for action in ACTIONS.values():
        if action.is_closed(situation) or not action.may(situation.user, situation.assignment):
            continue
        refusal = action.refused(situation)
        if refusal is None:
            shown.add(action.key)
        else:
            hints[action.key] = refusal
    return shown, hints


def blank_form(action: Action, assignment: Assignment) -> forms.Form:
    """The form as the page first shows it; a versioned form carries the version it was opened with."""
    initial = {"version": assignment.version} if "version" in action.form_class.base_fields else None
    return bound_form(action, initial=initial)


def bound_form(action: Action, *args, **kwargs) -> forms.Form:
    """Each form of the page gets its own element ids, so labels stay unique on one page."""
    return action.form_class(*args, auto_id=f"{action.form_key}_%s", **kwargs)
