"""common.mail: kinds of e-mail (mailings) composed in the association's language, with
subjects on one line."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from common.mail import absolute_url, email_message, mailing, notices, one_line

PROBE = {
    "emails/probe_subject.txt": "{% load i18n %}{% translate 'Yes' %}: {{ name }}\r\n",
    "emails/probe.txt": "{% load i18n %}{% translate 'Yes' %} / {{ word }}\n",
    "emails/probe.html": "<p>{{ word }}</p>",
}


@pytest.fixture(autouse=True)
def probe_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", PROBE)]},
        }
    ]


def probe(name="张三", to="a@example.org"):
    return email_message("probe", {"word": gettext("Yes"), "name": name}, to=[to])


def _people(*, names):
    return [(f"{name}@example.org", name) for name in names]


@mailing(_people)
def greeting(key, *, names):
    return probe(name=key, to=f"{key}@example.org")


@notices
def two_notices(*, names):
    return [probe(name=name, to=f"{name}@example.org") for name in names] + [None]


def test_a_mailing_lists_its_recipients_and_composes_in_the_association_language():
    assert greeting.path == "common.tests.test_mail.greeting"
    with translation.override("en"):
        assert greeting.recipients(names=["li", "wang"]) == [
            ("li@example.org", "li"),
            ("wang@example.org", "wang"),
        ]
        message = greeting.message("li", names=["li", "wang"])
    assert message.subject == "是: li"
    assert message.body == "是 / 是\n"
    assert message.alternatives[0] == ("<p>是</p>", "text/html")
    assert message.to == ["li@example.org"]


def test_notices_give_each_address_a_message_of_its_own():
    assert two_notices.recipients(names=["li", "wang", "li"]) == [
        ("li@example.org", "li@example.org"),
        ("wang@example.org", "wang@example.org"),
    ]
    message = two_notices.message("wang@example.org", names=["li", "wang"])
    assert message.to == ["wang@example.org"]
    assert message.subject == "是: wang"
    assert two_notices.message("zhao@example.org", names=["li"]) is None


def test_a_subject_stays_one_line_whatever_the_text_holds():
    subject = probe(name="张三\r\nBcc: someone@example.org").subject
    assert subject.endswith(": 张三 Bcc: someone@example.org")
    assert "\r" not in subject and "\n" not in subject
    assert one_line("a\rb\nc\u2028d\x0be\x85f  g") == "a b c d e f g"


def test_links_are_absolute_on_the_portal():
    assert absolute_url("https://portal.example.org/", "/members/me/") == (
        "https://portal.example.org/members/me/"
    )
