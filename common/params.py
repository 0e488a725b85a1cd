"""Reading query parameters, so that no value typed into an address bar causes a 500.

A view reads each query parameter through one of these helpers instead of `request.GET`:
they refuse a NUL (PostgreSQL cannot store one, so a query with it fails), control
characters, over-long text and numbers that are no plain ASCII integer (`"²".isdigit()` is
true, `int("²")` fails) with `BadParameter`. Django answers that with a 400 page that
states its message (see `association.views.pages.bad_request`). A missing or empty
parameter gives the default. Forms bound to `request.GET` need none of this: their fields
validate what they read.
"""

import re

from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.utils.translation import gettext as _

# Text longer than this in one parameter is no search anybody typed.
MAX_TEXT_LENGTH = 200
# The largest value of a PostgreSQL bigint, the type of every primary key.
MAX_INTEGER = 2**63 - 1
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


class BadParameter(BadRequest):
    """A query parameter the page cannot use: answered 400 with this message."""


def query_text(request, name, *, default="", max_length=MAX_TEXT_LENGTH):
    """The parameter's text, stripped of surrounding spaces; `default` when absent or blank."""
    value = request.GET.get(name)
    if value is None:
        return default
    if CONTROL_CHARACTERS.search(value):
        raise BadParameter(
            _("The address holds a control character in “%(name)s”.") % {"name": name}
        )
    if len(value) > max_length:
        raise BadParameter(
            _("“%(name)s” in the address is longer than %(limit)d characters.")
            % {"name": name, "limit": max_length}
        )
    return value.strip() or default


def query_int(request, name, *, default=None, minimum=0, maximum=MAX_INTEGER):
    """The parameter as an integer of ASCII digits within bounds; `default` when absent."""
    value = query_text(request, name, default="", max_length=len(str(maximum)) + 1)
    if value == "":
        return default
    if not (value.isascii() and value.isdigit()) or not minimum <= int(value) <= maximum:
        raise BadParameter(_("“%(name)s” in the address is not a valid number.") % {"name": name})
    return int(value)


def query_choice(request, name, choices, *, default):
    """The parameter when it is one of `choices` (values, or (value, label) pairs)."""
    allowed = {choice[0] if isinstance(choice, (tuple, list)) else choice for choice in choices}
    value = query_text(request, name, default=default)
    if value not in allowed:
        raise BadParameter(_("“%(name)s” in the address is not a valid choice.") % {"name": name})
    return value


def query_page(request, objects, per_page, *, name="page", count=None):
    """The page of `objects` the parameter asks for: the first for anything but a number,
    the last for a number past the end (as Paginator.get_page does). `count`, when the
    caller knows how many objects there are (a figure stored with them), saves counting."""
    number = request.GET.get(name, "")
    if len(number) > 20 or not (number.isascii() and number.isdigit()):
        number = 1
    paginator = Paginator(objects, per_page)
    if count is not None:
        paginator.count = count
    return paginator.get_page(number)
