"""The tally of a board election, in exact integers and independent of the models.

A ballot's choices are {"positions": {"<position key>": {"<candidate key>": mark}}}. In the
approve mode a mark is "yes" (同意), "no" (不同意) or "abstain" (弃权); in the mark mode a
marked candidate is "yes" and an unmarked one is left out. Per position, every ballot of the
poll is exactly one of:

- invalid: more "yes" marks than the position has seats (an over-marked ballot is invalid
  for that position only, as a paper ballot is);
- blank: no mark at all for the position;
- valid: anything else.

So cast = valid + invalid + blank, and blank and invalid ballots still count as cast. A
candidate's votes are the "yes" marks on valid ballots. A candidate is elected when
2 × votes > cast (more than 1/2 of the ballots cast, never a float) and they rank within the
seats by votes. When candidates with a majority tie for the last seat(s), none of the tied is
elected: they go to a run-off for the seats left. A run-off poll is tallied with the same
rules among its candidates.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

APPROVE = "approve"
MARK = "mark"
MODES = (APPROVE, MARK)

YES, NO, ABSTAIN = "yes", "no", "abstain"
MARKS = {APPROVE: (YES, NO, ABSTAIN), MARK: (YES,)}

VALID, INVALID, BLANK = "valid", "invalid", "blank"
ELECTED, RUNOFF, NOT_ELECTED = "elected", "runoff", "not_elected"


@dataclass(frozen=True)
class PositionSpec:
    """A position on the ballot: its key, seats, and candidate keys in ballot order."""

    key: str
    seats: int
    candidates: tuple[str, ...]
    name: str = ""
    # Display names by candidate key, for the arithmetic; keys are used when missing.
    names: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self):
        if self.seats <= 0:
            raise ValueError(f"position {self.key!r} needs at least one seat, not {self.seats}")
        if len(set(self.candidates)) != len(self.candidates):
            raise ValueError(f"position {self.key!r} lists a candidate twice")

    def label(self):
        return self.name or self.key

    def candidate_label(self, key):
        return self.names.get(key) or key


@dataclass
class CandidateResult:
    """One candidate's counts and outcome in one position."""

    key: str
    name: str
    yes: int = 0
    no: int = 0
    abstain: int = 0
    cast: int = 0
    rank: int = 0
    status: str = NOT_ELECTED

    @property
    def has_majority(self):
        return 2 * self.yes > self.cast

    def majority_arithmetic(self):
        """E.g. "2 × 31 = 62 > 60 → majority" in the current language."""
        doubled = 2 * self.yes
        if self.has_majority:
            return _("2 × %(votes)s = %(doubled)s > %(cast)s → majority") % {
                "votes": self.yes,
                "doubled": doubled,
                "cast": self.cast,
            }
        return _("2 × %(votes)s = %(doubled)s ≤ %(cast)s → no majority") % {
            "votes": self.yes,
            "doubled": doubled,
            "cast": self.cast,
        }

    def status_label(self):
        return {
            ELECTED: _("elected"),
            RUNOFF: _("tied: run-off"),
            NOT_ELECTED: _("not elected"),
        }[self.status]


@dataclass
class PositionResult:
    """The tally of one position: ballot counts, candidates by rank, outcome and arithmetic."""

    key: str
    name: str
    seats: int
    cast: int = 0
    valid: int = 0
    invalid: int = 0
    blank: int = 0
    candidates: list[CandidateResult] = field(default_factory=list)
    runoff_seats: int = 0
    unfilled: int = 0
    steps: list[str] = field(default_factory=list)

    @property
    def elected(self):
        return [c for c in self.candidates if c.status == ELECTED]

    @property
    def runoff(self):
        return [c for c in self.candidates if c.status == RUNOFF]

    @property
    def needs_runoff(self):
        return self.runoff_seats > 0

    @property
    def majority_needed(self):
        """The smallest number of votes that is more than 1/2 of the ballots cast."""
        return self.cast // 2 + 1


@dataclass
class BoardTally:
    """The tally of a whole ballot: one PositionResult per position, in ballot order."""

    mode: str
    cast: int
    positions: list[PositionResult]


def _marks_of(choices, position_key):
    if not isinstance(choices, Mapping):
        return {}
    positions = choices.get("positions")
    if not isinstance(positions, Mapping):
        return {}
    marks = positions.get(position_key)
    return marks if isinstance(marks, Mapping) else {}


def classify(position, marks):
    """VALID, INVALID (more "yes" than seats) or BLANK (nothing marked) for one position."""
    if not marks:
        return BLANK
    yes = sum(1 for mark in marks.values() if mark == YES)
    if yes > position.seats:
        return INVALID
    return VALID


def clean_choices(positions: Iterable[PositionSpec], choices, *, mode):
    """The canonical form of a ballot's choices, or ValidationError for a malformed one.

    This is the server's check of what a ballot may contain: known positions and candidates
    and the marks of the mode. Over-marking is not malformed: such a ballot is kept and is
    invalid for that position when counted. The canonical form lists every position and
    leaves unmarked candidates out, so equal ballots are equal JSON on the bulletin board.
    """
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    positions = list(positions)
    if not isinstance(choices, Mapping) or set(choices) - {"positions"}:
        raise ValidationError(_("The ballot is not valid."), code="malformed")
    given = choices.get("positions", {})
    if not isinstance(given, Mapping):
        raise ValidationError(_("The ballot is not valid."), code="malformed")
    known = {position.key: position for position in positions}
    unknown = set(map(str, given)) - set(known)
    if unknown:
        raise ValidationError(
            _("The ballot names a position that is not on it."), code="unknown_position"
        )
    allowed = MARKS[mode]
    canonical = {}
    for position in positions:
        marks = given.get(position.key) or {}
        if not isinstance(marks, Mapping):
            raise ValidationError(_("The ballot is not valid."), code="malformed")
        cleaned = {}
        for candidate, mark in marks.items():
            candidate = str(candidate)
            if candidate not in position.candidates:
                raise ValidationError(
                    _("The ballot names a candidate who does not stand for %(position)s.")
                    % {"position": position.label()},
                    code="unknown_candidate",
                )
            if mark in (None, ""):
                continue
            if mark not in allowed:
                raise ValidationError(
                    _("The ballot has a mark that this election does not use."),
                    code="unknown_mark",
                )
            cleaned[candidate] = mark
        canonical[position.key] = cleaned
    return {"positions": canonical}


@dataclass(frozen=True)
class PositionCounts:
    """What a count of one position yields, however it was made (in Python here, or in SQL
    by board.counting): ballots cast, invalid and blank, and (yes, no) per candidate on the
    valid ballots."""

    cast: int
    invalid: int
    blank: int
    marks: Mapping[str, tuple[int, int]]


def count_position(position: PositionSpec, ballots: Iterable):
    """Count one position over every ballot of the poll (each ballot is its choices)."""
    cast = invalid = blank = 0
    marks = {key: [0, 0] for key in position.candidates}  # yes, no
    for choices in ballots:
        cast += 1
        given = _marks_of(choices, position.key)
        kind = classify(position, given)
        if kind == INVALID:
            invalid += 1
        elif kind == BLANK:
            blank += 1
        else:
            for candidate, mark in given.items():
                if candidate in marks and mark in (YES, NO):
                    marks[candidate][0 if mark == YES else 1] += 1
    return PositionCounts(
        cast=cast, invalid=invalid, blank=blank, marks={k: tuple(v) for k, v in marks.items()}
    )


def tally_position(position: PositionSpec, ballots: Iterable, *, mode=APPROVE):
    """Count one position over every ballot of the poll and decide it."""
    return decide_position(position, count_position(position, ballots), mode=mode)


def decide_position(position: PositionSpec, counts: PositionCounts, *, mode=APPROVE):
    """The result of one position from its counts: ranks, outcome and arithmetic."""
    if mode not in MODES:
        raise ValueError(f"unknown mode {mode!r}")
    result = PositionResult(
        key=position.key,
        name=position.label(),
        seats=position.seats,
        cast=counts.cast,
        invalid=counts.invalid,
        blank=counts.blank,
        valid=counts.cast - counts.invalid - counts.blank,
    )
    order = {key: index for index, key in enumerate(position.candidates)}
    candidates = []
    for key in position.candidates:
        yes, no = counts.marks.get(key, (0, 0))
        candidates.append(
            CandidateResult(
                key=key,
                name=position.candidate_label(key),
                yes=yes,
                no=no,
                # In the approve mode a candidate left unmarked on a valid ballot abstains.
                abstain=result.valid - yes - no if mode == APPROVE else 0,
                cast=result.cast,
            )
        )
    # Ballot order breaks ties only for display: tied candidates share their rank.
    candidates.sort(key=lambda c: (-c.yes, order[c.key]))
    for candidate in candidates:
        candidate.rank = 1 + sum(1 for other in candidates if other.yes > candidate.yes)
    result.candidates = candidates
    _decide(result)
    result.steps = _steps(result, mode)
    return result


def _decide(result):
    seats = result.seats
    qualified = [c for c in result.candidates if c.has_majority]
    if len(qualified) <= seats:
        for candidate in qualified:
            candidate.status = ELECTED
        result.unfilled = seats - len(qualified)
        return
    cutoff = qualified[seats - 1].yes
    above = [c for c in qualified if c.yes > cutoff]
    at_cutoff = [c for c in qualified if c.yes == cutoff]
    remaining = seats - len(above)
    for candidate in above:
        candidate.status = ELECTED
    if len(at_cutoff) <= remaining:
        for candidate in at_cutoff:
            candidate.status = ELECTED
        return
    for candidate in at_cutoff:
        candidate.status = RUNOFF
    result.runoff_seats = remaining


def _steps(result, mode):
    steps = [
        _(
            "Ballots cast: %(cast)s = %(valid)s valid + %(invalid)s invalid (more marks than "
            "seats) + %(blank)s blank."
        )
        % {
            "cast": result.cast,
            "valid": result.valid,
            "invalid": result.invalid,
            "blank": result.blank,
        },
        _(
            "More than 1/2 of the %(cast)s ballots cast: a candidate needs 2 × votes > "
            "%(cast)s, that is at least %(needed)s votes."
        )
        % {"cast": result.cast, "needed": result.majority_needed},
    ]
    for candidate in result.candidates:
        if mode == APPROVE:
            counts = _("%(name)s: yes %(yes)s, no %(no)s, abstain %(abstain)s") % {
                "name": candidate.name,
                "yes": candidate.yes,
                "no": candidate.no,
                "abstain": candidate.abstain,
            }
        else:
            counts = ngettext(
                "%(name)s: %(yes)s vote", "%(name)s: %(yes)s votes", candidate.yes
            ) % {"name": candidate.name, "yes": candidate.yes}
        steps.append(
            _("%(counts)s; %(arithmetic)s; rank %(rank)s → %(status)s.")
            % {
                "counts": counts,
                "arithmetic": candidate.majority_arithmetic(),
                "rank": candidate.rank,
                "status": candidate.status_label(),
            }
        )
    elected = result.elected
    steps.append(
        ngettext(
            "%(count)s of %(seats)s seat filled.",
            "%(count)s of %(seats)s seats filled.",
            result.seats,
        )
        % {"count": len(elected), "seats": result.seats}
    )
    if result.needs_runoff:
        tied = result.runoff
        steps.append(
            ngettext(
                "%(names)s tie with %(votes)s votes each for the last %(seats)s seat: a "
                "run-off among them decides it.",
                "%(names)s tie with %(votes)s votes each for the last %(seats)s seats: a "
                "run-off among them decides them.",
                result.runoff_seats,
            )
            % {
                "names": "、".join(c.name for c in tied),
                "votes": tied[0].yes,
                "seats": result.runoff_seats,
            }
        )
    if result.unfilled:
        steps.append(
            ngettext(
                "%(count)s seat stays vacant: too few candidates received more than 1/2 of "
                "the ballots cast.",
                "%(count)s seats stay vacant: too few candidates received more than 1/2 of "
                "the ballots cast.",
                result.unfilled,
            )
            % {"count": result.unfilled}
        )
    return steps


def tally(positions: Iterable[PositionSpec], ballots: Iterable, *, mode=APPROVE):
    """Count every position of a ballot; `ballots` is an iterable of choices dicts."""
    positions = list(positions)
    ballots = list(ballots)
    return BoardTally(
        mode=mode,
        cast=len(ballots),
        positions=[tally_position(position, ballots, mode=mode) for position in positions],
    )


def tally_counted(positions: Iterable[PositionSpec], cast, counts, *, mode=APPROVE):
    """The same tally from counts made elsewhere: `counts` maps position keys to
    PositionCounts (a position nobody marked may be missing: all its ballots are blank)."""
    return BoardTally(
        mode=mode,
        cast=cast,
        positions=[
            decide_position(
                position,
                counts.get(position.key) or PositionCounts(cast, 0, cast, {}),
                mode=mode,
            )
            for position in positions
        ],
    )
