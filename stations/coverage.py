"""Coverage (覆盖率): townships in scope with an operating station ÷ townships in scope."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import Division, Station


@dataclass(frozen=True)
class Coverage:
    townships: int
    covered: int

    @property
    def percent(self):
        """Coverage as a percentage rounded to one decimal, or None with no township."""
        if not self.townships:
            return None
        ratio = Decimal(self.covered * 100) / Decimal(self.townships)
        return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def coverage_for(division):
    """Coverage of the townships under `division` today."""
    townships = Division.objects.townships_in_scope(division)
    covered = townships.filter(station__status=Station.Status.OPERATING)
    return Coverage(townships=townships.count(), covered=covered.count())
