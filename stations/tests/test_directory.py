"""The public station directory, the station page and the public coverage summary."""

import pytest
from django.urls import reverse

from conftest import login
from stations.models import Station

from .conftest import station, township

LIST = reverse("stations:station-list")


def names(response):
    return [station.name for station in response.context["page"].object_list]


@pytest.mark.django_db
def test_directory_is_public_and_lists_the_city_stations(client, registry, profile):
    response = client.get(LIST)
    assert response.status_code == 200
    assert names(response) == [
        "西大街道社工站",
        "东大街道社工站",
        "西关街道社工站",
        "东城区社工站",
        "许由街道社工站",
        "五女店镇社工站",
    ]
    content = response.content.decode()
    # No staff personal data in public.
    assert "张静" not in content and "ZS2020" not in content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"county": "411003"}, ["许由街道社工站", "五女店镇社工站"]),
        ({"status": "suspended"}, ["西关街道社工站"]),
        ({"q": "阳光"}, ["西大街道社工站", "东城区社工站"]),
        ({"q": "东大", "county": "411002", "status": "operating"}, ["东大街道社工站"]),
        ({"q": "411003101"}, ["五女店镇社工站"]),
    ],
)
def test_directory_filters(client, registry, profile, query, expected):
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert names(response) == expected


@pytest.mark.django_db
def test_directory_unknown_filter_values_are_form_errors(client, registry, profile):
    response = client.get(LIST, {"county": "999999", "status": "closed"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"county", "status"}
    assert len(names(response)) == 6


@pytest.mark.django_db
def test_directory_paginates_with_a_fixed_query_budget(
    client, registry, profile, django_assert_max_num_queries
):
    for number in range(10, 60):
        station(
            township(profile.city.children.first(), f"{number:03d}", f"街道{number}"),
            "planned",
            None,
        )
    with django_assert_max_num_queries(8):
        response = client.get(LIST, {"page": 2})
    assert response.status_code == 200
    assert len(names(response)) == 20 and response.context["page"].number == 2
    assert "page=3" in response.content.decode()


@pytest.mark.django_db
def test_station_page_is_public_without_staff_names(client, registry):
    west = registry.stations["west"]
    response = client.get(reverse("stations:station", args=[west.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "西大街道社工站" in content and "阳光社工" in content
    assert response.context["figures"] == {"resident": 2, "certified": 1}
    assert "张静" not in content
    assert client.get(reverse("stations:station", args=[99999])).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("secretariat", True),
        ("city_viewer", True),
        ("county_viewer", True),
        ("individual_member", False),
        ("outsider", False),
        ("secretariat_without_2fa", False),
    ],
)
def test_staff_names_only_for_staff_in_scope(client, registry, persona, sees, request):
    login(client, request.getfixturevalue(persona))
    west = registry.stations["west"]
    content = client.get(reverse("stations:station", args=[west.pk])).content.decode()
    assert ("张静" in content) is sees


@pytest.mark.django_db
def test_county_viewer_does_not_see_staff_of_another_county(client, registry, county_viewer):
    login(client, county_viewer)
    town = registry.stations["town"]
    content = client.get(reverse("stations:station", args=[town.pk])).content.decode()
    assert "吴凡" not in content


@pytest.mark.django_db
def test_public_coverage_summary(client, registry, profile):
    response = client.get(reverse("stations:coverage-summary"))
    assert response.status_code == 200
    assert response.context["table"].total.percent is not None
    content = response.content.decode()
    assert "魏都区" in content and "<svg" in content and "张静" not in content


@pytest.mark.django_db
def test_home_page_links_the_directory_and_summary(client, registry, profile):
    content = client.get("/").content.decode()
    assert reverse("stations:station-list") in content
    assert reverse("stations:coverage-summary") in content
    assert Station.objects.count() == 6
