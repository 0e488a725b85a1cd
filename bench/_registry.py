"""A station registry as large as the divisions in the database, for the coverage benchmarks.

Imported after `_django.start()` (it imports the models), as the scripts' other imports are.
"""

import datetime

from stations.models import Division, ServiceRecord, Staff, Station

OPENED = datetime.date(2022, 1, 1)
MONTH = datetime.date(2026, 1, 1)


def fill_registry(*, batch_size=2000):
    """An operating station for every township without one, a certified social worker for
    every station without staff, and a month of service records for each of those; returns
    how many stations got their worker and records (every station, on an empty registry)."""
    townships = Division.objects.townships().filter(station__isnull=True)
    Station.objects.bulk_create(
        (
            Station(
                township_id=pk,
                name=f"社工站{pk}",
                status="operating",
                opened_on=OPENED,
                operator_name="某社会工作服务中心",
                address=f"建设路{pk}号",
            )
            for pk in townships.values_list("id", flat=True).iterator(batch_size)
        ),
        batch_size=batch_size,
    )
    new = list(Station.objects.filter(staff__isnull=True).values_list("id", flat=True))
    Staff.objects.bulk_create(
        (
            Staff(
                station_id=pk,
                name="社工",
                qualification="assistant",
                certificate_number=f"ZS{pk}",
                since_on=OPENED,
            )
            for pk in new
        ),
        batch_size=batch_size,
    )
    ServiceRecord.objects.bulk_create(
        (ServiceRecord(station_id=pk, month=MONTH, people_served=100) for pk in new),
        batch_size=batch_size,
    )
    return len(new)
