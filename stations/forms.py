import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.spreadsheets import CellError
from common.uploads import check_size
from members.models import Member

from .imports.divisions import township_code
from .models import Division, Staff, Station


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DirectoryFilterForm(forms.Form):
    """Filters of the public station directory; every field is optional."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    county = forms.ChoiceField(label=_("County"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, counties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("All counties"))] + [
            (code, name) for code, name in counties
        ]
        self.fields["status"].choices = [("", _("Any status")), *Station.Status.choices]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": _("Station, township, organisation or address")}
        )


class CoverageFilterForm(forms.Form):
    """The dashboard's as-of date (the county is part of the page's address)."""

    as_of = forms.DateField(label=_("Date of the figures"), required=False, widget=DateInput())

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"]
        if as_of is None:
            return None
        if as_of > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        if as_of < datetime.date(2000, 1, 1):
            raise ValidationError(_("Choose a date from the year 2000 on."))
        return as_of


class StationForm(forms.ModelForm):
    """A station's own fields; a new station also names its township by code."""

    township_code = forms.CharField(
        label=_("Township code"),
        max_length=12,
        help_text=_("The township's 9-digit statistical code, for example 411002001."),
    )

    class Meta:
        model = Station
        fields = [
            "name",
            "status",
            "opened_on",
            "operator",
            "operator_name",
            "address",
            "site_area",
            "annual_funding",
            "demonstration_tier",
        ]
        widgets = {"opened_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["township_code"]
        else:
            self.order_fields(["township_code"])
        self.fields["operator"].queryset = Member.objects.filter(kind=Member.Kind.UNIT).order_by(
            "name"
        )
        self.fields["operator"].required = False

    def clean_township_code(self):
        try:
            code = township_code(self.cleaned_data["township_code"])
        except CellError as error:
            raise ValidationError(error.message) from None
        township = Division.objects.townships().filter(code=code).first()
        if township is None:
            raise ValidationError(
                _("There is no township with the code %(code)s.") % {"code": code}
            )
        if Station.objects.filter(township=township).exists():
            raise ValidationError(
                _("The township %(township)s already has a station.") % {"township": township}
            )
        self.instance.township = township
        return code


class StaffForm(forms.ModelForm):
    class Meta:
        model = Staff
        fields = ["name", "role", "qualification", "certificate_number", "since_on", "until_on"]
        widgets = {"since_on": DateInput(), "until_on": DateInput()}


StaffFormSet = inlineformset_factory(
    Station, Staff, form=StaffForm, extra=1, can_delete=True, max_num=200, validate_max=True
)


class PhotoForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"), help_text=_("JPEG, PNG or WebP; it is re-encoded without metadata.")
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=100)


class ImportForm(forms.Form):
    """Upload of a spreadsheet for an import; the import always starts with a preview."""

    ENCODINGS = [
        ("", _("Recognise automatically")),
        ("utf-8-sig", "UTF-8"),
        ("gb18030", "GBK / GB18030"),
    ]

    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    encoding = forms.ChoiceField(
        label=_("Encoding of a .csv file"), choices=ENCODINGS, required=False
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_size(upload)
        return upload
