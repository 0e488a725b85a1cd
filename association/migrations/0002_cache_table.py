"""Create the database cache table that login rate limits rely on.

`createcachetable` is not part of `migrate`; running it here means every database the
portal migrates (development, tests, production) has the table.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("association", "0001_initial")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
