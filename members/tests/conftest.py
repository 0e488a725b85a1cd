"""Fixtures for the membership tests: the association, uploads, applications, members."""

import datetime
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from association.models import AssociationProfile
from conftest import make_user
from members import roles, services
from members.models import Application, Member

# Real codes in the published format (GB 32100-2015), for the unit forms.
CREDIT_CODE = "91350100M000100Y43"
OTHER_CREDIT_CODE = "91440300708461136T"


def png_bytes(size=(600, 400), color=(240, 240, 240), fmt="PNG"):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, fmt)
    return out.getvalue()


def noise_png_bytes(side=400):
    """A PNG that does not compress: random pixels, about 3 bytes a pixel."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "PNG")
    return out.getvalue()


def pdf_bytes():
    out = io.BytesIO()
    Image.new("RGB", (200, 280), "white").save(out, "PDF")
    return out.getvalue()


def png_upload(name="scan.png", **kwargs):
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


def pdf_upload(name="letter.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


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
def profile(db, city):
    return AssociationProfile.objects.create(
        name="许昌市社会工作行业协会", member_number_prefix="XCSW", city=city
    )


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
