"""The ballot box's kind for board elections (Poll.Kind.ELECTION): one poll per round.

Choices are {"positions": {"<position id>": {"<candidate id>": "yes" | "no" | "abstain"}}}
(in the mark mode only "yes"), canonicalised by tally.clean_choices inside
ballot_cast. The marking form refuses more "yes" marks than seats with a message, so online
ballots are never over-marked by mistake; the tally still counts an over-marked position as
invalid for that position, as a paper ballot would be. Board elections are voted
online only: paper ballots are counted per candidate, which the ballot box's totals form
for motions does not cover.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext, pgettext

from common.wording import clauses, enumeration, label_value
from elections.ballot_box.kinds import BallotKind, register, share_meeting

from . import counting, tally
from .forms import BoardBallotForm
from .models import Round
from .results import RoundResult


def _round_of(poll):
    """The poll's round and election, read once per Poll object: one request asks for them
    several times (the form, the check of the ballot, its description). What was read stays
    true while the object lives, because a round's ballot is fixed before its poll opens:
    positions, seats and candidates are written with the poll (services._new_round), and
    candidate_withdraw refuses once voting opens."""
    board_round = getattr(poll, "_board_round", None)
    if board_round is None and type(poll).board_round.is_cached(poll):  # see poll_related
        try:
            board_round = poll._board_round = poll.board_round
        except Round.DoesNotExist:
            return None
        share_meeting(poll, board_round.election)
    if board_round is None:
        board_round = (
            Round.objects.select_related("election__meeting", "election__term", "poll")
            .filter(poll=poll)
            .first()
        )
        poll._board_round = board_round
    return board_round


def _entries(board_round):
    """board_round.ballot_positions(), read once per Round object (see _round_of)."""
    entries = getattr(board_round, "_ballot_entries", None)
    if entries is None:
        entries = board_round._ballot_entries = board_round.ballot_positions()
    return entries


def _specs(board_round):
    """board_round.specs(), made once per Round object (see _round_of)."""
    specs = getattr(board_round, "_ballot_specs", None)
    if specs is None:
        specs = board_round._ballot_specs = board_round.specs(_entries(board_round))
    return specs


class BoardElectionKind(BallotKind):
    code = "election"
    poll_related = ("board_round__election__term",)
    ballot_related = ("board_round__election",)
    intro_template = "elections/board/_ballot_intro.html"
    form_template = "elections/board/_ballot_form.html"
    results_template = "elections/board/_poll_results.html"

    def _round(self, poll):
        board_round = _round_of(poll)
        if board_round is None:
            raise ValidationError(
                gettext("This poll belongs to no election round."), code="no_round"
            )
        return board_round

    def form(self, poll, data=None):
        board_round = self._round(poll)
        return BoardBallotForm(
            data,
            board_round=board_round,
            entries=_entries(board_round),
            mode=board_round.election.mode,
        )

    def choices_from_form(self, poll, form):
        return form.choices()

    def clean_choices(self, poll, choices):
        board_round = self._round(poll)
        return tally.clean_choices(_specs(board_round), choices, mode=board_round.election.mode)

    def mark_label(self, mark):
        return {
            "yes": pgettext("board ballot", "Yes"),
            "no": pgettext("board ballot", "No"),
            "abstain": pgettext("board ballot", "Abstain"),
        }.get(mark, mark)

    def describe(self, poll, choices):
        """Per position: who got which mark, or "blank", or "invalid" when over-marked."""
        return self.describer(poll)(choices)

    def describer(self, poll):
        board_round = self._round(poll)
        approve = board_round.election.mode == "approve"
        specs = _specs(board_round)
        return lambda choices: self._describe(specs, approve, choices)

    def _describe(self, specs, approve, choices):
        described = []
        for spec in specs:
            marks = (choices.get("positions") or {}).get(spec.key) or {}
            kind = tally.classify(spec, marks)
            if kind == tally.BLANK:
                answer = gettext("blank (nothing marked)")
            else:
                if approve:
                    parts = []
                    for mark in tally.MARKS["approve"]:
                        names = [
                            spec.candidate_label(c) for c in spec.candidates if marks.get(c) == mark
                        ]
                        if mark == "abstain":
                            names += [
                                spec.candidate_label(c) for c in spec.candidates if c not in marks
                            ]
                        if names:
                            parts.append(label_value(self.mark_label(mark), enumeration(names)))
                    answer = clauses(parts)
                else:
                    answer = "、".join(
                        spec.candidate_label(c) for c in spec.candidates if marks.get(c) == "yes"
                    )
                if kind == tally.INVALID:
                    answer = gettext("%(marks)s (invalid: more marks than seats)") % {
                        "marks": answer
                    }
            question = ngettext(
                "%(position)s (%(seats)s seat)", "%(position)s (%(seats)s seats)", spec.seats
            ) % {"position": spec.label(), "seats": spec.seats}
            described.append((question, answer))
        return described

    def count_ballots(self, poll):
        """Per position: cast, valid, invalid, blank, each candidate's "yes" votes and
        (yes, no) marks, and who is elected. The marks are what counting.stored_counts
        decides the tally from again, so that results pages never count the ballots."""
        board_round = self._round(poll)
        result = counting.count_tally(poll, _specs(board_round), mode=board_round.election.mode)
        return {
            "cast": result.cast,
            "positions": {
                position.key: {
                    "valid": position.valid,
                    "invalid": position.invalid,
                    "blank": position.blank,
                    "votes": {c.key: c.yes for c in position.candidates},
                    "marks": {c.key: [c.yes, c.no] for c in position.candidates},
                    "elected": [c.key for c in position.elected],
                }
                for position in result.positions
            },
        }

    def longest_choices(self, poll):
        board_round = self._round(poll)
        mark = max(tally.MARKS[board_round.election.mode], key=len)
        return {
            "positions": {
                spec.key: dict.fromkeys(spec.candidates, mark) for spec in _specs(board_round)
            }
        }

    def totals_form(self, poll, data=None):
        raise ValidationError(
            gettext("Board elections are voted online; paper totals cannot be entered."),
            code="online_only",
        )

    def describe_totals(self, totals):
        if not totals:
            return ""
        return ngettext("%(cast)s ballot cast", "%(cast)s ballots cast", totals["cast"]) % {
            "cast": totals["cast"]
        }

    def subject_context(self, poll):
        board_round = _round_of(poll)
        if board_round is None:
            return {}
        return {"election": board_round.election, "board_round": board_round}

    def results_context(self, poll):

        context = self.subject_context(poll)
        board_round = context.get("board_round")
        if board_round is None or not poll.is_finished:
            return context
        entries = _entries(board_round)
        specs = _specs(board_round)
        context["round_result"] = RoundResult(
            round=board_round,
            entries=entries,
            specs=specs,
            tally=counting.tally_round(poll, specs, mode=board_round.election.mode),
        )
        return context


register(BoardElectionKind())
