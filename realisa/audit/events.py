"""Every kind of audit event, with the French words the journal shows, and who follows them.

An event is recorded by ``audit.log.record``. The apps above (notifications, webhooks)
subscribe to the kinds they care about from their ``AppConfig.ready``; ``record`` calls
those handlers in the same transaction as the event, so an e-mail or a webhook delivery is
queued in its outbox together with the change it reports, and sent once it commits.
No domain module calls them by hand, so no transition can forget one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from realisa.audit.models import AuditEvent


class EventType(models.TextChoices):
    """The chained events. The value is what ``AuditEvent.action`` stores."""

    # Accounts and organisations
    ACCOUNT_CREATED = "account.created", "Compte créé"
    ACCOUNT_DEACTIVATED = "account.deactivated", "Compte désactivé"
    ACCOUNT_REACTIVATED = "account.reactivated", "Compte réactivé"
    ACCOUNT_ERASED = "account.erased", "Données personnelles du compte effacées"
    ACCOUNT_PASSWORD_SET = "account.password_set", "Mot de passe choisi"
    INVITATION_RESENT = "account.invitation_resent", "Invitation renvoyée"
    PASSWORD_RESET_REQUESTED = "account.password_reset_requested", "Mot de passe oublié demandé"
    CAN_CERTIFY_GRANTED = "account.can_certify_granted", "Case « certification » cochée"
    CAN_CERTIFY_REVOKED = "account.can_certify_revoked", "Case « certification » décochée"
    ROLE_CHANGED = "account.role_changed", "Rôle du compte modifié"
    IDENTITY_UPDATED = "organisation.identity_updated", "« Votre identité » modifiée"
    ORGANISATION_REMINDED = "organisation.reminded", "Relance envoyée à l'organisme"
    DOCUMENT_UPLOADED = "certifier_document.uploaded", "Pièce de certificateur déposée"
    DOCUMENT_REMOVED = "certifier_document.removed", "Pièce de certificateur supprimée"
    DOCUMENT_COMPLIANT = "certifier_document.compliant", "Pièce contrôlée conforme"
    DOCUMENT_NON_COMPLIANT = "certifier_document.non_compliant", "Pièce contrôlée non conforme"
    # Dossiers
    DOSSIER_CREATED = "dossier.created", "Dossier créé"
    DOSSIER_UPDATED = "dossier.updated", "Dossier mis à jour"
    DOSSIERS_IMPORTED = "dossiers.imported", "Dossiers importés"
    DOSSIER_ENDED_EARLY = "dossier.ended_early", "Fin anticipée de la formation"
    DOSSIER_INTERRUPTED = "dossier.interrupted", "Formation interrompue"
    INTERRUPTION_REMOVED = "dossier.interruption_removed", "Interruption retirée"
    PLAN_CHANGED = "dossier.plan_changed", "Calendrier prévisionnel modifié"
    # The month's life (certificates.lifecycle)
    HOURS_ENTERED = "hours.entered", "Heures saisies"
    CERTIFIED = "certificate.certified", "Heures certifiées"
    BATCH_CERTIFIED = "batch.certified", "Certification en lot terminée"
    VALIDATED = "certificate.validated", "Heures validées par le bénéficiaire"
    CONTESTED = "certificate.contested", "Heures contestées par le bénéficiaire"
    VALIDATED_WITHOUT_ANSWER = (
        "certificate.validated_without_answer",
        "Heures validées sans réponse du bénéficiaire",
    )
    VALIDATED_BY_AGENT = "certificate.validated_by_agent", "Heures validées par le financeur"
    ANSWER_REMINDED = "certificate.answer_reminded", "Bénéficiaire relancé pour valider ses heures"
    REOPENED = "certificate.reopened", "Mois rouvert par le financeur"
    TRANSMITTED = "certificate.transmitted", "Heures transmises"
    TRANSMISSION_CANCELLED = "certificate.transmission_cancelled", "Transmission annulée"
    # The month's documents
    PDF_GENERATED = "certificate.pdf_generated", "PDF du certificat généré"
    PDF_SEALED = "certificate.pdf_sealed", "PDF du certificat scellé"
    PDF_RETIMESTAMPED = "certificate.pdf_retimestamped", "PDF du certificat horodaté à nouveau"
    SIGNED_SCAN_UPLOADED = "certificate.signed_scan_uploaded", "Certificat signé déposé"
    SIGNED_SCAN_REMOVED = "certificate.signed_scan_removed", "Certificat signé retiré"
    SHEET_ADDED = "certificate.attendance_sheet_added", "Feuille d'émargement ajoutée"
    SHEET_REMOVED = "certificate.attendance_sheet_removed", "Feuille d'émargement retirée"
    # Certification 2's code
    CODE_REQUESTED = "online.code_requested", "Code de vérification demandé"
    CODE_REQUEST_REFUSED = "online.code_request_refused", "Demande de code refusée"
    CODE_SENT = "online.code_sent", "Code de vérification envoyé"
    CODE_VERIFIED = "online.code_verified", "Code de vérification accepté"
    CODE_WRONG = "online.code_wrong", "Code de vérification erroné"
    CODE_REFUSED = "online.code_refused", "Code de vérification refusé"
    CODE_EXPIRED = "online.code_expired", "Code de vérification expiré"
    SUSPENDED = "online.suspended", "Certification en ligne suspendue"
    SUSPENSION_LIFTED = "online.suspension_lifted", "Suspension levée"
    # The funder
    PAYMENT_RECORDED = "payment.recorded", "Règlement enregistré"
    PAYMENT_UPDATED = "payment.updated", "Règlement modifié"
    PAYMENTS_IMPORTED = "payments.imported", "Règlements importés"
    TRANSMISSION_CREATED = "transmission.created", "Transmission créée"
    TRANSMISSION_BATCH_CANCELLED = "transmission.cancelled", "Transmission annulée par le financeur"
    # The API
    API_TOKEN_CREATED = "api_token.created", "Jeton d'API créé"
    API_TOKEN_REVOKED = "api_token.revoked", "Jeton d'API révoqué"
    WEBHOOK_REGISTERED = "webhook.registered", "Webhook enregistré"
    WEBHOOK_REMOVED = "webhook.removed", "Webhook supprimé"
    # Retention (funder.purge)
    FILES_PURGED = "archives.files_purged", "Pièces purgées à l'échéance de leur conservation"
    # The journal itself
    CHAIN_KEYED = "audit.chain_keyed", "Journal désormais scellé par clé"
    CHECKPOINT_WRITTEN = "audit.checkpoint_written", "Point de contrôle du journal écrit"


class ConnectionAction(models.TextChoices):
    """The connection log's events (``ConnectionEvent``, kept 12 months, outside the chain)."""

    LOGIN = "account.login", "Connexion"
    LOGOUT = "account.logout", "Déconnexion"
    LOGIN_FAILED = "account.login_failed", "Échec de connexion"
    LOCKED_OUT = "account.locked_out", "Compte bloqué après cinq échecs"


def label(action: str) -> str:
    """The French words for a stored action; an unknown one (an older kind) as it is."""
    try:
        return str(EventType(action).label)
    except ValueError:
        return action


Handler = Callable[["AuditEvent", models.Model | None, Mapping[str, Any]], None]
_handlers: defaultdict[str, list[Handler]] = defaultdict(list)


def subscribe(*types: EventType) -> Callable[[Handler], Handler]:
    """Decorate a handler called, in the event's transaction, for each of ``types``."""

    def register(handler: Handler) -> Handler:
        for kind in types:
            if handler not in _handlers[kind]:
                _handlers[kind].append(handler)
        return handler

    return register


def handlers_of(action: str) -> list[Handler]:
    return list(_handlers.get(action, ()))


def dispatch(
    event: AuditEvent, obj: models.Model | None, unrecorded: Mapping[str, Any] | None = None
) -> None:
    """Call every handler of the event's kind; ``obj`` is the object it is about, and
    ``unrecorded`` what its handlers need but the journal must never keep (a code)."""
    for handler in _handlers.get(event.action, ()):
        handler(event, obj, unrecorded or {})
