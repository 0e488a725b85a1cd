"""The one rule that keeps exported text from running as a spreadsheet formula.

A text cell starting with = + - @ (or a tab or carriage return, which some spreadsheets
skip before one of those) would be run as a formula by Excel or WPS. On export such text
gets a leading apostrophe, so the spreadsheet shows it as text; on import the apostrophe is
taken off again.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text value that no spreadsheet will run as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
