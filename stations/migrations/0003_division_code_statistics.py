"""Finer statistics on the division code, so that prefix filters are estimated right.

"Inside a division" is `code LIKE '4110%'`, answered by the code's varchar_pattern_ops index
(Django adds one to every unique varchar). At PostgreSQL's default statistics target (100
histogram buckets, ~450 codes each in the national table) the planner takes a city of ~120
townships for four times as many and scans every station in the country instead. 2,500
buckets of ~18 codes estimate a county or a city within a few rows. SQLite has no such knob.
"""

from django.db import migrations

TARGET = 2500


def _set_target(target):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        table = apps.get_model("stations", "Division")._meta.db_table
        quote = schema_editor.quote_name
        schema_editor.execute(
            f"ALTER TABLE {quote(table)} ALTER COLUMN {quote('code')} SET STATISTICS {target}"
        )

    return operation


class Migration(migrations.Migration):
    dependencies = [("stations", "0002_registry")]

    operations = [migrations.RunPython(_set_target(TARGET), _set_target(-1), elidable=False)]
