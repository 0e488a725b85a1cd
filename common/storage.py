"""Where private files live: outside any public URL.

Supporting documents, member photos and logos, candidates' photos before the ballot is
public: they are kept under MEDIA_ROOT/private and only ever served by views that check who
is asking (through common.files.serve_file). The web server must not serve that folder.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property


@deconstructible(path="common.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    """File storage with no URL; follows MEDIA_ROOT when tests change it."""

    @cached_property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "private")

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")


private_storage = PrivateStorage()


def get_private_storage():
    """Callable for FileField(storage=...), so migrations do not record a location."""
    return private_storage
