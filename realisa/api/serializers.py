"""Domain objects as the API shows them (dicts matching ``schemas``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from realisa.certificates.abilities import Abilities, Actor, abilities, facts_of_month
from realisa.certificates.entry import StaleEntry
from realisa.certificates.lifecycle import TABLE, Event
from realisa.certificates.models import Certificate
from realisa.certificates.plan import find_period
from realisa.choices import MonthStatus
from realisa.documents.models import CertificateVersion
from realisa.dossiers.models import Dossier
from realisa.dossiers.periods import MonthPeriod


def dossier_out(dossier: Dossier) -> dict[str, Any]:
    organisation = dossier.organisation
    return {
        "number": dossier.number,
        "training_title": dossier.training_title,
        "organisation": {
            "id": organisation.pk,
            "name": organisation.name,
            "siret": organisation.siret,
        },
        "beneficiary": dossier.beneficiary.formal_name,
        "start_date": dossier.start_date,
        "end_date": dossier.end_date,
        "is_paperless": dossier.is_paperless,
    }


def version_out(version: CertificateVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "reference": version.reference,
        "reason": version.reason,
        "status": version.status,
        "sha256": version.sha256,
        "created_at": version.created_at,
        "pdf_url": reverse("api:version_pdf", args=[version.pk]),
    }


def month_out(
    dossier: Dossier,
    period: MonthPeriod,
    certificate: Certificate | None,
    *,
    status: MonthStatus,
    can: Abilities,
    versions: list[CertificateVersion] | None = None,
) -> dict[str, Any]:
    """A month as the person sees it, with what they may do with it (``abilities``)."""
    c = certificate
    return {
        "dossier": dossier.number,
        "month": f"{period.month:%Y-%m}",
        "first_day": period.first_day,
        "last_day": period.last_day,
        "status": status.value,
        "status_label": str(status.label),
        "entry_allowed": status in TABLE[Event.ENTERED].sources,
        "version": c.version if c else 0,
        "certificate_id": c.pk if c else None,
        "centre_minutes": c.centre_minutes if c else 0,
        "internship_minutes": c.internship_minutes if c else 0,
        "absence_minutes": c.absence_minutes if c else 0,
        "certification_method": c.certification_method if c else "",
        "certified_at": c.certified_at if c else None,
        "validated_at": c.validated_at if c else None,
        "transmitted_at": c.transmitted_at if c else None,
        "signed_scan": bool(c and c.signed_scan),
        "attendance_sheets": sheets_out(c) if c else [],
        "days": days_out(c) if c else [],
        "versions": [version_out(v) for v in (versions if versions is not None else [])],
        "abilities": can.as_dict(),
    }


def sheets_out(certificate: Certificate) -> list[dict[str, Any]]:
    return [
        {"id": s.pk, "name": s.original_name, "uploaded_at": s.uploaded_at}
        for s in certificate.attendance_sheets.all()
    ]


def days_out(certificate: Certificate) -> list[dict[str, Any]]:
    """A paperless dossier's month, day by day."""
    return [
        {
            "date": d.date,
            "centre_minutes": d.centre_minutes,
            "internship_minutes": d.internship_minutes,
            "absence_minutes": d.absence_minutes,
        }
        for d in certificate.days.all()
    ]


def certificate_out(
    certificate: Certificate,
    *,
    actor: Actor,
    visible_versions: Any = None,
    today: date | None = None,
) -> dict[str, Any]:
    """A stored month as it stands now for ``actor`` (its status computed as the screens
    compute it)."""
    dossier = certificate.dossier
    period = find_period(dossier, certificate.month) or MonthPeriod(
        certificate.month, certificate.month, certificate.month
    )
    versions = list(visible_versions) if visible_versions is not None else []
    facts = facts_of_month(dossier, period, certificate, has_pdf=bool(versions), today=today)
    can = abilities(actor, facts)
    return month_out(dossier, period, certificate, status=facts.status, can=can, versions=versions)


def stale_current(error: StaleEntry, actor: Actor) -> dict[str, Any] | None:
    """The hours as they now stand, sent back with a stale entry (the screen shows them)."""
    if error.certificate is None:
        return None
    fresh = Certificate.objects.select_related("dossier__organisation", "dossier__beneficiary").get(
        pk=error.certificate.pk
    )
    return certificate_out(fresh, actor=actor, visible_versions=fresh.versions.order_by("number"))
