"""The registry's imports, one module per importer: divisions, stations (with their staff)
and service records.

Every import reads the whole file, checks every row, and writes nothing unless no row has
an error (and nothing at all on a dry run); the ImportReport lists the errors per row and
column and what the import did or would do. The admin's import pages and the management
commands call these, with the acting user as `actor=` (None from a command).
"""

from .divisions import divisions_import
from .service_records import service_records_import
from .stations import stations_import

__all__ = ["divisions_import", "service_records_import", "stations_import"]
