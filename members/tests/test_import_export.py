"""The roster in and out of the back office: xlsx and csv (UTF-8 or GBK), all or nothing."""

import csv
import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from common.spreadsheets.import_export import STASH_DIR
from common.tests.factories import zip_bomb_xlsx
from conftest import login
from members.models import Member, MemberChange
from members.resources import DateWidget, MemberResource
from stations.models import Division

from .conftest import CREDIT_CODE

IMPORT = reverse("admin:members_member_import")
PROCESS = reverse("admin:members_member_process_import")
EXPORT = reverse("admin:members_member_export")
XLSX, CSV = "0", "1"

HEADERS = ["会员编号", "名称", "会员类别", "会员级别", "状态", "入会日期", "县（市、区）",
           "统一社会信用代码", "单位类型", "法定代表人", "社会工作职业资格", "电话"]  # fmt: skip
UNIT_ROW = ["XCSW-2023-0101", "许昌市阳光社会工作服务中心", "单位会员", "理事单位", "有效",
            "2023-07-15", "魏都区", CREDIT_CODE, "社会工作服务机构", "李红", "无", ""]  # fmt: skip
PERSON_ROW = ["XCSW-2023-0102", "陈静", "个人会员", "会员", "有效", "2023/7/15", "411002",
              "", "", "", "社会工作师", "13800001234"]  # fmt: skip


def csv_bytes(rows, encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def preview(client, content, fmt, name="members.csv"):
    upload = SimpleUploadedFile(name, content)
    return client.post(IMPORT, {"resource": "0", "format": fmt, "import_file": upload})


def confirm(client, response):
    form = response.context["confirm_form"]
    return client.post(PROCESS, {**form.initial, "resource": form.initial.get("resource", "0")})


@pytest.fixture
def staff_client(client, secretariat, county):
    return login(client, secretariat)


def test_import_page_is_in_the_back_office_for_the_secretariat(staff_client):
    assert staff_client.get(IMPORT).status_code == 200


@pytest.mark.parametrize("persona", ["individual_member", "county_viewer", "applicant"])
def test_import_is_closed_to_everyone_else(client, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(IMPORT).status_code == 302  # the admin sends non-staff to log in
    response = preview(client, csv_bytes([UNIT_ROW]), CSV)
    assert response.status_code == 302
    assert not Member.objects.filter(number=UNIT_ROW[0]).exists()


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gbk", "gb18030"])
def test_csv_import_previews_then_imports(staff_client, secretariat, county, encoding):
    response = preview(staff_client, csv_bytes([UNIT_ROW, PERSON_ROW], encoding), CSV)
    assert response.status_code == 200
    result = response.context["result"]
    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2
    assert not Member.objects.exists()  # a dry run writes nothing

    confirm(staff_client, response)
    unit = Member.objects.get(number="XCSW-2023-0101")
    assert unit.name == "许昌市阳光社会工作服务中心"
    assert unit.tier == Member.Tier.COUNCIL
    assert unit.county == county
    assert unit.credit_code == CREDIT_CODE
    person = Member.objects.get(number="XCSW-2023-0102")
    assert person.member_since == datetime.date(2023, 7, 15)
    assert person.qualification == "social_worker"
    assert person.county == county
    assert (
        MemberChange.objects.filter(
            action=MemberChange.Action.IMPORTED, changed_by=secretariat
        ).count()
        == 2
    )


def test_xlsx_import_with_date_and_number_cells(staff_client, county):
    person = list(PERSON_ROW)
    person[5] = datetime.datetime(2023, 7, 15)
    person[11] = 13800001234
    response = preview(staff_client, xlsx_bytes([UNIT_ROW, person]), XLSX, "members.xlsx")
    assert not response.context["result"].has_validation_errors()
    confirm(staff_client, response)
    assert Member.objects.get(number="XCSW-2023-0102").phone == "13800001234"


def test_unknown_tier_is_reported_per_row_and_nothing_is_saved(staff_client, county):
    bad = list(PERSON_ROW)
    bad[3] = "常委单位"
    response = preview(staff_client, csv_bytes([UNIT_ROW, bad]), CSV)
    result = response.context["result"]
    assert result.has_validation_errors()
    assert "confirm_form" not in response.context
    invalid = result.invalid_rows
    assert [row.number for row in invalid] == [2]
    assert "未知的会员级别“常委单位”" in str(invalid[0].error_dict)
    assert "未知的会员级别" in response.content.decode()
    assert not Member.objects.exists()


def test_wrong_credit_code_and_unknown_county_are_reported(staff_client, county):
    bad = list(UNIT_ROW)
    bad[7] = CREDIT_CODE[:-1] + "4"
    bad[6] = "不存在区"
    response = preview(staff_client, csv_bytes([bad]), CSV)
    errors = str(response.context["result"].invalid_rows[0].error_dict)
    assert "统一社会信用代码有误" in errors
    assert "未知的县（市、区）“不存在区”" in errors
    assert not Member.objects.exists()


def test_duplicate_unit_in_the_file_is_refused(staff_client, county):
    twin = list(UNIT_ROW)
    twin[0] = "XCSW-2023-0199"
    response = preview(staff_client, csv_bytes([UNIT_ROW, twin]), CSV)
    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [2]
    assert f"第 1 行已有统一社会信用代码 {CREDIT_CODE}" in response.content.decode()
    assert not Member.objects.exists()


def test_garbage_file_gives_a_clear_error(staff_client):
    response = preview(staff_client, b"\x00\xff\xfe garbage", XLSX, "members.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (csv_bytes([PERSON_ROW], "utf-16"), "UTF-16"),
        # English Excel on Windows saves csv in cp1252: GB18030 would read it as nonsense.
        ("Member number,Name\nXCSW-2023-0109,Zoë Müller\n".encode("cp1252"), "GBK/GB18030"),
    ],
    ids=["utf-16", "cp1252"],
)
def test_csv_in_an_unreadable_encoding_gets_a_clear_error(staff_client, data, message):
    response = preview(staff_client, data, CSV)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["import_file"])
    assert message in errors and "请" in errors  # what to do, in Chinese
    assert not Member.objects.exists()


def test_unknown_column_is_reported_not_ignored(staff_client, county):
    content = csv_bytes([UNIT_ROW]).decode("utf-8-sig").replace("电话", "手机", 1)
    response = preview(staff_client, content.encode(), CSV)
    assert response.context["result"].has_errors()
    assert "无法识别的列：手机" in response.content.decode()
    assert not Member.objects.exists()


def test_headers_in_english_are_accepted(staff_client, county):
    with translation.override("en"):
        english = [str(field.column_name) for field in MemberResource().get_import_fields()]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=english)
    writer.writeheader()
    writer.writerow(
        {
            "Member number": "XCSW-2023-0103",
            "Name": "李华",
            "Kind": "individual member",
            "Tier": "member",
            "Status": "active",
            "Member since": "2024-01-02",
            "Social-work qualification": "none",
        }
    )
    response = preview(staff_client, out.getvalue().encode(), CSV)
    assert not response.context["result"].has_validation_errors()
    confirm(staff_client, response)
    assert Member.objects.get(number="XCSW-2023-0103").name == "李华"


# Export ---------------------------------------------------------------------------------


def export(client, fmt):
    """The admin's export of every column; the file's bytes are `body`."""
    data = {"format": fmt, "resource": "0"}
    for field in MemberResource().get_export_order():
        data[f"memberresource_{field}"] = "on"
    response = client.post(EXPORT, data)
    response.body = b"".join(response.streaming_content) if response.streaming else b""
    return response


@pytest.fixture
def risky_member(db):
    return Member.objects.create(
        kind=Member.Kind.INDIVIDUAL,
        number="XCSW-2023-0001",
        name='=HYPERLINK("http://evil.example","点我")',
        employer="@SUM(A1:A2)",
        phone="+8613800001234",
        member_since=datetime.date(2023, 7, 15),
    )


def test_csv_export_neutralises_formulae_and_opens_in_excel(staff_client, risky_member):
    response = export(staff_client, CSV)
    assert response.status_code == 200
    content = response.body
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens Chinese correctly
    text = content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "会员编号"
    cells = rows[1]
    assert '\'=HYPERLINK("http://evil.example","点我")' in cells
    assert "'@SUM(A1:A2)" in cells
    assert "'+8613800001234" in cells
    assert "个人会员" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_xlsx_export_shows_formula_like_text_as_typed_in_text_cells(staff_client, risky_member):
    response = export(staff_client, XLSX)
    book = openpyxl.load_workbook(io.BytesIO(response.body))
    assert book.sheetnames == ["说明", "会员"]
    sheet = book["会员"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    # No apostrophe, once or twice: the quote-prefix format keeps each one text.
    for text in [risky_member.name, risky_member.employer, risky_member.phone]:
        assert cells[text].data_type == "s" and cells[text].quotePrefix
    assert not any(isinstance(v, str) and v.startswith("'") for v in cells)


def test_exported_file_imports_back_unchanged(staff_client, risky_member):
    exported = export(staff_client, CSV).body
    response = preview(staff_client, exported, CSV)
    result = response.context["result"]
    assert not result.has_validation_errors(), result.invalid_rows
    assert result.totals["skip"] == 1
    confirm(staff_client, response)
    risky_member.refresh_from_db()
    assert risky_member.name.startswith("=HYPERLINK")
    assert risky_member.phone == "+8613800001234"


@pytest.mark.parametrize("text", ["=1+2", "'=1+2", "''@x", "==1+1", "-1+1", "＝1", "＠x"])
@pytest.mark.parametrize("fmt", [XLSX, CSV])
def test_formula_like_text_imports_back_as_it_was(staff_client, risky_member, fmt, text):
    Member.objects.filter(pk=risky_member.pk).update(employer=text)
    exported = export(staff_client, fmt).body
    name = "members.xlsx" if fmt == XLSX else "members.csv"
    response = preview(staff_client, exported, fmt, name)
    result = response.context["result"]
    assert not result.has_validation_errors(), result.invalid_rows
    assert result.totals["skip"] == 1  # nothing changed: the file reads back as exported
    confirm(staff_client, response)
    risky_member.refresh_from_db()
    assert risky_member.employer == text


def test_member_import_says_why_a_date_does_not_exist():
    with translation.override("zh-hans"), pytest.raises(ValueError) as raised:
        DateWidget().clean("2026-02-30")
    assert str(raised.value) == "2026-02-30 不存在：2 月没有 30 日"


def stashed_files():
    return sorted(STASH_DIR.iterdir()) if STASH_DIR.exists() else []


@pytest.fixture
def chinese():
    with translation.override("zh-hans"):
        yield


def test_a_zip_bomb_gets_a_chinese_reason_not_an_exception_name(staff_client, chinese):
    before = stashed_files()
    response = preview(staff_client, zip_bomb_xlsx(), XLSX, "members.xlsx")
    errors = " ".join(response.context["form"].errors["import_file"])
    assert "压缩" in errors and "BadZipFile" not in errors
    assert stashed_files() == before


def test_a_truncated_workbook_gets_a_chinese_reason(staff_client, chinese):
    data = xlsx_bytes([UNIT_ROW])
    response = preview(staff_client, data[: len(data) // 2], XLSX, "members.xlsx")
    errors = " ".join(response.context["form"].errors["import_file"])
    assert "不完整或已损坏" in errors and "encountered" not in errors


def test_the_member_import_has_the_upload_size_limit(staff_client, settings, chinese):
    settings.UPLOAD_MAX_BYTES = 1000
    response = preview(staff_client, csv_bytes([UNIT_ROW] * 20), CSV)
    assert "文件过大" in " ".join(response.context["form"].errors["import_file"])
    assert not Member.objects.exists()


def test_errors_show_no_traceback_and_the_upload_is_not_kept(staff_client, county, settings):
    settings.DEBUG = False
    before = stashed_files()
    content = csv_bytes([UNIT_ROW]).decode("utf-8-sig").replace("电话", "手机", 1)
    response = preview(staff_client, content.encode(), CSV)
    page = response.content.decode()
    assert response.context["result"].has_errors()
    assert "Traceback" not in page and "File &quot;" not in page and 'File "' not in page
    assert stashed_files() == before


def test_a_confirmed_import_removes_its_upload(staff_client, county):
    before = stashed_files()
    response = preview(staff_client, csv_bytes([UNIT_ROW]), CSV)
    assert len(stashed_files()) == len(before) + 1
    confirm(staff_client, response)
    assert Member.objects.filter(number=UNIT_ROW[0]).exists()
    assert stashed_files() == before


# All or nothing ---------------------------------------------------------------------------


def person_row(number, name, **changes):
    row = list(PERSON_ROW)
    row[0], row[1] = number, name
    for index, value in changes.items():
        row[int(index[1:])] = value
    return row


def test_every_bad_row_is_listed_in_chinese_and_nothing_is_saved(staff_client, county):
    rows = [
        person_row("XCSW-2023-0201", "张一"),
        person_row("XCSW-2023-0202", "张二", c3="常委单位"),
        person_row("XCSW-2023-0203", "张三"),
        person_row("XCSW-2023-0204", "张四", c5="2023-02-30"),
        person_row("XCSW-2023-0205", "", c3="会员"),
    ]
    response = preview(staff_client, csv_bytes(rows), CSV)

    result = response.context["result"]
    assert [row.number for row in result.invalid_rows] == [2, 4, 5]
    assert "confirm_form" not in response.context
    page = response.content.decode()
    for message in ["未知的会员级别“常委单位”", "2023-02-30 不存在：2 月没有 30 日", "缺少名称"]:
        assert message in page, message
    assert not Member.objects.exists()
    assert not MemberChange.objects.exists()


def test_the_same_member_number_twice_in_a_file_is_refused(staff_client, county):
    rows = [person_row("XCSW-2023-0301", "王一"), person_row("XCSW-2023-0301", "王二")]
    response = preview(staff_client, csv_bytes(rows), CSV)

    result = response.context["result"]
    assert result.has_validation_errors()
    assert [row.number for row in result.invalid_rows] == [2]
    assert "第 1 行已有会员编号 XCSW-2023-0301" in response.content.decode()
    assert "confirm_form" not in response.context
    assert not Member.objects.exists()


def test_a_row_that_became_invalid_before_confirmation_saves_nothing(staff_client, county):
    twin = list(UNIT_ROW)
    twin[0] = "XCSW-2023-0401"
    response = preview(staff_client, csv_bytes([PERSON_ROW, twin]), CSV)
    assert "confirm_form" in response.context
    # Meanwhile the unit is entered by hand under another number.
    Member.objects.create(
        kind=Member.Kind.UNIT,
        number="XCSW-2023-0499",
        name="许昌市阳光社会工作服务中心",
        credit_code=CREDIT_CODE,
        member_since=datetime.date(2023, 7, 15),
    )

    confirmed = confirm(staff_client, response)

    assert list(Member.objects.values_list("number", flat=True)) == ["XCSW-2023-0499"]
    assert not MemberChange.objects.exists()
    assert confirmed.status_code == 200
    page = confirmed.content.decode()
    assert "未导入任何数据" in page
    assert [row.number for row in confirmed.context["result"].invalid_rows] == [2]
    assert "该统一社会信用代码的单位已是会员" in page
    assert 'name="import_file"' in page  # the corrected file is uploaded from here


def test_an_import_in_several_batches_writes_every_member_and_its_history(
    staff_client, secretariat, county, monkeypatch
):
    monkeypatch.setattr(MemberResource._meta, "batch_size", 2)
    rows = [person_row(f"XCSW-2023-05{i:02d}", f"赵{i}") for i in range(5)]
    response = preview(staff_client, csv_bytes(rows), CSV, "名册.csv")
    assert not Member.objects.exists()

    confirm(staff_client, response)

    assert Member.objects.count() == 5
    history = MemberChange.objects.filter(action=MemberChange.Action.IMPORTED)
    assert sorted(history.values_list("member__number", flat=True)) == [row[0] for row in rows]
    assert {(change.changed_by, change.details) for change in history} == {
        (secretariat, "从 名册.csv 导入")
    }


def test_an_import_that_changes_a_member_records_it_in_its_history(staff_client, county):
    confirm(staff_client, preview(staff_client, csv_bytes([PERSON_ROW]), CSV))
    changed = person_row(PERSON_ROW[0], "陈静", c11="13900005678")

    response = preview(staff_client, csv_bytes([changed]), CSV)
    assert response.context["result"].totals["update"] == 1
    confirm(staff_client, response)

    member = Member.objects.get(number=PERSON_ROW[0])
    assert member.phone == "13900005678"
    assert member.changes.filter(action=MemberChange.Action.IMPORTED).count() == 2


def test_a_member_with_a_voting_account_keeps_its_kind(staff_client, unit_representative):
    """As in the back office's form (Member.kind_is_fixed): a unit with a representative
    imported as an individual is refused for that row, and nothing is saved."""
    unit = Member.objects.get(user=unit_representative)
    row = list(PERSON_ROW)
    row[0], row[1] = unit.number, unit.name
    response = preview(staff_client, csv_bytes([PERSON_ROW, row]), CSV)

    result = response.context["result"]
    assert [invalid.number for invalid in result.invalid_rows] == [2]
    assert "其类别不能更改" in str(result.invalid_rows[0].error_dict)
    assert "confirm_form" not in response.context
    unit.refresh_from_db()
    assert unit.kind == Member.Kind.UNIT
    assert not Member.objects.filter(number=PERSON_ROW[0]).exists()


@pytest.fixture
def two_gulou(city):
    """Two of the four 鼓楼区 of China (Nanjing's and Fuzhou's)."""
    return [
        Division.objects.create(code=code, name="鼓楼区", level=Division.Level.COUNTY)
        for code in ("320106", "350102")
    ]


def test_a_county_name_shared_nationally_needs_its_code(staff_client, two_gulou):
    """Taking the first 鼓楼区 would move a member to another province: refused per row,
    saying how to write it; with its code (alone or after the name) it imports."""
    nanjing, fuzhou = two_gulou
    rows = []
    for number, county in (("0103", "鼓楼区"), ("0104", "鼓楼区（350102）"), ("0105", "320106"),
                           ("0106", "鼓楼区（411002）")):  # fmt: skip
        row = list(PERSON_ROW)
        row[0], row[6] = f"XCSW-2023-{number}", county
        rows.append(row)

    result = preview(staff_client, csv_bytes(rows), CSV).context["result"]

    errors = {row.number: str(row.error_dict) for row in result.invalid_rows}
    assert sorted(errors) == [1, 4]
    assert "有多个县（市、区）名为“鼓楼区”（320106、350102）" in errors[1]
    assert "鼓楼区（320106）" in errors[1]
    assert "名称与代码不符" in errors[4]
    assert not Member.objects.exists()

    del rows[3], rows[0]
    response = preview(staff_client, csv_bytes(rows), CSV)
    assert not response.context["result"].has_validation_errors()
    confirm(staff_client, response)
    assert dict(Member.objects.values_list("number", "county")) == {
        "XCSW-2023-0104": fuzhou.pk,
        "XCSW-2023-0105": nanjing.pk,
    }


def test_the_roster_writes_a_shared_county_name_with_its_code(staff_client, two_gulou, county):
    Member.objects.create(
        kind=Member.Kind.INDIVIDUAL, name="陈静", number="X-1", county=two_gulou[1],
        member_since=datetime.date(2023, 7, 15),
    )  # fmt: skip
    Member.objects.create(
        kind=Member.Kind.INDIVIDUAL, name="王芳", number="X-2", county=county,
        member_since=datetime.date(2023, 7, 15),
    )  # fmt: skip

    exported = export(staff_client, CSV).body.decode("utf-8-sig")

    assert "鼓楼区（350102）" in exported and "魏都区" in exported
    assert "魏都区（" not in exported


def test_a_file_longer_than_the_member_import_takes_is_refused_whole(
    staff_client, county, settings
):
    settings.MEMBER_IMPORT_MAX_ROWS = 1
    response = preview(staff_client, csv_bytes([UNIT_ROW, PERSON_ROW]), CSV)

    assert response.context["result"].has_errors()
    assert "文件有 2 行；后台每次最多导入 1 个会员" in response.content.decode()
    assert not Member.objects.exists()
