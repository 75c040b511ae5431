"""How long the logs are kept.

- Connection events (logins, logouts, failures, lockouts) are deleted after
  ``CONNECTION_LOG_RETENTION_DAYS`` (12 months, as the CNIL advises for access logs).
  They live in their own table, outside the chain, so deleting them is no tampering.
- Certification evidence (the chained ``AuditEvent`` log, the certificate versions, the
  signed scans) is kept at least ``EVIDENCE_RETENTION_YEARS`` (3) after the end of the
  year of the dossier's last payment: ``Dossier.evidence_kept_until`` gives that date. This
  purge never deletes evidence: the chain is only ever appended to. The documents' own
  deadlines (3, 6 or 10 years: ``lib.retention``) are applied, on the funder's decision, by
  ``purge_archives`` (``funder.purge``), which leaves a tombstone for each file it deletes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from realisa.audit.models import ConnectionEvent


def connection_cutoff(now: datetime) -> datetime:
    return now - timedelta(days=settings.CONNECTION_LOG_RETENTION_DAYS)


def purge_connection_events(now: datetime) -> int:
    """Delete the connection events older than the retention; how many were deleted."""
    deleted, _ = ConnectionEvent.objects.filter(created_at__lt=connection_cutoff(now)).delete()
    return deleted
