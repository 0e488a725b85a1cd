"""The back office: lists, inlines, imports with preview and confirmation, exports."""

import io

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.mixins import BaseExportMixin, BaseImportMixin
from openpyxl import load_workbook

from common.spreadsheets.import_export import FORMATS, CSVAnyChineseEncoding, XLSXNeutralised
from conftest import login
from stations import sheets
from stations.admin import StationAdmin
from stations.models import Division, ServiceRecord, Staff, Station
from stations.resources import StationResource

DIVISIONS = (
    "code,name,level,parent_code\n"
    "41,河南省,province,\n4110,许昌市,city,41\n411002,魏都区,county,4110\n"
    "411002001,西大街道,township,411002\n"
)


def upload(text, name="divisions.csv", encoding="utf-8"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["division", "station", "staff", "servicerecord"])
def test_secretariat_opens_lists_and_forms(client, registry, secretariat, model):
    login(client, secretariat)
    response = client.get(reverse(f"admin:stations_{model}_changelist"))
    assert response.status_code == 200
    assert reverse(f"admin:stations_{model}_import") in response.content.decode()
    assert client.get(reverse(f"admin:stations_{model}_add")).status_code == 200


@pytest.mark.django_db
def test_station_change_page_has_inlines_and_filters(client, registry, secretariat):
    login(client, secretariat)
    west = registry.stations["west"]
    content = client.get(reverse("admin:stations_station_change", args=[west.pk])).content
    assert "张静" in content.decode()
    listing = client.get(reverse("admin:stations_station_changelist"), {"county": "411003"})
    assert [station.name for station in listing.context["cl"].result_list] == [
        "许由街道社工站",
        "五女店镇社工站",
    ]


@pytest.mark.django_db
def test_division_import_previews_then_confirms(client, secretariat):
    login(client, secretariat)
    url = reverse("admin:stations_division_import")
    assert client.get(url).status_code == 200
    preview = client.post(url, {"file": upload(DIVISIONS, encoding="gbk")})
    assert preview.status_code == 200
    report = preview.context["report"]
    assert report.ok and report.dry_run and report.created == 4
    assert Division.objects.count() == 0
    token = preview.context["token"]
    done = client.post(url, {"token": token})
    assert done.status_code == 302
    assert Division.objects.count() == 4
    # A token is used once.
    assert client.post(url, {"token": token}).status_code == 302
    assert Division.objects.count() == 4


@pytest.mark.django_db
def test_admin_import_shows_errors_per_row_and_writes_nothing(client, secretariat):
    login(client, secretariat)
    url = reverse("admin:stations_division_import")
    bad = DIVISIONS + "411003001,许由街道,township,411003\n"
    response = client.post(url, {"file": upload(bad)})
    report = response.context["report"]
    assert [(error.row, error.column) for error in report.errors] == [(6, "parent_code")]
    assert "token" not in response.context
    assert "411003" in response.content.decode()
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_service_record_import_from_the_admin(client, registry, secretariat):
    login(client, secretariat)
    url = reverse("admin:stations_servicerecord_import")
    text = "乡镇（街道）代码,月份,服务人次\n411002001,2026-04,321\n"
    preview = client.post(url, {"file": upload(text, name="records.csv")})
    assert preview.context["report"].created == 1
    client.post(url, {"token": preview.context["token"]})
    assert ServiceRecord.objects.get(month="2026-04-01").people_served == 321


@pytest.mark.django_db
def test_stashed_file_cannot_be_confirmed_as_another_kind(client, registry, secretariat):
    login(client, secretariat)
    preview = client.post(reverse("admin:stations_division_import"), {"file": upload(DIVISIONS)})
    response = client.post(
        reverse("admin:stations_station_import"), {"token": preview.context["token"]}
    )
    assert response.status_code == 302
    assert Station.objects.count() == 6


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["city_viewer", "individual_member"])
def test_others_cannot_reach_admin_imports(client, registry, persona, request):
    login(client, request.getfixturevalue(persona))
    response = client.get(reverse("admin:stations_station_import"))
    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


@pytest.mark.django_db
def test_export_action_uses_the_workbook_columns(client, registry, secretariat):
    login(client, secretariat)
    formats = StationAdmin(Station, admin.site).get_export_formats()
    fields = {f"stationresource_{name}": "on" for name in StationResource().get_export_order()}
    response = client.post(
        reverse("admin:stations_station_export"),
        {
            "format": str(formats.index(CSVAnyChineseEncoding)),
            "resource": "0",
            **fields,
        },
    )
    assert response.status_code == 200
    header = response.content.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[:3] == [sheets.TOWNSHIP_CODE, sheets.TOWNSHIP, sheets.STATION]
    assert "运营" in response.content.decode("utf-8-sig")


def test_every_back_office_import_and_export_keeps_the_formula_rule():
    exporting = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, BaseExportMixin | BaseImportMixin)
    ]
    assert len(exporting) >= 4  # stations, staff, service records, members
    for model_admin in exporting:
        formats = [
            *(
                model_admin.get_export_formats()
                if hasattr(model_admin, "get_export_formats")
                else []
            ),
            *(
                model_admin.get_import_formats()
                if hasattr(model_admin, "get_import_formats")
                else []
            ),
        ]
        assert set(formats) <= set(FORMATS), type(model_admin).__name__


FORMULA_NAMES = ["==1+1", "+1+1", "-1+1", "@SUM(1+1)", "＝1+1", " =1"]


@pytest.mark.django_db
@pytest.mark.parametrize("model", ["station", "staff", "servicerecord"])
def test_admin_xlsx_exports_write_formula_like_text_as_text(client, registry, secretariat, model):
    stations = list(Station.objects.order_by("pk"))
    for station, name in zip(stations, FORMULA_NAMES, strict=False):
        Station.objects.filter(pk=station.pk).update(name=name)
    model_admin = admin.site._registry[
        {"station": Station, "staff": Staff, "servicerecord": ServiceRecord}[model]
    ]
    resource = model_admin.get_export_resource_classes(None)[0]()
    prefix = type(resource).__name__.lower()
    login(client, secretariat)
    response = client.post(
        reverse(f"admin:stations_{model}_export"),
        {
            "format": str(model_admin.get_export_formats().index(XLSXNeutralised)),
            "resource": "0",
            **{f"{prefix}_{name}": "on" for name in resource.get_export_order()},
        },
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    shown = {cell.value: cell for cell in cells if cell.value in FORMULA_NAMES}
    assert shown, "the export lists some station by name"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in shown.values())
