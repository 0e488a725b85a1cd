"""The public directory of unit members and the secretariat's roster."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import login
from members.models import DuesPayment, Member

DIRECTORY = reverse("members:directory")
ROSTER = reverse("members:roster")


def unit(name, **fields):
    return Member.objects.create(kind=Member.Kind.UNIT, name=name, **fields)


@pytest.fixture
def units(db, county, other_county):
    return [
        unit(
            "许昌市阳光社会工作服务中心",
            county=county,
            tier="president",
            contact_phone="13900001111",
        ),
        unit("建安区启航社会工作服务中心", county=other_county, organisation_type="social_work"),
        unit("已退会的单位", status=Member.Status.LEFT),
    ]


# Directory ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona", [None, "outsider", "applicant", "individual_member", "county_viewer", "secretariat"]
)
def test_directory_is_public(client, units, persona, request):
    if persona:
        login(client, request.getfixturevalue(persona))
    response = client.get(DIRECTORY)
    assert response.status_code == 200


def test_directory_lists_active_units_only_without_personal_data(client, units, individual_member):
    page = client.get(DIRECTORY).content.decode()
    assert "许昌市阳光社会工作服务中心" in page
    assert "会长单位" in page
    assert "魏都区" in page
    assert "已退会的单位" not in page
    assert "陈静" not in page  # individual members are not listed
    assert "13900001111" not in page


def test_directory_search_and_county_filter(client, units, other_county):
    found = client.get(DIRECTORY, {"q": "启航"}).context["page"]
    assert [m.name for m in found] == ["建安区启航社会工作服务中心"]
    in_county = client.get(DIRECTORY, {"county": other_county.pk}).context["page"]
    assert [m.name for m in in_county] == ["建安区启航社会工作服务中心"]


def test_directory_paginates_with_constant_queries(
    client, db, county, django_assert_max_num_queries
):
    for index in range(45):
        unit(f"单位{index:02d}", county=county)
    with django_assert_max_num_queries(6):
        response = client.get(DIRECTORY, {"page": 2})
    assert len(response.context["page"]) == 20
    assert response.context["page"].paginator.num_pages == 3


# Roster ---------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login_for_the_roster(client, db):
    assert reverse("account_login") in client.get(ROSTER)["Location"]


@pytest.mark.parametrize(
    "persona", ["outsider", "applicant", "individual_member", "other_member", "county_viewer"]
)
def test_roster_is_for_the_secretariat_only(client, persona, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(ROSTER).status_code == 403


def test_roster_masks_phones(client, secretariat, units):
    login(client, secretariat)
    page = client.get(ROSTER).content.decode()
    assert "139****1111" in page
    assert "13900001111" not in page


def test_roster_filters(client, secretariat, units, individual_member, county):
    lapsed = units[1]
    lapsed.member_since = timezone.localdate() - datetime.timedelta(days=800)
    lapsed.save()
    paid = units[0]
    paid.member_since = lapsed.member_since
    paid.save()
    DuesPayment.objects.create(
        member=paid, year=2026, amount=1, paid_on=timezone.localdate(), receipt_number="R"
    )
    login(client, secretariat)

    def names(**query):
        return sorted(m.name for m in client.get(ROSTER, query).context["page"])

    assert names(kind="individual") == ["陈静"]
    assert names(tier="president") == ["许昌市阳光社会工作服务中心"]
    assert names(status="left") == ["已退会的单位"]
    assert names(standing="lapsed") == ["已退会的单位", "建安区启航社会工作服务中心"]
    assert "许昌市阳光社会工作服务中心" in names(standing="good")
    assert names(county=county.pk) == ["许昌市阳光社会工作服务中心", "陈静"]
    assert names(q="XCSW-2025-0001") == ["陈静"]


def test_roster_query_count_does_not_grow(
    client, secretariat, county, django_assert_max_num_queries
):
    for index in range(60):
        unit(f"单位{index:02d}", county=county, number=f"XCSW-2024-{index:04d}")
    login(client, secretariat)
    with django_assert_max_num_queries(12):
        response = client.get(ROSTER)
    assert len(response.context["page"]) == 50


def test_county_filter_of_a_provincial_association_lists_the_counties_inside_it(
    client, secretariat, profile, county, other_county
):
    # The association's area may be a province: its counties sit two levels below it, and
    # "inside" is the one rule of the registry (codes nest), not "a child of".
    profile.city = county.parent.parent
    profile.save()
    login(client, secretariat)
    choices = client.get(ROSTER).context["form"].fields["county"].queryset
    assert list(choices) == [county, other_county]
