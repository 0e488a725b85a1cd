"""The secretariat's roster of members and its actions on one member."""

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from common.actions import run_action
from common.params import query_page

from .. import services
from ..forms import DuesPaymentForm, RosterFilterForm, StatusForm, TierForm
from ..models import Member
from ..roles import secretariat_required
from ..validators import mask_phone

ROSTER_PAGE_SIZE = 50


@secretariat_required
@require_safe
def list_members(request):
    """All members with filters (kind, tier, status, standing, county); phones masked."""
    today = timezone.localdate()
    form = RosterFilterForm(request.GET or None)
    members = Member.objects.with_standing(today).select_related("county", "user")
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            members = members.filter(Q(name__icontains=data["q"]) | Q(number__icontains=data["q"]))
        for field in ("kind", "tier", "status"):
            if data[field]:
                members = members.filter(**{field: data[field]})
        if data["standing"]:
            members = members.filter(good_standing=data["standing"] == "good")
        if data["county"]:
            members = members.filter(county=data["county"])
    page = query_page(request, members.order_by("number", "pk"), ROSTER_PAGE_SIZE)
    for member in page:
        member.masked_phone = mask_phone(member.contact_phone if member.is_unit else member.phone)
    return render(request, "members/roster.html", {"form": form, "page": page, "today": today})


def _member_page(request, member, **forms):
    today = timezone.localdate()
    context = {
        "member": member,
        "good_standing": member.is_in_good_standing(today),
        "standing_expires_on": member.standing_expires_on(today),
        "masked_phone": mask_phone(member.contact_phone if member.is_unit else member.phone),
        "payments": member.dues_payments.select_related("recorded_by"),
        "activities": member.activities.all()[:20],
        "certificates": member.certificates.all(),
        "representatives": member.representatives.select_related("user", "appointed_by"),
        "changes": member.changes.select_related("changed_by")[:50],
        "dues_form": forms.get("dues_form") or DuesPaymentForm(member=member),
        "status_form": forms.get("status_form") or StatusForm(),
        "tier_form": forms.get("tier_form") or TierForm(initial={"tier": member.tier}),
        "invitation": member.representative_invitations.pending().first(),
    }
    status = 400 if forms else 200
    return render(request, "members/member.html", context, status=status)


def _get_member(pk):
    return get_object_or_404(Member.objects.select_related("county", "user"), pk=pk)


@secretariat_required
@require_safe
def show_member(request, pk):
    return _member_page(request, _get_member(pk))


def _act_on_member(request, member, form, form_name, service, success):
    """One service on a member from a posted form; refused, the page shows the form's errors."""
    return run_action(
        request,
        service,
        form=form,
        success=success,
        redirect_to=reverse("members:member", args=[member.pk]),
        on_refusal=lambda form: _member_page(request, member, **{form_name: form}),
    )


@secretariat_required
@require_POST
def record_dues(request, pk):
    member = _get_member(pk)
    return _act_on_member(
        request,
        member,
        DuesPaymentForm(request.POST, member=member),
        "dues_form",
        lambda data: services.dues_record(member=member, actor=request.user, **data),
        _("The payment is recorded."),
    )


@secretariat_required
@require_POST
def change_status(request, pk):
    member = _get_member(pk)
    return _act_on_member(
        request,
        member,
        StatusForm(request.POST),
        "status_form",
        lambda data: services.member_status_change(
            member=member,
            status=data["status"],
            on=data["on"],
            reason=data["reason"],
            actor=request.user,
        ),
        _("The status is changed."),
    )


@secretariat_required
@require_POST
def change_tier(request, pk):
    member = _get_member(pk)
    return _act_on_member(
        request,
        member,
        TierForm(request.POST),
        "tier_form",
        lambda data: services.member_tier_change(
            member=member, tier=data["tier"], reason=data["reason"], actor=request.user
        ),
        _("The tier is changed and a new certificate issued."),
    )


@secretariat_required
@require_POST
def reissue_certificate(request, pk):
    member = _get_member(pk)
    return run_action(
        request,
        lambda: services.certificate_issue(member=member, actor=request.user),
        success=_("A new certificate is issued; the previous one is revoked."),
        redirect_to=reverse("members:member", args=[member.pk]),
    )
