"""A small registry around the root fixtures' city (4110) and counties (411002, 411003).

魏都区 (county): 001 operating since 2020-03-01, 002 operating since 2023-06-15,
003 suspended (opened 2021), 004 no station, 570 a quasi-township unit that does not count
(operating station since 2020). 建安区 (other_county): 001 operating since 2022-01-01,
101 planned.
"""

import datetime
import io
import os
from dataclasses import dataclass

import pytest
from django.utils import translation
from openpyxl import load_workbook

from common.shared_data import VARIABLE, shared_data
from stations.models import Division, ServiceRecord, Staff, Station


def reference_file(name):
    """The shared reference file `name` (see common.shared_data). Where it is absent the
    test is skipped on a developer's machine, but fails in CI (`CI=true`): a skip there
    would be a test that can never fail."""
    path = shared_data() / name
    if not path.exists():
        message = (
            f"{path} is absent: set {VARIABLE} to the folder of the shared reference data "
            "(default ../shared/data beside the checkout)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def _english():
    """Messages made outside a request are English here; pages stay Chinese (the default)."""
    with translation.override("en"):
        yield


def township(county, suffix, name, *, counts=True):
    return Division.objects.create(
        code=f"{county.code}{suffix}",
        name=name,
        level=Division.Level.TOWNSHIP,
        parent=county,
        counts_toward_coverage=counts,
    )


def station(township, status, opened_on, **fields):
    return Station.objects.create(
        township=township,
        name=f"{township.name}社工站",
        status=status,
        opened_on=opened_on,
        **fields,
    )


@dataclass
class Registry:
    city: Division
    county: Division
    other_county: Division
    townships: dict
    stations: dict


@pytest.fixture
def registry(city, county, other_county):
    operating, suspended, planned = (
        Station.Status.OPERATING,
        Station.Status.SUSPENDED,
        Station.Status.PLANNED,
    )
    t = {
        "west": township(county, "001", "西大街道"),
        "east": township(county, "002", "东大街道"),
        "gate": township(county, "003", "西关街道"),
        "south": township(county, "004", "南关街道"),
        "quasi": township(county, "570", "东城区", counts=False),
        "town": township(other_county, "001", "许由街道"),
        "village": township(other_county, "101", "五女店镇"),
    }
    s = {
        "west": station(t["west"], operating, datetime.date(2020, 3, 1), operator_name="阳光社工"),
        "east": station(t["east"], operating, datetime.date(2023, 6, 15), operator_name="同心社工"),
        "gate": station(t["gate"], suspended, datetime.date(2021, 5, 1)),
        "quasi": station(
            t["quasi"], operating, datetime.date(2020, 1, 1), operator_name="阳光社工"
        ),
        "town": station(t["town"], operating, datetime.date(2022, 1, 1), operator_name="春晖社工"),
        "village": station(t["village"], planned, None),
    }
    staff = [
        # (station, name, qualification, since, until)
        ("west", "张静", "social_worker", datetime.date(2020, 3, 1), None),
        ("west", "李明", "assistant", datetime.date(2021, 1, 10), datetime.date(2024, 6, 30)),
        ("west", "王芳", "none", datetime.date(2022, 2, 1), None),
        ("east", "赵磊", "senior", datetime.date(2023, 6, 15), None),
        ("gate", "孙丽", "assistant", datetime.date(2021, 5, 1), None),
        ("quasi", "周楠", "assistant", datetime.date(2020, 1, 1), None),
        ("town", "吴凡", "social_worker", datetime.date(2022, 1, 1), None),
    ]
    for key, name, qualification, since, until in staff:
        Staff.objects.create(
            station=s[key],
            name=name,
            qualification=qualification,
            certificate_number=f"ZS{since:%Y}{len(name)}" if qualification != "none" else "",
            since_on=since,
            until_on=until,
        )
    records = [
        ("west", datetime.date(2025, 12, 1), 100),
        ("west", datetime.date(2026, 1, 1), 200),
        ("west", datetime.date(2026, 2, 1), 300),
        ("gate", datetime.date(2026, 1, 1), 50),
        ("town", datetime.date(2026, 3, 1), 70),
    ]
    for key, month, people in records:
        ServiceRecord.objects.create(station=s[key], month=month, people_served=people)
    return Registry(city=city, county=county, other_county=other_county, townships=t, stations=s)


def csv_bytes(text, encoding="utf-8"):
    return text.encode(encoding)


def open_workbook(data):
    return load_workbook(io.BytesIO(data) if isinstance(data, bytes) else data)


def rows_of(sheet):
    return [list(row) for row in sheet.iter_rows(values_only=True)]
