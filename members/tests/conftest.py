"""Fixtures for the membership tests: the association, uploads, applications, members."""

import datetime

import pytest
from django.utils import timezone

from common.tests.factories import png_upload
from conftest import make_user
from members import roles, services
from members.models import Application, Member

# Real codes in the published format (GB 32100-2015), for the unit forms.
CREDIT_CODE = "91350100M000100Y43"
OTHER_CREDIT_CODE = "91440300708461136T"


def unit_form_data(**overrides):
    data = {
        "kind": "unit",
        "name": "许昌市向阳社会工作服务中心",
        "credit_code": CREDIT_CODE,
        "organisation_type": "social_work",
        "legal_representative": "周楠",
        "address": "许昌市魏都区向阳路18号",
        "county": "",
        "contact_name": "周楠",
        "contact_phone": "13937400001",
        "contact_email": "",
        "representative_email": "",
        "statement": "承接街道社工站项目。",
        "document_description": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def individual_form_data(**overrides):
    data = {
        "kind": "individual",
        "name": "蒋欣",
        "gender": "female",
        "employer": "许昌市魏都区西大街道社工站",
        "qualification": "assistant",
        "certificate_number": "20244110000321",
        "phone": "13937400002",
        "email": "jiangxin@example.org",
        "county": "",
        "statement": "",
        "document_description": "",
        "action": "save",
    }
    data.update(overrides)
    return data


def make_application(applicant, *, kind=Member.Kind.UNIT, submit=True, **fields):
    """An application through the services, with one scan attached; submitted by default."""
    if kind == Member.Kind.UNIT:
        values = {
            "name": "许昌市向阳社会工作服务中心",
            "credit_code": CREDIT_CODE,
            "organisation_type": "social_work",
            "legal_representative": "周楠",
            "address": "许昌市魏都区向阳路18号",
        }
    else:
        values = {"name": "蒋欣", "employer": "西大街道社工站", "phone": "13937400002"}
    values.update(fields)
    application = Application(applicant=applicant, kind=kind, **values)
    services.application_save(application=application, documents=[(png_upload(), "登记证书")])
    if submit:
        services.application_submit(application=application)
    return application


def days_ago(days, on=None):
    return (on or timezone.localdate()) - datetime.timedelta(days=days)


@pytest.fixture
def other_member(role_groups, county):
    """A second individual member, to check that members cannot see each other's records."""
    user = make_user("geren2@example.org", full_name="李华", groups=[roles.MEMBER])
    Member.objects.create(
        kind=Member.Kind.INDIVIDUAL,
        name="李华",
        number="XCSW-2025-0003",
        county=county,
        user=user,
        phone="13800001111",
    )
    return user


@pytest.fixture
def submitted_application(profile, applicant, county):
    return make_application(applicant, county=county)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """The personas' passwords need no strength here; hashing dominated the run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
