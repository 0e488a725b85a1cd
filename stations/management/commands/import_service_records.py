from django.utils.translation import gettext_lazy as _

from stations.imports import service_records_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = _(
        "Import monthly service records from the coverage workbook (sheet 服务记录) or a .csv "
        "with its columns. All or nothing."
    )
    service = service_records_import
