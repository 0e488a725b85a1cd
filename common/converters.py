"""Path converters for the portal's URLs, registered when this module is imported.

`<code:number>` takes a number printed on a certificate (XCSW-2026-0001, JX-7KQ4-M9PX):
letters, digits and hyphens, at most 40 characters. Anything else (a NUL, a space, an
over-long string) matches no URL and answers 404 before a view can hand it to the database.
"""

from django.core.validators import RegexValidator
from django.urls import register_converter
from django.utils.translation import gettext_lazy as _

CODE_PATTERN = r"[\w-]{1,40}"
# For a form field whose value becomes a <code:…> segment.
CODE_VALIDATOR = RegexValidator(
    rf"^{CODE_PATTERN}\Z", _("Enter the number as printed: letters, digits and hyphens.")
)


class CodeConverter:
    regex = CODE_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CodeConverter, "code")
