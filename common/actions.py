"""Running a service from a POST: one way for every view that acts and then redirects.

A view that changes something calls one service (which checks the rules and raises
ValidationError to refuse), tells the visitor what happened with a flash message, and
redirects. `run_action` is that sequence, so every page says "done" and "refused" alike.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect


def add_service_errors(form, error):
    """Attach a service's ValidationError to the form: to a field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def form_messages(form):
    """The messages of an invalid form, field by field, for flashing."""
    return [message for errors in form.errors.values() for message in errors]


def run_action(request, action, *, success, redirect_to, form=None, on_refusal=None):
    """Run `action` (a service call) for a POST, flash the outcome and answer.

    - `action` takes no argument; with a `form`, it is called with the form's cleaned data,
      and only once the form is valid.
    - `success` is the message when the action worked: text, or a function of what the
      action returned.
    - `redirect_to` is where the visitor goes then: a URL, or what redirect() takes.
    - A refusal (an invalid form, or the ValidationError by which a service refuses; nothing
      was written) flashes each message and redirects to `redirect_to` too, or to
      `on_refusal` when that is a URL. When `on_refusal` is a function, the service's
      messages are put on the form instead, and on_refusal(form) answers (to show the form
      again with the errors next to its fields).
    """
    if form is not None and not form.is_valid():
        return _refused(request, form, form_messages(form), on_refusal, redirect_to)
    try:
        result = action(form.cleaned_data) if form is not None else action()
    except ValidationError as error:
        if form is not None and callable(on_refusal):
            add_service_errors(form, error)
        return _refused(request, form, error.messages, on_refusal, redirect_to)
    messages.success(request, success(result) if callable(success) else success)
    return redirect(redirect_to)


def _refused(request, form, texts, on_refusal, redirect_to):
    if callable(on_refusal):
        return on_refusal(form)
    for text in texts:
        messages.error(request, text)
    return redirect(on_refusal or redirect_to)
