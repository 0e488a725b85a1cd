"""django-import-export resources for the back office's export actions.

Their columns are those of the coverage workbook's sheets, so a file exported from the admin
can be edited and imported back with the registry's own imports (stations.imports), which
check every row before writing anything.
"""

from import_export import fields, resources, widgets

from . import sheets
from .models import ServiceRecord, Staff, Station

DATE = widgets.DateWidget(format="%Y-%m-%d")


class StationResource(resources.ModelResource):
    township_code = fields.Field(attribute="township__code", column_name=sheets.TOWNSHIP_CODE)
    township = fields.Field(attribute="township__name", column_name=sheets.TOWNSHIP)
    station = fields.Field(attribute="name", column_name=sheets.STATION)
    status = fields.Field(column_name=sheets.STATUS)
    operator = fields.Field(column_name=sheets.OPERATOR)
    opened_on = fields.Field(attribute="opened_on", column_name=sheets.OPENED_ON, widget=DATE)
    address = fields.Field(attribute="address", column_name=sheets.ADDRESS)
    site_area = fields.Field(attribute="site_area", column_name=sheets.SITE_AREA)
    annual_funding = fields.Field(attribute="annual_funding", column_name=sheets.FUNDING)
    tier = fields.Field(column_name=sheets.TIER)

    class Meta:
        model = Station
        fields = [
            "township_code",
            "township",
            "station",
            "status",
            "operator",
            "opened_on",
            "address",
            "site_area",
            "annual_funding",
            "tier",
        ]

    def get_queryset(self):
        return Station.objects.select_related("township", "operator")

    def dehydrate_status(self, station):
        return sheets.STATUS_WORDS[station.status]

    def dehydrate_operator(self, station):
        return station.operator_display

    def dehydrate_tier(self, station):
        return sheets.TIER_WORDS[station.demonstration_tier]


class StaffResource(resources.ModelResource):
    township_code = fields.Field(
        attribute="station__township__code", column_name=sheets.TOWNSHIP_CODE
    )
    township = fields.Field(attribute="station__township__name", column_name=sheets.TOWNSHIP)
    station = fields.Field(attribute="station__name", column_name=sheets.STATION)
    staff_name = fields.Field(attribute="name", column_name=sheets.NAME)
    role = fields.Field(column_name=sheets.ROLE)
    qualification = fields.Field(column_name=sheets.QUALIFICATION)
    certificate_number = fields.Field(
        attribute="certificate_number", column_name=sheets.CERTIFICATE
    )
    since_on = fields.Field(attribute="since_on", column_name=sheets.SINCE, widget=DATE)
    until_on = fields.Field(attribute="until_on", column_name=sheets.UNTIL, widget=DATE)

    class Meta:
        model = Staff
        fields = [
            "township_code",
            "township",
            "station",
            "staff_name",
            "role",
            "qualification",
            "certificate_number",
            "since_on",
            "until_on",
        ]

    def get_queryset(self):
        return Staff.objects.select_related("station__township")

    def dehydrate_role(self, staff):
        return sheets.ROLE_WORDS[staff.role]

    def dehydrate_qualification(self, staff):
        return sheets.QUALIFICATION_WORDS[staff.qualification]


class ServiceRecordResource(resources.ModelResource):
    township_code = fields.Field(
        attribute="station__township__code", column_name=sheets.TOWNSHIP_CODE
    )
    township = fields.Field(attribute="station__township__name", column_name=sheets.TOWNSHIP)
    station = fields.Field(attribute="station__name", column_name=sheets.STATION)
    month = fields.Field(column_name=sheets.MONTH)

    class Meta:
        model = ServiceRecord
        fields = ["township_code", "township", "station", "month", *ServiceRecord.FIGURES]

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        """The figures, taken from the model, under their headers in the workbook."""
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = sheets.FIGURE_HEADERS.get(field_name, field.column_name)
        return field

    def get_queryset(self):
        return ServiceRecord.objects.select_related("station__township")

    def dehydrate_month(self, record):
        return f"{record.month:%Y-%m}"
