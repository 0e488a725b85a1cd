"""Sealed ballots on PostgreSQL, against someone who reads the database or a dump of it.

These tests commit for real (transaction=True), so that each cast has a transaction id of
its own, as in production: the xmin join of the issue then links each participation to the
row written with it.
"""

import json
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from association.models import Motion
from association.services import motion_save
from conftest import make_voters
from elections.ballot_box import sealing
from elections.ballot_box.models import Ballot, Participation, Poll, SealedBallot
from elections.ballot_box.services import ballot_cast, poll_close, poll_open, polls_close_due
from elections.ballot_box.tally import Base

pytestmark = pytest.mark.django_db(transaction=True)

VOTES = ["yes", "no", "abstain", "abstain", "yes"]

XMIN_JOIN = """
    SELECT u.email, b.*
    FROM elections_participation p
    JOIN {table} b ON b.xmin = p.xmin AND b.poll_id = p.poll_id
    JOIN members_member m ON m.id = p.voter_id
    JOIN members_user u ON u.id = m.user_id
    WHERE p.poll_id = %s
"""


def _fetch(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [col.name for col in cursor.description], cursor.fetchall()


def _motion_poll(meeting, secretariat, *, scrutineers=None):
    motion = Motion(
        meeting=meeting, number=5, title="议案", kind=Motion.Kind.RESOLUTION, base=Base.CAST
    )
    poll = motion_save(motion=motion, requires_presence=False).poll
    poll = poll_open(poll=poll, actor=secretariat, scrutineers=scrutineers)
    codes = poll.scrutineer_codes
    poll.refresh_from_db()
    return poll, codes


@pytest.fixture
def voted(meeting, secretariat, role_groups):
    """An open motion with five ballots cast, each in its own transaction."""
    voters = make_voters(len(VOTES))
    poll, _codes = _motion_poll(meeting, secretariat)
    receipts = [
        ballot_cast(poll=poll, actor=user, choices={"vote": vote})
        for user, vote in zip(voters, VOTES, strict=True)
    ]
    return poll, voters, receipts


def test_the_xmin_join_finds_only_sealed_boxes_during_the_vote(voted):
    poll, voters, receipts = voted

    columns, rows = _fetch(XMIN_JOIN.format(table="elections_sealedballot"), [poll.pk])

    # The join still pairs each voter with the row written with them...
    assert sorted(row[0] for row in rows) == sorted(user.email for user in voters)
    # ...but that row is the poll and a box: no choice, no receipt, all boxes one size.
    assert sorted(columns) == ["box", "email", "id", "poll_id"]
    boxes = [bytes(row[columns.index("box")]) for row in rows]
    assert len({len(box) for box in boxes}) == 1
    for box in boxes:
        for receipt in receipts:
            assert receipt.encode() not in box
        for word in (b"vote", b"yes", b"abstain"):
            assert word not in box
    assert _fetch(XMIN_JOIN.format(table="elections_ballot"), [poll.pk])[1] == []


def test_a_dump_taken_during_the_vote_holds_no_choice_and_no_receipt(voted):
    poll, _voters, receipts = voted
    settings = connection.settings_dict

    dump = subprocess.run(
        [
            "pg_dump",
            "--data-only",
            "-h",
            settings["HOST"] or "127.0.0.1",
            "-p",
            str(settings["PORT"] or 5432),
            "-U",
            settings["USER"] or "postgres",
            settings["NAME"],
        ],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout.decode()

    assert "COPY public.elections_sealedballot" in dump
    for receipt in receipts:
        assert receipt not in dump
    assert '"vote"' not in dump and "abstain" not in dump
    # The private key is in the dump only wrapped with BALLOT_KEY, which it does not hold.
    private = sealing.unwrap(Poll.objects.get(pk=poll.pk).wrapped_key)
    assert bytes(private).hex() not in dump
    assert sealing.DEVELOPMENT_BALLOT_KEY not in dump


def test_after_the_close_nothing_links_a_voter_to_a_ballot(voted, secretariat):
    poll, _voters, receipts = voted
    sealed_ids = set(SealedBallot.objects.filter(poll=poll).values_list("id", flat=True))

    poll_close(poll=poll, actor=secretariat)

    assert _fetch(XMIN_JOIN.format(table="elections_ballot"), [poll.pk])[1] == []
    assert not SealedBallot.objects.filter(poll=poll).exists()
    ballots = Ballot.objects.filter(poll=poll)
    assert sorted(ballots.values_list("receipt", flat=True)) == sorted(receipts)
    # Fresh keys: no id of a sealed row survives, so no dead tuple or WAL record leads on.
    assert not sealed_ids & set(ballots.values_list("id", flat=True))
    # Written by the close's one transaction, with the key material gone.
    _columns, xmins = _fetch(
        "SELECT DISTINCT xmin::text FROM elections_ballot WHERE poll_id = %s", [poll.pk]
    )
    assert len(xmins) == 1
    poll.refresh_from_db()
    assert poll.wrapped_key is None
    assert poll.counted_totals == {"yes": 2, "no": 1, "abstain": 2}
    assert Participation.objects.filter(poll=poll).count() == len(VOTES)


def test_a_changed_ballot_key_refuses_the_close_and_changes_nothing(voted, secretariat, settings):
    poll, _voters, _receipts = voted
    settings.BALLOT_KEY = "another-ballot-key-that-is-long-enough-0123456789"

    with pytest.raises(ValidationError, match="not the one in force"):
        poll_close(poll=poll, actor=secretariat)

    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN and poll.wrapped_key is not None
    assert SealedBallot.objects.filter(poll=poll).count() == len(VOTES)


def test_without_a_ballot_key_an_online_poll_does_not_open(
    meeting, secretariat, role_groups, settings
):
    make_voters(1)
    settings.BALLOT_KEY = ""

    with pytest.raises(ValidationError, match="no ballot key"):
        _motion_poll(meeting, secretariat)
    assert not Poll.objects.filter(state=Poll.State.OPEN).exists()


# Scrutineer keys (监票人): k of n codes, shown once, stored nowhere.


@pytest.fixture
def held(meeting, secretariat, role_groups):
    voters = make_voters(len(VOTES))
    poll, codes = _motion_poll(meeting, secretariat, scrutineers=(3, 5))
    for user, vote in zip(voters, VOTES, strict=True):
        ballot_cast(poll=poll, actor=user, choices={"vote": vote})
    return poll, codes


def test_scrutineer_codes_are_made_once_and_stored_nowhere(held):
    poll, codes = held

    assert len(codes) == 5 and len(set(codes)) == 5
    assert poll.wrapped_key is None and (poll.scrutineer_quorum, poll.scrutineer_count) == (3, 5)
    _columns, rows = _fetch("SELECT * FROM elections_poll WHERE id = %s", [poll.pk])
    text = json.dumps([str(value) for value in rows[0]])
    for code in codes:
        assert code not in text and code.replace("-", "") not in text
        _x, share = sealing.read_share_code(poll.pk, code)
        assert share.hex() not in text


def test_fewer_than_k_codes_are_refused_and_change_nothing(held, secretariat):
    poll, codes = held

    with pytest.raises(ValidationError, match="needs the codes of 3 scrutineers; 2 were"):
        poll_close(poll=poll, actor=secretariat, scrutineer_codes=codes[:2])
    with pytest.raises(ValidationError, match="entered twice"):
        poll_close(poll=poll, actor=secretariat, scrutineer_codes=[codes[0], codes[0], codes[1]])

    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN
    assert SealedBallot.objects.filter(poll=poll).count() == len(VOTES)


def test_a_wrong_code_is_refused_without_harm_then_k_of_n_count(held, secretariat):
    poll, codes = held
    mistyped = codes[1][:-1] + ("2" if codes[1][-1] != "2" else "3")
    forged = sealing.share_code(poll.pk, 4, bytes(32))  # well formed, but not a real share

    with pytest.raises(ValidationError, match="Code 2: This scrutineer code is mistyped"):
        poll_close(poll=poll, actor=secretariat, scrutineer_codes=[codes[0], mistyped, codes[2]])
    with pytest.raises(ValidationError, match="do not open this poll"):
        poll_close(poll=poll, actor=secretariat, scrutineer_codes=[codes[0], codes[1], forged])
    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN
    assert SealedBallot.objects.filter(poll=poll).count() == len(VOTES)

    # Two codes lost: any three of the five still count the poll, typed loosely.
    typed = [codes[4].lower(), codes[1].replace("-", " "), codes[2]]
    poll_close(poll=poll, actor=secretariat, scrutineer_codes=typed)

    poll.refresh_from_db()
    assert poll.state == Poll.State.CLOSED
    assert poll.counted_totals == {"yes": 2, "no": 1, "abstain": 2}
    assert Ballot.objects.filter(poll=poll).count() == len(VOTES)


def test_a_code_of_another_poll_is_refused(held, meeting, secretariat):
    poll, codes = held
    other = motion_save(
        motion=Motion(meeting=meeting, number=9, title="另一议案", kind=Motion.Kind.RESOLUTION)
    ).poll
    other_codes = poll_open(poll=other, actor=secretariat, scrutineers=(2, 3)).scrutineer_codes

    with pytest.raises(ValidationError, match="belongs to another poll"):
        poll_close(poll=poll, actor=secretariat, scrutineer_codes=[*codes[:2], other_codes[0]])


def test_shamir_any_k_shares_rebuild_the_secret_and_fewer_do_not():
    secret = bytes(range(32))
    shares = sealing.split(secret, quorum=3, count=5)

    for chosen in ([0, 1, 2], [4, 2, 0], [1, 3, 4]):
        assert sealing.combine([shares[i] for i in chosen]) == secret
    assert sealing.combine(shares[:2]) != secret


def test_scheduled_closing_leaves_a_poll_the_scrutineers_hold_to_them(held):
    poll, _codes = held
    Poll.objects.filter(pk=poll.pk).update(closes_at=poll.opened_at)

    assert polls_close_due() == []

    poll.refresh_from_db()
    assert poll.state == Poll.State.OPEN
    assert poll.refusal_by_time()[0] == "late"  # but it takes no more ballots


def test_a_repeated_receipt_does_not_stop_the_close(voted, secretariat, meeting):
    poll, _voters, receipts = voted
    # A receipt already on another poll's board, and one repeated within this poll (a code
    # made in a browser is the voter's to choose).
    other = motion_save(
        motion=Motion(meeting=meeting, number=8, title="另一议案", kind=Motion.Kind.RESOLUTION)
    ).poll
    Ballot.objects.create(poll=other, choices={"vote": "yes"}, receipt=receipts[0])
    SealedBallot.objects.create(
        poll=poll,
        box=sealing.seal(poll.public_key, {"vote": "no"}, receipts[1], size=poll.sealed_size),
    )

    poll_close(poll=poll, actor=secretariat)

    assert Ballot.objects.filter(poll=poll).count() == len(VOTES) + 1
    assert Ballot.objects.filter(receipt=receipts[0]).count() == 2
    assert Ballot.objects.filter(poll=poll, receipt=receipts[1]).count() == 2
