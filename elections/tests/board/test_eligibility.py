"""Officer eligibility and the contested rule, as pure checks (no database)."""

import datetime

import pytest
from django.utils import translation

from elections.board.eligibility import (
    COUNCIL_MEMBER,
    PRESIDENT,
    SECRETARY_GENERAL,
    VICE_PRESIDENT,
    Nominee,
    PositionCount,
    Rules,
    age_on,
    consecutive_terms,
    contested_refusals,
    nominee_refusals,
    officer_results_refusals,
)

ELECTION_DAY = datetime.date(2023, 7, 15)
RULES = Rules()


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def nominee(**fields):
    defaults = {
        "person": "m1",
        "name": "张三",
        "office": PRESIDENT,
        "birth_date": datetime.date(1970, 1, 1),
        "full_time": True,
    }
    return Nominee(**{**defaults, **fields})


def refusals(candidate, others=(), rules=RULES):
    return nominee_refusals(candidate, rules=rules, election_date=ELECTION_DAY, others=others)


# Age ---------------------------------------------------------------------------------------------


def test_age_on_counts_completed_years():
    assert age_on(datetime.date(1953, 7, 15), ELECTION_DAY) == 70
    assert age_on(datetime.date(1953, 7, 16), ELECTION_DAY) == 69
    assert age_on(datetime.date(1952, 7, 16), ELECTION_DAY) == 70
    assert age_on(datetime.date(1952, 7, 15), ELECTION_DAY) == 71
    # Born on 29 February: a year older only from 1 March in a common year.
    assert age_on(datetime.date(1952, 2, 29), datetime.date(2023, 2, 28)) == 70
    assert age_on(datetime.date(1952, 2, 29), datetime.date(2023, 3, 1)) == 71


def test_an_officer_aged_70_on_the_election_day_may_stand():
    assert refusals(nominee(birth_date=datetime.date(1952, 7, 16))) == []


def test_an_officer_aged_71_on_the_election_day_is_refused_with_the_dates():
    (message,) = refusals(nominee(birth_date=datetime.date(1952, 7, 15)))
    assert message == (
        "张三 will be 71 on the election day (2023-07-15); candidates for president must not "
        "be older than 70."
    )


def test_officer_without_a_date_of_birth_is_asked_for_it():
    (message,) = refusals(nominee(birth_date=None, office=VICE_PRESIDENT))
    assert "Enter 张三's date of birth" in message


def test_council_members_have_no_age_or_term_limit():
    old = nominee(office=COUNCIL_MEMBER, birth_date=datetime.date(1940, 1, 1), consecutive_terms=5)
    assert refusals(old) == []
    assert refusals(nominee(office=COUNCIL_MEMBER, birth_date=None)) == []


def test_age_limit_can_be_switched_off_or_changed():
    old = nominee(birth_date=datetime.date(1940, 1, 1))
    assert refusals(old, rules=Rules(age_limit=None)) == []
    assert refusals(nominee(birth_date=datetime.date(1960, 1, 1)), rules=Rules(age_limit=60))


# Terms ------------------------------------------------------------------------------------------


def test_consecutive_terms_counts_back_from_the_term_being_elected():
    assert consecutive_terms([], 3) == 0
    assert consecutive_terms([2], 3) == 1
    assert consecutive_terms([1, 2], 3) == 2
    assert consecutive_terms([1, 3], 5) == 0
    assert consecutive_terms([1, 3, 4], 5) == 2
    assert consecutive_terms([1, 2, 3], 3) == 2


def test_a_third_consecutive_term_is_refused_and_a_second_is_allowed():
    assert refusals(nominee(consecutive_terms=1)) == []
    (message,) = refusals(nominee(consecutive_terms=2))
    assert message == (
        "张三 has held the office of president for 2 consecutive terms; at most 2 consecutive "
        "terms are allowed."
    )
    assert refusals(nominee(consecutive_terms=2), rules=Rules(max_consecutive_terms=3)) == []
    assert refusals(nominee(consecutive_terms=9), rules=Rules(max_consecutive_terms=None)) == []


# Secretary-general --------------------------------------------------------------------------


def test_secretary_general_must_declare_full_time():
    part_time = nominee(office=SECRETARY_GENERAL, full_time=False)
    (message,) = refusals(part_time)
    assert "the secretary-general must be full-time" in message
    assert refusals(nominee(office=SECRETARY_GENERAL, full_time=True)) == []
    assert refusals(part_time, rules=Rules(secretary_general_full_time=False)) == []
    # Other offices need not be full-time.
    assert refusals(nominee(office=VICE_PRESIDENT, full_time=False)) == []


def test_president_and_secretary_general_must_be_different_people():
    president = nominee(person="m1", name="张三", office=PRESIDENT)
    same_person = nominee(person="m1", name="张三", office=SECRETARY_GENERAL)
    (message,) = refusals(same_person, others=[president])
    assert message == (
        "张三 cannot be both president and secretary-general: they must be different people."
    )


def test_president_and_secretary_general_must_not_come_from_the_same_unit():
    president = nominee(person="m7:张三", name="张三", unit="m7", office=PRESIDENT)
    colleague = nominee(person="m7:李四", name="李四", unit="m7", office=SECRETARY_GENERAL)
    (message,) = refusals(colleague, others=[president])
    assert "张三 and 李四 stand for the same member unit" in message
    # Checked in both directions.
    assert refusals(president, others=[colleague])
    other_unit = nominee(person="m8:李四", name="李四", unit="m8", office=SECRETARY_GENERAL)
    assert refusals(other_unit, others=[president]) == []
    # Two individual members are different people from no unit.
    individual = nominee(person="m9", name="王五", unit=None, office=SECRETARY_GENERAL)
    assert refusals(individual, others=[nominee(person="m10", unit=None)]) == []


def test_the_distinct_officers_rule_ignores_vice_presidents_and_can_be_switched_off():
    president = nominee(person="m7:张三", unit="m7", office=PRESIDENT)
    vice = nominee(person="m7:张三", unit="m7", office=VICE_PRESIDENT)
    assert refusals(vice, others=[president]) == []
    secretary = nominee(person="m7:张三", unit="m7", office=SECRETARY_GENERAL)
    assert refusals(secretary, others=[president]) != []
    no_rule = Rules(president_secretary_distinct=False)
    assert refusals(secretary, others=[president], rules=no_rule) == []


def test_all_broken_rules_are_reported_together():
    candidate = nominee(
        office=SECRETARY_GENERAL,
        full_time=False,
        consecutive_terms=2,
        birth_date=datetime.date(1940, 1, 1),
    )
    assert len(refusals(candidate, others=[nominee(office=PRESIDENT)])) == 4


def test_certified_results_are_checked_across_elections():
    president = nominee(person="m7:张三", name="张三", unit="m7", office=PRESIDENT)
    secretary = nominee(person="m7:李四", name="李四", unit="m7", office=SECRETARY_GENERAL)
    vice = nominee(person="m7:王五", name="王五", unit="m7", office=VICE_PRESIDENT)
    assert len(officer_results_refusals([president, secretary, vice], rules=RULES)) == 1
    assert officer_results_refusals([president, vice], rules=RULES) == []


# The contested rule ---------------------------------------------------------------------------


def test_founding_council_of_15_seats_with_18_candidates_is_contested():
    council = PositionCount("理事", seats=15, candidates=18)
    assert contested_refusals([council], rules=Rules(min_surplus=3)) == []
    (message,) = contested_refusals(
        [PositionCount("理事", seats=15, candidates=17)], rules=Rules(min_surplus=3)
    )
    assert message == (
        "理事: 17 candidates for 15 seats; a contested election needs at least 18 (seats + 3)."
    )


def test_every_position_is_checked_and_a_surplus_of_zero_allows_an_uncontested_election():
    positions = [
        PositionCount("会长", seats=1, candidates=1),
        PositionCount("副会长", seats=3, candidates=4),
        PositionCount("秘书长", seats=1, candidates=2),
    ]
    messages = contested_refusals(positions, rules=Rules(min_surplus=1))
    assert len(messages) == 1 and messages[0].startswith("会长: 1 candidate for 1 seats")
    assert contested_refusals(positions, rules=Rules(min_surplus=0)) == []


def test_an_election_without_positions_cannot_open():
    assert contested_refusals([], rules=RULES) == ["The election has no positions yet."]


def test_messages_are_translated():
    with translation.override("zh-hans"):
        (message,) = refusals(nominee(consecutive_terms=2))
    assert message == "张三已连续 2 届担任会长；最多只能连任 2 届。"
