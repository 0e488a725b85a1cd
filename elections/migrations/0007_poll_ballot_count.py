from django.db import migrations, models
from django.db.models import Count


def count_closed_polls(apps, schema_editor):
    """Polls closed before the count was stored: their ballots, counted once here."""
    Poll = apps.get_model("elections", "Poll")
    closed = Poll.objects.filter(method="online", state__in=["closed", "published"])
    for poll in closed.annotate(counted=Count("ballots")):
        Poll.objects.filter(pk=poll.pk).update(ballot_count=poll.counted)


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0006_receipts_not_unique"),
    ]

    operations = [
        migrations.AddField(
            model_name="poll",
            name="ballot_count",
            field=models.PositiveIntegerField(editable=False, null=True, verbose_name="ballots"),
        ),
        migrations.RunPython(count_closed_polls, migrations.RunPython.noop),
    ]
