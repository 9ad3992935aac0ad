"""One-time SMS codes that prove a mobile number (实名验证).

``code_send(request, mobile=..., purpose=...)`` texts a 6-digit code to the number; it lives
``SHANGLIANG_CODE_MINUTES`` (5), allows ``SHANGLIANG_CODE_TRIES`` (5) wrong entries and is used once.
Another code for the same number and purpose is refused for ``SHANGLIANG_CODE_RESEND_SECONDS`` (60),
and codes are limited per address, per device and per number (``core.ratelimits``).
``code_check(mobile=..., purpose=..., code=...)`` consumes the code or raises ``DomainError`` on the
``code`` field. Only a keyed hash of each code is stored.

``mobile_bind(user=..., mobile=..., actor=...)`` makes a proved number an account's verified number
(``accounts.services`` calls it after the code, e.g. ``mobile_verify_with_code``). Whoever proves a
number holds it: an older account carrying the same number loses it (numbers are recycled), while
the records made with the number (a rating, an opinion) keep it, so the new holder cannot rate again.
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from shangliang.accounts.models import CodePurpose, PhoneCode
from shangliang.core.clients import client_ip
from shangliang.core.errors import DomainError
from shangliang.core.notify import Kind, notify
from shangliang.core.phones import mask_mobile, normalize_mobile, validate_mobile
from shangliang.core.ratelimits import hit, hit_per
from shangliang.core.records import save_record

CODE_DIGITS = 6


@dataclass(frozen=True)
class CodeSent:
    masked_mobile: str
    resend_in: int  # seconds before another code may be asked for
    # Shown on the page only in a development install whose texts go to the log (no SMS gateway).
    demo_code: str = ""


def _hash(mobile: str, purpose: str, code: str) -> str:
    return salted_hmac("shangliang.accounts.phone-code", f"{mobile}:{purpose}:{code}", algorithm="sha256").hexdigest()


def clean_mobile(mobile: str, *, field: str = "mobile") -> str:
    """The number as 11 digits, or DomainError on ``field``."""
    mobile = normalize_mobile(mobile)
    try:
        validate_mobile(mobile)
    except ValidationError as error:
        raise DomainError(error.messages[0], field=field) from None
    return mobile


def texts_go_to_log() -> bool:
    """No SMS gateway is configured: codes are written to the log, nobody receives them."""
    return settings.SHANGLIANG_SENDERS["sms"].endswith(".ConsoleSender")


def code_send(request, *, mobile: str, purpose: str, now=None) -> CodeSent:
    """Text a new code for ``purpose`` to ``mobile``; DomainError (on ``mobile``) when refused."""
    if purpose not in CodePurpose.values:
        raise DomainError(_("验证码用途不正确。"))
    mobile = clean_mobile(mobile)
    if texts_go_to_log() and not settings.DEBUG:
        raise DomainError(_("本站尚未开通短信服务，请到村（社区）协商议事室由工作人员现场核验手机号。"), field="mobile")
    now = now or timezone.now()
    wait = settings.SHANGLIANG_CODE_RESEND_SECONDS
    last = PhoneCode.objects.filter(mobile=mobile, purpose=purpose).order_by("-created_at").first()
    if last is not None and (now - last.created_at).total_seconds() < wait:
        left = wait - int((now - last.created_at).total_seconds())
        raise DomainError(_("验证码已发送，请%(seconds)s秒后再重新获取。") % {"seconds": left}, field="mobile")
    if hit(request, "code") or hit_per(request, "code") or hit_per(request, "code_mobile", mobile):
        raise DomainError(_("获取验证码太频繁，请稍后再试。"), field="mobile")
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    minutes = settings.SHANGLIANG_CODE_MINUTES
    with transaction.atomic():
        # A new code replaces any earlier one for the same number and purpose.
        PhoneCode.objects.filter(mobile=mobile, purpose=purpose, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        row = PhoneCode.objects.create(
            mobile=mobile,
            purpose=purpose,
            code_hash=_hash(mobile, purpose, code),
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
            client_ip=client_ip(request) if request is not None else "",
        )
        notify(
            kind=Kind.CODE,
            reason=f"code:{row.pk}",
            recipients=[mobile],
            title=_("验证码"),
            body=_("您的验证码为%(code)s，%(minutes)s分钟内有效。如非本人操作，请忽略。")
            % {"code": "******", "minutes": minutes},
            params={"code": code, "minutes": str(minutes)},
        )
    demo = code if settings.DEBUG and texts_go_to_log() else ""
    return CodeSent(masked_mobile=mask_mobile(mobile), resend_in=wait, demo_code=demo)


def code_check(*, mobile: str, purpose: str, code: str, now=None) -> None:
    """Use the number's current code for ``purpose``; DomainError (on ``code``) when it is wrong or void.

    A wrong entry counts against the code even though the request fails (it is written on its own).
    """
    mobile = normalize_mobile(mobile)
    code = (code or "").strip()
    now = now or timezone.now()
    refusal = ""
    with transaction.atomic():
        row = (
            PhoneCode.objects.select_for_update()
            .filter(mobile=mobile, purpose=purpose, used_at__isnull=True, expires_at__gt=now)
            .order_by("-created_at")
            .first()
        )
        if row is None:
            refusal = _("验证码已失效或未获取，请重新获取。")
        elif row.attempts >= settings.SHANGLIANG_CODE_TRIES:
            refusal = _("验证码输错次数过多，请重新获取。")
        elif not (len(code) == CODE_DIGITS and constant_time_compare(row.code_hash, _hash(mobile, purpose, code))):
            row.attempts += 1
            row.save(update_fields=["attempts"])
            left = settings.SHANGLIANG_CODE_TRIES - row.attempts
            refusal = (
                _("验证码不正确，还可以再输入%(left)s次。") % {"left": left}
                if left
                else _("验证码输错次数过多，请重新获取。")
            )
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
    if refusal:
        raise DomainError(refusal, field="code")


def mobile_bind(*, user, mobile: str, actor, now=None, reason: str = "account.mobile_verified"):
    """Make ``mobile`` (already proved) the verified number of ``user``; the caller checked the code."""
    now = now or timezone.now()
    user_model = get_user_model()
    for other in user_model.objects.select_for_update().filter(mobile=mobile).exclude(pk=user.pk):
        other.mobile = None
        other.verified_mobile = ""
        other.mobile_verified_at = None
        save_record(other, actor=actor, reason="account.mobile_taken_over")
    user = user_model.objects.select_for_update().get(pk=user.pk)
    user.mobile = mobile
    user.verified_mobile = mobile
    user.mobile_verified_at = now
    return save_record(user, actor=actor, reason=reason)
