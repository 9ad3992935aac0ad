"""Writes to accounts: registration, passwords, the verified mobile number and message settings.

Every change leaves a history row with a reason code (``accounts/states.py``). A number is proved by
a one-time SMS code (``accounts.verification``) or by staff in person; whoever proves a number holds it.
"""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shangliang.accounts.models import CodePurpose
from shangliang.accounts.verification import clean_mobile, code_check, mobile_bind
from shangliang.core.errors import DomainError
from shangliang.core.records import save_record, stamp_history

ALREADY_REGISTERED = _("该手机号已注册，请直接登录；忘记密码可用短信验证码重置。")

# What an account gains when its owner logs in with the password. Later apps register here when
# they load (accounts imports none of them): topics attaches the submissions given with the
# account's mobile number. Called by the site's login view, once per successful login.
_after_login = []


def register_after_login(action) -> None:
    """``action(user=...)`` runs after each successful login on the site, in the login request."""
    if action not in _after_login:
        _after_login.append(action)


def after_login(user) -> None:
    for action in _after_login:
        action(user=user)


@transaction.atomic
def resident_register(
    *, mobile: str, password: str | None, full_name: str = "", username: str | None = None, verified: bool = False
):
    """Create a resident's account; the mobile number is the contact and, unless a name is given, the login.

    ``verified``: the number was proved (an SMS code) and is the account's verified number from now.
    Records "account.registered"; raises ValidationError for a number or login already taken.
    """
    user_model = get_user_model()
    user = user_model(username=username or mobile, mobile=mobile, full_name=full_name.strip())
    if verified:
        user.verified_mobile = mobile
        user.mobile_verified_at = timezone.now()
    user.set_password(password)
    user.full_clean(exclude=["password"])
    stamp_history(user, actor=None, reason="account.registered")
    user.save()
    return user


def _release_login_name(mobile: str, *, keep, actor) -> None:
    """Rename other accounts whose login name is ``mobile``: a login by the number must reach its holder.

    Such an account registered the number without proving it (or changed its number since); it keeps
    its records and is renamed "<number>-<id>" in its history, so staff can tell its owner the new name.
    """
    others = get_user_model().objects.select_for_update().filter(username__iexact=mobile)
    if keep is not None:
        others = others.exclude(pk=keep.pk)
    for other in others:
        other.username = f"{other.username}-{other.pk}"
        save_record(other, actor=actor, reason="account.mobile_taken_over", update_fields=["username"])


def resident_register_with_code(*, mobile: str, code: str, password: str, full_name: str = ""):
    """A resident opens an account with a number proved by an SMS code (purpose register); returns it.

    The code is checked (and used up) before anything is written; a wrong code counts against it.
    A number that already belongs to an account with this number verified is refused with a plain
    answer (the code proved the number, so nothing leaks). A number held unverified by another
    account is taken over: that account loses it ("account.mobile_taken_over"). The new account is
    verified and recorded "account.registered". Raises DomainError on ``mobile`` or ``code``.
    """
    mobile = clean_mobile(mobile)
    code_check(mobile=mobile, purpose=CodePurpose.REGISTER, code=code)
    user_model = get_user_model()
    try:
        with transaction.atomic():
            holder = user_model.objects.select_for_update().filter(mobile=mobile).first()
            if holder is not None and holder.has_verified_mobile:
                raise DomainError(ALREADY_REGISTERED, field="mobile")
            _release_login_name(mobile, keep=None, actor=None)
            if holder is None:
                return resident_register(mobile=mobile, password=password, full_name=full_name, verified=True)
            user = resident_register(mobile=None, password=password, full_name=full_name, username=mobile)
            return mobile_bind(user=user, mobile=mobile, actor=user)
    except IntegrityError:  # the same number registered at the same moment with another code
        raise DomainError(ALREADY_REGISTERED, field="mobile") from None


def mobile_verify_with_code(*, user, mobile: str, code: str):
    """Prove ``mobile`` with an SMS code (purpose verify) and make it ``user``'s verified number.

    The code is checked on its own first, so a wrong entry counts even though the request fails.
    Another account holding the number loses it, and one whose login name is the number is renamed
    (``_release_login_name``); records "account.mobile_verified". Then what was given with the number
    joins the account (``after_login`` hooks: topics' named submissions). Raises DomainError.
    """
    mobile = clean_mobile(mobile)
    code_check(mobile=mobile, purpose=CodePurpose.VERIFY, code=code)
    with transaction.atomic():
        _release_login_name(mobile, keep=user, actor=user)
        user = mobile_bind(user=user, mobile=mobile, actor=user)
    after_login(user)
    return user


@transaction.atomic
def mobile_verify_in_person(*, actor, user):
    """Staff saw the person and their phone (a district without SMS): the account's number is verified.

    Records "account.mobile_verified_by_staff" naming the staff member. Raises PermissionDenied when
    ``actor`` is not an administrator, DomainError when the account has no number.
    """
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.mobile:
        raise DomainError(_("该账号没有手机号，请先填写手机号再核验。"), field="mobile")
    _release_login_name(user.mobile, keep=user, actor=actor)
    return mobile_bind(user=user, mobile=user.mobile, actor=actor, reason="account.mobile_verified_by_staff")


def password_reset_by_code(*, mobile: str, code: str, new_password: str):
    """Set a new password for the account holding ``mobile``, proved by an SMS code (purpose password).

    The number becomes the account's verified number; a pending forced change is cleared. Records
    "account.password_reset_by_code". Administrators' accounts are refused (they ask another
    administrator). Raises DomainError on ``mobile`` or ``code``.
    """
    mobile = clean_mobile(mobile)
    code_check(mobile=mobile, purpose=CodePurpose.PASSWORD, code=code)
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().filter(mobile=mobile).first()
        if user is None:
            raise DomainError(_("该手机号尚未注册，请先注册。"), field="mobile")
        if user.is_superuser:
            raise DomainError(_("管理员账号不能用短信验证码重置密码，请联系其他管理员重置。"), field="mobile")
        _release_login_name(mobile, keep=user, actor=user)
        user.set_password(new_password)
        user.must_change_password = False
        user.verified_mobile = mobile
        user.mobile_verified_at = timezone.now()
        return save_record(
            user,
            actor=user,
            reason="account.password_reset_by_code",
            update_fields=["password", "must_change_password", "verified_mobile", "mobile_verified_at"],
        )


@transaction.atomic
def preferences_update(*, actor, user, sms_feedback: bool, wechat_feedback: bool):
    """Whether feedback (办理反馈) reaches the account by text and by WeChat; notices always go.

    Records "account.preferences_changed" when something changed; returns the account.
    """
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if (user.sms_feedback, user.wechat_feedback) == (sms_feedback, wechat_feedback):
        return user
    user.sms_feedback = sms_feedback
    user.wechat_feedback = wechat_feedback
    return save_record(
        user, actor=actor, reason="account.preferences_changed", update_fields=["sms_feedback", "wechat_feedback"]
    )


@transaction.atomic
def password_change(*, actor, user, new_password: str) -> None:
    """The user's own new password (already validated); clears a pending forced change."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.set_password(new_password)
    user.must_change_password = False
    user._history_user = actor
    user.save(update_fields=["password", "must_change_password"])


@transaction.atomic
def password_reset_by_admin(*, actor, user) -> str:
    """Give ``user`` a temporary password to be changed at the next login; returns it (shown once).

    Records who reset it in the account's history. Raises PermissionDenied when ``actor`` is not
    an administrator (the admin site checks this first; the service does not rely on it).
    """
    if not getattr(actor, "is_superuser", False):
        raise PermissionDenied
    temporary = "-".join(secrets.token_hex(2) for _ in range(3))
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.set_password(temporary)
    user.must_change_password = True
    user._history_user = actor
    user.save(update_fields=["password", "must_change_password"])
    return temporary


@transaction.atomic
def staff_account_create(
    *, actor, username: str, password: str, full_name: str = "", mobile: str | None = None, is_superuser: bool = False
):
    """Create a staff account; a superuser also gets the Django admin (is_staff)."""
    user_model = get_user_model()
    user = user_model(
        username=username,
        full_name=full_name,
        mobile=mobile or None,
        is_superuser=is_superuser,
        is_staff=is_superuser,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user._history_user = actor
    user.save()
    return user


def last_login_record(sender, user, **kwargs) -> None:
    """Stamp ``last_login`` without a history row: a login is not a change to the account."""
    get_user_model().objects.filter(pk=user.pk).update(last_login=timezone.now())
