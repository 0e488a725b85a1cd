"""Check-in codes: readable, forgiving of case and spaces, compared in constant time."""

import pytest
from django.core.exceptions import ValidationError

from common.checkin import (
    CODE_ALPHABET,
    check_in_code_verify,
    check_in_link,
    new_check_in_code,
    qr_svg_response,
)


def test_codes_are_six_characters_that_read_one_way():
    codes = {new_check_in_code() for _ in range(200)}
    assert len(codes) > 190
    for code in codes:
        assert len(code) == 6
        assert set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01OIL")


def test_the_right_code_passes_whatever_its_case_and_spaces():
    check_in_code_verify(given=" ab c2 3d ", expected="ABC23D", is_open=True)


@pytest.mark.parametrize(
    ("given", "is_open", "code"),
    [("ABC23D", False, "closed"), ("ABC23E", True, "wrong_code"), ("", True, "wrong_code"),
     ("ABC23D\x00", True, "wrong_code")],
)  # fmt: skip
def test_a_wrong_code_or_closed_check_in_is_refused(given, is_open, code):
    with pytest.raises(ValidationError) as refusal:
        check_in_code_verify(given=given, expected="ABC23D", is_open=is_open)
    assert refusal.value.code == code


def test_the_qr_code_is_an_uncached_svg_of_the_link():
    assert (
        check_in_link("https://x.org/check-in/", "ABC23D") == "https://x.org/check-in/?code=ABC23D"
    )
    response = qr_svg_response("https://x.org/check-in/?code=ABC23D")
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "no-store"
    assert b"<svg" in response.content
