"""Demo station registry: a Xuchang-like city built in code, deterministic and idempotent.

许昌市 (4110) with its seven county-level units (real names and codes) and 106 townships
with generated names and 9-digit codes; three of them are quasi-township units that do not count
toward coverage (most of the development zone's). 106 stations: every counting township has
an operating one (full coverage), one in the development zone is suspended. Stations opened
2019-2023; operating organisations grow from 12 (2020) to 23; certified social workers from
about 100 (2020) to 500+ (2026); monthly service records for the last twelve months.
Operators are free text: the members demo runs after this one, and
`services.operators_link` links them to unit members of the same name once those exist.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from .models import Division, ServiceRecord, Staff, Station
from .services import operators_link

SEED = 4110
PROVINCE = ("41", "河南省")
CITY = ("4110", "许昌市")
# (code, name, streets, towns, townships, quasi-township unit codes)
COUNTIES = [
    ("411002", "魏都区", 14, 0, 0, ["570"]),
    ("411003", "建安区", 5, 7, 6, []),
    ("411024", "鄢陵县", 0, 12, 0, []),
    ("411025", "襄城县", 2, 9, 5, []),
    ("411071", "许昌经济技术开发区", 1, 0, 0, ["400", "401"]),
    ("411081", "禹州市", 5, 19, 2, []),
    ("411082", "长葛市", 4, 12, 0, []),
]
FIRST = "东西南北中新长永和安兴文福宁泰康德华昌丰盛金石柳桃杏榆槐梨清白红青双三龙凤"
SECOND = "关城门坊园湾庄桥集岗营店寺铺口坡沟河湖林塘岭寨楼台街屯阳湾亭"
ROADS = ["人民路", "建设路", "文化路", "解放路", "中心街", "幸福路", "团结路", "光明路"]
ORGANISATIONS = [
    "许昌市阳光社会工作服务中心",
    "许昌市同心社会工作服务中心",
    "许昌市春晖社会工作服务中心",
    "魏都区和谐社会工作服务中心",
    "建安区明德社会工作服务中心",
    "鄢陵县花都社会工作服务中心",
    "襄城县仁爱社会工作服务中心",
    "禹州市钧都社会工作服务中心",
    "长葛市善行社会工作服务中心",
    "许昌市启航社会工作服务社",
    "许昌市新希望社会工作服务中心",
    "许昌学院社会工作服务中心",
    "许昌市益民社会工作服务中心",
    "禹州市德润社会工作服务中心",
    "长葛市惠民社会工作服务中心",
    "建安区乐和社会工作服务中心",
    "襄城县暖心社会工作服务中心",
    "鄢陵县众合社会工作服务中心",
    "许昌市红石榴社会工作服务中心",
    "魏都区邻里社会工作服务社",
    "许昌市博爱社会工作服务中心",
    "禹州市同行社会工作服务中心",
    "长葛市向阳社会工作服务中心",
]
# Organisations available to stations opening in a year: 12 until 2020, then more.
ORGANISATIONS_BY_YEAR = {2019: 12, 2020: 12, 2021: 18, 2022: 22, 2023: 23}
OPENINGS_PER_YEAR = [(2019, 10), (2020, 35), (2021, 35), (2022, 20), (2023, 6)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "静丽敏强磊洋娟艳勇军杰涛明超霞平刚桂英华玉兰芳红梅建国志宏海波文博晨雪琳欣怡浩宇佳"
LAST_HIRING_YEAR = 2026
LAST_HIRING_DAY = datetime.date(LAST_HIRING_YEAR, 6, 30)
QUALIFICATIONS_HIRED = ["assistant"] * 3 + ["social_worker"] * 2 + ["senior"]


def _township_names(rng, count, used):
    names = []
    while len(names) < count:
        name = rng.choice(FIRST) + rng.choice(SECOND)
        if name not in used:
            used.add(name)
            names.append(name)
    return names


def _townships(rng):
    """(code, name, counts, county code) of every demo township."""
    used = set()
    rows = []
    for code, _name, streets, towns, townships, quasi in COUNTIES:
        names = iter(_township_names(rng, streets + towns + townships + len(quasi), used))
        for number in range(1, streets + 1):
            rows.append((f"{code}{number:03d}", f"{next(names)}街道", True, code))
        for number in range(101, 101 + towns):
            rows.append((f"{code}{number:03d}", f"{next(names)}镇", True, code))
        for number in range(201, 201 + townships):
            rows.append((f"{code}{number:03d}", f"{next(names)}乡", True, code))
        for suffix in quasi:
            rows.append((f"{code}{suffix}", f"{next(names)}管理区", False, code))
    return rows


def _seed_divisions(rng):
    province, _ = Division.objects.update_or_create(
        code=PROVINCE[0], defaults={"name": PROVINCE[1], "level": Division.Level.PROVINCE}
    )
    city, _ = Division.objects.update_or_create(
        code=CITY[0], defaults={"name": CITY[1], "level": Division.Level.CITY, "parent": province}
    )
    counties = {}
    for code, name, *_rest in COUNTIES:
        counties[code], _ = Division.objects.update_or_create(
            code=code, defaults={"name": name, "level": Division.Level.COUNTY, "parent": city}
        )
    townships = [
        Division(
            code=code,
            name=name,
            level=Division.Level.TOWNSHIP,
            parent=counties[county],
            counts_toward_coverage=counts,
        )
        for code, name, counts, county in _townships(rng)
    ]
    Division.objects.bulk_create(
        townships,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "level", "parent", "counts_toward_coverage"],
    )
    return list(Division.objects.townships().within(city).select_related("parent"))


def _day_in(rng, year, *, latest=None):
    start = datetime.date(year, 1, 1)
    end = min(datetime.date(year, 12, 31), latest or datetime.date(year, 12, 31))
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def _person_name(rng, used):
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name


def _seed_stations(rng, townships):
    years = [year for year, count in OPENINGS_PER_YEAR for _ in range(count)]
    rng.shuffle(years)
    tiers = [Station.Tier.PROVINCIAL] * 8 + [Station.Tier.CITY] * 20
    tiers += [Station.Tier.NONE] * (len(townships) - len(tiers))
    rng.shuffle(tiers)
    new_organisations = {year: set() for year, _count in OPENINGS_PER_YEAR}
    stations = []
    for township, year, tier in zip(townships, years, tiers, strict=True):
        available = ORGANISATIONS[: ORGANISATIONS_BY_YEAR[year]]
        previous = ORGANISATIONS[: ORGANISATIONS_BY_YEAR.get(year - 1, 0)]
        # Each organisation new in a year runs at least one station opened that year.
        fresh = [name for name in available if name not in previous]
        unused = [name for name in fresh if name not in new_organisations[year]]
        operator = unused[0] if unused else rng.choice(available)
        new_organisations[year].add(operator)
        suspended = township.code.endswith("401") and not township.counts_toward_coverage
        stations.append(
            Station(
                township=township,
                name=f"{township.name}社会工作服务站",
                status=Station.Status.SUSPENDED if suspended else Station.Status.OPERATING,
                opened_on=_day_in(rng, year),
                operator_name=operator,
                address=f"{CITY[1]}{township.parent.name}{township.name}"
                f"{rng.choice(ROADS)}{rng.randrange(1, 200)}号",
                site_area=Decimal(rng.randrange(1500, 6000)) / 10,
                annual_funding=Decimal(rng.randrange(15, 41) * 10000),
                demonstration_tier=tier,
            )
        )
    Station.objects.bulk_create(
        stations,
        update_conflicts=True,
        unique_fields=["township"],
        # Not the operator: a later link to a unit member must survive a re-run.
        update_fields=[
            "name",
            "status",
            "opened_on",
            "address",
            "site_area",
            "annual_funding",
            "demonstration_tier",
        ],
    )
    return list(Station.objects.filter(township__in=townships).select_related("township"))


def _certificate(rng, year, serial):
    return f"{year}41{serial:06d}{rng.randrange(10)}"


def _seed_staff(rng, stations):
    used = set()
    staff = []
    serial = 0
    for station in sorted(stations, key=lambda station: station.township.code):
        opened = station.opened_on
        team = [
            (Staff.Role.HEAD, Staff.Qualification.SOCIAL_WORKER, opened),
            (Staff.Role.SOCIAL_WORKER, Staff.Qualification.ASSISTANT, opened),
            (Staff.Role.ASSISTANT, Staff.Qualification.NONE, opened),
        ]
        for year in range(opened.year + 1, LAST_HIRING_YEAR + 1):
            if rng.random() < 0.72:
                qualification = rng.choice(QUALIFICATIONS_HIRED)
                since = _day_in(rng, year, latest=LAST_HIRING_DAY)
                team.append((Staff.Role.SOCIAL_WORKER, qualification, since))
            if rng.random() < 0.2:
                since = _day_in(rng, year, latest=LAST_HIRING_DAY)
                team.append((Staff.Role.ASSISTANT, Staff.Qualification.NONE, since))
        for role, qualification, since in team:
            serial += 1
            until = None
            # A few leave after some years: the figures of past dates must remember them.
            if rng.random() < 0.08 and since.year < 2025:
                until = since + datetime.timedelta(days=rng.randrange(400, 1200))
                if until >= LAST_HIRING_DAY:
                    until = None
            staff.append(
                Staff(
                    station=station,
                    name=_person_name(rng, used),
                    role=role,
                    qualification=qualification,
                    certificate_number=(
                        _certificate(rng, since.year - 1, serial)
                        if qualification != Staff.Qualification.NONE
                        else ""
                    ),
                    since_on=since,
                    until_on=until,
                )
            )
    Staff.objects.bulk_create(
        staff,
        update_conflicts=True,
        unique_fields=["station", "name"],
        update_fields=["role", "qualification", "certificate_number", "since_on", "until_on"],
    )
    return len(staff)


def _last_months(today, count=12):
    """The first days of the `count` months before today's month, oldest first."""
    months = []
    month = today.replace(day=1)
    for _ in range(count):
        month = (month - datetime.timedelta(days=1)).replace(day=1)
        months.append(month)
    return months[::-1]


def _seed_records(stations):
    records = []
    for station in stations:
        if station.status != Station.Status.OPERATING:
            continue
        for month in _last_months(timezone.localdate()):
            if station.opened_on > month:
                continue
            # Seeded by station and month: the same month gets the same figures every run.
            rng = random.Random(f"{station.township.code}-{month:%Y%m}")
            records.append(
                ServiceRecord(
                    station=station,
                    month=month,
                    casework_cases=rng.randrange(3, 16),
                    group_sessions=rng.randrange(1, 7),
                    community_activities=rng.randrange(2, 11),
                    people_served=rng.randrange(150, 901),
                    volunteers=rng.randrange(10, 81),
                    funds_linked=Decimal(rng.randrange(0, 2000000)) / 100,
                )
            )
    ServiceRecord.objects.bulk_create(
        records,
        update_conflicts=True,
        unique_fields=["station", "month"],
        update_fields=ServiceRecord.FIGURES,
    )
    return len(records)


def seed(*, log):
    rng = random.Random(SEED)
    townships = _seed_divisions(rng)
    stations = _seed_stations(rng, townships)
    staff = _seed_staff(rng, stations)
    records = _seed_records(stations)
    linked = operators_link(actor=None)
    log(
        f"stations: {len(townships)} townships, {len(stations)} stations, {staff} social workers, "
        f"{records} service records, {linked} operators linked to unit members"
    )
