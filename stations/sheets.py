"""The registry's spreadsheet formats: the coverage workbook, and what the imports read back.

Sheet names, headers and the words in cells (筹建, 未建, 合计...) are Chinese whatever the
interface language: the files go to civil-affairs offices and come back edited, so their
format must not change with the reader's language. Imports accept the same columns (and the
internal English values), so an exported workbook, edited in Excel or WPS, imports back.
"""

from common.spreadsheets import Column, WorkbookWriter, csv_chunks, write_csv

from .coverage import county_table, township_rows, year_start
from .models import ServiceRecord, Staff, Station

SUMMARY_SHEET = "汇总"
DETAIL_SHEET = "明细"
STAFF_SHEET = "驻站社工"
RECORDS_SHEET = "服务记录"
NOT_BUILT = "未建"
TOTAL = "合计"
YES = "是"
NO = "否"

STATUS_WORDS = {
    Station.Status.PLANNED: "筹建",
    Station.Status.OPERATING: "运营",
    Station.Status.SUSPENDED: "暂停",
}
TIER_WORDS = {
    Station.Tier.PROVINCIAL: "省级示范",
    Station.Tier.CITY: "市级示范",
    Station.Tier.NONE: "无",
}
ROLE_WORDS = {
    Staff.Role.HEAD: "站长",
    Staff.Role.SOCIAL_WORKER: "社工",
    Staff.Role.ASSISTANT: "助理",
}
QUALIFICATION_WORDS = {
    Staff.Qualification.NONE: "无",
    Staff.Qualification.ASSISTANT: "助理社会工作师",
    Staff.Qualification.SOCIAL_WORKER: "社会工作师",
    Staff.Qualification.SENIOR: "高级社会工作师",
}


def _accepted(words, aliases=None):
    """{word or value: value}: the Chinese word, the internal value and a few synonyms."""
    accepted = {}
    for value, word in words.items():
        accepted[word] = value
        accepted[str(value)] = value
    accepted.update(aliases or {})
    return accepted


STATUS_CHOICES = _accepted(
    STATUS_WORDS,
    {
        "筹建中": Station.Status.PLANNED,
        "运营中": Station.Status.OPERATING,
        "已运营": Station.Status.OPERATING,
        "暂停运营": Station.Status.SUSPENDED,
        "停运": Station.Status.SUSPENDED,
    },
)
TIER_CHOICES = _accepted(
    TIER_WORDS,
    {
        "省级": Station.Tier.PROVINCIAL,
        "省级示范站": Station.Tier.PROVINCIAL,
        "市级": Station.Tier.CITY,
        "市级示范站": Station.Tier.CITY,
        "否": Station.Tier.NONE,
    },
)
ROLE_CHOICES = _accepted(
    ROLE_WORDS,
    {
        "负责人": Staff.Role.HEAD,
        "社会工作者": Staff.Role.SOCIAL_WORKER,
        "辅助人员": Staff.Role.ASSISTANT,
    },
)
QUALIFICATION_CHOICES = _accepted(
    QUALIFICATION_WORDS,
    {
        "初级": Staff.Qualification.ASSISTANT,
        "中级": Staff.Qualification.SOCIAL_WORKER,
        "高级": Staff.Qualification.SENIOR,
        "未持证": Staff.Qualification.NONE,
    },
)

# Column headers ------------------------------------------------------------------------
COUNTY_CODE = "区县代码"
COUNTY = "县（市、区）"
TOWNSHIPS_IN_SCOPE = "纳入统计乡镇（街道）数"
COVERED_TOWNSHIPS = "已覆盖乡镇（街道）数"
OPERATING_STATIONS = "运营社工站数"
COVERAGE = "覆盖率"
RESIDENT = "驻站社工数"
CERTIFIED = "持证社工数"
PEOPLE_SERVED_THIS_YEAR = "本年服务人次"

TOWNSHIP_CODE = "乡镇（街道）代码"
TOWNSHIP = "乡镇（街道）"
COUNTS = "计入覆盖率"
COVERED = "已覆盖"
STATION = "社工站"
STATUS = "状态"
OPERATOR = "运营机构"
OPENED_ON = "建站日期"
ADDRESS = "地址"
SITE_AREA = "场地面积（平方米）"
FUNDING = "年度经费（元）"
TIER = "示范等级"

NAME = "姓名"
ROLE = "岗位"
QUALIFICATION = "职业资格"
CERTIFICATE = "证书编号"
SINCE = "到岗日期"
UNTIL = "离岗日期"

MONTH = "月份"
CASES = "个案数"
GROUPS = "小组活动数"
ACTIVITIES = "社区活动数"
PEOPLE_SERVED = "服务人次"
VOLUNTEERS = "动员志愿者人次"
FUNDS = "链接资金（元）"

WHOLE = "#,##0"
DATE = "yyyy-mm-dd"
MONEY = "#,##0.00"

SUMMARY_COLUMNS = [
    Column(COUNTY_CODE, 12),
    Column(COUNTY, 22),
    Column(TOWNSHIPS_IN_SCOPE, 14, WHOLE),
    Column(COVERED_TOWNSHIPS, 14, WHOLE),
    Column(OPERATING_STATIONS, 12, WHOLE),
    Column(COVERAGE, 10, "0.0%"),
    Column(RESIDENT, 12, WHOLE),
    Column(CERTIFIED, 12, WHOLE),
    Column(PEOPLE_SERVED_THIS_YEAR, 14, WHOLE),
]
DETAIL_COLUMNS = [
    Column(COUNTY_CODE, 12),
    Column(COUNTY, 20),
    Column(TOWNSHIP_CODE, 14),
    Column(TOWNSHIP, 20),
    Column(COUNTS, 10),
    Column(COVERED, 8),
    Column(STATION, 28),
    Column(STATUS, 8),
    Column(OPERATOR, 30),
    Column(OPENED_ON, 12, DATE),
    Column(ADDRESS, 30),
    Column(SITE_AREA, 14, "#,##0.0"),
    Column(FUNDING, 14, MONEY),
    Column(TIER, 10),
    Column(RESIDENT, 10, WHOLE),
    Column(CERTIFIED, 10, WHOLE),
    Column(PEOPLE_SERVED_THIS_YEAR, 14, WHOLE),
]
STAFF_COLUMNS = [
    Column(TOWNSHIP_CODE, 14),
    Column(TOWNSHIP, 20),
    Column(STATION, 28),
    Column(NAME, 12),
    Column(ROLE, 8),
    Column(QUALIFICATION, 16),
    Column(CERTIFICATE, 20),
    Column(SINCE, 12, DATE),
    Column(UNTIL, 12, DATE),
]
RECORD_COLUMNS = [
    Column(TOWNSHIP_CODE, 14),
    Column(TOWNSHIP, 20),
    Column(STATION, 28),
    Column(MONTH, 10),
    Column(CASES, 10, WHOLE),
    Column(GROUPS, 10, WHOLE),
    Column(ACTIVITIES, 10, WHOLE),
    Column(PEOPLE_SERVED, 10, WHOLE),
    Column(VOLUNTEERS, 14, WHOLE),
    Column(FUNDS, 14, MONEY),
]

# What the imports read: required columns first, then the optional ones they update.
STATION_REQUIRED = [TOWNSHIP_CODE, STATION, STATUS]
STATION_OPTIONAL = [OPERATOR, OPENED_ON, ADDRESS, SITE_AREA, FUNDING, TIER]
STAFF_REQUIRED = [TOWNSHIP_CODE, NAME, ROLE, QUALIFICATION, SINCE]
STAFF_OPTIONAL = [CERTIFICATE, UNTIL]
RECORD_REQUIRED = [TOWNSHIP_CODE, MONTH, PEOPLE_SERVED]
RECORD_OPTIONAL = [CASES, GROUPS, ACTIVITIES, VOLUNTEERS, FUNDS]


def summary_values(row):
    return [
        row.code,
        row.name,
        row.townships,
        row.covered,
        row.stations,
        row.ratio,
        row.resident,
        row.certified,
        row.people_served,
    ]


def detail_values(row):
    status = row["station__status"]
    return [
        row["parent__code"],
        row["parent__name"],
        row["code"],
        row["name"],
        YES if row["counts_toward_coverage"] else NO,
        YES if row["covered"] else NO,
        row["station__name"] if row["has_station"] else NOT_BUILT,
        STATUS_WORDS.get(status, "") if status else "",
        row["operator"],
        row["station__opened_on"],
        row["station__address"] or "",
        row["station__site_area"],
        row["station__annual_funding"],
        TIER_WORDS.get(row["station__demonstration_tier"], "") if row["has_station"] else "",
        row["resident"],
        row["certified"],
        row["people_served"],
    ]


def _area_filter(queryset, area, prefix):
    if area is None:
        return queryset
    return queryset.filter(**{f"{prefix}code__startswith": area.code})


def staff_values(area):
    """Every staff record (present and past) of the stations in `area`, streamed."""
    queryset = (
        _area_filter(Staff.objects.all(), area, "station__township__")
        .order_by("station__township__code", "since_on", "name")
        .values_list(
            "station__township__code",
            "station__township__name",
            "station__name",
            "name",
            "role",
            "qualification",
            "certificate_number",
            "since_on",
            "until_on",
        )
    )
    for (
        code,
        township,
        station,
        name,
        role,
        qualification,
        certificate,
        since,
        until,
    ) in queryset.iterator(chunk_size=2000):
        yield [
            code,
            township,
            station,
            name,
            ROLE_WORDS.get(role, role),
            QUALIFICATION_WORDS.get(qualification, qualification),
            certificate,
            since,
            until,
        ]


def record_values(area, *, on):
    """The service records of `on`'s year up to its month, in `area`, streamed."""
    queryset = (
        _area_filter(ServiceRecord.objects.all(), area, "station__township__")
        .filter(month__gte=year_start(on), month__lte=on)
        .order_by("station__township__code", "month")
        .values_list(
            "station__township__code",
            "station__township__name",
            "station__name",
            "month",
            "casework_cases",
            "group_sessions",
            "community_activities",
            "people_served",
            "volunteers",
            "funds_linked",
        )
    )
    for code, township, station, month, *figures in queryset.iterator(chunk_size=2000):
        yield [code, township, station, f"{month:%Y-%m}", *figures]


def write_coverage_workbook(target, *, area, on):
    """The coverage workbook of `area` on `on` (sheets 汇总, 明细, 驻站社工, 服务记录).

    Returns the CoverageTable of the summary sheet, so callers can show what they wrote.
    """
    table = county_table(area, on=on, total_label=TOTAL)
    book = WorkbookWriter()
    summary = book.add_sheet(SUMMARY_SHEET, SUMMARY_COLUMNS)
    for row in table.rows:
        summary.append(summary_values(row))
    total = summary_values(table.total)
    total[0] = ""
    summary.append(total)
    detail = book.add_sheet(DETAIL_SHEET, DETAIL_COLUMNS)
    for row in township_rows(area, on=on):
        detail.append(detail_values(row))
    staff = book.add_sheet(STAFF_SHEET, STAFF_COLUMNS)
    for values in staff_values(area):
        staff.append(values)
    records = book.add_sheet(RECORDS_SHEET, RECORD_COLUMNS)
    for values in record_values(area, on=on):
        records.append(values)
    book.save(target)
    return table


def detail_rows(area, *, on):
    return (detail_values(row) for row in township_rows(area, on=on))


def coverage_csv_chunks(*, area, on):
    """The detail sheet (明细) as csv byte chunks (UTF-8 with BOM), for a streamed response."""
    return csv_chunks(DETAIL_COLUMNS, detail_rows(area, on=on))


def write_coverage_csv(target, *, area, on):
    write_csv(target, DETAIL_COLUMNS, detail_rows(area, on=on))
