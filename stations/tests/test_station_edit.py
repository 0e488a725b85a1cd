"""The secretariat's pages to add and edit stations, their staff and photos."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.tests.factories import jpeg_upload
from conftest import login
from stations.models import Station, StationPhoto
from stations.services import station_photo_add

CREATE = reverse("stations:station-create")


def edit_url(station):
    return reverse("stations:station-edit", args=[station.pk])


def jpeg():
    return jpeg_upload("站点.jpg", size=(800, 600))


def staff_management(station, forms):
    data = {
        "staff-TOTAL_FORMS": str(len(forms)),
        "staff-INITIAL_FORMS": str(sum(1 for form in forms if form.get("id"))),
        "staff-MIN_NUM_FORMS": "0",
        "staff-MAX_NUM_FORMS": "200",
    }
    for index, form in enumerate(forms):
        for key, value in form.items():
            data[f"staff-{index}-{key}"] = value
    return data


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, registry):
    west = registry.stations["west"]
    for url in [CREATE, edit_url(west)]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url
    response = client.post(reverse("stations:photo-add", args=[west.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["city_viewer", "county_viewer", "individual_member", "outsider"]
)
def test_only_the_secretariat_edits(client, registry, persona, request):
    login(client, request.getfixturevalue(persona))
    west = registry.stations["west"]
    assert client.get(CREATE).status_code == 403
    assert client.get(edit_url(west)).status_code == 403
    assert client.post(edit_url(west), {"name": "x"}).status_code == 403
    assert Station.objects.get(pk=west.pk).name == "西大街道社工站"


@pytest.mark.django_db
def test_secretariat_creates_a_station_by_township_code(client, registry, secretariat):
    login(client, secretariat)
    response = client.post(
        CREATE,
        {
            "township_code": "411002004",
            "name": "南关街道社工站",
            "status": "operating",
            "opened_on": "2026-03-01",
            "operator_name": "善行社工",
            "demonstration_tier": "city",
        },
    )
    created = Station.objects.get(township__code="411002004")
    assert response.status_code == 302 and response.url == edit_url(created)
    assert (created.status, created.operator_name, created.demonstration_tier) == (
        "operating",
        "善行社工",
        "city",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"township_code": "411002001"}, "township_code"),
        ({"township_code": "411009001"}, "township_code"),
        ({"township_code": "41100200"}, "township_code"),
        ({"township_code": "411002004", "opened_on": ""}, "opened_on"),
        ({"township_code": "411002004", "opened_on": "2099-01-01"}, "opened_on"),
        ({"township_code": "411002004", "site_area": "-1"}, "__all__"),
    ],
    ids=["has a station", "unknown", "short code", "no date", "future", "negative area"],
)
def test_bad_station_forms_are_explained(client, registry, secretariat, data, field):
    login(client, secretariat)
    form = {
        "name": "南关街道社工站",
        "status": "operating",
        "opened_on": "2026-03-01",
        "demonstration_tier": "none",
        **data,
    }
    response = client.post(CREATE, form)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Station.objects.filter(township__code="411002004").exists()


@pytest.mark.django_db
def test_secretariat_edits_station_and_staff(client, registry, secretariat):
    west = registry.stations["west"]
    login(client, secretariat)
    assert client.get(edit_url(west)).status_code == 200
    staff = list(west.staff.order_by("pk"))
    forms = [
        {
            "id": str(person.pk),
            "name": person.name,
            "role": person.role,
            "qualification": person.qualification,
            "certificate_number": person.certificate_number,
            "since_on": person.since_on.isoformat(),
            "until_on": person.until_on.isoformat() if person.until_on else "",
        }
        for person in staff
    ]
    forms[2]["qualification"] = "assistant"
    forms.append(
        {
            "name": "新社工",
            "role": "social_worker",
            "qualification": "none",
            "since_on": "2026-09-01",
            "until_on": "",
        }
    )
    data = {
        "name": "西大街道社会工作服务站",
        "status": "operating",
        "opened_on": "2020-03-01",
        "operator_name": "阳光社工",
        "demonstration_tier": "provincial",
        **staff_management(west, forms),
    }
    response = client.post(edit_url(west), data)
    assert response.status_code == 302
    west.refresh_from_db()
    assert (west.name, west.demonstration_tier) == ("西大街道社会工作服务站", "provincial")
    assert west.staff.count() == 4
    assert west.staff.get(name="王芳").qualification == "assistant"


@pytest.mark.django_db
def test_staff_leaving_before_arriving_is_refused(client, registry, secretariat):
    west = registry.stations["west"]
    login(client, secretariat)
    data = {
        "name": west.name,
        "status": "operating",
        "opened_on": "2020-03-01",
        "demonstration_tier": "none",
        **staff_management(
            west,
            [
                {
                    "name": "新社工",
                    "role": "social_worker",
                    "qualification": "none",
                    "since_on": "2026-09-01",
                    "until_on": "2026-01-01",
                }
            ],
        ),
    }
    response = client.post(edit_url(west), data)
    assert response.status_code == 200
    assert not west.staff.filter(name="新社工").exists()


@pytest.mark.django_db
def test_photos_are_validated_added_served_and_deleted(client, registry, secretariat):
    west = registry.stations["west"]
    login(client, secretariat)
    add = reverse("stations:photo-add", args=[west.pk])
    assert client.get(add).status_code == 405
    response = client.post(add, {"image": jpeg(), "caption": "活动室"})
    assert response.status_code == 302
    photo = StationPhoto.objects.get(station=west)
    assert photo.caption == "活动室" and photo.thumbnail
    served = client.get(reverse("stations:photo-thumbnail", args=[photo.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(served.streaming_content))) as thumb:
        assert max(thumb.size) <= 320

    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    response = client.post(add, {"image": fake}, follow=True)
    assert StationPhoto.objects.count() == 1
    assert [message.level_tag for message in response.context["messages"]][-1] == "error"

    delete = reverse("stations:photo-delete", args=[west.pk, photo.pk])
    assert client.get(delete).status_code == 405
    assert client.post(delete).status_code == 302
    assert not StationPhoto.objects.exists()


@pytest.mark.django_db
def test_station_page_shows_photos_publicly(client, registry, secretariat):
    west = registry.stations["west"]
    photo = station_photo_add(actor=None, station=west, upload=jpeg(), caption="外景")
    client.logout()
    content = client.get(reverse("stations:station", args=[west.pk])).content.decode()
    assert reverse("stations:photo-thumbnail", args=[photo.pk]) in content
    for name in ("stations:photo", "stations:photo-thumbnail"):
        served = client.get(reverse(name, args=[photo.pk]))
        assert served.status_code == 200
        # Served like every stored file: never run as a page, never sniffed as another type.
        assert served["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"
        assert served["X-Content-Type-Options"] == "nosniff"
        assert served["Cache-Control"] == "public, max-age=86400"


@pytest.mark.django_db
def test_photo_whose_file_is_gone_is_not_found(client, registry):
    photo = station_photo_add(
        actor=None, station=registry.stations["west"], upload=jpeg(), caption="外景"
    )
    photo.image.storage.delete(photo.image.name)
    assert client.get(reverse("stations:photo", args=[photo.pk])).status_code == 404
