"""The one rule that keeps exported text from running as a spreadsheet formula.

A text cell starting with = + - @ (or a tab or carriage return, which some spreadsheets
skip before one of those) would be run as a formula by Excel or WPS. On export such text
gets one leading apostrophe, so the spreadsheet shows it as text; on import `restore` takes
exactly one off again.

Text that already starts with apostrophes in front of a formula sign ('=1+2) gets one more
as well (''=1+2): otherwise the import could not tell it from a neutralised =1+2. So every
value reads back exactly as it was exported, and nothing exported starts a formula.
"""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _formula_like(text):
    """Text a spreadsheet would run, possibly behind apostrophes."""
    return text.lstrip("'").startswith(FORMULA_PREFIXES)


def neutralise(value):
    """A text value that no spreadsheet will run as a formula; other values unchanged."""
    if isinstance(value, str) and _formula_like(value):
        return "'" + value
    return value


def restore(value):
    """The value `neutralise` was given: one apostrophe in front of formula-like text off."""
    if isinstance(value, str) and value.startswith("'") and _formula_like(value):
        return value[1:]
    return value
