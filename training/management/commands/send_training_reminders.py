import datetime

from django.core.management.base import BaseCommand, CommandError

from training.services import reminders_send


class Command(BaseCommand):
    help = (
        "E-mail those still short of continuing-education hours six and three months before "
        "their registration period ends. Each reminder is sent once: run it daily from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            required=True,
            help="The portal's address for the links in the e-mails, e.g. https://portal.example.org",
        )
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, base_url, today=None, **options):
        if not base_url.startswith(("http://", "https://")):
            raise CommandError("--base-url must start with http:// or https://")
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError("--today must be a date such as 2026-12-01") from None
        sent = reminders_send(today=day, base_url=base_url)
        self.stdout.write(f"{sent} reminder(s) sent")
