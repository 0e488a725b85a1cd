"""Messages a clerk understands: why a date does not exist, the words a choice accepts,
and where a file's encoding changes."""

import pytest
from django.utils import translation

from common.spreadsheets import (
    CellError,
    SpreadsheetError,
    TableFile,
    parse_choice,
    parse_date,
    parse_month,
)


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def message_of(parse, value, *args):
    with pytest.raises(CellError) as raised:
        parse(value, *args)
    return raised.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-02-30", "2026-02-30 不存在：2 月没有 30 日"),
        ("2026/2/29", "2026-02-29 不存在：2 月没有 29 日"),
        ("2026年4月31日", "2026-04-31 不存在：4 月没有 31 日"),
        ("20261301", "2026-13-01 不存在：一年只有 12 个月"),
    ],
)
def test_an_impossible_date_says_why(value, expected):
    assert message_of(parse_date, value) == expected


def test_a_leap_day_is_a_date():
    assert parse_date("2028-02-29").isoformat() == "2028-02-29"


def test_an_impossible_month_says_why():
    assert message_of(parse_month, "2026-13") == "2026-13 不存在：一年只有 12 个月"


def test_a_choice_error_lists_the_words_of_the_file_only():
    choices = {
        "无": "none",
        "none": "none",
        "助理社会工作师": "assistant",
        "assistant": "assistant",
        "初级": "assistant",
        "社会工作师": "social_worker",
        "social_worker": "social_worker",
    }
    assert message_of(parse_choice, "中级", choices) == (
        "“中级”不是以下之一：无、助理社会工作师、社会工作师。"
    )


def read_error(data):
    with pytest.raises(SpreadsheetError) as raised, TableFile(data) as source:
        source.read(required=["code", "name"])
    return raised.value.message


UTF8 = "code,name\n411002001,西大街道\n411002002,东大街道\n".encode()
GBK = "411002003,西关街道\n411002004,南关街道\n".encode("gbk")


def test_utf8_then_gbk_names_the_line_of_the_first_gbk_byte():
    message = read_error(UTF8 + GBK)
    assert "混用了两种编码" in message and "第 4 行" in message


def test_gbk_then_utf8_names_the_line_where_utf8_starts():
    message = read_error(b"code,name\n" + GBK + "411002001,西大街道\n".encode())
    assert "混用了两种编码" in message and "第 4 行" in message


@pytest.mark.parametrize("data", [UTF8, b"\xef\xbb\xbf" + UTF8, b"code,name\n" + GBK])
def test_files_in_one_encoding_still_read(data):
    with TableFile(data) as source:
        assert len(source.read(required=["code", "name"]).rows) == 2


def test_a_forced_encoding_names_the_line_it_fails_on():
    with pytest.raises(SpreadsheetError) as raised:
        TableFile(UTF8 + GBK, encoding="utf-8")
    assert "第 4 行" in raised.value.message
