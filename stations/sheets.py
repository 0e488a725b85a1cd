"""The registry's spreadsheet formats: the coverage workbook, and what the imports read back.

Sheet names, headers and the words in cells (筹建, 未建, 合计...) are Chinese whatever the
interface language: the files go to civil-affairs offices and come back edited, so their
format must not change with the reader's language. Imports accept the same columns (and the
internal English values), so an exported workbook, edited in Excel or WPS, imports back.
"""

import datetime
from operator import attrgetter, itemgetter

from django.db import models
from django.utils import timezone

from association.models import AssociationProfile
from common.exports import Progress
from common.spreadsheets import Column, Printing, WorkbookWriter, values_of, write_csv

from .coverage import county_table, township_rows
from .models import Division, ServiceRecord, Staff, Station

NOTES_SHEET = "说明"
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


def _yes_no(flag):
    return YES if flag else NO


def _station_status(row):
    status = row["station__status"]
    return STATUS_WORDS.get(status, "") if status else ""


def _station_tier(row):
    return TIER_WORDS.get(row["station__demonstration_tier"], "") if row["has_station"] else ""


# Each sheet's columns: header, width, number format and where its cell comes from. Summary
# rows are CountyRow objects; detail rows are township_rows() dicts; staff and service-record
# rows are dicts of the fields their queries read.
SUMMARY_COLUMNS = [
    Column(COUNTY_CODE, 12, value=attrgetter("code")),
    Column(COUNTY, 22, value=attrgetter("name")),
    Column(TOWNSHIPS_IN_SCOPE, 14, WHOLE, attrgetter("townships")),
    Column(COVERED_TOWNSHIPS, 14, WHOLE, attrgetter("covered")),
    Column(OPERATING_STATIONS, 12, WHOLE, attrgetter("stations")),
    Column(COVERAGE, 10, "0.0%", attrgetter("ratio")),
    Column(RESIDENT, 12, WHOLE, attrgetter("resident")),
    Column(CERTIFIED, 12, WHOLE, attrgetter("certified")),
    Column(PEOPLE_SERVED_THIS_YEAR, 14, WHOLE, attrgetter("people_served")),
]
DETAIL_COLUMNS = [
    Column(COUNTY_CODE, 12, value=itemgetter("parent__code")),
    Column(COUNTY, 20, value=itemgetter("parent__name")),
    Column(TOWNSHIP_CODE, 14, value=itemgetter("code")),
    Column(TOWNSHIP, 20, value=itemgetter("name")),
    Column(COUNTS, 10, value=lambda row: _yes_no(row["counts_toward_coverage"])),
    Column(COVERED, 8, value=lambda row: _yes_no(row["covered"])),
    Column(
        STATION, 28, value=lambda row: row["station__name"] if row["has_station"] else NOT_BUILT
    ),
    Column(STATUS, 8, value=_station_status),
    Column(OPERATOR, 30, value=itemgetter("operator")),
    Column(OPENED_ON, 12, DATE, itemgetter("station__opened_on")),
    Column(ADDRESS, 30, value=lambda row: row["station__address"] or ""),
    Column(SITE_AREA, 14, "#,##0.0", itemgetter("station__site_area")),
    Column(FUNDING, 14, MONEY, itemgetter("station__annual_funding")),
    Column(TIER, 10, value=_station_tier),
    Column(RESIDENT, 10, WHOLE, itemgetter("resident")),
    Column(CERTIFIED, 10, WHOLE, itemgetter("certified")),
    Column(PEOPLE_SERVED_THIS_YEAR, 14, WHOLE, itemgetter("people_served")),
]
# Staff and service records name their station by its township, as the imports find it.
AT_STATION = ("station__township__code", "station__township__name", "station__name")
AT_STATION_COLUMNS = [
    Column(TOWNSHIP_CODE, 14, value=itemgetter(AT_STATION[0])),
    Column(TOWNSHIP, 20, value=itemgetter(AT_STATION[1])),
    Column(STATION, 28, value=itemgetter(AT_STATION[2])),
]
STAFF_COLUMNS = [
    *AT_STATION_COLUMNS,
    Column(NAME, 12, value=itemgetter("name")),
    Column(ROLE, 8, value=lambda row: ROLE_WORDS.get(row["role"], row["role"])),
    Column(
        QUALIFICATION,
        16,
        value=lambda row: QUALIFICATION_WORDS.get(row["qualification"], row["qualification"]),
    ),
    Column(CERTIFICATE, 20, value=itemgetter("certificate_number")),
    Column(SINCE, 12, DATE, itemgetter("since_on")),
    Column(UNTIL, 12, DATE, itemgetter("until_on")),
]
# The header of each of ServiceRecord.FIGURES.
FIGURE_HEADERS = {
    "casework_cases": CASES,
    "group_sessions": GROUPS,
    "community_activities": ACTIVITIES,
    "people_served": PEOPLE_SERVED,
    "volunteers": VOLUNTEERS,
    "funds_linked": FUNDS,
}


def is_money(figure):
    """Whether a figure of a service record is an amount in yuan (the others are counts)."""
    return isinstance(ServiceRecord._meta.get_field(figure), models.DecimalField)


RECORD_COLUMNS = [
    *AT_STATION_COLUMNS,
    Column(MONTH, 10, value=lambda row: f"{row['month']:%Y-%m}"),
    *(
        Column(
            FIGURE_HEADERS[figure],
            max(10, 2 * len(FIGURE_HEADERS[figure])),
            MONEY if is_money(figure) else WHOLE,
            itemgetter(figure),
        )
        for figure in ServiceRecord.FIGURES
    ),
]

# What the imports read: required columns first, then the optional ones they update.
STATION_REQUIRED = [TOWNSHIP_CODE, STATION, STATUS]
STATION_OPTIONAL = [OPERATOR, OPENED_ON, ADDRESS, SITE_AREA, FUNDING, TIER]
STAFF_REQUIRED = [TOWNSHIP_CODE, NAME, ROLE, QUALIFICATION, SINCE]
STAFF_OPTIONAL = [CERTIFICATE, UNTIL]
RECORD_REQUIRED = [TOWNSHIP_CODE, MONTH, PEOPLE_SERVED]
RECORD_OPTIONAL = [
    FIGURE_HEADERS[figure] for figure in ServiceRecord.FIGURES if figure != "people_served"
]


def _staff_queryset(area, *, staff_of):
    return (
        Staff.objects.within(area)
        .filter(station__in=staff_of)
        .order_by("station__township__code", "since_on", "name")
        .values(
            *AT_STATION,
            "name",
            "role",
            "qualification",
            "certificate_number",
            "since_on",
            "until_on",
        )
    )


def staff_rows(area, *, staff_of):
    """Every staff record (present and past) of the stations in `area` among the stations
    `staff_of` (those whose staff the reader may see), streamed."""
    return _staff_queryset(area, staff_of=staff_of).iterator(chunk_size=2000)


def _records_queryset(area, *, on):
    return (
        ServiceRecord.objects.within(area)
        .of_year_until(on)
        .order_by("station__township__code", "month")
        .values(*AT_STATION, "month", *ServiceRecord.FIGURES)
    )


def record_rows(area, *, on):
    """The service records of `on`'s year up to its month, in `area`, streamed."""
    return _records_queryset(area, on=on).iterator(chunk_size=2000)


# How often (in rows) write_coverage_workbook reports its progress.
PROGRESS_EVERY = 1000


def workbook_title(area, on):
    """The title of the coverage workbook, printed in the page header of 汇总 and 明细."""
    name = area.name if area is not None else "全部地区"
    return f"{name}乡镇（街道）社工站覆盖情况（截至 {on.isoformat()}）"


COVERAGE_DEFINITION = (
    "覆盖率 = 纳入统计的乡镇（街道）中有运营社工站的个数 ÷ 纳入统计的乡镇（街道）数。"
    "社工站在截止日期已建站且状态为“运营”才算运营；筹建、暂停的不算。\n"
    "区划代码第 7–9 位为 400–599 的类乡镇单位（开发区、园区、农场等）默认不纳入统计，"
    "除非在区划中设为“计入覆盖率”（明细表的“计入覆盖率”列）。"
)
SHEET_CONTENTS = [
    (
        SUMMARY_SHEET,
        "每个县（市、区）一行及“合计”行：纳入统计的乡镇（街道）数、已覆盖数、运营社工站数、"
        "覆盖率、驻站社工数、持证社工数、本年服务人次。",
    ),
    (
        DETAIL_SHEET,
        "每个乡镇（街道）一行，含未建站的（社工站列为“未建”）：社工站、状态、运营机构、"
        "建站日期、地址、面积、经费、示范等级及社工与服务人次。",
    ),
    (STAFF_SHEET, "各社工站的驻站社工（含已离岗的），按乡镇（街道）代码排列。"),
    (RECORDS_SHEET, "截止日期所在年份 1 月至截止月份的每站每月服务记录。"),
]
IMPORT_NOTE = (
    "明细、驻站社工、服务记录三张表修改后可在本系统导入。导入按乡镇（街道）代码找到社工站；"
    "计入覆盖率、已覆盖及各统计数由系统计算，导入时不读取。"
)


def _generated_by(user):
    if user is None:
        return "系统命令行（export_coverage）"
    return str(user)


def _notes(area, on, *, generated_at, generated_by, association):
    scope = f"{area.name}（代码 {area.code}）" if area is not None else "全部地区"
    notes = [
        ("统计范围", scope),
        ("统计截止日期", on.isoformat()),
        ("生成时间", f"{timezone.localtime(generated_at):%Y-%m-%d %H:%M}"),
        ("生成人", _generated_by(generated_by)),
    ]
    if association:
        notes.append(("生成单位", association))
    notes += [
        ("覆盖率口径", COVERAGE_DEFINITION),
        *((f"{title}表", text) for title, text in SHEET_CONTENTS),
        ("导入", IMPORT_NOTE),
    ]
    return notes


def write_coverage_workbook(
    target, *, area, on, staff_of, progress=None, generated_by=None, generated_at=None
):
    """The coverage workbook of `area` on `on` (sheets 说明, 汇总, 明细, 驻站社工, 服务记录).

    说明 says what the workbook is: area, as-of date, when and by whom (`generated_by`, a
    user, or None for the command line) it was made, how coverage is counted and what each
    sheet holds. 汇总 and 明细 print landscape, one page wide, with the title in the page
    header. The 驻站社工 sheet lists the staff of the stations `staff_of` only: those whose
    staff the reader may see (stations.access). `progress`, if given, is called as
    progress(rows_written, total) every PROGRESS_EVERY data rows, and once more when the file
    is complete, with rows_written == total: `total` counts the data rows of every sheet,
    header rows not included. Returns the CoverageTable of the summary sheet, so callers can
    show what they wrote.
    """
    generated_at = generated_at or timezone.now()
    association = AssociationProfile.current().name
    title = workbook_title(area, on)
    table = county_table(area, on=on, total_label=TOTAL)
    sheets = [
        (DETAIL_SHEET, DETAIL_COLUMNS, township_rows(area, on=on), True),
        (STAFF_SHEET, STAFF_COLUMNS, staff_rows(area, staff_of=staff_of), False),
        (RECORDS_SHEET, RECORD_COLUMNS, record_rows(area, on=on), False),
    ]
    counted = None
    if progress is not None:
        counted = (
            len(table.rows)
            + 1
            + Division.objects.townships().within(area).count()
            + _staff_queryset(area, staff_of=staff_of).count()
            + _records_queryset(area, on=on).count()
        )
    done = Progress(progress, counted, every=PROGRESS_EVERY)
    book = WorkbookWriter()
    book.set_properties(
        title=title,
        subject="乡镇（街道）社工站覆盖情况",
        author=association or "社会工作行业协会",
        company=association,
        comments=f"统计截止日期 {on.isoformat()}",
        # XlsxWriter writes the time as UTC.
        created=generated_at.astimezone(datetime.UTC).replace(tzinfo=None),
    )
    book.add_notes_sheet(
        NOTES_SHEET,
        title,
        _notes(
            area,
            on,
            generated_at=generated_at,
            generated_by=generated_by,
            association=association,
        ),
    )
    summary = book.add_sheet(SUMMARY_SHEET, SUMMARY_COLUMNS, printing=Printing(title))
    for row in table.rows:
        summary.append_record(row)
        done.add()
    # The total row names no county: its code cell stays empty.
    summary.append(["", *values_of(SUMMARY_COLUMNS[1:], table.total)])
    done.add()
    for sheet_title, columns, rows, detail in sheets:
        sheet = book.add_sheet(
            sheet_title,
            columns,
            printing=Printing(title if detail else f"{title} {sheet_title}", autofilter=detail),
        )
        for row in rows:
            sheet.append_record(row)
            done.add()
    book.save(target)
    done.finish()
    return table


def write_coverage_csv(target, *, area, on):
    """The detail sheet (明细) of `area` on `on` as csv (UTF-8 with BOM)."""
    rows = (values_of(DETAIL_COLUMNS, row) for row in township_rows(area, on=on))
    write_csv(target, DETAIL_COLUMNS, rows)
