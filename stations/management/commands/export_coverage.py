import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from association.models import AssociationProfile
from stations import sheets
from stations.models import Division, Station


class Command(BaseCommand):
    help = (
        "Write the coverage workbook (.xlsx: sheets 说明, 汇总, 明细, 驻站社工, 服务记录) or "
        "its detail sheet (.csv, UTF-8 with BOM). Default area: the association's city, or "
        "the only city among the divisions when the profile names none."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help=_("FILE.xlsx or FILE.csv"))
        area = parser.add_mutually_exclusive_group()
        area.add_argument(
            "--county",
            help=_("Code of a county (or of a city or province) to export instead of the city"),
        )
        area.add_argument(
            "--all",
            action="store_true",
            dest="everything",
            help=_("Export every division in the database"),
        )
        parser.add_argument("--as-of", help=_("Date of the figures, YYYY-MM-DD (default today)"))

    def _default_area(self):
        """The association's city; without one, the only city among the divisions."""
        city = AssociationProfile.current().city
        if city is not None:
            return city
        cities = list(Division.objects.filter(level=Division.Level.CITY).order_by("code"))
        if len(cities) == 1:
            self.stdout.write(
                _(
                    "The association profile names no city; exporting %(city)s, the only city "
                    "among the divisions."
                )
                % {"city": cities[0].name}
            )
            return cities[0]
        if not cities:
            raise CommandError(
                _(
                    "There is no city among the divisions: import them first "
                    "(import_divisions), or export every division with --all."
                )
            )
        raise CommandError(
            _(
                "The association profile names no city and the divisions hold %(count)s: "
                "%(cities)s. Choose one with --county CODE, or export every division with "
                "--all. (The association's city is set in the back office: Association "
                "profile → City.)"
            )
            % {
                "count": len(cities),
                "cities": "、".join(f"{city.name} {city.code}" for city in cities),
            }
        )

    def handle(self, *args, output, county=None, everything=False, as_of=None, **options):
        path = Path(output)
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError(_("The output file must end in .xlsx or .csv."))
        on = timezone.localdate()
        if as_of:
            try:
                on = datetime.date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(
                    _("“%(value)s” is not a date; write it as 2024-03-15.") % {"value": as_of}
                ) from None
            if on > timezone.localdate():
                raise CommandError(_("The date cannot be in the future."))
        if everything:
            area = None
        elif county:
            area = Division.objects.filter(code=county).first()
            if area is None or area.level == Division.Level.TOWNSHIP:
                raise CommandError(
                    _("There is no county, city or province with the code %(code)s.")
                    % {"code": county}
                )
        else:
            area = self._default_area()
        if path.suffix.lower() == ".csv":
            sheets.write_coverage_csv(path, area=area, on=on)
            self.stdout.write(self.style.SUCCESS(_("Written: %(file)s") % {"file": path}))
            return
        # Whoever runs a command on the server reads the whole database: every station's staff.
        table = sheets.write_coverage_workbook(
            path, area=area, on=on, staff_of=Station.objects.all()
        )
        total = table.total
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Written: %(file)s (%(counties)s counties, %(townships)s townships in scope, "
                    "coverage %(percent)s%%)"
                )
                % {
                    "file": path,
                    "counties": len(table.rows),
                    "townships": total.townships,
                    "percent": total.percent if total.percent is not None else "—",
                }
            )
        )
