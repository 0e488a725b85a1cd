"""One image upload needs less than 200 MB of memory, however its pixels are packed.

Pillow decodes into memory it allocates itself, which tracemalloc does not see, so each
image is cleaned in a fresh Python process and the growth of its peak resident memory is
what is measured: VmHWM in /proc/self/status (getrusage's ru_maxrss would count what the
parent process held before the child started).
"""

import io
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from PIL import Image

LIMIT_MB = 200

MEASURE = """
import json, sys
import django
django.setup()
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from common.uploads import clean_image

def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))

data = open(sys.argv[1], "rb").read()
upload = SimpleUploadedFile(sys.argv[2], data)
before = peak_kb()
try:
    cleaned = clean_image(upload)
    outcome = "accepted"
except ValidationError as error:
    outcome = error.code
after = peak_kb()
print(json.dumps({"outcome": outcome, "peak_mb": (after - before) / 1024}))
"""


def measure(tmp_path, image, fmt, **options):
    """(outcome, MB of peak memory beyond the process's before) of cleaning `image`."""
    path = tmp_path / f"upload.{fmt.lower()}"
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    path.write_bytes(buffer.getvalue())
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), path.name],
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "association.settings"},
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    return found["outcome"], found["peak_mb"], len(buffer.getvalue())


def test_a_small_png_of_many_pixels_is_refused_before_it_is_decoded(tmp_path):
    # The case: 154 KB of PNG, 6300 × 6300 RGBA, 420–470 MB once decoded.
    outcome, peak, size = measure(tmp_path, Image.new("RGBA", (6300, 6300), (9, 9, 9, 9)), "PNG")

    assert size < 300_000
    assert outcome == "too_many_pixels"
    assert peak < 20


def test_the_largest_png_accepted_stays_under_the_memory_limit(tmp_path):
    side = int(settings.IMAGE_MAX_DECODED_PIXELS**0.5)
    outcome, peak, _size = measure(
        tmp_path, Image.new("RGBA", (side, side), (9, 90, 9, 200)), "PNG"
    )

    assert outcome == "accepted"
    assert peak < LIMIT_MB


@pytest.mark.parametrize("size", [(7000, 5000), (6000, 6000)])
def test_a_large_phone_photo_is_decoded_at_a_reduced_scale(tmp_path, size):
    outcome, peak, _size = measure(tmp_path, Image.new("RGB", size, (200, 120, 40)), "JPEG")

    assert outcome == "accepted"
    assert peak < LIMIT_MB
