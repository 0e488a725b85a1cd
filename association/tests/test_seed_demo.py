"""`seed_demo`: idempotent, development only."""

import io

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from association.models import AssociationProfile
from members.models import User

pytestmark = pytest.mark.django_db(transaction=True)

OUR_APPS = ["association", "members", "elections", "stations", "training"]


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in OUR_APPS
        for model in apps.get_app_config(app).get_models()
    }


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())
    first = row_counts()
    call_command("seed_demo", stdout=io.StringIO())

    assert row_counts() == first
    assert AssociationProfile.objects.count() == 1
    # One account per role at least.
    for email in (
        "mishu@example.org",
        "minzheng@example.org",
        "huiyuan@example.org",
        "shenqing@example.org",
    ):
        assert User.objects.filter(email=email).exists()


def test_seed_demo_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")

    assert not User.objects.exists()


def test_seed_demo_can_be_forced(settings):
    settings.DEBUG = False

    call_command("seed_demo", force=True, stdout=io.StringIO())

    assert AssociationProfile.objects.exists()
