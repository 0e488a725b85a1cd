"""Cell values as importers read them: text, numbers, dates, months, choices, yes/no.

Each parser takes the raw cell (text from a csv, or what openpyxl returns) and gives the
value, None for an empty cell, or raises CellError with a translated message for the
row/column report.
"""

import calendar
import datetime
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .formulas import restore


class CellError(ValueError):
    """A cell's value is not acceptable; the message is translated."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def loose_key(text):
    """The form of a header or a word that matching compares: whatever the case of ASCII
    letters and the width of the characters (WPS and some input methods type full-width
    brackets and letters)."""
    return unicodedata.normalize("NFKC", text).strip().lower()


def cell_text(value):
    """A cell as stripped text: numbers without '.0', dates as 2024-03-15, '' for empty.

    An apostrophe that neutralised a formula in a csv is removed again (formulas.restore).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    # str() would drop formulas.Quoted, the mark of a quote-prefixed xlsx cell.
    text = value if isinstance(value, str) else str(value)
    return restore(text).replace("\u3000", " ").strip()


def _number_text(value):
    # Full-width digits, thousands separators and a currency sign are common in hand-typed
    # figures; anything else is an error.
    text = unicodedata.normalize("NFKC", cell_text(value))
    return text.replace(",", "").replace("¥", "").replace("￥", "").replace(" ", "")


def _empty(value, required):
    if cell_text(value) == "":
        if required:
            raise CellError(_("This cell must not be empty."))
        return True
    return False


def parse_int(value, *, minimum=0, required=False):
    """A whole number (None when empty), at least `minimum` (None: no lower bound)."""
    if _empty(value, required):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    else:
        try:
            number = Decimal(_number_text(value))
        except InvalidOperation:
            raise CellError(
                _("“%(value)s” is not a whole number.") % {"value": cell_text(value)}
            ) from None
    if number != int(number):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": cell_text(value)})
    number = int(number)
    _check_minimum(number, minimum)
    return number


def parse_decimal(value, *, minimum=0, places=2, required=False):
    """A decimal number rounded to `places` (None when empty), at least `minimum`."""
    if _empty(value, required):
        return None
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            number = Decimal(value)
        else:
            number = Decimal(_number_text(value))
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell_text(value)}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell_text(value)})
    _check_minimum(number, minimum)
    return number.quantize(Decimal(1).scaleb(-places))


def _check_minimum(number, minimum):
    if minimum is None or number >= minimum:
        return
    if minimum == 0:
        raise CellError(_("The number must not be negative."))
    raise CellError(_("The number must be at least %(minimum)s.") % {"minimum": minimum})


DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
MONTH_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _excel_serial(value):
    # A date typed into a cell formatted as a number arrives as Excel's day count.
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    return None


def impossible_date_message(year, month, day, *, text=None):
    """Why year-month-day is no date ("2026-02-30 不存在：2 月没有 30 日"), or None;
    `text` is the date as the message shows it (default 2026-02-30)."""
    text = text or f"{year:04d}-{month:02d}-{day:02d}"
    if not 1 <= month <= 12:
        return _("%(date)s does not exist: a year has 12 months.") % {"date": text}
    if not 1 <= year <= 9999:
        return _("%(date)s does not exist: the year is out of range.") % {"date": text}
    if day < 1 or day > calendar.monthrange(year, month)[1]:
        return _("%(date)s does not exist: month %(month)s has no day %(day)s.") % {
            "date": text,
            "month": month,
            "day": day,
        }
    return None


def parse_date(value, *, required=False):
    """A date from a date cell, an Excel serial number or text such as 2024-03-15."""
    if _empty(value, required):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    serial = _excel_serial(value)
    if serial is not None:
        return serial
    text = unicodedata.normalize("NFKC", cell_text(value)).split(" ")[0]
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = [int(part) for part in match.groups()]
            reason = impossible_date_message(*parts)
            if reason:
                raise CellError(reason)
            return datetime.date(*parts)
    raise CellError(
        _("“%(value)s” is not a date; write it as 2024-03-15.") % {"value": cell_text(value)}
    )


def parse_month(value, *, required=False):
    """The first day of a month, from a date cell or text such as 2024-03 or 2024年3月."""
    if _empty(value, required):
        return None
    if isinstance(value, datetime.date):
        return (value.date() if isinstance(value, datetime.datetime) else value).replace(day=1)
    text = unicodedata.normalize("NFKC", cell_text(value))
    for pattern in MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = (int(part) for part in match.groups())
            reason = impossible_date_message(year, month, 1, text=f"{year:04d}-{month:02d}")
            if reason:
                raise CellError(reason)
            return datetime.date(year, month, 1)
    else:
        try:
            return parse_date(value).replace(day=1)
        except CellError:
            pass
    raise CellError(
        _("“%(value)s” is not a month; write it as 2024-03.") % {"value": cell_text(value)}
    )


def parse_choice(value, choices, *, required=False):
    """The value for a label of `choices` ({label or value: value}), compared loosely.

    An error lists one label per value, the first `choices` gives for it: the word the
    file is written in, not the internal value or the synonyms also accepted.
    """
    if _empty(value, required):
        return None
    text = cell_text(value)
    lookup = {loose_key(str(label)): result for label, result in choices.items()}
    try:
        return lookup[loose_key(text)]
    except KeyError:
        first_labels = {}
        for label, result in choices.items():
            first_labels.setdefault(result, str(label))
        labels = "、".join(first_labels.values())
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.") % {"value": text, "choices": labels}
        ) from None


BOOLEAN_WORDS = {
    "是": True,
    "否": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "√": True,
    "×": False,
}


def parse_bool(value, *, required=False):
    """Yes or no from 是/否, yes/no, true/false, 1/0."""
    if _empty(value, required):
        return None
    key = loose_key(cell_text(value))
    if key not in BOOLEAN_WORDS:
        raise CellError(
            _("“%(value)s” is neither yes nor no; write 是 or 否.") % {"value": cell_text(value)}
        )
    return BOOLEAN_WORDS[key]
