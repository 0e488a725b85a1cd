"""Who may read a document version: one rule for every page and file that shows one.

The public reads the versions that are or were in force (adopted by a motion: `adopted_on`
is set then and never cleared). A version never adopted is a draft: the secretariat reads
every draft, and a member reads the drafts on the agenda of a meeting they are entitled at
(on its roll once frozen; before that, entitled as the roll would be frozen today). Nobody
else learns that a draft exists: its pages answer 404.
"""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from members.roles import is_on_roll, is_secretariat

from .models import Document, DocumentVersion, Meeting
from .services import entitled_members


def _meetings_entitling(user):
    """The meetings with a draft on their agenda at which `user` is entitled to vote."""
    meetings = Meeting.objects.filter(motions__document_version__adopted_on__isnull=True).distinct()
    return [
        meeting.pk
        for meeting in meetings
        if (
            is_on_roll(user, meeting)
            if meeting.roll_frozen
            else entitled_members(meeting).filter(user=user).exists()
        )
    ]


def document_versions_for(user):
    """The document versions `user` may read (a queryset)."""
    versions = DocumentVersion.objects.all()
    if is_secretariat(user):
        return versions
    public = Q(adopted_on__isnull=False)
    if not user.is_authenticated:
        return versions.filter(public)
    meetings = _meetings_entitling(user)
    if not meetings:
        return versions.filter(public)
    on_agenda = DocumentVersion.objects.filter(motions__meeting__in=meetings).values("pk")
    return versions.filter(public | Q(pk__in=on_agenda))


def documents_for(user):
    """The documents with at least one version `user` may read."""
    return Document.objects.filter(pk__in=document_versions_for(user).values("document_id"))


def document_for_user(request, pk, *, documents=None):
    """(document, its versions the visitor may read), or 404 when they may read none.
    `documents`: the queryset to fetch it from (with its select_related)."""
    versions = document_versions_for(request.user)
    document = get_object_or_404(
        (documents or Document.objects).filter(pk__in=versions.values("document_id")), pk=pk
    )
    return document, versions.filter(document=document)
