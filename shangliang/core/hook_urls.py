"""Addresses the providers call (receipts), under /hooks/."""

from django.urls import path

from shangliang.core import hook_views

app_name = "hooks"

urlpatterns = [
    path("sms/aliyun/<token:token>/", hook_views.aliyun_receipts, name="sms_aliyun"),
    path("sms/tencent/<token:token>/", hook_views.tencent_receipts, name="sms_tencent"),
]
