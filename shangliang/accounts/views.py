from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shangliang.accounts.forms import ChangePasswordForm, LoginForm, ResidentRegistrationForm
from shangliang.accounts.services import after_login, password_change, resident_self_register
from shangliang.core.ratelimits import rate_limited


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_initial(self):
        # After registering, the number is already filled in.
        return {**super().get_initial(), "username": self.request.GET.get("mobile", "")[:20]}

    def form_valid(self, form):
        response = super().form_valid(form)
        # Later apps attach what was given with the account's mobile number (topics: 我反映的事项).
        after_login(form.get_user())
        if form.get_user().must_change_password:
            messages.warning(self.request, _("管理员重置了您的密码，请先设置新密码。"))
            return redirect("accounts:password_change")
        return response


class LogoutView(auth_views.LogoutView):
    pass


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return ""


@require_http_methods(["GET", "POST"])
@rate_limited("register")
def register(request):
    """A resident opens an account with a mobile number and a password.

    The answer is the same whether the number was free or already registered (then nothing is
    changed): the resident is sent to log in, so the page cannot be used to find who has an account.
    """
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = ResidentRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        resident_self_register(
            mobile=form.cleaned_data["mobile"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
        )
        messages.success(
            request,
            _("注册申请已办理。请用手机号和刚才设置的密码登录；如果这个手机号以前注册过，请用原来的密码。"),
        )
        query = {"mobile": form.cleaned_data["mobile"]}
        if target := _safe_next(request):
            query["next"] = target
        return redirect(reverse("accounts:login") + "?" + urlencode(query))
    return render(request, "accounts/register.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def change_password(request):
    form = ChangePasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_change(actor=request.user, user=request.user, new_password=form.cleaned_data["new_password1"])
        request.user.refresh_from_db()
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改。"))
        return redirect("portal:home")
    return render(request, "accounts/password_change.html", {"form": form})
