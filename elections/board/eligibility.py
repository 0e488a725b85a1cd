"""Eligibility rules of board elections, as pure checks that return translated messages.

The officer rules, each a setting of the election (associations differ): at most two
consecutive terms in the same office, an age limit of 70 on the election day, the president
and the secretary-general different people and not from the same member unit, and a
full-time secretary-general. The term and age limits apply to the officers (president,
vice-president, secretary-general), as in the model charter (社会团体章程示范文本); council
members are not limited by them. The contested rule (差额选举) asks for at least
seats + surplus candidates on every position before the election can open.

Nothing here reads the database: callers pass what they know (see Nominee), so the rules
can be tested on their own and the same function guards the nomination page, the admin and
opening an election.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

COUNCIL_MEMBER = ""
PRESIDENT = "president"
VICE_PRESIDENT = "vice_president"
SECRETARY_GENERAL = "secretary_general"
OFFICERS = (PRESIDENT, VICE_PRESIDENT, SECRETARY_GENERAL)


def office_label(office):
    return {
        COUNCIL_MEMBER: _("council member"),
        PRESIDENT: _("president"),
        VICE_PRESIDENT: _("vice-president"),
        SECRETARY_GENERAL: _("secretary-general"),
    }.get(office, office)


@dataclass(frozen=True)
class Rules:
    """An election's eligibility settings; None or 0 switches a limit off."""

    max_consecutive_terms: int | None = 2
    age_limit: int | None = 70
    president_secretary_distinct: bool = True
    secretary_general_full_time: bool = True
    min_surplus: int = 1


@dataclass(frozen=True)
class Nominee:
    """What the rules need to know about one nomination.

    `person` identifies the human being (an individual member, or a unit member's named
    representative); `unit` identifies the member unit they stand for, None for an
    individual member. `consecutive_terms` is how many terms in a row, up to the term being
    elected, the person has held this same office (see consecutive_terms()).
    """

    person: str
    name: str
    office: str
    unit: str | None = None
    birth_date: datetime.date | None = None
    full_time: bool = False
    consecutive_terms: int = 0


def age_on(birth_date, on):
    """Completed years of age on the day `on` (a 29 February birthday counts on 1 March)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def consecutive_terms(held_terms: Iterable[int], next_term: int):
    """How many terms right before `next_term` in a row appear among `held_terms`."""
    held = set(held_terms)
    count = 0
    term = next_term - 1
    while term in held:
        count += 1
        term -= 1
    return count


def check_age(nominee, *, rules, election_date):
    if not rules.age_limit or nominee.office not in OFFICERS:
        return []
    if nominee.birth_date is None:
        return [
            _(
                "Enter %(name)s's date of birth: candidates for %(office)s must not be older "
                "than %(limit)s on the election day."
            )
            % {
                "name": nominee.name,
                "office": office_label(nominee.office),
                "limit": rules.age_limit,
            }
        ]
    age = age_on(nominee.birth_date, election_date)
    if age > rules.age_limit:
        return [
            _(
                "%(name)s will be %(age)s on the election day (%(date)s); candidates for "
                "%(office)s must not be older than %(limit)s."
            )
            % {
                "name": nominee.name,
                "age": age,
                "date": election_date.isoformat(),
                "office": office_label(nominee.office),
                "limit": rules.age_limit,
            }
        ]
    return []


def check_terms(nominee, *, rules):
    limit = rules.max_consecutive_terms
    if not limit or nominee.office not in OFFICERS or nominee.consecutive_terms < limit:
        return []
    return [
        ngettext(
            "%(name)s has held the office of %(office)s for %(terms)s consecutive terms; at "
            "most %(limit)s consecutive term is allowed.",
            "%(name)s has held the office of %(office)s for %(terms)s consecutive terms; at "
            "most %(limit)s consecutive terms are allowed.",
            limit,
        )
        % {
            "name": nominee.name,
            "office": office_label(nominee.office),
            "terms": nominee.consecutive_terms,
            "limit": limit,
        }
    ]


def check_full_time(nominee, *, rules):
    if (
        rules.secretary_general_full_time
        and nominee.office == SECRETARY_GENERAL
        and not nominee.full_time
    ):
        return [
            _(
                "%(name)s has not declared to work full-time: the secretary-general must be "
                "full-time."
            )
            % {"name": nominee.name}
        ]
    return []


def officers_conflict(first, second):
    """The message when the president `first` and the secretary-general `second` clash."""
    if first.person == second.person:
        return _(
            "%(name)s cannot be both president and secretary-general: they must be different "
            "people."
        ) % {"name": first.name}
    if first.unit is not None and first.unit == second.unit:
        return _(
            "%(first)s and %(second)s stand for the same member unit: the president and the "
            "secretary-general must not come from the same member unit."
        ) % {"first": first.name, "second": second.name}
    return None


def check_officer_pairs(nominee, others: Iterable[Nominee], *, rules):
    """The president/secretary-general rule against the other nominees of the election.

    Checked at nomination, against every candidate for the other office: in a contested
    election any two of them could both be elected, so a pair that would break the rule is
    refused before the ballot exists rather than after it has been counted.
    """
    if not rules.president_secretary_distinct:
        return []
    pairs = {PRESIDENT: SECRETARY_GENERAL, SECRETARY_GENERAL: PRESIDENT}
    other_office = pairs.get(nominee.office)
    if other_office is None:
        return []
    messages = []
    for other in others:
        if other.office != other_office:
            continue
        pair = (nominee, other) if nominee.office == PRESIDENT else (other, nominee)
        message = officers_conflict(*pair)
        if message and message not in messages:
            messages.append(message)
    return messages


def nominee_refusals(nominee, *, rules, election_date, others: Iterable[Nominee] = ()):
    """Every rule the nomination breaks, as messages; an empty list means it may stand."""
    return [
        *check_terms(nominee, rules=rules),
        *check_age(nominee, rules=rules, election_date=election_date),
        *check_full_time(nominee, rules=rules),
        *check_officer_pairs(nominee, others, rules=rules),
    ]


@dataclass(frozen=True)
class PositionCount:
    """A position's name, seats and number of candidates, for the contested rule."""

    name: str
    seats: int
    candidates: int


def contested_refusals(positions: Iterable[PositionCount], *, rules):
    """Why the election may not open: positions with fewer than seats + surplus candidates."""
    surplus = max(rules.min_surplus or 0, 0)
    messages = []
    positions = list(positions)
    if not positions:
        messages.append(_("The election has no positions yet."))
    for position in positions:
        needed = position.seats + surplus
        if position.candidates < needed:
            messages.append(
                ngettext(
                    "%(position)s: %(candidates)s candidate for %(seats)s seats; a contested "
                    "election needs at least %(needed)s (seats + %(surplus)s).",
                    "%(position)s: %(candidates)s candidates for %(seats)s seats; a contested "
                    "election needs at least %(needed)s (seats + %(surplus)s).",
                    position.candidates,
                )
                % {
                    "position": position.name,
                    "candidates": position.candidates,
                    "seats": position.seats,
                    "needed": needed,
                    "surplus": surplus,
                }
            )
    return messages


def officer_results_refusals(elected: Iterable[Nominee], *, rules):
    """The president/secretary-general rule on certified results, across elections."""
    if not rules.president_secretary_distinct:
        return []
    elected = list(elected)
    presidents = [n for n in elected if n.office == PRESIDENT]
    secretaries = [n for n in elected if n.office == SECRETARY_GENERAL]
    messages = []
    for president in presidents:
        for secretary in secretaries:
            message = officers_conflict(president, secretary)
            if message:
                messages.append(message)
    return messages
