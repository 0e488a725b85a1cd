"""Public pages: the directory of unit members and the certificate check."""

from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from common.params import query_page

from ..forms import DirectorySearchForm, VerifyForm
from ..models import Member
from ..validators import mask_name

DIRECTORY_PAGE_SIZE = 20


@require_safe
def show_directory(request):
    """Active unit members: name, type, tier, county. Nothing about people."""
    form = DirectorySearchForm(request.GET or None)
    units = Member.objects.active().units().select_related("county")
    if form.is_valid():
        if form.cleaned_data["q"]:
            units = units.filter(name__icontains=form.cleaned_data["q"])
        if form.cleaned_data["county"]:
            units = units.filter(county=form.cleaned_data["county"])
    page = query_page(request, units.order_by("name", "pk"), DIRECTORY_PAGE_SIZE)
    return render(request, "members/directory.html", {"form": form, "page": page})


@require_safe
def look_up_certificate(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        return redirect("members:verify", number=number)
    return render(request, "members/verify_lookup.html", {"form": form})


@require_safe
def verify_certificate(request, number):
    """Whether the certificate with this member number is genuine and current.

    Shows what is printed on the certificate to compare with, minus personal data: an
    individual's name is masked to the family name. An unknown number (or a member without
    a certificate) is a 404 page that says so in words, with the look-up form again.
    """
    member = Member.objects.filter(number=number).first()
    certificate = member and member.certificates.order_by("-issued_on", "-pk").first()
    if certificate is None:
        return render(
            request,
            "members/verify_unknown.html",
            {"number": number, "form": VerifyForm(initial={"number": number})},
            status=404,
        )
    certificate.member = member
    today = timezone.localdate()
    return render(
        request,
        "members/verify.html",
        {
            "number": number,
            "member": member,
            "certificate": certificate,
            "is_current": certificate.is_current(today),
            "shown_name": member.name if member.is_unit else mask_name(member.name),
            "today": today,
        },
    )
