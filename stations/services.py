"""Writes of the secretariat's station pages: a station with its staff, photos, operators.

The imports live in stations.imports, one module per importer. Every service of the
registry names the acting user `actor=` (None: a command or the demo, run on the server),
as every app's services do; the registry keeps no history of its edits yet, so that the
day it does, no caller has to change.
"""

from django.db import transaction

from common.uploads import clean_image, thumbnail

from .imports.stations import unit_members_by_name
from .models import Station, StationPhoto


@transaction.atomic
def station_save(*, station, actor, staff_formset=None):
    """Save a station (validated) and, when given, the staff formset edited with it."""
    station.full_clean()
    station.save()
    if staff_formset is not None:
        staff_formset.instance = station
        staff_formset.save()
    return station


@transaction.atomic
def station_photo_add(*, station, upload, actor, caption=""):
    """Validate and re-encode an uploaded photo, and store it with a thumbnail."""
    image = clean_image(upload)
    small = thumbnail(image)
    photo = StationPhoto(station=station, caption=caption)
    photo.image.save(image.name, image, save=False)
    photo.thumbnail.save(small.name, small, save=False)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def station_photo_delete(*, photo, actor):
    """Delete a photo and its files."""
    files = [photo.image, photo.thumbnail]
    photo.delete()
    for file in files:
        if file:
            file.delete(save=False)


@transaction.atomic
def operators_link(*, actor, stations=None):
    """Link free-text operating organisations to the unit members of the same name.

    The station demo runs before the members demo; this links them once members exist.
    Returns the number of stations linked.
    """
    stations = (
        (stations if stations is not None else Station.objects.all())
        .filter(operator__isnull=True)
        .exclude(operator_name="")
    )
    members = unit_members_by_name({station.operator_name for station in stations})
    linked = 0
    for station in stations:
        member = members.get(station.operator_name)
        if member is not None:
            station.operator = member
            station.operator_name = ""
            station.save(update_fields=["operator", "operator_name", "updated_at"])
            linked += 1
    return linked
