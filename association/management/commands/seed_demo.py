from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

import association.demo
import elections.demo
import members.demo
import stations.demo
import training.demo

# Order matters: divisions before the profile's city, members before meetings, polls and
# trainings.
SEEDERS = [stations.demo, association.demo, members.demo, elections.demo, training.demo]


class Command(BaseCommand):
    help = "Load the Chinese demo data (development only). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Seed even with DEBUG off. Demo accounts have published passwords!",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                _(
                    "Refusing to load demo data with DEBUG off: its passwords are public. "
                    "Use --force if you really mean it."
                )
            )
        call_command("setup_roles", verbosity=0)
        with transaction.atomic():
            for seeder in SEEDERS:
                seeder.seed(log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Demo data is loaded."))
