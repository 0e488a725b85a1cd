"""Validators and formatting for the identifiers members give us: credit codes and phones."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the 31 characters a unified social credit code may use (no I, O, S, V, Z)
# and the weights of positions 1-17 for the check character in position 18.
CREDIT_CODE_CHARACTERS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_CREDIT_CODE_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")

# Mainland mobile numbers (11 digits starting 1[3-9]) or landlines with an area code.
_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_LANDLINE = re.compile(r"^0[0-9]{2,3}-?[0-9]{7,8}(-[0-9]{1,6})?$")


# What people paste between the characters of a code: spaces of any width and dashes.
_CREDIT_CODE_GAPS = re.compile(r"[\s\-‐‑‒–—―－]+")


def normalise_credit_code(value):
    """Upper case without gaps: codes are typed in lower case, in full-width characters
    (NFKC makes them plain), or pasted with spaces or dashes between the groups."""
    return _CREDIT_CODE_GAPS.sub("", unicodedata.normalize("NFKC", value or "")).upper()


def credit_code_check_character(first17):
    """The GB 32100-2015 check character for the first 17 characters of a code."""
    total = sum(
        CREDIT_CODE_CHARACTERS.index(char) * weight
        for char, weight in zip(first17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARACTERS[(31 - total % 31) % 31]


def validate_credit_code(value):
    """Refuse anything but an 18-character code whose check character is right."""
    code = normalise_credit_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)s."),
            code="credit_code_length",
            params={"count": len(code)},
        )
    if not _CREDIT_CODE_SHAPE.match(code):
        raise ValidationError(
            _(
                "This is not a unified social credit code: it may only use digits and capital "
                "letters other than I, O, S, V and Z, and characters 3 to 8 are digits."
            ),
            code="credit_code_characters",
        )
    if credit_code_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The unified social credit code is wrong: its last character does not match "
                "the others. Please copy it again from the registration certificate."
            ),
            code="credit_code_check",
        )


def normalise_phone(value):
    return re.sub(r"[\s()（）]+", "", value or "").replace("+86", "", 1)


def validate_phone(value):
    phone = normalise_phone(value)
    if not (_MOBILE.match(phone) or _LANDLINE.match(phone)):
        raise ValidationError(
            _("Enter a mobile number (11 digits) or a landline with its area code."),
            code="phone",
        )


def mask_phone(value):
    """138****5678: enough to recognise a number in a list, not enough to call it."""
    phone = normalise_phone(value)
    if not phone:
        return ""
    if len(phone) <= 4:
        return "*" * len(phone)
    keep_start = 3 if len(phone) >= 7 else 0
    return phone[:keep_start] + "*" * (len(phone) - keep_start - 4) + phone[-4:]


def mask_name(value):
    """陈* / 欧阳** : the family name only, for public pages about individuals."""
    value = (value or "").strip()
    if not value:
        return ""
    return value[0] + "*" * max(len(value) - 1, 1)
