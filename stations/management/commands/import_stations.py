from django.utils.translation import gettext_lazy as _

from stations.imports import stations_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = _(
        "Import stations and their resident social workers from the coverage workbook "
        "(sheets 明细 and 驻站社工) or a .csv of either sheet. All or nothing."
    )
    service = stations_import
