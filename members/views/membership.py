"""A member's own pages: membership and standing, profile, certificate, representative."""

import json

from allauth.account.models import EmailAddress
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from association.models import AssociationProfile
from common.actions import add_service_errors
from common.certificates import certificate_download
from common.files import serve_file

from .. import services
from ..certificates import certificate_pdf, certificate_png
from ..forms import IndividualProfileForm, RepresentativeForm, UnitProfileForm
from ..models import Application, DuesRate, Member, Representative, RepresentativeInvitation
from ..roles import (
    is_member,
    is_secretariat,
    member_required,
    needs_two_factor_setup,
    redirect_to_two_factor_setup,
    staff_two_factor,
)
from ._access import get_member_for_user


@member_required
@require_safe
def show_membership(request):
    """Membership, standing, dues, certificate and representative of each member the account
    votes for (usually one)."""
    today = timezone.localdate()
    memberships = (
        Member.objects.filter(user=request.user)
        .select_related("county")
        .prefetch_related(
            "dues_payments",
            Prefetch(
                "representatives",
                queryset=Representative.objects.select_related("user").order_by("-since"),
            ),
        )
        .order_by("number")
    )
    cards = []
    for member in memberships:
        payments = list(member.dues_payments.all())
        rate = DuesRate.for_member(member, today.year)
        cards.append(
            {
                "member": member,
                "good_standing": member.is_in_good_standing(today),
                "standing_expires_on": member.standing_expires_on(today),
                "payments": payments,
                "activities": list(member.activities.order_by("-on")[:5]),
                "paid_this_year": any(payment.year == today.year for payment in payments),
                "rate": rate,
                "certificate": member.current_certificate(),
                "representatives": list(member.representatives.all()),
                "invitation": (
                    member.representative_invitations.pending().first() if member.is_unit else None
                ),
            }
        )
    return render(request, "members/me.html", {"cards": cards, "today": today})


def _membership_record(member):
    fields = [
        "number",
        "kind",
        "name",
        "tier",
        "status",
        "status_since",
        "status_reason",
        "member_since",
        "member_until",
        *Member.UNIT_FIELDS,
        *Member.INDIVIDUAL_FIELDS,
    ]
    record = {field: getattr(member, field) for field in fields}
    record["county"] = member.county.name if member.county else None
    record["has_logo"] = bool(member.logo)
    record["has_photo"] = bool(member.photo)
    record["dues_payments"] = list(
        member.dues_payments.values("year", "amount", "paid_on", "receipt_number", "note")
    )
    record["activities"] = list(member.activities.values("on", "description"))
    record["certificates"] = list(
        member.certificates.values("tier", "issued_on", "valid_until", "revoked_on")
    )
    record["changes"] = list(member.changes.values("changed_at", "action", "details", "reason"))
    return record


def _invitation_records(user):
    """The invitations to represent a unit that `user` sent, answered or received at one of
    their verified addresses (answered or not): to which address, for which unit, and what
    became of them (never the token's hash). An unverified address may be someone else's:
    what was sent to it is not this account's to download."""
    to_my_address = Exists(
        EmailAddress.objects.filter(user=user, verified=True, email__iexact=OuterRef("email"))
    )
    invitations = (
        RepresentativeInvitation.objects.annotate(to_me=to_my_address)
        .filter(Q(invited_by=user) | Q(answered_by=user) | Q(to_me=True))
        .select_related("application", "member")
        .order_by("invited_at", "pk")
    )
    return [
        {
            "sent_by_me": invitation.invited_by_id == user.pk,
            "answered_by_me": invitation.answered_by_id == user.pk,
            "to_my_address": invitation.to_me,
            "email": invitation.email,
            "unit": invitation.unit_name,
            "invited_for": "application" if invitation.application_id else "member",
            "state": invitation.state,
            "reason": invitation.reason,
            "invited_at": invitation.invited_at,
            "expires_at": invitation.expires_at,
            "closed_at": invitation.closed_at,
        }
        for invitation in invitations
    ]


@login_required
@require_safe
def download_my_data(request):
    """Everything the portal holds about the account, as JSON (PIPL: a copy of one's data)."""
    user = request.user
    data = {
        "exported_at": timezone.now(),
        "account": {
            "email": user.email,
            "full_name": user.full_name,
            "phone": user.phone,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "consent_at": user.consent_at,
            "roles": sorted(user.groups.values_list("name", flat=True)),
        },
        "memberships": [
            _membership_record(member)
            for member in Member.objects.filter(user=user).select_related("county")
        ],
        "representative_terms": list(
            Representative.objects.filter(user=user).values(
                "member__name", "member__number", "since", "until", "reason"
            )
        ),
        "representative_invitations": _invitation_records(user),
        "applications": [
            {
                "kind": application.kind,
                "status": application.status,
                "name": application.name,
                "credit_code": application.credit_code,
                "organisation_type": application.organisation_type,
                "legal_representative": application.legal_representative,
                "address": application.address,
                "contact_name": application.contact_name,
                "contact_phone": application.contact_phone,
                "contact_email": application.contact_email,
                "gender": application.gender,
                "employer": application.employer,
                "qualification": application.qualification,
                "certificate_number": application.certificate_number,
                "phone": application.phone,
                "email": application.email,
                "statement": application.statement,
                "created_at": application.created_at,
                "submitted_at": application.submitted_at,
                "decided_at": application.decided_at,
                "decision_reason": application.decision_reason,
                "documents": [
                    {
                        "description": document.description,
                        "original_name": document.original_name,
                        "size": document.size,
                        "uploaded_at": document.uploaded_at,
                    }
                    for document in application.documents.all()
                ],
            }
            for application in Application.objects.filter(applicant=user).prefetch_related(
                "documents"
            )
        ],
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response["Cache-Control"] = "private, no-store"
    return response


def _after_member_change(request, member):
    # The change may have moved the member role; forget the roles cached on this request.
    services.forget_cached_roles(request.user)
    if is_secretariat(request.user) and member.user_id != request.user.pk:
        return redirect("members:member", pk=member.pk)
    if is_member(request.user):
        return redirect("members:me")
    return redirect("association:home")


@login_required
@staff_two_factor
@require_http_methods(["GET", "HEAD", "POST"])
def edit_profile(request, pk):
    member = get_member_for_user(request, pk)
    form_class = UnitProfileForm if member.is_unit else IndividualProfileForm
    if request.method == "POST":
        form = form_class(request.POST, request.FILES, instance=Member.objects.get(pk=member.pk))
        if form.is_valid():
            changes = {field: form.cleaned_data[field] for field in form.changed_data}
            try:
                services.member_update(member=member, changes=changes, actor=request.user)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The details are saved."))
                return _after_member_change(request, member)
    else:
        form = form_class(instance=member)
    return render(request, "members/profile_form.html", {"form": form, "member": member})


@require_safe
def show_member_image(request, pk):
    """A unit's logo (public while the unit is an active member: the directory shows it) or
    an individual's photo (to the member and the secretariat only).

    A staff account without two-factor login is an ordinary signed-in user: it sees its own
    member's image; only for someone else's is it sent to set two-factor up."""
    member = get_object_or_404(Member, pk=pk)
    if member.is_unit and member.status == Member.Status.ACTIVE:
        return serve_file(member.logo, public=True)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if member.user_id != request.user.pk and needs_two_factor_setup(request.user):
        return redirect_to_two_factor_setup(request)
    member = get_member_for_user(request, pk)
    return serve_file(member.logo if member.is_unit else member.photo)


@login_required
@staff_two_factor
@require_safe
def download_certificate(request, pk, fmt):
    member = get_member_for_user(request, pk)
    certificate = member.current_certificate()
    if certificate is None or fmt not in ("png", "pdf"):
        raise Http404
    certificate.member = member
    profile = AssociationProfile.for_request(request)
    options = {
        "association_name": profile.name or _("Social work association"),
        "verify_url": request.build_absolute_uri(reverse("members:verify", args=[member.number])),
    }
    if fmt == "pdf":
        draw, content_type = (lambda: certificate_pdf(certificate, **options)), "application/pdf"
    else:
        draw, content_type = (lambda: certificate_png(certificate, **options)), "image/png"
    return certificate_download(
        request,
        draw,
        filename=f"certificate-{member.number}.{fmt}",
        content_type=content_type,
        back_url=reverse("members:me"),
    )


@login_required
@staff_two_factor
@require_http_methods(["GET", "HEAD", "POST"])
def change_representative(request, pk):
    """Invite another account to take over the unit's vote: by the secretariat or the
    representative. Any address gets the same answer (nothing is looked up); the handover
    happens when the invitee accepts."""
    member = get_member_for_user(request, pk)
    if not member.is_unit:
        raise Http404
    if request.method == "POST":
        form = RepresentativeForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.representative_invite(
                    member=member,
                    email=form.cleaned_data["email"],
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    base_url=request.build_absolute_uri("/"),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "An invitation is sent to %(email)s. The handover happens when they "
                        "accept it; until then %(name)s keeps voting for %(member)s."
                    )
                    % {
                        "email": invitation.email,
                        "name": member.user.display_name if member.user else "—",
                        "member": member.name,
                    },
                )
                return redirect("members:member-representative", pk=member.pk)
    else:
        form = RepresentativeForm()
    history = member.representatives.select_related("user", "appointed_by")
    return render(
        request,
        "members/representative_form.html",
        {
            "form": form,
            "member": member,
            "history": history,
            "invitation": member.representative_invitations.pending().first(),
        },
    )
