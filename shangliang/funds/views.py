"""The consultation fund's staff pages: accounts, the ledger and its export, income, spending requests,
one line with its approval steps, payment, withdrawal and correction (冲正), and the approval queue.

The right to see or keep an account is checked first (404 for "missing" and "not yours"); the services
then say whether the state and the balance allow the step, next to the form.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from shangliang.core.documents.responses import XLSX, download
from shangliang.core.errors import DomainError
from shangliang.core.form_tokens import submitted_once
from shangliang.core.forms import add_service_error
from shangliang.core.views import form_page
from shangliang.funds import export, permissions, rules, selectors, services
from shangliang.funds.forms import (
    AccountForm,
    DecisionForm,
    IncomeForm,
    LedgerFilterForm,
    PayForm,
    ReverseForm,
    SpendingForm,
    VoucherForm,
    WithdrawForm,
)
from shangliang.funds.models import FundEntry
from shangliang.funds.states import ApproverKind, Decision, Direction, EntryStatus
from shangliang.orgs.access import staff_required
from shangliang.orgs.models import Unit
from shangliang.outcomes import permissions as outcome_permissions

# Lines shown on the account page; the export has them all.
LEDGER_ROWS = 200


@staff_required
@require_GET
def accounts(request):
    user = request.user
    rows = selectors.with_totals(permissions.accounts_visible_to(user))
    context = {
        "rows": rows,
        "totals": selectors.totals_of(FundEntry.objects.filter(account__in=permissions.accounts_visible_to(user))),
        "can_open": permissions.villages_to_open(user).exists(),
        "to_approve": permissions.entries_to_approve(user).count(),
    }
    return render(request, "funds/accounts.html", context)


def _units_for(village):
    """Units of the village and of the township above it: who may keep the account."""
    return Unit.objects.filter(is_archived=False, region_id__in=[village.pk, village.parent_id])


@staff_required
@submitted_once
def account_new(request):
    villages = permissions.villages_to_open(request.user)
    if not villages.exists():
        raise Http404
    units = Unit.objects.filter(is_archived=False, region__path__in=villages.values("path"))
    form = AccountForm(request.POST or None, villages=villages, units=units)
    return form_page(
        request,
        form,
        lambda data: services.account_open(actor=request.user, **data),
        success=_("协商资金账户已开立。"),
        then=lambda account: reverse("funds:account", args=[account.pk]),
        template="funds/account_form.html",
        context={"form": form, "account": None},
    )


@staff_required
@submitted_once
def account_edit(request, pk):
    account = permissions.get_account_for_keeping(request.user, pk)
    initial = {field: getattr(account, field) for field in services.ACCOUNT_FIELDS}
    form = AccountForm(request.POST or None, initial=initial, units=_units_for(account.village))
    return form_page(
        request,
        form,
        lambda data: services.account_update(actor=request.user, account=account, **data),
        success=_("账户信息已保存。"),
        then=reverse("funds:account", args=[account.pk]),
        template="funds/account_form.html",
        context=lambda: {"form": form, "account": account},
    )


@staff_required
@require_GET
def account_detail(request, pk):
    user = request.user
    account = permissions.get_account_for_view(user, pk)
    years = selectors.years_of(account)
    filters = LedgerFilterForm(request.GET or None, years=years)
    year, kind = None, ""
    if filters.is_valid():
        year, kind = filters.cleaned_data["year"], filters.cleaned_data["kind"]
    balances = {line.pk: b for line, b in selectors.running_balance(selectors.ledger(account))}
    lines = list(selectors.ledger(account, year=year, kind=kind)[:LEDGER_ROWS])
    query = request.GET.urlencode() if filters.is_valid() else ""
    context = {
        "account": account,
        "totals": selectors.account_totals(account),
        "lines": [(line, balances.get(line.pk)) for line in lines],
        "filters": filters,
        "query": query,
        "can_keep": permissions.can_keep_account(user, account),
        "more": len(lines) == LEDGER_ROWS,
    }
    return render(request, "funds/account.html", context)


@staff_required
@require_GET
def ledger_export(request, pk):
    account = permissions.get_account_for_view(request.user, pk)
    filters = LedgerFilterForm(request.GET or None, years=selectors.years_of(account))
    year, kind = (filters.cleaned_data["year"], filters.cleaned_data["kind"]) if filters.is_valid() else (None, "")
    content = export.ledger_xlsx(
        account, year=year, kind=kind, full_number=permissions.can_keep_account(request.user, account)
    )
    name = f"{account.name}-{_('收支台账')}" + (f"-{year}" if year else "")
    return download(content, XLSX, name, "xlsx")


@staff_required
@submitted_once
def income_new(request, pk):
    account = permissions.get_account_for_keeping(request.user, pk)
    form = IncomeForm(request.POST or None, request.FILES or None, initial={"booked_on": timezone.localdate()})
    return form_page(
        request,
        form,
        lambda data: services.income_record(actor=request.user, account=account, **data),
        success=_("收入已登记。"),
        then=reverse("funds:account", args=[account.pk]),
        template="funds/entry_form.html",
        context={"form": form, "account": account, "title": _("登记收入")},
    )


@staff_required
@submitted_once
def spending_new(request, pk):
    account = permissions.get_account_for_keeping(request.user, pk)
    consultations = permissions.village_consultations(account.village).select_related("topic").order_by("-starts_at")
    assignments = (
        permissions.village_assignments(account.village)
        .select_related("suggestion", "lead_unit")
        .order_by("-assigned_at", "-pk")
    )
    initial = {}
    for key, prefix in (("assignment", "a"), ("consultation", "c")):
        value = request.GET.get(key, "")
        if value.isdigit() and len(value) < 19:
            initial["link"] = f"{prefix}{value}"
    if initial.get("link", "").startswith("a"):
        initial["kind"] = "implementation"
    form = SpendingForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        consultations=consultations,
        assignments=assignments,
    )
    return form_page(
        request,
        form,
        lambda data: services.spending_request(actor=request.user, account=account, **data),
        success=_("支出申请已提交，等待审批。"),
        then=lambda entry: reverse("funds:entry", args=[entry.pk]),
        template="funds/entry_form.html",
        context=lambda: {
            "form": form,
            "account": account,
            "title": _("申请支出"),
            "available": selectors.account_totals(account).available,
        },
    )


@staff_required
def assignment_request(request, pk):
    """From an item's page (申请协商资金): the spending form of its village's account, the item chosen."""
    assignment = outcome_permissions.get_assignment_for_view(request.user, pk)
    account = permissions.account_of_village_region(assignment.suggestion.consultation.topic.convening_region)
    if account is None or not permissions.can_keep_account(request.user, account):
        raise Http404
    return redirect(f"{reverse('funds:spending_new', args=[account.pk])}?assignment={assignment.pk}")


# --- one line ------------------------------------------------------------------------------


def _entry_context(request, entry: FundEntry, **bound) -> dict:
    user = request.user
    keep = permissions.can_keep_account(user, entry.account)
    approve = entry.status == EntryStatus.REQUESTED and permissions.can_approve(user, entry)
    context = {
        "entry": entry,
        "account": entry.account,
        "approvals": list(entry.approvals.select_related("decided_by")),
        "steps": entry.steps,
        "step_labels": [ApproverKind(step).label for step in entry.steps],
        "can_keep": keep,
        "timeline": entry.history.select_related("history_user").order_by("history_date", "history_id"),
        "is_spending": entry.direction == Direction.SPENDING,
    }
    forms = {
        "decision_form": (approve, DecisionForm),
        "pay_form": (keep and entry.status == EntryStatus.APPROVED, PayForm),
        "voucher_form": (
            keep and entry.status in (EntryStatus.RECORDED, EntryStatus.REQUESTED, EntryStatus.APPROVED),
            VoucherForm,
        ),
        "withdraw_form": (
            keep and entry.status in (EntryStatus.RECORDED, EntryStatus.REQUESTED, EntryStatus.APPROVED),
            WithdrawForm,
        ),
        "reverse_form": (keep and _may_reverse(entry), ReverseForm),
    }
    today = timezone.localdate()
    initials = {PayForm: {"paid_on": today}, ReverseForm: {"booked_on": today}}
    for key, (shown, form_class) in forms.items():
        if bound.get(key) is not None:
            context[key] = bound[key]
        elif shown:
            context[key] = form_class(initial=initials.get(form_class))
    return context


def _may_reverse(entry: FundEntry) -> bool:
    """A paid spending line not yet corrected (the service checks it again under the account's lock)."""
    return entry.direction == Direction.SPENDING and entry.status == EntryStatus.PAID and entry.correction is None


@staff_required
@require_GET
def entry_detail(request, pk):
    entry = permissions.get_entry_for_view(request.user, pk)
    return render(request, "funds/entry.html", _entry_context(request, entry))


def _act(request, pk, *, key, form_class, allowed, call, success):
    entry = permissions.get_entry_for_view(request.user, pk)
    if not allowed(entry):
        raise Http404
    form = form_class(request.POST, request.FILES or None)
    if form.is_valid():
        try:
            call(entry, form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, success)
            return redirect("funds:entry", pk=entry.pk)
    entry = permissions.get_entry_for_view(request.user, pk)
    return render(request, "funds/entry.html", _entry_context(request, entry, **{key: form}), status=400)


def _may_decide(user, entry) -> bool:
    """The holder of the current step; once decided, the holders of its steps are told why not (no 404)."""
    if entry.status == EntryStatus.REQUESTED:
        return permissions.can_approve(user, entry)
    return any(rules.may_take_step(user, entry.account.village, step) for step in entry.steps)


def _decide(user, entry, data):
    if data["decision"] == Decision.APPROVED:
        return services.entry_approve(actor=user, entry=entry, opinion=data["opinion"])
    return services.entry_refuse(actor=user, entry=entry, opinion=data["opinion"])


@staff_required
@require_POST
@submitted_once
def entry_decide(request, pk):
    return _act(
        request,
        pk,
        key="decision_form",
        form_class=DecisionForm,
        allowed=lambda entry: _may_decide(request.user, entry),
        call=lambda entry, data: _decide(request.user, entry, data),
        success=_("审批意见已记录。"),
    )


def _keeper(request):
    return lambda entry: permissions.can_keep_account(request.user, entry.account)


@staff_required
@require_POST
@submitted_once
def entry_pay(request, pk):
    return _act(
        request,
        pk,
        key="pay_form",
        form_class=PayForm,
        allowed=_keeper(request),
        call=lambda entry, data: services.entry_pay(actor=request.user, entry=entry, **data),
        success=_("已登记支付。"),
    )


@staff_required
@require_POST
@submitted_once
def entry_voucher(request, pk):
    return _act(
        request,
        pk,
        key="voucher_form",
        form_class=VoucherForm,
        allowed=_keeper(request),
        call=lambda entry, data: services.entry_attach_voucher(actor=request.user, entry=entry, **data),
        success=_("凭证已上传。"),
    )


@staff_required
@require_POST
@submitted_once
def entry_withdraw(request, pk):
    return _act(
        request,
        pk,
        key="withdraw_form",
        form_class=WithdrawForm,
        allowed=_keeper(request),
        call=lambda entry, data: services.entry_withdraw(actor=request.user, entry=entry, **data),
        success=_("已撤回。"),
    )


@staff_required
@require_POST
@submitted_once
def entry_reverse(request, pk):
    """冲正: the keepers of the account record a correcting line for a paid one, with the reason."""
    return _act(
        request,
        pk,
        key="reverse_form",
        form_class=ReverseForm,
        allowed=_keeper(request),
        call=lambda entry, data: services.entry_reverse(actor=request.user, entry=entry, **data),
        success=_("已登记冲正。"),
    )


@staff_required
@require_GET
def approvals(request):
    """The spending lines waiting for the user's approval step, oldest first."""
    entries = (
        permissions.entries_to_approve(request.user)
        .select_related("account__village", "consultation__topic", "assignment__suggestion")
        .order_by("requested_at", "pk")
    )
    return render(request, "funds/approvals.html", {"entries": entries[:200]})
