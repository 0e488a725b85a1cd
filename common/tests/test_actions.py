"""run_action: a service run from a POST, its outcome flashed, one way for every view."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from common.actions import add_service_errors, run_action


class ReasonForm(forms.Form):
    reason = forms.CharField()


@pytest.fixture
def request_():
    request = RequestFactory().post("/act/")
    request._messages = CookieStorage(request)
    return request


def flashed(request):
    return [(message.level_tag, message.message) for message in get_messages(request)]


def refuse(*args):
    raise ValidationError(["Not now.", "Not like this."])


def test_success_is_flashed_and_redirects(request_):
    response = run_action(
        request_, lambda: 41 + 1, success=lambda result: f"Done: {result}", redirect_to="/done/"
    )
    assert (response.status_code, response["Location"]) == (302, "/done/")
    assert flashed(request_) == [("success", "Done: 42")]


def test_a_refusal_flashes_each_message_and_redirects(request_):
    response = run_action(request_, refuse, success="Done.", redirect_to="/done/")
    assert response["Location"] == "/done/"
    assert flashed(request_) == [("error", "Not now."), ("error", "Not like this.")]

    other = RequestFactory().post("/act/")
    other._messages = CookieStorage(other)
    response = run_action(other, refuse, success="Done.", redirect_to="/done/", on_refusal="/back/")
    assert response["Location"] == "/back/"


def test_an_invalid_form_never_reaches_the_service(request_):
    calls = []
    response = run_action(
        request_,
        calls.append,
        form=ReasonForm({"reason": ""}),
        success="Done.",
        redirect_to="/done/",
        on_refusal="/back/",
    )
    assert calls == []
    assert response["Location"] == "/back/"
    assert [level for level, _text in flashed(request_)] == ["error"]


def test_the_service_gets_the_cleaned_data(request_):
    response = run_action(
        request_,
        lambda data: data["reason"].upper(),
        form=ReasonForm({"reason": "moved"}),
        success=lambda result: result,
        redirect_to="/done/",
    )
    assert response["Location"] == "/done/"
    assert flashed(request_) == [("success", "MOVED")]


def test_a_refusal_can_show_the_form_again_with_its_errors(request_):
    def service(data):
        raise ValidationError({"reason": "Say more.", "other": "Elsewhere."})

    response = run_action(
        request_,
        service,
        form=ReasonForm({"reason": "x"}),
        success="Done.",
        redirect_to="/done/",
        on_refusal=lambda form: HttpResponse(repr(form.errors.get_json_data()), status=400),
    )
    assert response.status_code == 400
    assert "Say more." in response.content.decode()
    assert "Elsewhere." in response.content.decode()  # a field the form lacks: non-field
    assert flashed(request_) == []


def test_service_errors_land_on_the_form_fields():
    form = ReasonForm({"reason": "x"})
    assert form.is_valid()
    add_service_errors(form, ValidationError({"reason": "Too short.", "poll": "Closed."}))
    assert form.errors["reason"] == ["Too short."]
    assert form.non_field_errors() == ["Closed."]
    add_service_errors(form, ValidationError("Not now."))
    assert form.non_field_errors() == ["Closed.", "Not now."]
