"""What the import commands share: run a service, print its report, fail on errors."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ImportCommand(BaseCommand):
    service = None

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("A .xlsx or .csv file"))
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Check the file and show what would change, without writing anything"),
        )
        parser.add_argument(
            "--encoding",
            default=None,
            help=_("Encoding of a .csv file (default: UTF-8, else GBK/GB18030)"),
        )

    def handle(self, *args, file, dry_run=False, encoding=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        # A command is run on the server by its operator: no portal user acts.
        report = type(self).service(file=path, actor=None, dry_run=dry_run, encoding=encoding)
        for error in report.errors:
            self.stderr.write(str(error))
        for note in report.notes:
            self.stderr.write(str(note))
        if not report.ok:
            raise CommandError(report.summary())
        if options["verbosity"] > 1:
            for change in report.changes:
                self.stdout.write(f"{change.row}\t{change.action_label}\t{change.description}")
        for kind, tally in report.by_kind.items():
            self.stdout.write(
                _("%(kind)s: %(create)s new, %(update)s updated, %(unchanged)s unchanged")
                % {"kind": kind, **tally}
            )
        self.stdout.write(self.style.SUCCESS(report.summary()))
