"""Audit rows of continuing education, in the portal's one audit log."""

from elections.models import AuditEntry


def audit(*, actor, action, detail=""):
    AuditEntry.objects.create(actor=actor, action=action, detail=detail[:300])
