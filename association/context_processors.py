from members import roles

from .models import AssociationProfile


def portal(request):
    """The association's name and the visitor's roles, for the layout and navigation."""
    user = request.user
    profile = getattr(request, "_association_profile", None)
    if profile is None:
        profile = AssociationProfile.current()
        request._association_profile = profile
    return {
        "association": profile,
        "is_secretariat": roles.is_secretariat(user),
        "is_civil_affairs": roles.is_civil_affairs(user),
        "is_member": roles.is_member(user),
        "is_applicant": roles.is_applicant(user),
    }
