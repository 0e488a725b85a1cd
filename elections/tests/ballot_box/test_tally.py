"""Threshold arithmetic at its exact edges, and properties that hold for every count."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from association.models import MotionResult
from elections.ballot_box.tally import Base, Comparison, Threshold, passes, required

TWO_THIRDS = Threshold.AT_LEAST_TWO_THIRDS
HALF = Threshold.MORE_THAN_HALF


def test_61_present_41_yes_passes_at_least_two_thirds():
    comparison = Comparison(TWO_THIRDS, 41, 61)
    assert comparison.passed
    assert comparison.arithmetic() == "41 ≥ 2/3 × 61 = 40.67 → passed"


def test_61_present_40_yes_fails_at_least_two_thirds():
    comparison = Comparison(TWO_THIRDS, 40, 61)
    assert not comparison.passed
    assert comparison.arithmetic() == "40 < 2/3 × 61 = 40.67 → failed"


def test_40_present_21_yes_passes_more_than_half():
    comparison = Comparison(HALF, 21, 40)
    assert comparison.passed
    assert comparison.arithmetic() == "21 > 1/2 × 40 = 20 → passed"


def test_40_present_20_yes_fails_more_than_half():
    comparison = Comparison(HALF, 20, 40)
    assert not comparison.passed
    assert comparison.arithmetic() == "20 ≤ 1/2 × 40 = 20 → failed"


def test_exactly_two_thirds_passes_at_least_two_thirds():
    assert passes(TWO_THIRDS, 40, 60)
    assert not passes(TWO_THIRDS, 39, 60)


def test_nothing_passes_on_an_empty_base():
    assert not passes(HALF, 0, 0)
    assert not passes(TWO_THIRDS, 0, 0)
    assert required(TWO_THIRDS, 0) == 1


def result(yes, no, abstain, *, present, entitled, base=Base.PRESENT, threshold=HALF):
    return MotionResult(
        threshold=threshold,
        base=base,
        quorum_threshold=TWO_THIRDS,
        yes=yes,
        no=no,
        abstain=abstain,
        entitled=entitled,
        present=present,
    )


def test_abstentions_count_against_a_motion_with_base_present():
    # 40 present: 20 yes, 5 no, 15 abstain. 20 is not more than half of 40.
    outcome = result(20, 5, 15, present=40, entitled=50)
    assert outcome.base_count == 40
    assert not outcome.adopted


def test_abstentions_count_in_the_cast_base_too():
    # Base "cast" = yes + no + abstain = 35; 20 > 17.5 passes; without the abstentions it
    # would be 25, and the count must not leave them out.
    outcome = result(20, 5, 10, present=40, entitled=50, base=Base.CAST)
    assert outcome.cast == 35
    assert outcome.base_count == 35
    assert outcome.vote.arithmetic() == "20 > 1/2 × 35 = 17.50 → passed"
    assert outcome.adopted


def test_voters_present_who_did_not_vote_count_only_in_base_present():
    present_base = result(18, 2, 0, present=40, entitled=50)
    cast_base = result(18, 2, 0, present=40, entitled=50, base=Base.CAST)
    assert not present_base.adopted
    assert cast_base.adopted


def test_base_entitled_counts_the_whole_roll():
    outcome = result(30, 0, 0, present=40, entitled=61, base=Base.ENTITLED, threshold=TWO_THIRDS)
    assert outcome.base_count == 61
    assert not outcome.adopted


def test_no_quorum_means_not_adopted_whatever_the_vote():
    # 40 of 61 present is less than 2/3 (40.67): the meeting cannot decide.
    outcome = result(40, 0, 0, present=40, entitled=61)
    assert outcome.vote.passed
    assert not outcome.quorum.passed
    assert not outcome.adopted


counts = st.integers(min_value=0, max_value=10_000)
# A count never exceeds its base: (base, count) with 0 <= count <= base.
base_and_count = counts.flatmap(lambda base: st.tuples(st.just(base), st.integers(0, base)))


@given(threshold=st.sampled_from(list(Threshold)), pair=base_and_count)
def test_passing_is_exactly_reaching_the_required_count(threshold, pair):
    base, count = pair
    assert passes(threshold, count, base) == (count >= required(threshold, base))


@given(threshold=st.sampled_from(list(Threshold)), base=st.integers(1, 10_000), count=counts)
def test_integer_rule_agrees_with_exact_fractions(threshold, base, count):
    if threshold == HALF:
        expected = Fraction(count, base) > Fraction(1, 2)
    else:
        expected = Fraction(count, base) >= Fraction(2, 3)
    assert passes(threshold, count, base) == expected


@given(threshold=st.sampled_from(list(Threshold)), base=st.integers(1, 10_000))
def test_required_count_is_the_smallest_that_passes(threshold, base):
    needed = required(threshold, base)
    assert 1 <= needed <= base
    assert passes(threshold, needed, base)
    assert not passes(threshold, needed - 1, base)


@given(threshold=st.sampled_from(list(Threshold)), pair=base_and_count)
def test_more_yes_votes_never_turn_a_pass_into_a_failure(threshold, pair):
    base, count = pair
    if passes(threshold, count, base):
        # Another "no" turned "yes", or one more voter present voting "yes".
        assert passes(threshold, min(count + 1, base), base)
        assert passes(threshold, count + 1, base + 1)


@given(
    yes=st.integers(0, 300),
    no=st.integers(0, 300),
    abstain=st.integers(0, 300),
    absent=st.integers(0, 300),
    base=st.sampled_from(list(Base)),
    threshold=st.sampled_from(list(Threshold)),
)
def test_abstaining_instead_of_voting_yes_never_helps(yes, no, abstain, absent, base, threshold):
    present = yes + no + abstain
    entitled = present + absent
    before = result(
        yes, no, abstain, present=present, entitled=entitled, base=base, threshold=threshold
    )
    if yes:
        after = result(
            yes - 1,
            no,
            abstain + 1,
            present=present,
            entitled=entitled,
            base=base,
            threshold=threshold,
        )
        assert not (after.adopted and not before.adopted)
    assert before.cast == present
    assert (
        before.base_count
        == {Base.PRESENT: present, Base.CAST: present, Base.ENTITLED: entitled}[base]
    )


@pytest.mark.parametrize(
    ("threshold", "base", "expected"),
    [(TWO_THIRDS, 61, 41), (TWO_THIRDS, 60, 40), (HALF, 40, 21), (HALF, 41, 21), (HALF, 1, 1)],
)
def test_required_counts(threshold, base, expected):
    assert required(threshold, base) == expected
