"""Mainland mobile numbers: validation, normalisation and masking."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    digits = re.sub(r"[\s\-]", "", str(value or ""))
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("86") and len(digits) == 13:
        digits = digits[2:]
    return digits


def validate_mobile(value: str) -> None:
    if not MOBILE_RE.match(normalize_mobile(value)):
        raise ValidationError(_("请输入11位手机号码，例如 13800000000。"), code="invalid_mobile")


def mask_mobile(value: str) -> str:
    """138****0000: the middle four digits hidden."""
    digits = normalize_mobile(value)
    if len(digits) != 11:
        return "****" if digits else ""
    return f"{digits[:3]}****{digits[7:]}"
