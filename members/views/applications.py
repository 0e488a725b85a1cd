"""Applying for membership, and the secretariat's review of applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.actions import add_service_errors, run_action
from common.files import serve_file
from common.params import query_page, query_text

from .. import services
from ..forms import (
    ApproveForm,
    DocumentForm,
    IndividualApplicationForm,
    InviteRepresentativeForm,
    ReasonForm,
    UnitApplicationForm,
)
from ..models import Application, ApplicationDocument, Member
from ..roles import is_secretariat, is_staff_role, secretariat_required, staff_two_factor
from ._access import get_application_for_user

FORMS = {Member.Kind.UNIT: UnitApplicationForm, Member.Kind.INDIVIDUAL: IndividualApplicationForm}


def _initial_for(user, kind):
    if kind == Member.Kind.INDIVIDUAL:
        return {"name": user.full_name, "email": user.email, "phone": user.phone}
    return {
        "contact_name": user.full_name,
        "contact_email": user.email,
        "contact_phone": user.phone,
    }


def _save_from_form(request, form, application):
    """Save (and with action=submit also submit) in one transaction; errors go on the form."""
    submit = request.POST.get("action") == "submit"
    has_documents = bool(form.documents()) or (
        application.pk is not None and application.documents.exists()
    )
    if submit and not has_documents:
        form.add_error(
            "document",
            _("Attach at least one supporting document (a scan or a PDF) before submitting."),
        )
        return None
    try:
        with transaction.atomic():
            services.application_save(
                application=application,
                documents=form.documents(),
                representative_email=form.cleaned_data.get("representative_email"),
                base_url=request.build_absolute_uri("/"),
            )
            if submit:
                services.application_submit(
                    application=application, base_url=request.build_absolute_uri("/")
                )
    except ValidationError as error:
        if application.pk and not Application.objects.filter(pk=application.pk).exists():
            application.pk = None  # The rolled-back insert must not look saved.
        add_service_errors(form, error)
        return None
    if submit:
        messages.success(
            request, _("Your application is submitted. The secretariat will review it.")
        )
    else:
        messages.success(request, _("Your draft is saved. Submit it when it is complete."))
    return redirect("members:application", pk=application.pk)


def _say_file_not_kept(request, form):
    """Browsers cannot fill a file field again: when the form comes back with errors, say
    plainly that the file chosen was not saved and must be chosen again."""
    upload = request.FILES.get("document")
    if upload is not None and "document" not in form.errors:
        form.add_error(
            "document",
            _(
                "The file you chose (%(name)s) was not saved because of the errors on this "
                "form: choose it again before saving."
            )
            % {"name": upload.name},
        )


def _application_form_page(request, application, *, saved, initial=None):
    """The application form: a valid POST saves (or submits) and redirects, anything else
    shows the form again. `saved` is the application as stored (None for a new one)."""
    form_class = FORMS[application.kind]
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, instance=application, applicant=request.user)
        if form.is_valid():
            response = _save_from_form(request, form, application)
            if response is not None:
                return response
        _say_file_not_kept(request, form)
    else:
        form = form_class(instance=application, applicant=request.user, initial=initial)
    return render(
        request,
        "members/apply_form.html",
        {"form": form, "kind": application.kind, "application": saved},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def apply_for_membership(request):
    """Start an application (unit or individual), or go to the open one."""
    if is_staff_role(request.user):
        return render(
            request,
            "members/apply_staff.html",
            {"reason": services.STAFF_CANNOT_APPLY},
            status=403,
        )
    open_application = Application.objects.filter(
        applicant=request.user, status__in=Application.OPEN_STATUSES
    ).first()
    if open_application is not None:
        if request.method == "POST":
            messages.error(
                request,
                _("You already have an open application. Withdraw it before starting another."),
            )
        return redirect("members:application", pk=open_application.pk)
    kind = request.POST.get("kind") or query_text(request, "kind")
    if kind not in FORMS:
        past = Application.objects.filter(applicant=request.user).select_related("member")
        return render(request, "members/apply_choose.html", {"past_applications": past})
    application = Application(applicant=request.user, kind=kind)
    return _application_form_page(
        request, application, initial=_initial_for(request.user, kind), saved=None
    )


@login_required
@staff_two_factor
@require_http_methods(["GET", "HEAD", "POST"])
def edit_application(request, pk):
    application = get_application_for_user(request, pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    if not application.is_editable:
        messages.error(request, _("This application can no longer be changed."))
        return redirect("members:application", pk=application.pk)
    return _application_form_page(request, application, saved=application)


def _representative_context(application, is_own):
    """What the page says about the unit's representative: the open invitation (waiting,
    expired or declined) if any, and for the applicant the form to invite (again)."""
    if not application.is_unit:
        return {}
    current = application.representative_invitations.current()
    open_invitation = current if current and current.state in ("pending", "declined") else None
    context = {"invitation": open_invitation}
    if is_own and application.is_open:
        context["invite_form"] = InviteRepresentativeForm(
            initial={"email": application.named_representative_email()}
        )
    return context


@login_required
@staff_two_factor
def show_application(request, pk):
    application = get_application_for_user(request, pk)
    is_own = application.applicant_id == request.user.pk
    context = {
        "application": application,
        "documents": application.documents.all(),
        "is_own": is_own,
        "reviewing": is_secretariat(request.user),
        "document_form": DocumentForm() if is_own and application.is_editable else None,
        "approve_form": ApproveForm(),
        "return_form": ReasonForm(prefix="return"),
        "reject_form": ReasonForm(prefix="reject"),
        **_representative_context(application, is_own),
    }
    return render(request, "members/application.html", context)


@login_required
@require_POST
def name_representative(request, pk):
    """The applicant invites the unit's representative (again, or someone else), or
    represents the unit themselves. Any address gets the same answer: nothing is looked up."""
    application = get_application_for_user(request, pk)
    if application.applicant_id != request.user.pk or not application.is_unit:
        raise Http404
    redirect_to = reverse("members:application", args=[application.pk])
    if request.POST.get("myself"):
        return run_action(
            request,
            lambda: services.representative_invitation_cancel(
                application=application, actor=request.user
            ),
            success=_("You represent the unit yourself."),
            redirect_to=redirect_to,
        )
    return run_action(
        request,
        lambda data: services.representative_invite(
            application=application,
            email=data["email"],
            actor=request.user,
            base_url=request.build_absolute_uri("/"),
        ),
        form=InviteRepresentativeForm(request.POST),
        success=_invitation_sent,
        redirect_to=redirect_to,
    )


def _invitation_sent(invitation):
    return _(
        "An invitation is sent to %(email)s. The person becomes the unit's voting "
        "representative once they accept it."
    ) % {"email": invitation.email}


def _own_editable(request, pk):
    application = get_application_for_user(request, pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    return application


@login_required
@require_POST
def add_application_document(request, pk):
    application = _own_editable(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.application_document_add(
                application=application,
                upload=form.cleaned_data["document"],
                description=form.cleaned_data["document_description"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
    if form.errors:
        return render(
            request,
            "members/application.html",
            {
                "application": application,
                "documents": application.documents.all(),
                "is_own": True,
                "reviewing": False,
                "document_form": form,
            },
            status=400,
        )
    messages.success(request, _("The document is attached."))
    return redirect("members:application", pk=application.pk)


@login_required
@require_POST
def delete_application_document(request, pk, document_pk):
    application = _own_editable(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    return run_action(
        request,
        lambda: services.application_document_delete(document=document),
        success=_("The document is removed."),
        redirect_to=reverse("members:application", args=[application.pk]),
    )


@login_required
@staff_two_factor
def download_application_document(request, pk, document_pk, variant="file"):
    """A supporting document, to its applicant and the secretariat only."""
    application = get_application_for_user(request, pk)
    document = get_object_or_404(ApplicationDocument, pk=document_pk, application=application)
    if variant == "thumbnail":
        return serve_file(document.thumbnail)
    return serve_file(document.file, filename=document.original_name)


@login_required
@require_POST
def submit_application(request, pk):
    application = _own_editable(request, pk)
    return run_action(
        request,
        lambda: services.application_submit(
            application=application, base_url=request.build_absolute_uri("/")
        ),
        success=_("Your application is submitted. The secretariat will review it."),
        redirect_to=reverse("members:application", args=[application.pk]),
    )


@login_required
@require_POST
def withdraw_application(request, pk):
    application = get_application_for_user(request, pk)
    if application.applicant_id != request.user.pk:
        raise Http404
    return run_action(
        request,
        lambda: services.application_withdraw(application=application),
        success=_("Your application is withdrawn."),
        redirect_to=reverse("members:apply"),
    )


# The secretariat's queue ------------------------------------------------------------------


@secretariat_required
def list_applications(request):
    status = query_text(request, "status") or Application.Status.SUBMITTED
    if status not in Application.Status.values and status != "all":
        status = Application.Status.SUBMITTED
    applications = Application.objects.select_related("applicant", "county").annotate(
        document_count=Count("documents")
    )
    if status != "all":
        applications = applications.filter(status=status)
    applications = applications.order_by("submitted_at", "created_at", "pk")
    counts = dict(Application.objects.values_list("status").annotate(count=Count("pk")).order_by())
    page = query_page(request, applications, 25)
    tabs = [(value, label, counts.get(value, 0)) for value, label in Application.Status.choices]
    return render(
        request,
        "members/application_queue.html",
        {"page": page, "status": status, "tabs": tabs, "total": sum(counts.values())},
    )


def _get_submitted(pk):
    return get_object_or_404(Application.objects.select_related("applicant"), pk=pk)


def _decide(request, application, service, form, success):
    """A decision on an application: done, back to the queue; refused, back to it."""
    return run_action(
        request,
        service,
        form=form,
        success=success,
        redirect_to=reverse("members:application-queue"),
        on_refusal=reverse("members:application", args=[application.pk]),
    )


@secretariat_required
@require_POST
def approve_application(request, pk):
    application = _get_submitted(pk)
    return _decide(
        request,
        application,
        lambda data: services.application_approve(
            application=application,
            actor=request.user,
            tier=data["tier"],
            base_url=request.build_absolute_uri("/"),
        ),
        ApproveForm(request.POST),
        lambda member: (
            _("%(name)s is admitted with member number %(number)s.")
            % {"name": member.name, "number": member.number}
        ),
    )


def _decide_with_reason(request, pk, service, prefix, success):
    """Reject or send back: the reason the secretariat gives goes to the applicant."""
    application = _get_submitted(pk)
    return _decide(
        request,
        application,
        lambda data: service(
            application=application,
            actor=request.user,
            reason=data["reason"],
            base_url=request.build_absolute_uri("/"),
        ),
        ReasonForm(request.POST, prefix=prefix),
        success,
    )


@secretariat_required
@require_POST
def reject_application(request, pk):
    return _decide_with_reason(
        request,
        pk,
        services.application_reject,
        "reject",
        _("The application is rejected; the applicant is told why."),
    )


@secretariat_required
@require_POST
def return_application(request, pk):
    return _decide_with_reason(
        request,
        pk,
        services.application_return,
        "return",
        _("The application is sent back to the applicant for changes."),
    )
