"""The consultation fund's staff pages (mounted at /funds/)."""

from django.urls import path

from shangliang.funds import views

app_name = "funds"

urlpatterns = [
    path("", views.accounts, name="accounts"),
    path("new/", views.account_new, name="account_new"),
    path("approvals/", views.approvals, name="approvals"),
    path("<id:pk>/", views.account_detail, name="account"),
    path("<id:pk>/edit/", views.account_edit, name="account_edit"),
    path("<id:pk>/income/", views.income_new, name="income_new"),
    path("<id:pk>/spend/", views.spending_new, name="spending_new"),
    path("<id:pk>/ledger.xlsx", views.ledger_export, name="ledger_export"),
    path("entry/<id:pk>/", views.entry_detail, name="entry"),
    path("entry/<id:pk>/decide/", views.entry_decide, name="entry_decide"),
    path("entry/<id:pk>/pay/", views.entry_pay, name="entry_pay"),
    path("entry/<id:pk>/voucher/", views.entry_voucher, name="entry_voucher"),
    path("entry/<id:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("entry/<id:pk>/reverse/", views.entry_reverse, name="entry_reverse"),
    path("assignment/<id:pk>/request/", views.assignment_request, name="assignment_request"),
]
