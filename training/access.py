"""Who may see which training: one helper per object, 404 for anyone it is hidden from."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from members import roles

from .models import OutsideHours, Session, Training


def training_for_user(request, pk):
    """A published training the visitor may see; members-only ones are 404 to non-members."""
    return get_object_or_404(Training.objects.visible_to(request.user), pk=pk)


def session_for_user(request, pk):
    """A session of a training the visitor may see."""
    visible = Training.objects.visible_to(request.user)
    return get_object_or_404(
        Session.objects.select_related("training").filter(training__in=visible), pk=pk
    )


def outside_hours_for_user(request, pk):
    """Hours from elsewhere, for the person who submitted them or the secretariat."""
    entry = get_object_or_404(OutsideHours.objects.select_related("user", "decided_by"), pk=pk)
    if entry.user_id == request.user.pk or roles.is_secretariat(request.user):
        return entry
    raise Http404
