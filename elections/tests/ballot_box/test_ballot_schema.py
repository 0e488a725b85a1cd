"""The schema itself proves that a ballot cannot be joined to its voter.

Read from Django's model meta and from PostgreSQL's catalogue: a ballot row has a random UUID
key, the poll, the choices and the receipt code, and nothing else; its only foreign key leads
to the poll; nothing references a ballot; it has no timestamp and no serial number.
"""

import pytest
from django.apps import apps
from django.db import connection

from elections.ballot_box.models import Ballot, Participation, Poll, SealedBallot

pytestmark = pytest.mark.django_db

VOTER_MODELS = {
    ("members", "user"),
    ("members", "member"),
    ("elections", "participation"),
    ("association", "rollentry"),
}


def _label(model):
    return (model._meta.app_label, model._meta.model_name)


def test_ballot_model_has_only_poll_choices_receipt_and_a_random_key():
    fields = {field.name: field for field in Ballot._meta.concrete_fields}

    assert set(fields) == {"id", "poll", "choices", "receipt"}
    assert fields["id"].get_internal_type() == "UUIDField"
    assert fields["id"].primary_key
    assert callable(fields["id"].default) and fields["id"].default.__name__ == "uuid4"
    relations = [field for field in Ballot._meta.get_fields() if field.is_relation]
    assert [(field.name, field.related_model) for field in relations] == [("poll", Poll)]


def test_no_model_points_at_a_ballot():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model is not Ballot, f"{model.__name__}.{field.name}"


def test_the_poll_a_ballot_points_at_has_no_voter_column():
    for field in Poll._meta.concrete_fields:
        if field.is_relation:
            assert _label(field.related_model) not in VOTER_MODELS, field.name
    # And a participation, which names the voter, has no path to a ballot.
    for field in Participation._meta.get_fields():
        if field.is_relation:
            assert field.related_model is not Ballot


def _fetch(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def test_database_ballot_table_has_no_voter_column_timestamp_or_serial():
    columns = _fetch(
        """
        SELECT column_name, data_type, column_default
        FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'elections_ballot'
        ORDER BY column_name
        """
    )

    assert [(name, kind) for name, kind, _default in columns] == [
        ("choices", "jsonb"),
        ("id", "uuid"),
        ("poll_id", "bigint"),
        ("receipt", "character varying"),
    ]
    assert all(default is None for _name, _kind, default in columns), "no serial, no now()"
    assert not any("time" in kind or kind == "date" for _name, kind, _default in columns)


def test_database_ballot_foreign_keys_lead_only_to_the_poll_and_nothing_references_ballots():
    outgoing = _fetch(
        """
        SELECT confrelid::regclass::text FROM pg_constraint
        WHERE conrelid = 'elections_ballot'::regclass AND contype = 'f'
        """
    )
    incoming = _fetch(
        """
        SELECT conrelid::regclass::text FROM pg_constraint
        WHERE confrelid = 'elections_ballot'::regclass AND contype = 'f'
        """
    )
    poll_references = _fetch(
        """
        SELECT confrelid::regclass::text FROM pg_constraint
        WHERE conrelid = 'elections_poll'::regclass AND contype = 'f'
        """
    )

    assert outgoing == [("elections_poll",)]
    assert incoming == []
    tables = {table for (table,) in poll_references}
    assert tables == {"association_meeting"}, "a poll names no voter"


def test_database_has_no_trigger_or_sequence_on_ballots():
    triggers = _fetch(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'elections_ballot'::regclass "
        "AND NOT tgisinternal"
    )
    sequences = _fetch(
        """
        SELECT s.relname FROM pg_class s
        JOIN pg_depend d ON d.objid = s.oid
        WHERE s.relkind = 'S' AND d.refobjid = 'elections_ballot'::regclass
        """
    )
    assert triggers == []
    assert sequences == []


def test_sealed_ballot_holds_only_its_poll_and_a_box_under_a_random_key():
    fields = {field.name: field for field in SealedBallot._meta.concrete_fields}

    assert set(fields) == {"id", "poll", "box"}
    assert fields["id"].default.__name__ == "uuid4"
    relations = [field for field in SealedBallot._meta.get_fields() if field.is_relation]
    assert [(field.name, field.related_model) for field in relations] == [("poll", Poll)]
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model is not SealedBallot, f"{model.__name__}.{field.name}"
    columns = _fetch(
        """
        SELECT column_name, data_type, column_default FROM information_schema.columns
        WHERE table_schema = current_schema() AND table_name = 'elections_sealedballot'
        ORDER BY column_name
        """
    )
    assert columns == [("box", "bytea", None), ("id", "uuid", None), ("poll_id", "bigint", None)]
    triggers = _fetch(
        "SELECT tgname FROM pg_trigger WHERE tgrelid = 'elections_sealedballot'::regclass "
        "AND NOT tgisinternal"
    )
    assert triggers == []
