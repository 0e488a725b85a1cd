"""Kinds of poll: how a ballot is marked, checked and counted.

The ballot box is generic: Ballot.choices is JSON and the poll's kind decides what a valid
ballot is. Each kind registers itself with `register()` from its app's AppConfig.ready():
motions (association.motions, Poll.Kind.MOTION) with {"vote": "yes" | "no" | "abstain"},
board elections (Poll.Kind.ELECTION) with
{"positions": {"<position id>": {"<candidate id>": "yes" | "no" | "abstain"}}}: per-candidate
marks for several positions in one ballot, validated by that kind's clean_choices().

A kind provides: the marking form and how it becomes choices; clean_choices(), the
authoritative server-side check run inside ballot_cast; describe() for the confirmation page
and the bulletin board; count_ballots() for online polls; a totals form and describe_totals() for
paper ballots counted in the room; the results context; and on_publish(), run in the same
transaction as publication (a motion puts its document version in force there).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

_registry = {}


def register(kind):
    """Register a BallotKind instance under its code (a Poll.Kind value)."""
    _registry[kind.code] = kind
    return kind


def with_subjects(polls):
    """The queryset `polls` joined with each kind's subject (BallotKind.poll_related): a page
    reads a poll and what it is about, a motion or a round, in one query, leaving unread the
    columns no such page shows (BallotKind.poll_deferred)."""
    kinds = _registry.values()
    return polls.select_related(*(name for kind in kinds for name in kind.poll_related)).defer(
        *(name for kind in kinds for name in kind.poll_deferred)
    )


def with_ballot_subjects(polls):
    """The queryset `polls` joined with what checking and describing a marked ballot reads
    (BallotKind.ballot_related): the confirmation, the cast and the bulletin board, which
    show no motion text and no candidates' statements. Every kind's relations are joined,
    as a poll's kind is known only once it is read; each join is a few columns."""
    return polls.select_related(
        *(name for kind in _registry.values() for name in kind.ballot_related)
    )


def share_meeting(poll, subject):
    """Give `subject` (a motion, an election) the poll's meeting object when it is the same
    row, as it always is (motion_save, the election services): read once, not joined again
    (see with_subjects)."""
    if subject.meeting_id == poll.meeting_id and type(poll).meeting.is_cached(poll):
        subject.meeting = poll.meeting


def kind_for(poll):
    try:
        return _registry[poll.kind]
    except KeyError:
        raise ValidationError(
            gettext("This kind of poll (%(kind)s) cannot be voted on in this portal.")
            % {"kind": poll.kind},
            code="unknown_kind",
        ) from None


class BallotKind:
    """The interface every kind of poll implements (see the module docstring)."""

    code = ""
    # The relations from a poll to its subject and what the pages show of it, for
    # select_related (with_subjects); subject_context uses them when they were read.
    poll_related = ()
    # Columns of those relations that no page shows (a document's full text), not read.
    poll_deferred = ()
    # The relations that checking and describing a ballot read (with_ballot_subjects).
    ballot_related = ()
    intro_template = ""
    form_template = ""
    results_template = ""

    def form(self, poll, data=None):
        raise NotImplementedError

    def choices_from_form(self, poll, form):
        raise NotImplementedError

    def clean_choices(self, poll, choices):
        raise NotImplementedError

    def describe(self, poll, choices):
        """(question, answer) pairs in the voter's language."""
        raise NotImplementedError

    def describer(self, poll):
        """describe() for many ballots of one poll: a function of the choices alone, which
        looks up what it needs once (the bulletin board calls it for every row)."""
        return lambda choices: self.describe(poll, choices)

    def count_ballots(self, poll):
        raise NotImplementedError

    def longest_choices(self, poll):
        """The choices of the longest valid ballot: every sealed ballot of the poll is padded
        to its length, so that a box's size says nothing of what it holds."""
        raise NotImplementedError

    def totals_form(self, poll, data=None):
        raise NotImplementedError

    def describe_totals(self, totals):
        raise NotImplementedError

    def subject_context(self, poll):
        """What the voting page shows about the question (a motion's text, the candidates)."""
        return {}

    def results_context(self, poll):
        return self.subject_context(poll)

    def on_publish(self, poll, *, actor):
        """Called inside the publishing transaction."""
