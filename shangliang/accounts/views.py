from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shangliang.accounts.forms import LoginForm, ResidentRegistrationForm
from shangliang.accounts.services import resident_register


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:home")
    form = ResidentRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = resident_register(
            mobile=form.cleaned_data["mobile"],
            password=form.cleaned_data["password1"],
            full_name=form.cleaned_data["full_name"],
        )
        login(request, user, backend="shangliang.accounts.backends.UsernameOrMobileBackend")
        messages.success(request, _("注册成功，欢迎使用。"))
        # Residents often register from a page they want to act on (rating, following); send them back.
        target = request.GET.get("next", "")
        if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
            return redirect(target)
        return redirect("portal:home")
    return render(request, "accounts/register.html", {"form": form})
