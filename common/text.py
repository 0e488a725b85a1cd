"""Text that must stay on one line: names and titles.

A name with a line break in it breaks whatever puts it on one line: an e-mail subject
(Django refuses to send it), a spreadsheet cell, a table row. Model fields declared as
SingleLineCharField refuse line breaks and other control characters, in every form, the
admin and the services' full_clean().
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Control characters (line feed, carriage return, tab, NUL...) and the Unicode line and
# paragraph separators.
NOT_ON_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def validate_single_line(value):
    if isinstance(value, str) and NOT_ON_ONE_LINE.search(value):
        raise ValidationError(
            _("Enter this on one line, without line breaks or tabs."), code="not_single_line"
        )


class SingleLineCharField(models.CharField):
    """A CharField whose value is one line of text."""

    default_validators = [validate_single_line]

    def deconstruct(self):
        # To the database and to migrations this is a plain CharField: the rule is a
        # validator, which migrations do not record.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.CharField", args, kwargs
