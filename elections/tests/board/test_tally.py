"""The board-election tally against hand-computed cases and properties (no database)."""

import random

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from elections.board.tally import (
    APPROVE,
    ELECTED,
    MARK,
    NOT_ELECTED,
    RUNOFF,
    PositionSpec,
    classify,
    clean_choices,
    tally,
    tally_position,
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def ballot(**positions):
    """choices for positions given as {candidate: mark} or as a string of marked candidates."""
    result = {}
    for key, marks in positions.items():
        if isinstance(marks, str):
            marks = dict.fromkeys(marks, "yes")
        result[key] = marks
    return {"positions": result}


def marked(position, *groups):
    """Mark-mode ballots for one position: ("ab", 4) means four ballots marking a and b."""
    ballots = []
    for letters, count in groups:
        ballots += [ballot(**{position: letters})] * count
    return ballots


def statuses(result):
    return {c.key: c.status for c in result.candidates}


def votes(result):
    return {c.key: c.yes for c in result.candidates}


# Hand-computed cases -----------------------------------------------------------------------


def test_approve_mode_counts_yes_no_abstain_invalid_and_blank_by_hand():
    council = PositionSpec("council", 2, ("a", "b", "c"))
    ballots = [
        ballot(council={"a": "yes", "b": "yes", "c": "no"}),
        ballot(council={"a": "yes", "b": "no", "c": "yes"}),
        ballot(council={"a": "yes", "b": "yes", "c": "yes"}),  # 3 yes for 2 seats: invalid
        ballot(council={}),  # blank
        ballot(council={"a": "yes", "b": "abstain"}),  # c unmarked: an abstention
        ballot(council={"a": "no", "b": "yes", "c": "no"}),
        ballot(council={"a": "yes", "c": "yes"}),
    ]
    result = tally_position(council, ballots, mode=APPROVE)
    assert (result.cast, result.valid, result.invalid, result.blank) == (7, 5, 1, 1)
    counts = {c.key: (c.yes, c.no, c.abstain) for c in result.candidates}
    assert counts == {"a": (4, 1, 0), "b": (2, 1, 2), "c": (2, 2, 1)}
    # More than 1/2 of 7 cast: 2 × 4 = 8 > 7, but 2 × 2 = 4 ≤ 7.
    assert statuses(result) == {"a": ELECTED, "b": NOT_ELECTED, "c": NOT_ELECTED}
    assert result.majority_needed == 4
    assert result.unfilled == 1
    assert not result.needs_runoff


def test_tie_at_the_last_seat_goes_to_a_runoff_and_the_runoff_decides():
    council = PositionSpec("council", 2, ("a", "b", "c", "d"), names={"b": "李四", "c": "王五"})
    ballots = marked("council", ("ab", 4), ("ac", 4), ("bc", 2), ("abc", 1))
    result = tally_position(council, ballots, mode=MARK)
    # The 11th ballot marks three candidates for two seats: invalid, but still cast.
    assert (result.cast, result.valid, result.invalid, result.blank) == (11, 10, 1, 0)
    assert votes(result) == {"a": 8, "b": 6, "c": 6, "d": 0}
    # 2 × 6 = 12 > 11: b and c both have a majority and tie for the one seat left.
    assert statuses(result) == {"a": ELECTED, "b": RUNOFF, "c": RUNOFF, "d": NOT_ELECTED}
    assert result.runoff_seats == 1
    assert [c.rank for c in result.candidates] == [1, 2, 2, 4]
    assert "李四、王五 tie with 6 votes each for the last 1 seat" in " ".join(result.steps)

    runoff = PositionSpec("council", result.runoff_seats, tuple(c.key for c in result.runoff))
    assert runoff.candidates == ("b", "c")

    second = marked("council", ("b", 6), ("c", 3)) + [ballot(council={})]
    second_result = tally_position(runoff, second, mode=MARK)
    assert (second_result.cast, second_result.blank) == (10, 1)
    assert statuses(second_result) == {"b": ELECTED, "c": NOT_ELECTED}
    assert not second_result.needs_runoff


def test_blank_ballots_count_as_cast_and_can_deny_a_majority():
    president = PositionSpec("president", 1, ("a", "b"))
    without_blanks = marked("president", ("a", 5), ("b", 2))
    assert statuses(tally_position(president, without_blanks, mode=MARK))["a"] == ELECTED
    with_blanks = without_blanks + [ballot(president="")] * 4
    result = tally_position(president, with_blanks, mode=MARK)
    # 2 × 5 = 10 ≤ 11 cast: no majority, the seat stays vacant.
    assert (result.cast, result.valid, result.blank) == (11, 7, 4)
    assert statuses(result) == {"a": NOT_ELECTED, "b": NOT_ELECTED}
    assert result.unfilled == 1


def test_majority_edge_is_exact_integer_arithmetic():
    position = PositionSpec("p", 1, ("a", "b"))
    thirty_one = marked("p", ("a", 31), ("b", 29))
    assert statuses(tally_position(position, thirty_one, mode=MARK))["a"] == ELECTED
    thirty = marked("p", ("a", 30), ("b", 30))
    result = tally_position(position, thirty, mode=MARK)
    assert statuses(result) == {"a": NOT_ELECTED, "b": NOT_ELECTED}
    assert result.candidates[0].majority_arithmetic() == "2 × 30 = 60 ≤ 60 → no majority"
    assert tally_position(position, thirty_one, mode=MARK).candidates[0].majority_arithmetic() == (
        "2 × 31 = 62 > 60 → majority"
    )


def test_a_tie_above_the_last_seat_needs_no_runoff():
    position = PositionSpec("p", 3, ("a", "b", "c", "d"))
    ballots = marked("p", ("abc", 7), ("abd", 2), ("ab", 1))
    result = tally_position(position, ballots, mode=MARK)
    assert votes(result) == {"a": 10, "b": 10, "c": 7, "d": 2}
    assert statuses(result) == {"a": ELECTED, "b": ELECTED, "c": ELECTED, "d": NOT_ELECTED}
    assert result.runoff_seats == 0


def test_three_tied_for_the_last_two_seats_go_to_a_runoff_for_two_seats():
    position = PositionSpec("p", 3, ("a", "b", "c", "d"))
    ballots = marked("p", ("abc", 4), ("abd", 2), ("acd", 2), ("bcd", 2))
    result = tally_position(position, ballots, mode=MARK)
    assert votes(result) == {"a": 8, "b": 8, "c": 8, "d": 6}
    # a, b and c fill the three seats between them: no tie at the last seat.
    assert statuses(result) == {"a": ELECTED, "b": ELECTED, "c": ELECTED, "d": NOT_ELECTED}

    ballots = marked("p", ("abc", 2), ("abd", 2), ("acd", 2), ("a", 2), ("bcd", 2))
    result = tally_position(position, ballots, mode=MARK)
    assert votes(result) == {"a": 8, "b": 6, "c": 6, "d": 6}
    assert statuses(result) == {"a": ELECTED, "b": RUNOFF, "c": RUNOFF, "d": RUNOFF}
    assert result.runoff_seats == 2


def test_tied_candidates_without_a_majority_leave_the_seat_vacant_instead_of_a_runoff():
    position = PositionSpec("p", 2, ("a", "b", "c"))
    ballots = marked("p", ("ab", 5), ("ac", 5))
    result = tally_position(position, ballots, mode=MARK)
    assert votes(result) == {"a": 10, "b": 5, "c": 5}
    assert statuses(result) == {"a": ELECTED, "b": NOT_ELECTED, "c": NOT_ELECTED}
    assert (result.runoff_seats, result.unfilled) == (0, 1)


def test_a_candidate_with_a_majority_outside_the_seats_is_not_elected():
    position = PositionSpec("p", 2, ("a", "b", "c"))
    ballots = marked("p", ("ab", 5), ("ac", 4), ("bc", 3))
    result = tally_position(position, ballots, mode=MARK)
    assert votes(result) == {"a": 9, "b": 8, "c": 7}
    # c has 2 × 7 = 14 > 12, a majority, but ranks third for two seats.
    assert statuses(result) == {"a": ELECTED, "b": ELECTED, "c": NOT_ELECTED}
    assert [c.has_majority for c in result.candidates] == [True, True, True]


def test_over_marking_one_position_leaves_the_other_positions_of_the_ballot_valid():
    council = PositionSpec("council", 2, ("a", "b", "c"))
    president = PositionSpec("president", 1, ("x", "y"))
    ballots = [
        ballot(council="abc", president="x"),
        ballot(council="ab", president="xy"),
        ballot(council="a", president="x"),
    ]
    board = tally([council, president], ballots, mode=MARK)
    assert board.cast == 3
    council_result, president_result = board.positions
    assert (council_result.valid, council_result.invalid) == (2, 1)
    assert (president_result.valid, president_result.invalid) == (2, 1)
    assert votes(council_result) == {"a": 2, "b": 1, "c": 0}
    assert votes(president_result) == {"x": 2, "y": 0}
    assert [[c.key for c in result.elected] for result in board.positions] == [["a"], ["x"]]


def test_no_ballots_elect_nobody():
    result = tally_position(PositionSpec("p", 2, ("a", "b", "c")), [], mode=APPROVE)
    assert (result.cast, result.unfilled) == (0, 2)
    assert result.elected == []


def test_steps_show_the_arithmetic():
    position = PositionSpec("p", 1, ("a", "b"), name="会长", names={"a": "张三", "b": "李四"})
    ballots = [ballot(p={"a": "yes", "b": "no"})] * 3 + [ballot(p={})]
    result = tally_position(position, ballots, mode=APPROVE)
    text = "\n".join(result.steps)
    assert "Ballots cast: 4 = 3 valid + 0 invalid (more marks than seats) + 1 blank." in text
    assert "张三: yes 3, no 0, abstain 0; 2 × 3 = 6 > 4 → majority; rank 1 → elected." in text
    assert "李四: yes 0, no 3, abstain 0; 2 × 0 = 0 ≤ 4 → no majority" in text
    assert "1 of 1 seat filled." in text


# Classification and the server's check of choices --------------------------------------------


def test_classify():
    position = PositionSpec("p", 2, ("a", "b", "c"))
    assert classify(position, {}) == "blank"
    assert classify(position, {"a": "no", "b": "no", "c": "no"}) == "valid"
    assert classify(position, {"a": "abstain"}) == "valid"
    assert classify(position, {"a": "yes", "b": "yes"}) == "valid"
    assert classify(position, {"a": "yes", "b": "yes", "c": "yes"}) == "invalid"


def test_clean_choices_gives_every_position_and_drops_empty_marks():
    council = PositionSpec("1", 2, ("10", "11", "12"))
    president = PositionSpec("2", 1, ("20", "21"))
    cleaned = clean_choices(
        [council, president], {"positions": {"1": {"10": "yes", "11": ""}}}, mode=APPROVE
    )
    assert cleaned == {"positions": {"1": {"10": "yes"}, "2": {}}}
    assert clean_choices([council, president], {}, mode=MARK) == {"positions": {"1": {}, "2": {}}}
    # Over-marking is a valid way to spoil a position, not a malformed ballot.
    spoilt = {"positions": {"1": {"10": "yes", "11": "yes", "12": "yes"}}}
    assert (
        clean_choices([council, president], spoilt, mode=MARK)["positions"]["1"]
        == (spoilt["positions"]["1"])
    )


@pytest.mark.parametrize(
    "choices, code",
    [
        ([], "malformed"),
        ({"vote": "yes"}, "malformed"),
        ({"positions": []}, "malformed"),
        ({"positions": {"1": ["10"]}}, "malformed"),
        ({"positions": {"9": {}}}, "unknown_position"),
        ({"positions": {"1": {"20": "yes"}}}, "unknown_candidate"),
        ({"positions": {"1": {"10": "maybe"}}}, "unknown_mark"),
    ],
)
def test_clean_choices_refuses_malformed_ballots(choices, code):
    council = PositionSpec("1", 2, ("10", "11", "12"))
    with pytest.raises(ValidationError) as error:
        clean_choices([council], choices, mode=APPROVE)
    assert error.value.code == code


def test_mark_mode_refuses_no_and_abstain_marks():
    council = PositionSpec("1", 2, ("10", "11"))
    with pytest.raises(ValidationError):
        clean_choices([council], {"positions": {"1": {"10": "no"}}}, mode=MARK)


def test_position_needs_seats_and_distinct_candidates():
    with pytest.raises(ValueError):
        PositionSpec("p", 0, ("a",))
    with pytest.raises(ValueError):
        PositionSpec("p", 1, ("a", "a"))


# Properties ------------------------------------------------------------------------------------


@st.composite
def elections(draw):
    mode = draw(st.sampled_from([APPROVE, MARK]))
    count = draw(st.integers(min_value=1, max_value=3))
    positions = []
    for index in range(count):
        candidates = tuple(
            f"{index}-{n}" for n in range(draw(st.integers(min_value=1, max_value=6)))
        )
        seats = draw(st.integers(min_value=1, max_value=len(candidates) + 1))
        positions.append(PositionSpec(str(index), seats, candidates))
    marks = [None, "yes", "no", "abstain"] if mode == APPROVE else [None, "yes"]
    ballots = []
    for _ballot in range(draw(st.integers(min_value=0, max_value=40))):
        choices = {}
        for position in positions:
            picked = {
                candidate: mark
                for candidate in position.candidates
                if (mark := draw(st.sampled_from(marks))) is not None
            }
            choices[position.key] = picked
        ballots.append({"positions": choices})
    return mode, positions, ballots


def reference_status(candidate, result):
    """An independent statement of the rule: count who has a majority and more/equal votes."""
    if 2 * candidate.yes <= result.cast:
        return NOT_ELECTED
    qualified = [c for c in result.candidates if 2 * c.yes > result.cast]
    more = sum(1 for c in qualified if c.yes > candidate.yes)
    equal = sum(1 for c in qualified if c.yes == candidate.yes)
    if more + equal <= result.seats:
        return ELECTED
    if more < result.seats:
        return RUNOFF
    return NOT_ELECTED


@settings(max_examples=300, deadline=None)
@given(elections())
def test_properties_of_every_tally(election):
    mode, positions, ballots = election
    board = tally(positions, ballots, mode=mode)
    for spec, result in zip(positions, board.positions, strict=True):
        assert result.cast == len(ballots) == result.valid + result.invalid + result.blank
        assert len(result.elected) <= result.seats
        assert len(result.elected) + result.runoff_seats + result.unfilled == result.seats
        for candidate in result.candidates:
            assert candidate.status == reference_status(candidate, result)
            assert candidate.yes + candidate.no + candidate.abstain <= result.valid
        for candidate in result.elected:
            assert 2 * candidate.yes > result.cast
        if result.needs_runoff:
            tied = result.runoff
            assert len(tied) > result.runoff_seats > 0
            assert len({c.yes for c in tied}) == 1
            assert all(2 * c.yes > result.cast for c in tied)
            assert all(e.yes > tied[0].yes for e in result.elected)
        assert sorted(c.key for c in result.candidates) == sorted(spec.candidates)


@settings(max_examples=150, deadline=None)
@given(elections(), st.randoms(use_true_random=False))
def test_the_order_of_ballots_does_not_change_the_result(election, rng: random.Random):
    mode, positions, ballots = election
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    first = tally(positions, ballots, mode=mode)
    second = tally(positions, shuffled, mode=mode)
    assert first == second


@settings(max_examples=150, deadline=None)
@given(elections())
def test_clean_choices_keeps_what_is_counted(election):
    mode, positions, ballots = election
    cleaned = [clean_choices(positions, choices, mode=mode) for choices in ballots]
    assert tally(positions, cleaned, mode=mode) == tally(positions, ballots, mode=mode)


def test_steps_are_translated():
    position = PositionSpec("p", 1, ("a",), names={"a": "张三"})
    with translation.override("zh-hans"):
        steps = tally_position(position, [ballot(p="a")], mode=MARK).steps
    assert steps[0] == "投票数：1 = 有效票 1 + 无效票 0（所选人数多于名额）+ 空白票 0。"
    assert steps[2] == "张三：1 票；2 × 1 = 2 > 1 → 过半数；第 1 名 → 当选。"
