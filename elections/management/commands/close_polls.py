from django.core.management.base import BaseCommand

from elections.ballot_box.services import polls_close_due


class Command(BaseCommand):
    help = "Close every open poll whose closing time has passed (run it every minute from cron)."

    def handle(self, *args, **options):
        for poll in polls_close_due():
            self.stdout.write(f"closed poll {poll.pk}: {poll.subject}")
