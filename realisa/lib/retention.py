"""How long a dossier's documents are kept: pure arithmetic over dates.

Every period runs from the end of the year of the dossier's last payment (the date of its
latest règlement, an advance included): 3 years for the certificates themselves (each
version's PDF, the full evidence of a sealed one), 6 for the supporting documents (signed
scans, attendance sheets), 10 for every document of a dossier co-funded by European funds
(FSE+). A dossier without payment has no deadline: it is kept.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

CERTIFICATE_YEARS = 3
SUPPORTING_YEARS = 6
EUROPEAN_YEARS = 10
# An account deactivated because its dossiers are all past is erased this long after.
ERASE_AFTER_DAYS = 30


class Kept(StrEnum):
    """What kind of document a file is, for how long it is kept."""

    CERTIFICATE = "certificate"  # a certificate version, a sealed version's full evidence
    SUPPORTING = "supporting"  # a signed scan, an attendance sheet


def retention_years(kind: Kept, *, european: bool = False) -> int:
    if european:
        return EUROPEAN_YEARS
    return CERTIFICATE_YEARS if kind is Kept.CERTIFICATE else SUPPORTING_YEARS


def retention_deadline(last_payment: date, years: int) -> date:
    """The last day a document must be kept: 31 December of the ``years``-th year after
    the year of ``last_payment``."""
    return date(last_payment.year + years, 12, 31)


def deadline_of(last_payment: date | None, kind: Kept, *, european: bool = False) -> date | None:
    """The last day a document of ``kind`` must be kept; None (kept) without payment."""
    if last_payment is None:
        return None
    return retention_deadline(last_payment, retention_years(kind, european=european))


def is_past(deadline: date | None, today: date) -> bool:
    """May it go? Only once its last day to be kept has passed."""
    return deadline is not None and today > deadline
