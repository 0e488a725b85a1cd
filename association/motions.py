"""The motion ballot kind: 赞成 / 反对 / 弃权 on one motion (Poll.Kind.MOTION).

A motion's ballot is {"vote": "yes" | "no" | "abstain"}. Registered with the ballot box's
kinds registry in AssociationConfig.ready(). Publishing the poll applies the motion's result
in the same transaction (an adopted charter motion puts its document version in force).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.db.models.fields.json import KeyTextTransform
from django.utils.translation import gettext, pgettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from elections.ballot_box.kinds import BallotKind, register, share_meeting

from .models import Motion
from .services import motion_result_apply


class MotionBallotForm(forms.Form):
    vote = forms.ChoiceField(
        label=_("Your vote"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes, no or abstain.")},
    )

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["vote"].choices = options


class MotionTotalsForm(forms.Form):
    """Paper ballots counted in the room: three totals, together at most the voters present."""

    # "vote" context: Django's own catalogue translates a bare "Yes"/"No" as 是/否.
    yes = forms.IntegerField(label=pgettext_lazy("vote", "Yes"), min_value=0)
    no = forms.IntegerField(label=pgettext_lazy("vote", "No"), min_value=0)
    abstain = forms.IntegerField(label=pgettext_lazy("vote", "Abstain"), min_value=0)

    def __init__(self, *args, limit, limit_label, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.limit_label = limit_label

    def clean(self):
        data = super().clean()
        if all(isinstance(data.get(key), int) for key in ("yes", "no", "abstain")):
            total = data["yes"] + data["no"] + data["abstain"]
            if total > self.limit:
                raise ValidationError(
                    gettext(
                        "The totals add up to %(total)s ballots, more than the %(limit)s "
                        "voters %(who)s."
                    )
                    % {"total": total, "limit": self.limit, "who": self.limit_label},
                    code="too_many",
                )
        return data


class MotionKind(BallotKind):
    """赞成 / 反对 / 弃权 on one motion."""

    code = "motion"
    # The motion's meeting is the poll's (motion_save): not joined a second time.
    poll_related = ("motion__document_version__document",)
    poll_deferred = ("motion__document_version__text", "motion__document_version__pdf")
    intro_template = "association/_motion_intro.html"
    form_template = "association/_motion_form.html"
    results_template = "association/_motion_results.html"
    VOTES = ("yes", "no", "abstain")

    def options(self):
        return [
            ("yes", pgettext("vote", "Yes")),
            ("no", pgettext("vote", "No")),
            ("abstain", pgettext("vote", "Abstain")),
        ]

    def label(self, vote):
        return dict(self.options()).get(vote, vote)

    def form(self, poll, data=None):
        return MotionBallotForm(data, options=self.options())

    def choices_from_form(self, poll, form):
        return {"vote": form.cleaned_data["vote"]}

    def clean_choices(self, poll, choices):
        if (
            not isinstance(choices, dict)
            or set(choices) != {"vote"}
            or choices["vote"] not in self.VOTES
        ):
            raise ValidationError(
                gettext("The ballot is not valid: choose yes, no or abstain."), code="invalid"
            )
        return {"vote": choices["vote"]}

    def describe(self, poll, choices):
        return [(poll.subject, self.label(choices.get("vote")))]

    def describer(self, poll):
        labels = dict(self.options())  # translated once for the whole board, not per ballot
        return lambda choices: [
            (poll.subject, labels.get(choices.get("vote"), choices.get("vote")))
        ]

    def count_ballots(self, poll):
        totals = dict.fromkeys(self.VOTES, 0)
        rows = (
            poll.ballots.annotate(vote=KeyTextTransform("vote", "choices"))
            .values("vote")
            .annotate(n=Count("pk"))
            .order_by()
        )
        for row in rows:
            totals[row["vote"]] = row["n"]
        return totals

    def longest_choices(self, poll):
        return {"vote": max(self.VOTES, key=len)}

    def totals_form(self, poll, data=None):
        if poll.requires_presence:
            limit, who = poll.present_count or 0, gettext("present")
        else:
            limit, who = poll.roll_count or 0, gettext("on the roll")
        return MotionTotalsForm(data, limit=limit, limit_label=who, initial=poll.counted_totals)

    def describe_totals(self, totals):
        return gettext("yes %(yes)s · no %(no)s · abstain %(abstain)s") % totals

    def subject_context(self, poll):
        if type(poll).motion.is_cached(poll):  # read with the poll (poll_related)
            try:
                motion = poll.motion
            except Motion.DoesNotExist:
                return {"motion": None}
            share_meeting(poll, motion)
            return {"motion": motion}
        motion = (
            Motion.objects.select_related("meeting", "document_version__document", "poll")
            .filter(poll=poll)
            .first()
        )
        return {"motion": motion}

    def results_context(self, poll):
        context = self.subject_context(poll)
        motion = context["motion"]
        context["result"] = motion.result() if motion else None
        if not poll.secret:
            context["roll_call"] = [
                (participation.voter, self.label((participation.named_choices or {}).get("vote")))
                for participation in poll.participations.select_related("voter")
            ]
        return context

    def on_publish(self, poll, *, actor):
        motion = self.subject_context(poll)["motion"]
        if motion is not None:
            motion_result_apply(motion=motion, actor=actor)


register(MotionKind())
