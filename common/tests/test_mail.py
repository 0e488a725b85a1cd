"""common.mail: e-mail composed in the association's language and sent after the commit."""

import pytest
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from common.mail import absolute_url, email_message, send_on_commit

pytestmark = pytest.mark.django_db

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


def probe(name="张三"):
    return email_message("probe", {"word": gettext("Yes"), "name": name}, to=["a@example.org"])


def test_messages_are_composed_after_the_commit_in_the_association_language(
    mailoutbox, django_capture_on_commit_callbacks
):
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        send_on_commit(probe)
        assert mailoutbox == []  # nothing leaves before the commit
    [message] = mailoutbox
    assert message.subject == "是: 张三"
    assert message.body == "是 / 是\n"
    assert message.alternatives[0] == ("<p>是</p>", "text/html")
    assert message.to == ["a@example.org"]


def test_a_subject_stays_one_line_whatever_the_text_holds(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_on_commit(lambda: [probe(name="张三\r\nBcc: someone@example.org"), probe()])
    assert [message.subject for message in mailoutbox] == [
        "是: 张三 Bcc: someone@example.org",
        "是: 张三",
    ]


def test_nothing_is_sent_when_the_action_is_rolled_back(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send_on_commit(probe)
                raise RuntimeError("the action failed")
        except RuntimeError:
            pass
        send_on_commit(lambda: None)  # a composer may have no one to write to
    assert mailoutbox == []


def test_links_are_absolute_on_the_portal():
    assert absolute_url("https://portal.example.org/", "/members/me/") == (
        "https://portal.example.org/members/me/"
    )
