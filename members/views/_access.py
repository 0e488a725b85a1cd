"""Access helpers shared by the membership views: each returns 404 to outsiders."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Application, Member
from ..roles import is_secretariat


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
