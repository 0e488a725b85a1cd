"""One vote through the pages (ballot page, confirmation, cast) within query budgets, filling
each form as a browser would: every hidden field, the last option of each question (abstain:
a ballot that never marks more candidates than seats)."""

from html.parser import HTMLParser

from django.urls import reverse

from elections.ballot_box.models import Participation, SealedBallot


class _Form(HTMLParser):
    """The fields a browser would send with the form whose action ends with `action_end`."""

    def __init__(self, html, action_end):
        super().__init__()
        self.action_end = action_end
        self.inside = False
        self.fields = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action", "").endswith(self.action_end)
        elif tag == "input" and self.inside and attrs.get("name"):
            if attrs.get("type") == "radio":
                self.fields[attrs["name"]] = attrs.get("value", "")
            elif attrs.get("type") == "hidden":
                self.fields[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def vote_within(client, poll, assert_max_queries, *, page, confirm, cast):
    """Vote in `poll` as the client's voter, each request within its budget of queries
    (pytest-django's django_assert_max_num_queries); asserts the ballot is in the box."""
    with assert_max_queries(page):
        response = client.get(reverse("elections:poll", args=[poll.pk]))
    assert response.status_code == 200
    fields = _Form(response.content.decode(), "/confirm/").fields
    assert fields.get("pass"), "the ballot page carries no voter pass"
    with assert_max_queries(confirm):
        response = client.post(reverse("elections:poll-confirm", args=[poll.pk]), fields)
    assert response.status_code == 200
    fields = _Form(response.content.decode(), "/cast/").fields
    assert fields.get("ticket"), "the confirmation carries no ticket"
    with assert_max_queries(cast):
        response = client.post(reverse("elections:poll-cast", args=[poll.pk]), fields)
    assert response.status_code == 200
    assert 'data-receipt="' in response.content.decode()
    assert Participation.objects.filter(poll=poll).count() == 1
    assert SealedBallot.objects.filter(poll=poll).count() == 1
