"""The roster as a spreadsheet: what the back office exports can be edited and imported back.

Columns carry translated headers; choices are written as their labels (会员, 理事单位…) and
read back from labels in Chinese or English or from the stored codes; counties by name or
code. Every row is validated like a form (full_clean), errors are reported per row and
column, and the import is all or nothing (IMPORT_EXPORT_USE_TRANSACTIONS, and
common.spreadsheets.import_export.AllOrNothingImport at the confirmation).

The rows are validated one by one against the database, each with every check of the model
(its unique and check constraints included), and written in batches once validated
(`use_bulk`), with their history rows: for 5,000 rows that is 1.7-2.0x a full_clean of each
plus one bulk_create, where saving row by row was 2.7-2.8x (bench/member_import.py). What
saving row by row gave for free, rows above being in the database already when a row is
checked, `before_import_row` gives instead: a member number or a credit code repeated in the
file is refused. The price: a row that fails with a database error rather than a validation
error (none is known; the reader refuses NUL and other bytes the database would) aborts the
transaction, so the rows after it are listed as failed too; nothing is imported either way.
"""

import datetime
import re

from django.conf import settings
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
    """A county-level division by name (魏都区), statistical code (411002) or both
    (鼓楼区（350102）). 28 county names are shared nationally (鼓楼区 four times): such a
    name alone is refused on import, as taking one of them would move members to another
    province, and the export writes it with its code so that its file imports back. The
    counties are read once per resource (`forget` starts again), not once per row."""

    WITH_CODE = re.compile(r"^(?P<name>.+?)\s*[（(]\s*(?P<code>\d{6})\s*[)）]$")
    by_code = None

    def forget(self):
        self.by_code = None

    def _counties(self):
        if self.by_code is None:
            counties = list(Division.objects.filter(level=Division.Level.COUNTY))
            self.by_code = {county.code: county for county in counties}
            self.by_name = {}
            for county in counties:
                self.by_name.setdefault(county.name, []).append(county)
        return self.by_code, self.by_name

    def clean(self, value, row=None, **kwargs):
        text = "" if value is None else str(value).strip()
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not text:
            return None
        by_code, by_name = self._counties()
        if text in by_code:
            return by_code[text]
        named = self.WITH_CODE.match(text)
        if named:
            county = by_code.get(named["code"])
            if county is None or county.name != named["name"]:
                raise ValueError(
                    _("Unknown county “%(value)s”: its name and code do not match.")
                    % {"value": text}
                )
            return county
        counties = by_name.get(text, [])
        if len(counties) > 1:
            raise ValueError(
                _(
                    "Several counties are named “%(name)s” (%(codes)s): write its code with "
                    "it, as %(example)s."
                )
                % {
                    "name": text,
                    "codes": "、".join(county.code for county in counties),
                    "example": f"{text}（{counties[0].code}）",
                }
            )
        if not counties:
            raise ValueError(_("Unknown county “%(value)s”.") % {"value": text})
        return counties[0]

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        if len(self._counties()[1].get(value.name, ())) > 1:
            return f"{value.name}（{value.code}）"
        return value.name


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
        # Every row is still validated on its own (full_clean, its unique and check
        # constraints against the database) before anything is written; only the writes
        # go in batches. What rows above would have made the database refuse, had they
        # been saved one by one, before_import_row refuses instead (numbers, credit codes).
        use_bulk = True
        batch_size = 1000

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Headers in the language of this request; before_import accepts the other one too.
        for field in self.fields.values():
            field.column_name = str(field.column_name)

    def before_import(self, dataset, **kwargs):
        """Rename headers written in another language (or as attribute names) to ours."""
        self.row_of_number = {}
        self.row_of_credit_code = {}
        self.history = {"user": kwargs.get("user"), "file_name": kwargs.get("file_name")}
        self.fields["county"].widget.forget()
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
        limit = settings.MEMBER_IMPORT_MAX_ROWS
        if len(dataset) > limit:
            # Refused before any row is read: a longer import would outlast the request.
            raise ValueError(
                _(
                    "The file has %(rows)s rows; the back office imports at most %(limit)s "
                    "members at a time. Split it into files of at most %(limit)s rows: each "
                    "is imported all or nothing."
                )
                % {"rows": len(dataset), "limit": limit}
            )
        known = {field.column_name for field in self.fields.values()}
        unknown = [str(h) for h in dataset.headers if h not in known and str(h or "").strip()]
        if unknown:
            # Silently ignoring a mistyped header would drop that column's data.
            raise ValueError(
                _("Unknown columns: %(columns)s. Use the column names of an exported file.")
                % {"columns": "、".join(unknown)}
            )

    def before_import_row(self, row, row_number=None, **kwargs):
        """A member number or a unit's credit code that a row above already has is refused.
        The rows are written in batches, after all are validated, so the database cannot
        see the rows above yet; and a number repeated would be taken for an update of the
        member the first row creates, keeping only what the last row says."""
        self._refuse_repeated(
            row,
            row_number,
            "number",
            self.row_of_number,
            _("Row %(row)s already has the member number %(number)s: each member is one row."),
        )
        self._refuse_repeated(
            row,
            row_number,
            "credit_code",
            self.row_of_credit_code,
            _(
                "Row %(row)s already has the unified social credit code %(number)s: a unit "
                "is one member."
            ),
        )

    def import_instance(self, instance, row, **kwargs):
        """A member's kind is refused where the back office would refuse it
        (Member.kind_is_fixed), with the row's other errors."""
        kind = instance.kind if instance.pk else None
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.message_dict
        if kind is not None and instance.kind != kind and instance.kind_is_fixed():
            errors.setdefault("kind", []).append(
                _(
                    "%(member)s is a %(kind)s with a voting account or representative: its "
                    "kind cannot change. Leave the column as it is."
                )
                % {"member": instance.name, "kind": Member.Kind(kind).label}
            )
        if errors:
            raise ValidationError(errors)

    def _refuse_repeated(self, row, row_number, name, rows_of, message):
        try:
            value = self.fields[name].clean(row)
        except (KeyError, ValueError):
            return  # absent or unreadable: the row's validation says so
        if not value:
            return
        first = rows_of.setdefault(value, row_number)
        if first != row_number:
            raise ValidationError({name: message % {"row": first, "number": value}})

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        created = list(self.create_instances)
        super().bulk_create(using_transactions, dry_run, raise_errors, batch_size, result)
        self._write_history(created)

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        updated = list(self.update_instances)
        super().bulk_update(using_transactions, dry_run, raise_errors, batch_size, result)
        self._write_history(updated)

    def _write_history(self, members):
        """One history row per member written, once the batch has its ids (a batch the
        database refused has none, and the import is rolled back)."""
        if not members or any(member.pk is None for member in members):
            return
        user = self.history["user"]
        details = _("Imported from %(file)s") % {"file": self.history["file_name"] or "—"}
        MemberChange.objects.bulk_create(
            MemberChange(
                member=member,
                action=MemberChange.Action.IMPORTED,
                changed_by=user if getattr(user, "pk", None) else None,
                details=details,
            )
            for member in members
        )

    def get_queryset(self):
        return Member.objects.select_related("county")
