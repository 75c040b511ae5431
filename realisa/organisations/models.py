from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from realisa.choices import ReviewStatus, Role
from realisa.lib.french import agree
from realisa.lib.storage import certifier_document_path, logo_path, stamp_path
from realisa.lib.validators import validate_nda, validate_siret


def organisation_scope(user: Any) -> Q:
    """Agents see every organisation, its members their own, anyone else none. (The other
    scopes are in ``dossiers/visibility.py``, above this app.)"""
    if not (user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if user.role == Role.AGENT:
        return Q()
    if user.role in (Role.OF_ADMIN, Role.OF_USER):
        return Q(pk=user.organisation_id)
    return Q(pk__in=[])


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def visible_to(self, user: Any) -> OrganisationQuerySet:
        return self.filter(organisation_scope(user))


class Organisation(models.Model):
    """A training organisation (organisme de formation, OF) and its « Votre identité »."""

    name = models.CharField("raison sociale", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True, validators=[validate_siret])
    nda = models.CharField(
        "numéro de déclaration d'activité", max_length=11, blank=True, validators=[validate_nda]
    )
    address = models.CharField("adresse", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=10, blank=True)
    city = models.CharField("ville", max_length=100, blank=True)
    email = models.EmailField("adresse e-mail de contact", blank=True)
    legal_representative = models.CharField("nom du représentant légal", max_length=200, blank=True)
    legal_representative_title = models.CharField(
        "qualité du représentant légal", max_length=100, blank=True
    )
    logo = models.FileField("logo", upload_to=logo_path, blank=True)
    stamp = models.FileField("cachet", upload_to=stamp_path, blank=True)
    is_certifier = models.BooleanField("je suis certificateur", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = "organisme de formation"
        verbose_name_plural = "organismes de formation"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def addresses(self) -> list[str]:
        """Where the organisation's e-mails go (notices, reminders): its contact address and
        its active users' addresses; empty when it has none."""
        members = self.members.filter(role__in=[Role.OF_ADMIN, Role.OF_USER], is_active=True)
        found = {self.email, *members.exclude(email="").values_list("email", flat=True)}
        return sorted(found - {""})

    def online_missing(self) -> list[str]:
        """Why this organisation may not certify online (certification 2), in French;
        empty when it is online-ready: certifier, both documents conformes, a stamp."""
        compliant = {
            document.kind
            for document in self.certifier_documents.all()
            if document.review_status == ReviewStatus.COMPLIANT
        }
        return self.missing_for_online(compliant)

    def missing_for_online(self, compliant: Collection[str]) -> list[str]:
        """``online_missing`` once the kinds of documents checked conformes are known."""
        missing = []
        if not self.is_certifier:
            missing.append("l'organisme ne s'est pas déclaré certificateur")
        for kind, label in CertifierDocument.Kind.choices:
            if kind not in compliant:
                checked = agree("contrôlé", feminine=kind in CertifierDocument.FEMININE_KINDS)
                missing.append(f"{label} : pas encore {checked} conforme par votre Transitions Pro")
        if not self.stamp:
            missing.append("le cachet de l'organisme n'est pas renseigné")
        return missing

    @property
    def is_online_ready(self) -> bool:
        return not self.online_missing()


class CertifierDocument(models.Model):
    """The KBIS or the consent letter of a certifier organisation, and the funder's check."""

    class Kind(models.TextChoices):
        KBIS = "kbis", "Extrait KBIS"
        CONSENT_LETTER = "consent_letter", "Lettre de consentement"

    # The kinds named by a feminine noun, for the participles agreed with them:
    # « Extrait KBIS contrôlé conforme », « Lettre de consentement contrôlée conforme ».
    FEMININE_KINDS = frozenset({Kind.CONSENT_LETTER})

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="certifier_documents"
    )
    kind = models.CharField("document", max_length=20, choices=Kind.choices)
    file = models.FileField("fichier", upload_to=certifier_document_path)
    sha256 = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    review_status = models.CharField(
        "contrôle", max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewed_at = models.DateTimeField("contrôlé le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="contrôlé par",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    refusal_reason = models.TextField("motif du refus", blank=True)

    class Meta:
        verbose_name = "justificatif de certificateur"
        verbose_name_plural = "justificatifs de certificateur"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind"], name="one_certifier_document_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.organisation}"

    @property
    def is_feminine(self) -> bool:
        """True when the document's name is feminine (« Lettre de consentement »)."""
        return self.kind in self.FEMININE_KINDS
