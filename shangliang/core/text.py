"""Normalising the text of hotline records (12345工单, 留言, 网格事件) before matching and analysis.

The original text is always kept beside the normalised one. Normalising:

- Traditional characters become Simplified (OpenCC ``t2s``), so 臺/台 and 區/区 match;
- full-width letters and digits become half-width (Ａ１ → A1), the ideographic space a space; Chinese
  punctuation (，。、“”) stays as it is, since staff read these texts;
- control characters go, runs of white space become one space;
- masked numbers stay masked: ``138****0000`` and ``4401**********1234`` are never "repaired", and
  an unmasked mobile or ID number in the text is masked here (the text is shown to staff of
  several levels; only the reporter field is ever unmasked, and only where a role must call back).

Pure functions, no Django: the benchmarks in ``bench/`` use them too.
"""

import re
import unicodedata
from functools import cache

# A mobile number (11 digits from 1[3-9]) or a resident ID (17 digits and a check digit) that is not
# already masked; digits around it would make it part of a longer number, which is left alone.
MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")
ID_NUMBER = re.compile(r"(?<![\dXx])(\d{6})(\d{8})(\d{3}[\dXx])(?![\dXx])")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
SPACES = re.compile(r"\s+")
# Full-width digits and Latin letters → ASCII; the ideographic space → a space.
HALF_WIDTH = {
    code: code - 0xFEE0
    for block in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
    for code in range(block[0], block[1] + 1)
}
HALF_WIDTH[0x3000] = 0x20


@cache
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    return _converter().convert(text) if text else text


def mask_numbers(text: str) -> str:
    """Mask mobile and ID numbers written out in full (138****0000, 440101********1234)."""
    text = ID_NUMBER.sub(lambda m: m.group(1) + "*" * 8 + m.group(3), text)
    return MOBILE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


def normalise(text: str | None) -> str:
    """The text as analysis and matching read it (see the module's description)."""
    if not text:
        return ""
    text = CONTROL.sub(" ", str(text))
    text = text.translate(HALF_WIDTH)
    text = simplified(text)
    text = mask_numbers(text)
    return SPACES.sub(" ", text).strip()


def folded(text: str | None) -> str:
    """``normalise``, then every full-width form folded too (NFKC: ，？ → ,?): the form rules that read
    punctuation (``reply_quality``) expect; never stored or shown."""
    return unicodedata.normalize("NFKC", normalise(text))
