from stations.imports import service_records_import

from ._importing import ImportCommand


class Command(ImportCommand):
    help = (
        "Import monthly service records from the coverage workbook (sheet 服务记录) or a .csv "
        "with its columns. All or nothing."
    )
    service = service_records_import
