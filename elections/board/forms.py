"""Forms of board elections: creating an election, nominating, and the ballot itself."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from association.models import Meeting
from members.models import Member

from .models import Election, Office, Term
from .tally import YES

OFFICE_FIELDS = [
    ("council_seats", Office.COUNCIL_MEMBER, Meeting.Body.GENERAL_ASSEMBLY),
    ("president_seats", Office.PRESIDENT, Meeting.Body.COUNCIL),
    ("vice_president_seats", Office.VICE_PRESIDENT, Meeting.Body.COUNCIL),
    ("secretary_general_seats", Office.SECRETARY_GENERAL, Meeting.Body.COUNCIL),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ElectionForm(forms.ModelForm):
    """A new election: its meeting, its term (an existing one or a new one) and its seats."""

    new_term_number = forms.IntegerField(
        label=gettext_lazy("New term: number"), min_value=1, required=False
    )
    new_term_starts_on = forms.DateField(
        label=gettext_lazy("New term: first day"), required=False, widget=DateInput()
    )
    new_term_ends_on = forms.DateField(
        label=gettext_lazy("New term: last day"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy("At most five years after the first day."),
    )
    council_seats = forms.IntegerField(
        label=gettext_lazy("Council members: seats"),
        min_value=0,
        max_value=500,
        required=False,
        help_text=gettext_lazy("Elected by the general assembly."),
    )
    president_seats = forms.IntegerField(
        label=gettext_lazy("President: seats"), min_value=0, max_value=1, required=False
    )
    vice_president_seats = forms.IntegerField(
        label=gettext_lazy("Vice-presidents: seats"), min_value=0, max_value=50, required=False
    )
    secretary_general_seats = forms.IntegerField(
        label=gettext_lazy("Secretary-general: seats"),
        min_value=0,
        max_value=1,
        required=False,
        help_text=gettext_lazy("The officers are elected by the council."),
    )

    class Meta:
        model = Election
        fields = [
            "meeting",
            "title",
            "term",
            "mode",
            "min_surplus",
            "max_consecutive_terms",
            "age_limit",
            "president_secretary_distinct",
            "secretary_general_full_time",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = Meeting.objects.filter(
            body__in=[Meeting.Body.GENERAL_ASSEMBLY, Meeting.Body.COUNCIL]
        ).order_by("-starts_at")
        self.fields["term"].required = False
        self.fields["term"].queryset = Term.objects.order_by("-number")
        self.fields["term"].help_text = _("Or enter a new term below.")

    def clean(self):
        data = super().clean()
        if not data.get("term"):
            number = data.get("new_term_number")
            starts, ends = data.get("new_term_starts_on"), data.get("new_term_ends_on")
            if number is None or starts is None or ends is None:
                raise ValidationError(
                    _("Choose a term, or enter the number, first and last day of a new one.")
                )
            term = Term(number=number, starts_on=starts, ends_on=ends)
            try:
                term.full_clean()
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    target = {
                        "number": "new_term_number",
                        "starts_on": "new_term_starts_on",
                        "ends_on": "new_term_ends_on",
                    }.get(field)
                    for message in messages:
                        self.add_error(target, message)
            data["new_term"] = term
        meeting = data.get("meeting")
        seats = {}
        for name, office, body in OFFICE_FIELDS:
            count = data.get(name) or 0
            if count and meeting is not None and meeting.body != body:
                self.add_error(
                    name,
                    _("Council members are elected by the general assembly.")
                    if office == Office.COUNCIL_MEMBER
                    else _(
                        "The president, vice-presidents and secretary-general are elected by "
                        "the council."
                    ),
                )
            seats[office] = count
        if not any(seats.values()):
            raise ValidationError(_("Give at least one position a number of seats."))
        data["seats"] = seats
        return data


def _member_label(member):
    number = member.number or "—"
    return f"{member.name}（{member.get_kind_display()} {number}）"


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _member_label(obj)


class NominationForm(forms.Form):
    """The secretariat's nomination of one candidate for one position."""

    position = forms.ChoiceField(label=gettext_lazy("Position"))
    member = MemberChoiceField(
        label=gettext_lazy("Member"),
        queryset=Member.objects.none(),
        help_text=gettext_lazy("An individual member, or a unit member."),
    )
    person_name = forms.CharField(
        label=gettext_lazy("Name of the person (unit members)"),
        max_length=60,
        required=False,
        help_text=gettext_lazy(
            "For a unit member: the person who will sit on the board. For an individual member "
            "the member's own name is used."
        ),
    )
    statement = forms.CharField(
        label=gettext_lazy("Candidate's statement"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    photo = forms.FileField(
        label=gettext_lazy("Photo"),
        required=False,
        help_text=gettext_lazy(
            "JPEG, PNG or WebP. It is shown on the ballot and, if elected, on the board page."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    birth_date = forms.DateField(
        label=gettext_lazy("Date of birth"),
        required=False,
        widget=DateInput(),
        help_text=gettext_lazy(
            "Needed for officers when the election has an age limit; never published."
        ),
    )
    full_time = forms.BooleanField(
        label=gettext_lazy("Declares to work full-time for the association"),
        required=False,
        help_text=gettext_lazy("Required of the secretary-general when the election says so."),
    )

    def __init__(self, *args, election, **kwargs):
        super().__init__(*args, **kwargs)
        self.election = election
        self.positions = {str(p.pk): p for p in election.positions.order_by("order", "pk")}
        self.fields["position"].choices = [
            (
                key,
                _("%(office)s (%(seats)s seats)") % {"office": p.label, "seats": p.seats},
            )
            for key, p in self.positions.items()
        ]
        self.fields["member"].queryset = Member.objects.active().order_by("number", "name")

    def clean_position(self):
        return self.positions[self.cleaned_data["position"]]

    def clean(self):
        data = super().clean()
        member = data.get("member")
        if member is not None and member.is_unit and not (data.get("person_name") or "").strip():
            self.add_error(
                "person_name", _("Name the person who will sit on the board for the unit.")
            )
        return data


class BoardBallotForm(forms.Form):
    """The ballot of one round: per candidate yes/no/abstain, or marks on candidates.

    Nothing is required: a blank position, or a blank ballot, is a valid choice that counts
    as cast. A position with more "yes" marks than seats is refused here with a message, and
    the browser checks the same limit as the voter marks (static/elections/ballot-limit.js).
    """

    def __init__(self, data=None, *, board_round, entries, mode):
        super().__init__(data)
        self.board_round = board_round
        self.entries = entries
        self.mode = mode
        self.position_errors = {}
        for entry in entries:
            candidates = sorted(entry.candidates.all(), key=lambda c: (c.number, c.pk))
            entry.ballot_candidates = candidates
            if mode == Election.Mode.APPROVE:
                for candidate in candidates:
                    self.fields[self.candidate_field(candidate)] = forms.ChoiceField(
                        label=str(candidate),
                        required=False,
                        widget=forms.RadioSelect,
                        choices=[
                            ("yes", pgettext("board ballot", "Yes")),
                            ("no", pgettext("board ballot", "No")),
                            ("abstain", pgettext("board ballot", "Abstain")),
                        ],
                    )
            else:
                self.fields[self.position_field(entry)] = forms.MultipleChoiceField(
                    label=entry.position.label,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    choices=[(str(c.pk), str(c)) for c in candidates],
                )

    @staticmethod
    def candidate_field(candidate):
        return f"c{candidate.pk}"

    @staticmethod
    def position_field(entry):
        return f"p{entry.position_id}"

    def marks(self, entry):
        """{candidate id: mark} of one position, from the cleaned data."""
        data = self.cleaned_data
        if self.mode == Election.Mode.APPROVE:
            return {
                str(c.pk): data[self.candidate_field(c)]
                for c in entry.ballot_candidates
                if data.get(self.candidate_field(c))
            }
        return dict.fromkeys(data.get(self.position_field(entry)) or [], YES)

    def clean(self):
        data = super().clean()
        for entry in self.entries:
            if any(
                name in self.errors
                for name in [self.position_field(entry)]
                + [self.candidate_field(c) for c in entry.ballot_candidates]
            ):
                continue
            count = sum(1 for mark in self.marks(entry).values() if mark == YES)
            if count > entry.seats:
                message = _(
                    "%(position)s: you marked %(count)s candidates, but there are only "
                    "%(seats)s seats. Mark at most %(seats)s, or this position of your ballot "
                    "would not count."
                ) % {
                    "position": entry.position.label,
                    "count": count,
                    "seats": entry.seats,
                }
                self.position_errors[entry.position_id] = message
                self.add_error(None, message)
        return data

    def choices(self):
        return {"positions": {str(entry.position_id): self.marks(entry) for entry in self.entries}}

    def layout(self):
        """Per position: (entry, error, [(candidate, bound field)]) or the position's field."""
        rows = []
        for entry in self.entries:
            if self.mode == Election.Mode.APPROVE:
                fields = [(c, self[self.candidate_field(c)]) for c in entry.ballot_candidates]
                rows.append((entry, self.position_errors.get(entry.position_id), fields, None))
            else:
                rows.append(
                    (
                        entry,
                        self.position_errors.get(entry.position_id),
                        entry.ballot_candidates,
                        self[self.position_field(entry)],
                    )
                )
        return rows
