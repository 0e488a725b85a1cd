"""What the import commands share: run a service, print its report, fail on errors."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class ImportCommand(BaseCommand):
    """A command running one import; `help` may be lazily translated, like its options."""

    service = None

    def create_parser(self, prog_name, subcommand, **kwargs):
        # argparse needs text: the translation in the language of this run.
        self.help = str(type(self).help)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django's and argparse's own words are English only; an operator reads them too.
        common = _common_option_help()
        for action in parser._actions:
            if action.dest in common:
                action.help = common[action.dest]
        parser._positionals.title = _("arguments")
        parser._optionals.title = _("options")
        parser.formatter_class = _formatter_with_usage(parser.formatter_class)
        return parser

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


def _common_option_help():
    return {
        "help": _("show this help and exit"),
        "version": _("show the version of Django and exit"),
        "verbosity": _("how much to print: 0 little, 1 normal, 2 each change, 3 everything"),
        "settings": _("the Python path of a settings module; default: DJANGO_SETTINGS_MODULE"),
        "pythonpath": _("a directory to add to the Python path"),
        "traceback": _("show the full traceback of an error"),
        "no_color": _("print without colours"),
        "force_color": _("print in colours even when not on a terminal"),
        "skip_checks": _("skip the system checks"),
    }


def _formatter_with_usage(formatter_class):
    class Formatter(formatter_class):
        def add_usage(self, usage, actions, groups, prefix=None):
            return super().add_usage(usage, actions, groups, prefix=_("usage: "))

    return Formatter
