"""« Votre identité »: the admin's changes to their organisation and its certifier documents.

Each function locks the row it changes, saves only the changed fields and records an
AuditEvent. Adding a document (new or replacing one) resets the funder's check.
A refused upload never reaches these functions: the form stops it, and the stored
file stays in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from realisa.accounts.models import User
from realisa.audit.events import EventType
from realisa.audit.log import record
from realisa.choices import ReviewStatus
from realisa.lib.digests import upload_sha256
from realisa.organisations.models import CertifierDocument, Organisation

REVIEW_FIELDS = ["review_status", "reviewed_at", "reviewed_by", "refusal_reason"]


class IdentityError(Exception):
    """A change that may not be made; the message is shown as is."""


@dataclass(frozen=True)
class IdentityChange:
    legal_representative: str
    legal_representative_title: str
    is_certifier: bool
    logo: UploadedFile | None = None
    stamp: UploadedFile | None = None
    documents: dict[str, UploadedFile] = field(default_factory=dict)


def _locked_organisation(admin: User) -> Organisation:
    if not (admin.is_active and admin.is_of_admin and admin.organisation_id):
        raise IdentityError("Seul l'administrateur de l'organisme complète son identité.")
    return Organisation.objects.select_for_update().get(pk=admin.organisation_id)


@transaction.atomic
def save_identity(
    admin: User, change: IdentityChange, *, request: HttpRequest | None = None
) -> Organisation:
    organisation = _locked_organisation(admin)
    changed = []
    for name in ("legal_representative", "legal_representative_title", "is_certifier"):
        if getattr(organisation, name) != getattr(change, name):
            setattr(organisation, name, getattr(change, name))
            changed.append(name)
    for name in ("logo", "stamp"):
        upload = getattr(change, name)
        if upload is not None:
            setattr(organisation, name, upload)
            changed.append(name)
    if changed:
        organisation.save(update_fields=changed)
        record(
            EventType.IDENTITY_UPDATED,
            actor=admin,
            obj=organisation,
            payload={"changed": changed, "is_certifier": organisation.is_certifier},
            request=request,
        )
    for kind, upload in change.documents.items():
        _replace_document(organisation, kind, upload, actor=admin, request=request)
    return organisation


def _replace_document(
    organisation: Organisation,
    kind: str,
    upload: UploadedFile,
    *,
    actor: User,
    request: HttpRequest | None,
) -> CertifierDocument:
    """Add the document, or replace it: its check starts again (« en attente de contrôle »).

    The previous file is kept in the storage (supporting documents are retained).
    """
    document = (
        CertifierDocument.objects.select_for_update()
        .filter(organisation=organisation, kind=kind)
        .first()
    )
    previous = document.file.name if document is not None else ""
    if document is None:
        document = CertifierDocument(organisation=organisation, kind=kind)
    _take_file(document, upload)
    if document._state.adding:
        document.save()
    else:
        document.save(update_fields=[*REVIEW_FIELDS, "file", "sha256", "uploaded_at"])
    record(
        EventType.DOCUMENT_UPLOADED,
        actor=actor,
        obj=document,
        payload={
            "kind": kind,
            "file": document.file.name,
            "previous": previous,
            "sha256": document.sha256,
        },
        request=request,
    )
    return document


def _take_file(document: CertifierDocument, upload: UploadedFile) -> None:
    """The new file, with its SHA-256 and when; the funder's check starts again."""
    document.file = upload
    document.sha256 = upload_sha256(upload)
    document.uploaded_at = timezone.now()
    document.review_status = ReviewStatus.PENDING
    document.reviewed_at = None
    document.reviewed_by = None
    document.refusal_reason = ""


@transaction.atomic
def remove_document(
    admin: User, kind: str, *, request: HttpRequest | None = None
) -> CertifierDocument:
    organisation = _locked_organisation(admin)
    document = CertifierDocument.objects.filter(organisation=organisation, kind=kind).first()
    if document is None:
        raise IdentityError("Ce document n'a pas été ajouté.")
    record(
        EventType.DOCUMENT_REMOVED,
        actor=admin,
        obj=document,
        payload={"kind": kind, "file": document.file.name},
        request=request,
    )
    document.delete()
    return document


def document_rows(organisation: Organisation) -> list[dict[str, Any]]:
    """One row per kind of certifier document, with the document when there is one."""
    documents = {document.kind: document for document in organisation.certifier_documents.all()}
    return [
        {"kind": kind, "label": label, "document": documents.get(kind)}
        for kind, label in CertifierDocument.Kind.choices
    ]
