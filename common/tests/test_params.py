"""Query parameters read through common.params: hostile values are refused with a message."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.utils import translation

from common.params import BadParameter, query_choice, query_int, query_page, query_text

factory = RequestFactory()


def request(**query):
    return factory.get("/", query)


def test_text_is_stripped_and_defaults_when_absent_or_blank():
    assert query_text(request(q="  陈静 "), "q") == "陈静"
    assert query_text(request(), "q", default="all") == "all"
    assert query_text(request(q="   "), "q", default="all") == "all"


@pytest.mark.parametrize("value", ["\x00", "a\x00b", "line\nbreak", "\x7f"])
def test_text_with_a_control_character_is_refused(value):
    with pytest.raises(BadParameter, match="q"):
        query_text(request(q=value), "q")


def test_over_long_text_is_refused():
    assert query_text(request(q="长" * 60), "q", max_length=60) == "长" * 60
    with pytest.raises(BadParameter, match="60"):
        query_text(request(q="长" * 61), "q", max_length=60)


def test_integer_of_ascii_digits_only():
    assert query_int(request(poll="12"), "poll") == 12
    assert query_int(request(), "poll") is None
    assert query_int(request(poll=""), "poll", default=3) == 3


@pytest.mark.parametrize("value", ["²", "١٢", "1.5", "-1", "a/b", "12abc", "9" * 30, "\x00"])
def test_anything_but_a_plain_integer_in_range_is_refused(value):
    assert value.isdigit() is (value in ("²", "١٢", "9" * 30))
    with pytest.raises(BadParameter):
        query_int(request(poll=value), "poll")


def test_integer_bounds():
    assert query_int(request(n="5"), "n", minimum=1, maximum=5) == 5
    with pytest.raises(BadParameter):
        query_int(request(n="0"), "n", minimum=1)
    with pytest.raises(BadParameter):
        query_int(request(n="6"), "n", maximum=5)


def test_choice_is_one_of_the_choices():
    choices = [("xlsx", "Excel"), ("csv", "CSV")]
    assert query_choice(request(format="csv"), "format", choices, default="xlsx") == "csv"
    assert query_choice(request(), "format", choices, default="xlsx") == "xlsx"
    with pytest.raises(BadParameter):
        query_choice(request(format="exe"), "format", choices, default="xlsx")


@pytest.mark.parametrize("value", ["²", "\x00", "a/b", "9" * 5000, "-2"])
def test_page_falls_back_to_the_first_for_anything_but_a_number(value):
    assert query_page(request(page=value), list(range(50)), 10).number == 1


def test_page_past_the_end_is_the_last():
    assert query_page(request(page="3"), list(range(50)), 10).number == 3
    assert query_page(request(page="99"), list(range(50)), 10).number == 5


def test_the_message_is_chinese_by_default():
    with translation.override(settings.LANGUAGE_CODE), pytest.raises(BadParameter) as refused:
        query_int(request(poll="²"), "poll")
    assert str(refused.value) == "网址中的参数“poll”不是有效的数字。"
