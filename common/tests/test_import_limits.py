"""Zip bombs and oversized files are refused before they are parsed, with the limit said."""

import os

import pytest
from django.template.defaultfilters import filesizeformat
from django.utils import translation

from common.spreadsheets import SpreadsheetError, TableFile
from common.tests.factories import workbook_bytes, zip_bomb_xlsx


@pytest.fixture(autouse=True)
def _chinese():
    with translation.override("zh-hans"):
        yield


def refusal(data):
    with pytest.raises(SpreadsheetError) as raised, TableFile(data) as source:
        source.read(required=["code", "name"])
    return raised.value.message


def test_a_zip_bomb_is_refused_by_its_compression_ratio_before_parsing(settings):
    settings.IMPORT_MAX_COMPRESSION_RATIO = 100
    data = zip_bomb_xlsx()
    assert len(data) < 100_000
    message = refusal(data)
    assert "压缩" in message and "100" in message


def test_a_workbook_that_unpacks_to_more_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 200_000
    rows = [["code", "name"]] + [[os.urandom(16).hex(), os.urandom(16).hex()] for _ in range(4000)]
    message = refusal(workbook_bytes({"明细": rows}))
    assert filesizeformat(200_000) in message


def test_a_csv_larger_than_the_limit_is_refused(settings):
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 1000
    message = refusal(b"code,name\n" + b"1,x\n" * 1000)
    assert filesizeformat(1000) in message


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_sheet_with_more_rows_than_the_cap_is_refused(settings, kind):
    settings.IMPORT_MAX_ROWS = 5
    rows = [["code", "name"]] + [[str(number), "x"] for number in range(6)]
    if kind == "xlsx":
        data = workbook_bytes({"明细": rows})
    else:
        data = "\n".join(",".join(row) for row in rows).encode()
    message = refusal(data)
    assert "5 行" in message
    assert ("明细" in message) == (kind == "xlsx")


def test_a_sheet_at_the_cap_is_read(settings):
    settings.IMPORT_MAX_ROWS = 5
    rows = [["code", "name"]] + [[str(number), "x"] for number in range(5)]
    with TableFile(workbook_bytes({"明细": rows})) as source:
        assert len(source.read(required=["code", "name"]).rows) == 5
