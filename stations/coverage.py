"""Coverage (覆盖率): townships in scope with an operating station ÷ townships in scope.

Everything here is "as of" a date: a station counts on a day by the one rule of
Station.objects.operating_on; a social worker counts when Staff.objects.active_on that day,
at a station that counts that day; people served add up the service records of that day's
year up to its month. Townships whose flag says they do not count toward coverage
(development zones, quasi-township units) are left out of the township count, but their
stations and social workers still count as stations and social workers.

An `area` is a Division (a county, a city, a province) or None for the whole country.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from .models import Division, ServiceRecord, Staff, Station


def _percent(covered, townships):
    if not townships:
        return None
    ratio = Decimal(covered * 100) / Decimal(townships)
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Coverage:
    townships: int
    covered: int
    as_of: datetime.date | None = None

    @property
    def percent(self):
        """Coverage as a percentage rounded to one decimal, or None with no township."""
        return _percent(self.covered, self.townships)


def _operating(on):
    """Q: a township's station (or a social worker's) counts on `on`."""
    return Station.operating_on_q(on, "station__")


def coverage_for(division, *, on=None):
    """Coverage of the townships under `division` on `on` (today by default)."""
    on = on or timezone.localdate()
    townships = Division.objects.townships_in_scope(division)
    counts = townships.aggregate(townships=Count("id"), covered=Count("id", filter=_operating(on)))
    return Coverage(townships=counts["townships"], covered=counts["covered"], as_of=on)


@dataclass
class CountyRow:
    """The coverage figures of one county-level unit (or the total of several)."""

    code: str
    name: str
    pk: int | None = None
    townships: int = 0
    covered: int = 0
    stations: int = 0
    resident: int = 0
    certified: int = 0
    people_served: int = 0

    @property
    def percent(self):
        return _percent(self.covered, self.townships)

    @property
    def ratio(self):
        """Coverage as a fraction (0.971) for a spreadsheet cell with a % format."""
        if not self.townships:
            return None
        return self.covered / self.townships

    def add(self, other):
        for name in ("townships", "covered", "stations", "resident", "certified"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.people_served += other.people_served


@dataclass
class CoverageTable:
    """Per-county rows and their total, as of a date."""

    area: Division | None
    as_of: datetime.date
    rows: list = field(default_factory=list)
    total: CountyRow | None = None


def county_table(area, *, on, total_label=""):
    """Coverage per county-level unit in `area` on `on`, and the total (four queries)."""
    # A county is inside itself: the table of a county has that county's row.
    counties = Division.objects.counties().within(area)
    rows = {
        pk: CountyRow(code=code, name=name, pk=pk)
        for pk, code, name in counties.order_by("code").values_list("id", "code", "name")
    }
    townships = (
        Division.objects.townships()
        .within(area)
        .values("parent_id")
        .order_by()
        .annotate(
            townships=Count("id", filter=Q(counts_toward_coverage=True)),
            covered=Count("id", filter=Q(counts_toward_coverage=True) & _operating(on)),
            stations=Count("station", filter=_operating(on)),
        )
    )
    for item in townships:
        row = rows.get(item["parent_id"])
        if row is not None:
            row.townships = item["townships"]
            row.covered = item["covered"]
            row.stations = item["stations"]
    staff = (
        Staff.objects.active_on(on)
        .within(area)
        .filter(_operating(on))
        .values("station__township__parent_id")
        .order_by()
        .annotate(
            resident=Count("id"),
            certified=Count("id", filter=Staff.CERTIFIED),
        )
    )
    for item in staff:
        row = rows.get(item["station__township__parent_id"])
        if row is not None:
            row.resident = item["resident"]
            row.certified = item["certified"]
    served = (
        ServiceRecord.objects.within(area)
        .of_year_until(on)
        .values("station__township__parent_id")
        .order_by()
        .annotate(people=Sum("people_served"))
    )
    for item in served:
        row = rows.get(item["station__township__parent_id"])
        if row is not None:
            row.people_served = item["people"] or 0
    total = CountyRow(code=area.code if area else "", name=total_label)
    for row in rows.values():
        total.add(row)
    return CoverageTable(area=area, as_of=on, rows=list(rows.values()), total=total)


def townships_without_station(area, *, on):
    """Townships in scope without a station that counts on `on`: the gaps to close."""
    return (
        Division.objects.townships_in_scope(area)
        .exclude(_operating(on))
        .select_related("parent", "station")
        .order_by("code")
    )


def _count_subquery(queryset):
    return Subquery(queryset.values("station").order_by().annotate(n=Count("id")).values("n")[:1])


def township_rows(area, *, on):
    """One dict per township in `area` with its station's figures on `on`, streamed.

    Memory stays flat at national scale: a server-side cursor, per-row subqueries for the
    figures, and nothing kept once a row is yielded.
    """
    station_staff = Staff.objects.active_on(on).filter(station=OuterRef("station__id"))
    served = (
        ServiceRecord.objects.of_year_until(on)
        .filter(station=OuterRef("station__id"))
        .values("station")
        .order_by()
        .annotate(total=Sum("people_served"))
        .values("total")[:1]
    )
    queryset = (
        Division.objects.townships()
        .within(area)
        .order_by("code")
        .annotate(
            resident=_count_subquery(station_staff),
            certified=_count_subquery(station_staff.certified()),
            people_served=Subquery(served),
            operating=ExpressionWrapper(_operating(on), output_field=BooleanField()),
        )
        .values(
            "code",
            "name",
            "counts_toward_coverage",
            "parent__code",
            "parent__name",
            "station__id",
            "station__name",
            "station__status",
            "station__opened_on",
            "station__operator__name",
            "station__operator_name",
            "station__address",
            "station__site_area",
            "station__annual_funding",
            "station__demonstration_tier",
            "resident",
            "certified",
            "people_served",
            "operating",
        )
    )
    for row in queryset.iterator(chunk_size=2000):
        has_station = row["station__id"] is not None
        # NULL without a station.
        operating = bool(row["operating"])
        row["has_station"] = has_station
        row["operating"] = operating
        row["covered"] = operating and row["counts_toward_coverage"]
        # Social workers count where their station counts, as in county_table.
        row["resident"] = (row["resident"] or 0) if operating else 0
        row["certified"] = (row["certified"] or 0) if operating else 0
        row["people_served"] = row["people_served"] or 0
        row["operator"] = row["station__operator__name"] or row["station__operator_name"] or ""
        yield row


@dataclass(frozen=True)
class YearFigures:
    year: int
    stations: int
    certified: int
    organisations: int


def growth_by_year(area, *, until, years=8):
    """Stations, certified social workers and operating organisations at each year's end.

    The last year is counted on `until` rather than on 31 December. Three queries.
    """
    stations = Station.objects.within(area)
    first = stations.operating_on(until).aggregate(first=Min("opened_on"))["first"]
    if first is None:
        return []
    first_year = max(first.year, until.year - years + 1)
    days = {
        year: (datetime.date(year, 12, 31) if year < until.year else until)
        for year in range(first_year, until.year + 1)
    }
    organisation = Case(
        When(operator__isnull=False, then=Concat(Value("m"), Cast("operator_id", CharField()))),
        When(~Q(operator_name=""), then=Concat(Value("n"), F("operator_name"))),
        default=None,
        output_field=CharField(),
    )
    station_counts = stations.aggregate(
        **{
            f"s{year}": Count("id", filter=Station.operating_on_q(day))
            for year, day in days.items()
        },
        **{
            f"o{year}": Count(organisation, filter=Station.operating_on_q(day), distinct=True)
            for year, day in days.items()
        },
    )
    staff = Staff.objects.certified().within(area)
    staff_counts = staff.aggregate(
        **{
            f"c{year}": Count(
                "id",
                filter=Staff.active_on_q(day) & _operating(day),
            )
            for year, day in days.items()
        }
    )
    return [
        YearFigures(
            year=year,
            stations=station_counts[f"s{year}"],
            certified=staff_counts[f"c{year}"],
            organisations=station_counts[f"o{year}"],
        )
        for year in days
    ]
