"""The public home page: the association's profile, figures from the database, news."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from association.models import Announcement
from members.models import Member
from stations.models import Division, Station

pytestmark = pytest.mark.django_db


def township(county, code, name, counts=True):
    return Division.objects.create(
        code=code,
        name=name,
        level=Division.Level.TOWNSHIP,
        parent=county,
        counts_toward_coverage=counts,
    )


def test_home_shows_the_profile_in_chinese(client, profile):
    response = client.get(reverse("association:home"), HTTP_ACCEPT_LANGUAGE="en-US")

    body = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in body
    assert "许昌市社会工作行业协会" in body
    assert "协会简介第一段。" in body
    assert "主要数据" in body


def test_figures_are_computed_from_the_database(client, profile, county, other_county):
    towns = [township(county, f"41100200{i}", f"街道{i}") for i in range(1, 4)]
    township(other_county, "411003001", "镇一")
    # A statistical-only unit neither counts toward coverage nor lowers it.
    zone = township(other_county, "411003400", "园区", counts=False)
    Station.objects.create(township=towns[0], name="一站", status=Station.Status.OPERATING)
    Station.objects.create(township=towns[1], name="二站", status=Station.Status.OPERATING)
    Station.objects.create(township=towns[2], name="三站", status=Station.Status.PLANNED)
    Station.objects.create(township=zone, name="园区站", status=Station.Status.OPERATING)
    Member.objects.create(kind=Member.Kind.UNIT, name="甲机构")
    Member.objects.create(kind=Member.Kind.INDIVIDUAL, name="乙")
    Member.objects.create(kind=Member.Kind.INDIVIDUAL, name="丙", status=Member.Status.LEFT)

    response = client.get(reverse("association:home"))

    assert response.context["member_count"] == 2
    assert response.context["unit_member_count"] == 1
    assert response.context["station_count"] == 3
    coverage = response.context["coverage"]
    assert (coverage.covered, coverage.townships) == (2, 4)
    assert str(coverage.percent) == "50.0"
    assert "50.0%" in response.content.decode()


def test_only_published_announcements_are_listed_newest_first(client, profile):
    now = timezone.now()
    Announcement.objects.create(title="旧通知", body="x", published_at=now - datetime.timedelta(2))
    Announcement.objects.create(title="新通知", body="x", published_at=now - datetime.timedelta(1))
    Announcement.objects.create(title="草稿", body="x", is_published=False)
    Announcement.objects.create(title="未来", body="x", published_at=now + datetime.timedelta(1))

    body = client.get(reverse("association:home")).content.decode()

    assert body.index("新通知") < body.index("旧通知")
    assert "草稿" not in body and "未来" not in body


def test_home_works_before_the_profile_is_filled_in(client):
    response = client.get(reverse("association:home"))

    assert response.status_code == 200
    assert "秘书处尚未填写协会简介" in response.content.decode()


def test_home_query_count_does_not_grow_with_announcements(
    client, profile, django_assert_max_num_queries
):
    for i in range(20):
        Announcement.objects.create(title=f"通知{i}", body="x")

    with django_assert_max_num_queries(12):
        client.get(reverse("association:home"))


def test_navigation_shows_each_role_its_entries(client, secretariat, individual_member):
    anonymous = client.get(reverse("association:home")).content.decode()
    assert "登录" in anonymous and "后台管理" not in anonymous

    client.force_login(secretariat)
    staff = client.get(reverse("association:home")).content.decode()
    assert "后台管理" in staff and "退出登录" in staff

    client.force_login(individual_member)
    member = client.get(reverse("association:home")).content.decode()
    assert "后台管理" not in member and "退出登录" in member


def test_home_is_get_only(client):
    assert client.post(reverse("association:home")).status_code == 405


def test_station_count_and_coverage_count_the_same_stations(client, profile, county):
    # One rule for both figures: a station counts from its opening date on. The row below
    # is written around the station form, which refuses an opening date in the future.
    today = timezone.localdate()
    open_now, opening_later = (township(county, f"41100200{i}", f"街道{i}") for i in (1, 2))
    Station.objects.create(
        township=open_now,
        name="一站",
        status=Station.Status.OPERATING,
        opened_on=today - datetime.timedelta(days=1),
    )
    Station.objects.create(
        township=opening_later,
        name="二站",
        status=Station.Status.OPERATING,
        opened_on=today + datetime.timedelta(days=30),
    )

    response = client.get(reverse("association:home"))

    assert response.context["station_count"] == 1
    assert response.context["coverage"].covered == 1
