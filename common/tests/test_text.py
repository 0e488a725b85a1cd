"""Single-line text: names and titles refuse line breaks and control characters."""

import pytest
from django.core.exceptions import ValidationError

from common.text import SingleLineCharField, validate_single_line


@pytest.mark.parametrize("value", ["许昌市阳光社会工作服务中心", "Sunshine Centre (No. 2)", ""])
def test_one_line_passes(value):
    validate_single_line(value)


@pytest.mark.parametrize("value", ["a\nb", "a\r\nb", "a\rb", "a\tb", "a\x00b", "a\u2028b"])
def test_line_breaks_and_control_characters_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        validate_single_line(value)
    assert refused.value.code == "not_single_line"


def test_the_field_validates_and_migrates_as_a_plain_char_field():
    field = SingleLineCharField(max_length=10)
    field.set_attributes_from_name("name")

    with pytest.raises(ValidationError):
        field.clean("a\nb", None)
    assert field.deconstruct()[1] == "django.db.models.CharField"
