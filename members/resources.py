"""The roster as a spreadsheet: what the back office exports can be edited and imported back.

Columns carry translated headers; choices are written as their labels (会员, 理事单位…) and
read back from labels in Chinese or English or from the stored codes; counties by name or
code. Every row is validated like a form (full_clean), errors are reported per row and
column, and the import is all or nothing (IMPORT_EXPORT_USE_TRANSACTIONS).
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from import_export import fields, resources, widgets

from common.spreadsheets import impossible_date_message
from stations.models import Division

from .models import Gender, Member, MemberChange, OrganisationType, Qualification
from .validators import normalise_credit_code


class TextWidget(widgets.CharWidget):
    """Text cells; numbers typed into Excel (phones, codes) come back as their digits."""

    def __init__(self, *, required_message=None, null_when_blank=False):
        super().__init__(allow_blank=True)
        self.required_message = required_message
        self.null_when_blank = null_when_blank

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = "" if value is None else str(value).strip()
        if not text and self.required_message:
            raise ValueError(str(self.required_message))
        if not text and self.null_when_blank:
            return None
        return text


class CreditCodeWidget(TextWidget):
    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        return normalise_credit_code(text) or None


class ChoiceWidget(widgets.Widget):
    """A choice written as its label; read back from a label in any language or a code."""

    def __init__(self, choices, *, what, blank_allowed=False):
        super().__init__()
        self.choices = choices
        self.what = what
        self.blank_allowed = blank_allowed

    def _lookup(self):
        table = {}
        for value, label in self.choices:
            table[value.lower()] = value
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    table[str(label).strip().lower()] = value
        return table

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if not text:
            if self.blank_allowed:
                return ""
            raise ValueError(_("The %(what)s is missing.") % {"what": self.what})
        found = self._lookup().get(text.lower())
        if found is None:
            raise ValueError(
                _("Unknown %(what)s “%(value)s”. Use one of: %(choices)s.")
                % {
                    "what": self.what,
                    "value": text,
                    "choices": "、".join(str(label) for _value, label in self.choices),
                }
            )
        return found

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices).get(value, value or ""))


class CountyWidget(widgets.Widget):
    """A county-level division by name (魏都区) or statistical code (411002)."""

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not text:
            return None
        counties = Division.objects.filter(level=Division.Level.COUNTY)
        county = counties.filter(code=text).first() or counties.filter(name=text).first()
        if county is None:
            raise ValueError(_("Unknown county “%(value)s”.") % {"value": text})
        return county

    def render(self, value, obj=None, **kwargs):
        return value.name if value else ""


class DateWidget(widgets.Widget):
    """Dates as 2026-01-05, 2026/1/5 or 2026年1月5日, or real date cells from Excel."""

    PATTERN = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

    def __init__(self, *, required_message=None):
        super().__init__()
        self.required_message = required_message

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = "" if value is None else str(value).strip()
        if not text:
            if self.required_message:
                raise ValueError(str(self.required_message))
            return None
        match = self.PATTERN.match(text)
        if match:
            parts = [int(part) for part in match.groups()]
            reason = impossible_date_message(*parts)
            if reason:
                raise ValueError(reason)
            return datetime.date(*parts)
        raise ValueError(
            _("“%(value)s” is not a date. Write it like 2026-01-05.") % {"value": text}
        )

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


def _field(attribute, label, widget=None):
    return fields.Field(
        attribute=attribute,
        column_name=label,
        widget=widget or TextWidget(),
    )


class MemberResource(resources.ModelResource):
    # Headers carry a context so that another app's catalogue cannot rename a column.
    number = _field(
        "number",
        pgettext_lazy("member column", "Member number"),
        TextWidget(required_message=gettext_lazy("The member number is missing.")),
    )
    name = _field(
        "name",
        pgettext_lazy("member column", "Name"),
        TextWidget(required_message=gettext_lazy("The name is missing.")),
    )
    kind = _field(
        "kind",
        pgettext_lazy("member column", "Kind"),
        ChoiceWidget(Member.Kind.choices, what=pgettext_lazy("member", "kind")),
    )
    tier = _field(
        "tier",
        pgettext_lazy("member column", "Tier"),
        ChoiceWidget(Member.Tier.choices, what=gettext_lazy("tier")),
    )
    status = _field(
        "status",
        pgettext_lazy("member column", "Status"),
        ChoiceWidget(Member.Status.choices, what=gettext_lazy("status")),
    )
    member_since = _field(
        "member_since",
        pgettext_lazy("member column", "Member since"),
        DateWidget(required_message=gettext_lazy("The date of admission is missing.")),
    )
    member_until = _field(
        "member_until", pgettext_lazy("member column", "Member until"), DateWidget()
    )
    county = _field("county", pgettext_lazy("member column", "County"), CountyWidget())
    credit_code = _field(
        "credit_code",
        pgettext_lazy("member column", "Unified social credit code"),
        CreditCodeWidget(),
    )
    organisation_type = _field(
        "organisation_type",
        pgettext_lazy("member column", "Organisation type"),
        ChoiceWidget(
            OrganisationType.choices, what=gettext_lazy("organisation type"), blank_allowed=True
        ),
    )
    legal_representative = _field(
        "legal_representative", pgettext_lazy("member column", "Legal representative")
    )
    address = _field("address", pgettext_lazy("member column", "Address"))
    contact_name = _field("contact_name", pgettext_lazy("member column", "Contact person"))
    contact_phone = _field("contact_phone", pgettext_lazy("member column", "Contact phone"))
    contact_email = _field("contact_email", pgettext_lazy("member column", "Contact e-mail"))
    gender = _field(
        "gender",
        pgettext_lazy("member column", "Gender"),
        ChoiceWidget(Gender.choices, what=gettext_lazy("gender"), blank_allowed=True),
    )
    employer = _field("employer", pgettext_lazy("member column", "Employer"))
    qualification = _field(
        "qualification",
        pgettext_lazy("member column", "Social-work qualification"),
        ChoiceWidget(Qualification.choices, what=gettext_lazy("qualification")),
    )
    certificate_number = _field(
        "certificate_number", pgettext_lazy("member column", "Qualification certificate number")
    )
    phone = _field("phone", pgettext_lazy("member column", "Phone"))
    email = _field("email", pgettext_lazy("member column", "E-mail"))

    class Meta:
        model = Member
        import_id_fields = ["number"]
        fields = [
            "number",
            "name",
            "kind",
            "tier",
            "status",
            "member_since",
            "member_until",
            "county",
            *Member.UNIT_FIELDS,
            *Member.INDIVIDUAL_FIELDS,
        ]
        export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Headers in the language of this request; before_import accepts the other one too.
        for field in self.fields.values():
            field.column_name = str(field.column_name)

    def before_import(self, dataset, **kwargs):
        """Rename headers written in another language (or as attribute names) to ours."""
        self.row_of_number = {}
        aliases = {}
        for name, field in self.fields.items():
            aliases[name.lower()] = field.column_name
            label = type(self).fields[name].column_name
            for language in ("zh-hans", "en"):
                with translation.override(language):
                    aliases[str(label).strip().lower()] = field.column_name
        if not dataset.headers:
            return
        dataset.headers = [
            aliases.get(str(header or "").strip().lower(), header) for header in dataset.headers
        ]
        known = {field.column_name for field in self.fields.values()}
        unknown = [str(h) for h in dataset.headers if h not in known and str(h or "").strip()]
        if unknown:
            # Silently ignoring a mistyped header would drop that column's data.
            raise ValueError(
                _("Unknown columns: %(columns)s. Use the column names of an exported file.")
                % {"columns": "、".join(unknown)}
            )

    def before_import_row(self, row, row_number=None, **kwargs):
        """A member number a row above already has is refused: the library would take the
        second row for an update of the member the first one just created, and keep only
        what the last row says."""
        try:
            number = self.fields["number"].clean(row)
        except (KeyError, ValueError):
            return  # no number: the row's validation says so
        first = self.row_of_number.setdefault(number, row_number)
        if first != row_number:
            raise ValidationError(
                {
                    "number": _(
                        "Row %(row)s already has the member number %(number)s: each member "
                        "is one row."
                    )
                    % {"row": first, "number": number}
                }
            )

    def get_queryset(self):
        return Member.objects.select_related("county")

    def after_save_instance(self, instance, row, **kwargs):
        MemberChange.objects.create(
            member=instance,
            action=MemberChange.Action.IMPORTED,
            changed_by=kwargs.get("user") if getattr(kwargs.get("user"), "pk", None) else None,
            details=_("Imported from %(file)s") % {"file": kwargs.get("file_name") or "—"},
        )
