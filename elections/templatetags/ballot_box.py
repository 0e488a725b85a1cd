"""Template tags for the member's own votes (templates/elections/ballot_box/_member_votes.html)."""

from django import template
from django.utils.crypto import salted_hmac

from elections.ballot_box.models import Participation

register = template.Library()


@register.simple_tag
def member_participations(user, limit=50):
    """The polls the user's memberships took part in, newest meeting first."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Participation.objects.filter(voter__user=user)
        .select_related("poll", "poll__meeting", "voter")
        .order_by("-poll__meeting__starts_at", "-poll__pk")[:limit]
    )


@register.simple_tag
def receipt_owner(user):
    """An opaque key for this account's receipts in the browser's storage.

    Receipts live only on the voter's device. Keying them by account keeps two people who
    share a phone from seeing each other's codes; the key is a keyed hash, so it names no
    one to anyone who reads the storage, and the server keeps nothing of it.
    """
    if not getattr(user, "is_authenticated", False):
        return ""
    return salted_hmac("elections.receipts", str(user.pk)).hexdigest()[:20]


@register.filter
def code_slots(quorum):
    """1 … quorum: one field per scrutineer code needed at the close."""
    return range(1, (quorum or 0) + 1)
