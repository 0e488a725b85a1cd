from members import roles

from .models import AssociationProfile


def portal(request):
    """The association's name and the visitor's roles, for the layout and navigation."""
    user = request.user
    return {
        "association": AssociationProfile.for_request(request),
        "is_secretariat": roles.is_secretariat(user),
        "is_civil_affairs": roles.is_civil_affairs(user),
        "is_member": roles.is_member(user),
        "is_applicant": roles.is_applicant(user),
        # A staff role as granted, two-factor or not: such accounts never apply.
        "has_staff_role": roles.is_staff_role(user),
    }
