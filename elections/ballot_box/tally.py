"""Vote arithmetic: thresholds and bases, in exact integers.

"More than 1/2" and "at least 2/3" are compared as 2 × count > base and 3 × count ≥ 2 × base,
never with floats: 41 of 61 must pass "at least 2/3" and 40 must fail, however a float rounds
40.666…. Decimals appear only in the human-readable arithmetic on result pages.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _


class Threshold(models.TextChoices):
    MORE_THAN_HALF = "more_than_half", _("more than 1/2")
    AT_LEAST_TWO_THIRDS = "at_least_two_thirds", _("at least 2/3")


class Base(models.TextChoices):
    PRESENT = "present", _("of those present")
    CAST = "cast", _("of the ballots cast")
    ENTITLED = "entitled", _("of those entitled")


# threshold: (numerator, denominator, strict). strict=True means "more than", else "at least".
_RULES = {
    Threshold.MORE_THAN_HALF: (1, 2, True),
    Threshold.AT_LEAST_TWO_THIRDS: (2, 3, False),
}


def _rule(threshold):
    try:
        return _RULES[Threshold(threshold)]
    except ValueError:
        raise ValueError(f"unknown threshold {threshold!r}") from None


def passes(threshold, count, base):
    """Whether `count` reaches `threshold` of `base`. Nothing passes on an empty base."""
    numerator, denominator, strict = _rule(threshold)
    if base <= 0:
        return False
    if strict:
        return denominator * count > numerator * base
    return denominator * count >= numerator * base


def required(threshold, base):
    """The smallest count that passes `threshold` of `base` (1 when the base is empty)."""
    numerator, denominator, strict = _rule(threshold)
    if base <= 0:
        return 1
    if strict:
        return numerator * base // denominator + 1
    return max(1, -(-numerator * base // denominator))


def _decimal(value):
    """A Fraction as text: whole numbers plain, others rounded half up to two decimals."""
    if value.denominator == 1:
        return str(value.numerator)
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return str(exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Comparison:
    """One threshold test with its arithmetic, e.g. "41 ≥ 2/3 × 61 = 40.67 → passed"."""

    threshold: str
    count: int
    base: int

    @property
    def passed(self):
        return passes(self.threshold, self.count, self.base)

    @property
    def required(self):
        return required(self.threshold, self.base)

    @property
    def fraction(self):
        numerator, denominator, _strict = _rule(self.threshold)
        return f"{numerator}/{denominator}"

    @property
    def limit(self):
        """The threshold's value as text, e.g. "40.67" for 2/3 × 61."""
        numerator, denominator, _strict = _rule(self.threshold)
        return _decimal(Fraction(numerator * self.base, denominator))

    @property
    def operator(self):
        _numerator, _denominator, strict = _rule(self.threshold)
        if strict:
            return ">" if self.passed else "≤"
        return "≥" if self.passed else "<"

    def arithmetic(self, passed_word=None, failed_word=None):
        outcome = (
            (passed_word or gettext("passed"))
            if self.passed
            else (failed_word or pgettext("outcome of a vote", "failed"))
        )
        if self.base <= 0:
            return gettext("%(count)s of an empty base → %(outcome)s") % {
                "count": self.count,
                "outcome": outcome,
            }
        return (
            f"{self.count} {self.operator} {self.fraction} × {self.base} = {self.limit} → {outcome}"
        )

    def __str__(self):
        return self.arithmetic()
