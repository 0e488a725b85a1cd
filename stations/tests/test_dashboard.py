"""The coverage dashboard: who may open it, what scope they see, and its figures."""

import pytest
from django.urls import reverse

from conftest import login

URL = reverse("stations:coverage")


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, registry):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["individual_member", "unit_representative", "outsider", "applicant"]
)
def test_other_roles_are_refused(client, registry, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.get(reverse("stations:coverage-export")).status_code == 403


@pytest.mark.django_db
def test_staff_without_two_factor_must_set_it_up(client, registry, secretariat_without_2fa):
    login(client, secretariat_without_2fa)
    response = client.get(URL)
    assert response.status_code == 302 and response.url == reverse("mfa_activate_totp")


@pytest.mark.django_db
def test_secretariat_sees_the_association_city(client, registry, profile, secretariat):
    login(client, secretariat)
    response = client.get(URL, {"as_of": "2026-11-29"})
    assert response.status_code == 200
    table = response.context["table"]
    assert [row.name for row in table.rows] == ["魏都区", "建安区"]
    assert (table.total.townships, table.total.covered) == (6, 3)
    content = response.content.decode()
    assert "50.0%" in content and "南关街道" in content and "<svg" in content
    assert '<title id="coverage-chart-title">' in content


@pytest.mark.django_db
def test_city_viewer_can_narrow_to_a_county(client, registry, city_viewer):
    login(client, city_viewer)
    response = client.get(URL, {"county": "411003", "as_of": "2026-11-29"})
    assert response.status_code == 200
    assert [row.code for row in response.context["table"].rows] == ["411003"]
    assert "五女店镇" in response.content.decode()


@pytest.mark.django_db
def test_county_viewer_sees_only_their_county(client, registry, county_viewer):
    login(client, county_viewer)
    response = client.get(URL, {"as_of": "2026-11-29"})
    assert response.status_code == 200
    assert [row.code for row in response.context["table"].rows] == ["411002"]
    content = response.content.decode()
    assert "建安区" not in content and "五女店镇" not in content
    assert response.context["counties"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["411003", "4110", "41", "999999"])
def test_county_viewer_gets_404_for_other_areas(client, registry, county_viewer, code):
    login(client, county_viewer)
    export = reverse("stations:coverage-export")
    assert client.get(URL, {"county": code}).status_code == 404
    assert client.get(export, {"county": code}).status_code == 404
    assert client.get(export, {"county": code, "format": "csv"}).status_code == 404


@pytest.mark.django_db
def test_as_of_date_changes_the_figures(client, registry, city_viewer):
    login(client, city_viewer)
    before = client.get(URL, {"as_of": "2023-06-14"}).context["table"].total
    after = client.get(URL, {"as_of": "2023-06-15"}).context["table"].total
    assert after.covered - before.covered == 1


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", ["2099-01-01", "tomorrow", "1999-12-31"])
def test_bad_dates_are_explained_not_a_server_error(client, registry, city_viewer, as_of):
    login(client, city_viewer)
    response = client.get(URL, {"as_of": as_of})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert 'class="errorlist"' in response.content.decode()


@pytest.mark.django_db
def test_post_is_not_allowed(client, registry, city_viewer):
    login(client, city_viewer)
    assert client.post(URL).status_code == 405


@pytest.mark.django_db
def test_dashboard_query_count_does_not_grow_with_townships(
    client, registry, city_viewer, django_assert_max_num_queries
):
    from .conftest import station, township

    for number in range(10, 40):
        gap = township(registry.county, f"{number:03d}", f"新街道{number}")
        if number % 2:
            station(gap, "planned", None)
    login(client, city_viewer)
    with django_assert_max_num_queries(22):
        response = client.get(URL, {"as_of": "2026-11-29"})
    assert response.status_code == 200
    # 30 new townships, 西关 (suspended), 南关 (none) and 五女店镇 (planned).
    assert len(response.context["gaps"].object_list) == 33
