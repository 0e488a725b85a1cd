"""The one rule that keeps exported text from running as a spreadsheet formula.

Text is *formula-like* when its first character after any leading whitespace (spaces, tab,
CR, LF, the full-width space) is a formula sign: = + - @ or their full-width forms ＝＋－＠,
which WPS and Excel with a Chinese input method take for the same. (`==1+1` starts with =
like any other formula.)

- In xlsx such text is written as a text cell with the quote-prefix format: Excel and WPS
  show it as typed, without an apostrophe, and keep it text when it is edited. The value in
  the file is exactly the text. (`quote_prefixed` says which cells need the format.)
- In csv, which has no formats, such text gets one leading apostrophe, the only defence
  there; `restore` takes exactly one off again on import. Text that already starts with
  apostrophes in front of formula-like text ('=1+2) gets one more as well (''=1+2):
  otherwise the import could not tell it from a neutralised =1+2.

The rule is applied once, by the writer of the file (never by a resource or a view before
it), so every value reads back exactly as it was exported, and nothing exported starts a
formula.

On import, a quote-prefixed xlsx cell is read as it stands: readers wrap its text in
`Quoted`, which `restore` leaves alone. Other text cells of an xlsx, and csv cells, lose the
one apostrophe `neutralise` would have added (so workbooks exported by earlier versions of
the portal, which wrote the apostrophe into xlsx cells too, still read back).
"""

# The signs a spreadsheet starts a formula with, half-width and full-width.
FORMULA_SIGNS = "=+-@＝＋－＠"
# What neutralised csv text and the text of an xlsx cell never start with, unquoted.
FORMULA_PREFIXES = (*FORMULA_SIGNS, "\t", "\r", "\n", " ", "\u3000")


def formula_like(text):
    """Whether a spreadsheet could run `text` as a formula."""
    stripped = text.lstrip()
    return bool(stripped) and stripped[0] in FORMULA_SIGNS


def _marked(text):
    """Formula-like text, possibly behind apostrophes: what gets an apostrophe in csv and
    the quote-prefix format in xlsx."""
    first = text[:1]
    if not first or not (first in FORMULA_SIGNS or first == "'" or first.isspace()):
        return False  # the common case, decided on the first character
    stripped = text.lstrip("'").lstrip()
    return bool(stripped) and stripped[0] in FORMULA_SIGNS


def quote_prefixed(value):
    """Whether an xlsx text cell holding `value` needs the quote-prefix format."""
    return isinstance(value, str) and _marked(value)


def neutralise(value):
    """For csv: a text value that no spreadsheet will run as a formula (one apostrophe in
    front of formula-like text); other values unchanged."""
    if isinstance(value, str) and _marked(value):
        return "'" + value
    return value


class Quoted(str):
    """The text of an xlsx cell with the quote-prefix format: to be read exactly as it is."""


def restore(value):
    """The value `neutralise` was given: one apostrophe in front of formula-like text off.
    The text of a quote-prefixed xlsx cell (`Quoted`) stays as it is."""
    if isinstance(value, Quoted):
        return str(value)
    if isinstance(value, str) and value.startswith("'") and _marked(value):
        return value[1:]
    return value


def quote_prefixed_styles(workbook):
    """The style ids of an openpyxl workbook (read-only too) that carry the quote prefix:
    none in most files, so a reader can skip looking at cell styles at all."""
    return {index for index, style in enumerate(workbook._cell_styles) if style.quotePrefix}


def cell_value(cell):
    """The value of an openpyxl cell (read-only or not), quote-prefixed text as `Quoted`."""
    value = cell.value
    if isinstance(value, str) and cell.has_style:
        # A read-only cell has its style array looked up; a normal cell holds it.
        style = cell.style_array if hasattr(cell, "style_array") else cell._style
        if style.quotePrefix:
            return Quoted(value)
    return value
