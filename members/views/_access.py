"""Access helpers shared by the membership views: each returns 404 to outsiders."""

from functools import wraps

from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Application, Member
from ..roles import is_secretariat, needs_two_factor_setup, redirect_to_two_factor_setup


def staff_two_factor(view):
    """Pages that show the secretariat other people's data need its two-factor login too.

    Applicants and members reach the same pages for their own records without it.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and needs_two_factor_setup(request.user):
            return redirect_to_two_factor_setup(request)
        return view(request, *args, **kwargs)

    return wrapped


def get_application_for_user(request, pk):
    """The application, for its applicant or the secretariat; 404 for anyone else."""
    queryset = Application.objects.select_related(
        "applicant", "county", "representative", "decided_by", "member"
    )
    application = get_object_or_404(queryset, pk=pk)
    if application.applicant_id == request.user.pk or is_secretariat(request.user):
        return application
    raise Http404


def get_member_for_user(request, pk):
    """The member, for its voting account or the secretariat; 404 for anyone else."""
    member = get_object_or_404(Member.objects.select_related("county", "user"), pk=pk)
    if member.user_id == request.user.pk or is_secretariat(request.user):
        return member
    raise Http404
