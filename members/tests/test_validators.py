"""Unified social credit codes (GB 32100-2015), phone numbers and masking."""

import pytest
from django.core.exceptions import ValidationError

from members.validators import (
    credit_code_check_character,
    mask_name,
    mask_phone,
    normalise_credit_code,
    validate_credit_code,
    validate_phone,
)

# Codes of real, publicly registered organisations and the standard's own worked example.
REAL_CODES = [
    "91350100M000100Y43",  # GB 32100-2015 example
    "911100001000044477",
    "91110000802100433B",
    "914403001922038216",
    "91440300708461136T",
]


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_credit_codes_are_accepted(code):
    validate_credit_code(code)
    assert credit_code_check_character(code[:17]) == code[17]


def test_credit_code_is_accepted_in_lower_case_with_spaces():
    assert normalise_credit_code(" 9135 0100m000100y43 ") == "91350100M000100Y43"
    validate_credit_code(" 9135 0100m000100y43 ")


@pytest.mark.parametrize(
    ("code", "error_code"),
    [
        ("91350100M000100Y44", "credit_code_check"),  # last character changed
        ("91350100M000100Y4", "credit_code_length"),  # 17 characters
        ("91350100M000100Y433", "credit_code_length"),  # 19 characters
        ("91350100M00010OY43", "credit_code_characters"),  # letter O is not used
        ("91350100M000100I43", "credit_code_characters"),  # letter I is not used
        ("9135A100M000100Y43", "credit_code_characters"),  # region code must be digits
        ("", "credit_code_length"),
    ],
)
def test_wrong_credit_codes_are_refused_with_a_reason(code, error_code):
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(code)
    assert caught.value.code == error_code


def test_swapping_two_characters_breaks_the_check_character():
    code = REAL_CODES[4]  # 91440300708461136T: positions 10 and 11 differ
    swapped = code[:9] + code[10] + code[9] + code[11:]
    assert swapped != code
    with pytest.raises(ValidationError):
        validate_credit_code(swapped)


def test_check_character_zero_when_the_sum_is_a_multiple_of_31():
    # Search a body whose weighted sum is divisible by 31: its check character must be "0".
    for serial in range(10_000):
        body = f"52411000MJ{serial:07d}"
        if credit_code_check_character(body) == "0":
            validate_credit_code(body + "0")
            return
    pytest.fail("no body with check character 0 found")


@pytest.mark.parametrize(
    "phone", ["13800001234", "138 0000 1234", "+8613800001234", "0374-1234567"]
)
def test_valid_phone_numbers(phone):
    validate_phone(phone)


@pytest.mark.parametrize("phone", ["12345", "1380000123", "23800001234", "phone"])
def test_invalid_phone_numbers(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_phones_are_masked_for_lists():
    assert mask_phone("13800001234") == "138****1234"
    assert mask_phone("0374-1234567") == "037*****4567"
    assert mask_phone("") == ""


def test_names_are_masked_to_the_family_name():
    assert mask_name("陈静") == "陈*"
    assert mask_name("欧阳娜娜") == "欧***"
