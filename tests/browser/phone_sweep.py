"""What the sweep of every page (test_every_page_on_phone.py) visits, and how it measures.

``pages_of(role)`` lists the pages of the permission matrix (tests/test_permission_matrix.py)
that the role opens (a GET answering 200, or 409: a page that explains a conflict is a
page too), each with the demo's objects as its arguments (``DEMO_ARGS``). A row without
arguments joins the sweep by itself; a row with arguments needs its line in ``DEMO_ARGS``,
or in ``NOT_PAGES`` when it serves a file, not a page.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from django.urls import reverse
from django.utils import timezone

from realisa.accounts.models import User
from realisa.certificates.models import BatchLine, Certificate, CertificationBatch
from realisa.documents.models import CertificateVersion
from realisa.dossiers.periods import shift_month
from realisa.funder.models import Transmission
from realisa.organisations.models import Organisation
from tests.test_permission_matrix import MATRIX, NO_ARGS, ROLES

PAGE_STATUSES = {200, 409}
ROOT = Path(__file__).resolve().parents[2]
# The sweep's artefacts: a screenshot per page and width, and summary.txt (timing, problems).
SCREENSHOTS = Path(os.environ.get("PHONE_SCREENSHOTS", ROOT / "test-results" / "phone"))

# The demo's logins, one per role of the matrix. Centre Horizon has no user besides its
# admin: « other_of_user » is the same page as « of_user », in the other organisation.
LOGINS: dict[str, str | None] = {
    "anonymous": None,
    "agent": "agent",
    "of_admin": "of.admin",
    "of_user": "of.user",
    "other_of_admin": "horizon.admin",
    "beneficiary": "beneficiaire",
    "employer": "employeur",
    "other_beneficiary": "beneficiaire2",
}

# Rows that answer with a file (PDF, CSV, JSON, an image) or a probe, not a page.
NOT_PAGES = {
    "seal_root",
    "seal_crl",
    "seal_certificate",
    "healthz",
    "healthz_live",
    "healthz_ready",
    "funder:export",
    "funder:journal_export",
    "funder:dossier_import_template",
    "certificates:hours_import_template",
    "certificates:batch_manifest",
    "certificates:batch_progress",  # the part of the batch's page that htmx reloads
    "funder:review_document_file",
    "funder:transmission_csv",
    "funder:transmission_json",
    "organisations:identity_file",
    "certificates:signed_scan_file",
    "certificates:sheet_file",
    "certificates:answer_evidence",
    "documents:download",
    "documents:download_version",
    "documents:download_evidence",
}

Args = Callable[[], list[Any]]


def _number(serial: str = "0001") -> str:
    """By default Julie's training at Formapro Est: paid, validated, awaiting validation,
    contested and open months."""
    return f"FPE-{timezone.localdate().year}-{serial}"


def _month(offset: int) -> date:
    return shift_month(timezone.localdate().replace(day=1), offset)


def dossier() -> list[Any]:
    return [_number()]


def month(offset: int, serial: str = "0001") -> Args:
    return lambda: [_number(serial), _month(offset).year, _month(offset).month]


def certificate(offset: int) -> Args:
    return lambda: [Certificate.objects.get(dossier__number=_number(), month=_month(offset)).pk]


def batch() -> list[Any]:
    """A batch of the demo's certifier, of Inès's month awaiting certification online."""
    certificate = Certificate.objects.get(dossier__number=_number("0006"), month=_month(-2))
    version = CertificateVersion.objects.filter(certificate=certificate).latest("number")
    made, _ = CertificationBatch.objects.get_or_create(
        reference="LOT-DEMO",
        defaults={
            "organisation": certificate.dossier.organisation,
            "user": User.objects.get(username="of.user"),
            "manifest_sha256": "0" * 64,
        },
    )
    BatchLine.objects.get_or_create(
        batch=made,
        certificate=certificate,
        defaults={"version_reference": version.reference, "version_sha256": version.sha256},
    )
    return [made.pk]


def reference(offset: int) -> Args:
    def args() -> list[Any]:
        versions = CertificateVersion.objects.filter(
            certificate__dossier__number=_number(), certificate__month=_month(offset)
        )
        return [versions.latest("number").reference]

    return args


def organisation(name: str) -> Args:
    return lambda: [Organisation.objects.get(name=name).pk]


def transmission() -> list[Any]:
    return [Transmission.objects.earliest("created_at").pk]


OPEN, AWAITING, VALIDATED, PAPER, CONTESTED = month(-1), month(-2), month(-3), month(-4), month(-6)

# Each page with arguments, and the demo's objects it is visited with (several: each view).
DEMO_ARGS: dict[str, tuple[Args, ...]] = {
    "dossiers:detail": (dossier,),
    "certificates:dossier": (dossier,),
    "certificates:plan": (dossier,),
    "certificates:month": (OPEN, AWAITING, VALIDATED, CONTESTED),
    "certificates:enter": (OPEN,),
    "certificates:validate": (AWAITING,),
    "documents:history": (certificate(-3),),
    "documents:verify_reference": (reference(-3),),
    "funder:review_organisation": (organisation("Formapro Est"),),
    "funder:organisation_late": (organisation("Centre Horizon"),),
    "funder:dossier": (dossier,),
    "funder:dossier_edit": (dossier,),
    "funder:reopen": (PAPER,),
    "funder:validate": (AWAITING,),
    "funder:audit_dossier": (dossier,),
    "funder:audit_month": (AWAITING,),
    "funder:transmission": (transmission,),
    "certificates:batch": (batch,),
}


# Pages that the matrix's small world refuses to these roles and that the demo opens to
# them: Inès's payroll training has a month entered, awaiting its certification online
# (its window and the code page), and the month after, ready to « Certifier » on paper.
ONLINE, ON_PAPER = month(-2, "0006"), month(-1, "0006")
CERTIFIER = (
    ("certificates:online", ONLINE),
    ("certificates:online_code", ONLINE),
    ("certificates:month", ON_PAPER),
)
DEMO_EXTRAS: dict[str, tuple[tuple[str, Args], ...]] = {
    "agent": (("certificates:month", ON_PAPER),),
    "of_admin": CERTIFIER,
    "of_user": CERTIFIER,
}


def is_page(name: str) -> bool:
    row = MATRIX[name]
    return row.post is None and name not in NOT_PAGES and bool(PAGE_STATUSES & set(row.statuses))


def unswept_pages() -> list[str]:
    """The matrix's pages with arguments that the sweep would not know how to open."""
    return sorted(
        name
        for name, row in MATRIX.items()
        if is_page(name) and row.args is not NO_ARGS and name not in DEMO_ARGS
    )


def stale_names() -> list[str]:
    """Names of ``DEMO_ARGS`` or ``NOT_PAGES`` that the matrix no longer has."""
    extras = {name for pages in DEMO_EXTRAS.values() for name, _ in pages}
    return sorted((set(DEMO_ARGS) | NOT_PAGES | extras) - set(MATRIX))


def pages_of(role: str) -> list[str]:
    """The paths of every page ``role`` opens, with the demo's objects."""
    column = ROLES.index(role)
    paths = []
    for name, row in MATRIX.items():
        if not is_page(name) or row.statuses[column] not in PAGE_STATUSES:
            continue
        if row.args is NO_ARGS:
            paths.append(reverse(name))
        else:
            paths.extend(reverse(name, args=args()) for args in DEMO_ARGS[name])
    paths.extend(reverse(name, args=args()) for name, args in DEMO_EXTRAS.get(role, ()))
    return paths


# Everything the eye must not find: a document wider than the viewport; an element past its
# right edge that no scrolling container (overflow-x auto or scroll) holds, whatever an
# ancestor's « overflow-x: hidden » hides; a clipped html or body; text wider than its box;
# on a phone, a control or a link of a menu, form or list lower than 44 px.
LAYOUT_PROBLEMS = r"""
(phone) => {
  const width = document.documentElement.clientWidth;
  const problems = [];
  const text = (el) => el.textContent.replace(/\s+/g, " ").trim().slice(0, 40);
  const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
    + (el.classList.length ? "." + [...el.classList].join(".") : "")
    + (text(el) ? " « " + text(el) + " »" : "");
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (["auto", "scroll"].includes(getComputedStyle(a).overflowX)) return true;
    }
    return false;
  };
  const hidden = (el) => el.closest("[hidden], .skip-link, dialog:not([open])");
  // Shown to screen readers only; if it widened the page, the document's width says so.
  const clipped = (el) => {
    for (let a = el; a && a !== document.body; a = a.parentElement) {
      const style = getComputedStyle(a);
      if (style.position === "absolute" && style.clip !== "auto") return true;
    }
    return false;
  };
  if (document.documentElement.scrollWidth > width)
    problems.push("the document is " + document.documentElement.scrollWidth + " px wide");
  for (const el of [document.documentElement, document.body]) {
    if (["hidden", "clip"].includes(getComputedStyle(el).overflowX))
      problems.push(el.tagName + " has overflow-x " + getComputedStyle(el).overflowX);
  }
  const out = new Set();
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0 || hidden(el) || clipped(el) || scrolls(el)) continue;
    if (box.right > width + 1 || box.left < -1) out.add(el);
    const style = getComputedStyle(el);
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (ownText && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1
        && style.overflowX === "visible" && style.display !== "inline")
      problems.push("text wider than its box: " + name(el));
  }
  for (const el of out) {
    if (!out.has(el.parentElement))
      problems.push("past the viewport's edge: " + name(el) + " ("
        + Math.round(el.getBoundingClientRect().right) + " px)");
  }
  if (!phone) return problems;
  const targets = "nav a, .tabs a, .pagination a, a.button, button, select, textarea, summary,"
    + " input:not([type=hidden])";
  for (const el of document.body.querySelectorAll(targets)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || hidden(el) || clipped(el)) continue;
    if (box.height < 43.5)
      problems.push("touch target " + Math.round(box.height) + " px tall: " + name(el));
  }
  return problems;
}
"""
