"""Who may use the voting pages: members (voters) and the secretariat (which runs them)."""

from members.roles import is_member, is_secretariat, role_required


def is_participant(user):
    return is_member(user) or is_secretariat(user)


# staff=True: the secretariat must have two-factor login; members are not staff, so for them
# it changes nothing.
participant_required = role_required(is_participant, staff=True)


def on_roll(meeting, user):
    return user.is_authenticated and meeting.roll.filter(user=user).exists()
