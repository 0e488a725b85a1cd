from django.utils.translation import gettext_lazy as _

from stations.imports import divisions_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = _(
        "Import administrative divisions from a .csv or .xlsx file with the header "
        "code,name,level,parent_code. Safe to run again; all or nothing."
    )
    service = divisions_import
