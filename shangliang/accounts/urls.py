from django.urls import path

from shangliang.accounts import views, wechat_views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("register/", views.register, name="register"),
    path("password/", views.change_password, name="password_change"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("code/", views.code_request, name="code"),
    path("mobile/", views.mobile_verify, name="mobile_verify"),
    path("settings/", views.preferences, name="preferences"),
    path("wechat/start/", wechat_views.wechat_start, name="wechat_start"),
    path("wechat/callback/", wechat_views.wechat_callback, name="wechat_callback"),
    path("wechat/bind/", wechat_views.wechat_bind, name="wechat_bind"),
    path("wechat/unbind/", wechat_views.wechat_unbind, name="wechat_unbind"),
]
