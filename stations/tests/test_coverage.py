"""Coverage figures at their boundaries: as-of dates, uncounted townships, suspended stations."""

import datetime

import pytest

from stations.coverage import county_table, coverage_for, growth_by_year, townships_without_station

D = datetime.date


def figures(row):
    return (
        row.townships,
        row.covered,
        row.stations,
        row.resident,
        row.certified,
        row.people_served,
    )


@pytest.mark.django_db
def test_county_table_today(registry):
    table = county_table(registry.city, on=D(2026, 11, 29), total_label="合计")
    weidu, jianan = table.rows
    # 魏都区: 4 townships count (东城区 does not); 西大 and 东大 operate; 西关 is suspended.
    assert (weidu.code, weidu.name) == ("411002", "魏都区")
    assert figures(weidu) == (4, 2, 3, 4, 3, 550)
    assert str(weidu.percent) == "50.0"
    assert figures(jianan) == (2, 1, 1, 1, 1, 70)
    assert figures(table.total) == (6, 3, 4, 5, 4, 620)
    assert table.total.name == "合计" and table.total.ratio == 0.5


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("on", "covered"),
    [(D(2023, 6, 14), 1), (D(2023, 6, 15), 2), (D(2020, 2, 29), 0), (D(2020, 3, 1), 1)],
)
def test_a_station_counts_from_its_opening_day(registry, on, covered):
    assert coverage_for(registry.county, on=on).covered == covered


@pytest.mark.django_db
def test_suspended_station_and_uncounted_township_do_not_cover(registry):
    coverage = coverage_for(registry.county)
    assert (coverage.townships, coverage.covered) == (4, 2)
    gaps = [
        township.code for township in townships_without_station(registry.county, on=D(2026, 1, 1))
    ]
    assert gaps == ["411002003", "411002004"]


@pytest.mark.django_db
def test_social_workers_count_until_their_leaving_day(registry):
    on_last_day = county_table(registry.county, on=D(2024, 6, 30)).rows[0]
    after = county_table(registry.county, on=D(2024, 7, 1)).rows[0]
    assert on_last_day.resident - after.resident == 1
    assert on_last_day.certified - after.certified == 1


@pytest.mark.django_db
def test_people_served_add_up_the_year_of_the_date(registry):
    assert county_table(registry.county, on=D(2025, 12, 31)).rows[0].people_served == 100
    assert county_table(registry.county, on=D(2026, 1, 31)).rows[0].people_served == 250


@pytest.mark.django_db
def test_county_area_gives_one_row(registry):
    table = county_table(registry.other_county, on=D(2026, 11, 29))
    assert [row.code for row in table.rows] == ["411003"]
    assert figures(table.total) == figures(table.rows[0])


@pytest.mark.django_db
def test_growth_by_year_counts_at_each_year_end(registry):
    growth = growth_by_year(registry.city, until=D(2026, 11, 29))
    assert [(g.year, g.stations, g.certified, g.organisations) for g in growth] == [
        (2020, 2, 2, 1),
        (2021, 2, 3, 1),
        (2022, 3, 4, 2),
        (2023, 4, 5, 3),
        (2024, 4, 4, 3),
        (2025, 4, 4, 3),
        (2026, 4, 4, 3),
    ]


@pytest.mark.django_db
def test_coverage_for_is_todays_coverage_used_by_the_home_page(registry):
    coverage = coverage_for(registry.city)
    assert (coverage.townships, coverage.covered, str(coverage.percent)) == (6, 3, "50.0")


@pytest.mark.django_db
def test_no_township_means_no_percentage(city):
    assert coverage_for(city).percent is None
    assert county_table(city, on=D(2026, 1, 1)).total.percent is None
