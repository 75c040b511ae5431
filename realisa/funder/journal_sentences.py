"""One French sentence per kind of audit event: « Nadia Benali a certifié en ligne les heures
de novembre 2026 du dossier FPE-2026-0001 (code saisi à la 2e tentative) ».

Each sentence starts with who acted (their full name, else their username, else
« Réalisa » for what the portal does by itself) and reads the event's payload and what it
is about (``Subject``, resolved for a whole page at once by ``funder.journal``). Every
``EventType`` has its sentence (a test enumerates them); a kind no longer recorded reads
as its label.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from realisa.audit.events import EventType, label
from realisa.funder.journal_fields import NOTHING, text_of
from realisa.lib.french import de, of_month, ordinal, plural
from realisa.lib.hours import format_minutes

E = EventType
SYSTEM = "Réalisa"
DOCUMENTS = {"kbis": "l'extrait KBIS", "consent_letter": "la lettre de consentement"}


@dataclass(frozen=True)
class Subject:
    """One event as its sentence reads it."""

    who: str
    payload: Mapping[str, Any]
    object_id: str = ""
    dossier: str = ""  # the number of the dossier it is about, "" when unknown
    month: date | None = None  # the month of the certificate it is about
    name: str = ""  # the organisation or the person it is about, "" when unknown
    tries: int | None = None  # certification 2: at which try the code was typed

    def get(self, key: str) -> str:
        """The payload's value for ``key`` as people read it (« — » when absent)."""
        return text_of(key, self.payload.get(key))

    def count(self, key: str) -> int:
        value = self.payload.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else 0

    def paren(self, key: str, *, lower: bool = False) -> str:
        """« (the value) » after a sentence, or nothing when the payload has none."""
        value = self.get(key)
        if value == NOTHING:
            return ""
        return f" ({value.lower() if lower else value})"

    def quoted(self, key: str) -> str:
        """« : « the reason » » after a sentence, or nothing when no reason was given."""
        value = str(self.payload.get(key) or "").strip()
        return f" : « {value} »" if value else ""

    @property
    def number(self) -> str:
        return self.dossier or str(self.payload.get("dossier") or "")

    @property
    def the_dossier(self) -> str:
        """« le dossier FPE-2026-0001 »."""
        return f"le dossier {self.number}" if self.number else "un dossier"

    @property
    def of_dossier(self) -> str:
        return f"du dossier {self.number}" if self.number else "d'un dossier"

    @property
    def of_the_month(self) -> str:
        """« de novembre 2026 du dossier FPE-2026-0001 »."""
        month = self.month or _month(self.payload.get("month"))
        return f"{of_month(month)} {self.of_dossier}" if month else f"d'un mois {self.of_dossier}"

    @property
    def the_month(self) -> str:
        """« le mois de novembre 2026 du dossier FPE-2026-0001 »."""
        month = self.month or _month(self.payload.get("month"))
        return (
            f"le mois {of_month(month)} {self.of_dossier}"
            if month
            else f"un mois {self.of_dossier}"
        )

    @property
    def hours(self) -> str:
        """« les heures de novembre 2026 du dossier … », or « les heures du lot … » (its code)."""
        if self.payload.get("lot"):
            return f"les heures du lot {self.payload['lot']}"
        return f"les heures {self.of_the_month}"

    @property
    def certificate(self) -> str:
        """« certificat de novembre 2026 du dossier FPE-2026-0001 »."""
        return f"certificat {self.of_the_month}"

    @property
    def after(self) -> str:
        """« , après une action de Julie Martin »: what the portal did upon someone's act."""
        return f", après une action {de(self.who)}" if self.who != SYSTEM else ""

    @property
    def organisation(self) -> str:
        return self.name or "un organisme"

    @property
    def member(self) -> str:
        """The person whose account the event is about: « Paul Martin », « paul.martin »."""
        return self.name or str(self.payload.get("username") or "") or "un utilisateur"

    @property
    def document(self) -> str:
        """« l'extrait KBIS de Centre Horizon »."""
        kind = DOCUMENTS.get(str(self.payload.get("kind")), "une pièce")
        return f"{kind} {de(self.name)}" if self.name else kind


def _month(value: object) -> date | None:
    try:
        return date.fromisoformat(f"{value}-01") if value else None
    except ValueError:
        return None


def sentence(action: str, subject: Subject) -> str:
    """The event's sentence; a kind no longer recorded reads as its label."""
    write = SENTENCES.get(action)
    if write is None:
        return f"{subject.who} : {label(action)}"
    return write(subject)


# --- the sentences that need more than one line ----------------------------------------


def _certified(s: Subject) -> str:
    if s.payload.get("method") != "online":
        return f"{s.who} a certifié sur papier {s.hours}"
    tries = f" (code saisi à la {ordinal(s.tries, feminine=True)} tentative)" if s.tries else ""
    batch = f" dans le lot {s.get('batch')}" if s.payload.get("batch") else ""
    return f"{s.who} a certifié en ligne {s.hours}{batch}{tries}"


def _entered(s: Subject) -> str:
    new = s.payload.get("new")
    verb = "a corrigé" if s.payload.get("old") else "a saisi"
    imported = " par import d'un fichier" if s.payload.get("import_sha256") else ""
    if not isinstance(new, Mapping):
        return f"{s.who} {verb}{imported} {s.hours}"
    presence = format_minutes(int(new.get("centre", 0)) + int(new.get("internship", 0)))
    absence = format_minutes(int(new.get("absence", 0)))
    return f"{s.who} {verb}{imported} {s.hours} : {presence} de présence, {absence} d'absence"


def _account_created(s: Subject) -> str:
    return f"{s.who} a créé le compte {de(s.member)}{s.paren('role', lower=True)}"


def _payment(s: Subject) -> str:
    kind = "une avance" if s.payload.get("is_advance") else "un règlement"
    period = f" du {s.get('period_start')} au {s.get('period_end')}"
    return (
        f"{s.who} a enregistré {kind} de {s.get('amount')} sur {s.the_dossier}{period}"
        f", payé le {s.get('paid_on')}"
    )


def _imported(s: Subject, what: str) -> str:
    counts = [
        plural(s.count("created"), "créé"),
        plural(s.count("updated"), "mis à jour", "mis à jour"),
        plural(s.count("unchanged"), "inchangé"),
    ]
    if s.count("refused"):
        counts.append(plural(s.count("refused"), "refusé"))
    return f"{s.who} a importé un fichier de {what} : {', '.join(counts)}"


def _code_sent(s: Subject) -> str:
    until = s.get("expires_at")
    return (
        f"{s.who} a reçu à {s.get('to')} un code de vérification pour certifier {s.hours}"
        f" (valable jusqu'au {until})"
    )


def _sheet(s: Subject, verb: str) -> str:
    name = str(s.payload.get("name") or "").strip()
    sheet = f"la feuille d'émargement « {name} »" if name else "une feuille d'émargement"
    return f"{s.who} a {verb} {sheet} {'au' if verb == 'ajouté' else 'du'} {s.certificate}"


def _plan(s: Subject) -> str:
    days, total = s.count("jours"), s.count("total_minutes")
    return (
        f"{s.who} a modifié le calendrier prévisionnel {s.of_dossier} "
        f"({plural(days, 'jour prévu', 'jours prévus')}, {format_minutes(total)})"
    )


def _transmitted(s: Subject) -> str:
    batch = f"transmission n° {s.get('transmission')}"
    if s.payload.get("type") != "correction":
        return f"{s.who} a transmis {s.hours} ({batch})"
    corrects = s.payload.get("corrects")
    line = corrects.get("line") if isinstance(corrects, Mapping) else None
    return f"{s.who} a transmis une correction des heures {s.of_the_month} ({batch}" + (
        f", qui corrige la ligne {line})" if line else ")"
    )


def _batch(s: Subject) -> str:
    corrections = s.payload.get("corrections")
    count = len(corrections) if isinstance(corrections, list) else 0
    of_which = f", dont {plural(count, 'correction')}" if count else ""
    return (
        f"{s.who} a créé la transmission n° {s.object_id} "
        f"({plural(s.count('months'), 'mois')}{of_which})"
    )


def _changes(s: Subject) -> str:
    changes = s.payload.get("changes")
    names = [str(c[0]) for c in changes if isinstance(c, list | tuple) and c] if changes else []
    what = f" ({', '.join(names)})" if names else ""
    return f"{s.who} a modifié {s.the_dossier}{what}"


Sentence = Callable[[Subject], str]
SENTENCES: dict[str, Sentence] = {
    # Accounts and organisations
    E.ACCOUNT_CREATED: _account_created,
    E.ACCOUNT_DEACTIVATED: lambda s: f"{s.who} a désactivé le compte {de(s.member)}",
    E.ACCOUNT_REACTIVATED: lambda s: f"{s.who} a réactivé le compte {de(s.member)}",
    E.ACCOUNT_ERASED: lambda s: f"{s.who} a effacé les données personnelles du compte {s.member}",
    E.ACCOUNT_PASSWORD_SET: lambda s: f"{s.who} a choisi son mot de passe",
    E.INVITATION_RESENT: lambda s: f"{s.who} a renvoyé l'invitation {de(s.member)}",
    E.PASSWORD_RESET_REQUESTED: lambda s: f"{s.who} a demandé un nouveau mot de passe",
    E.CAN_CERTIFY_GRANTED: lambda s: (
        f"{s.who} a permis à {s.member} de certifier en ligne (case « certification » cochée)"
    ),
    E.CAN_CERTIFY_REVOKED: lambda s: (
        f"{s.who} a retiré à {s.member} la certification en ligne (case « certification » décochée)"
    ),
    E.ROLE_CHANGED: lambda s: (
        f"{s.who} a changé le rôle {de(s.member)}{s.paren('role', lower=True)}"
    ),
    E.IDENTITY_UPDATED: lambda s: (
        f"{s.who} a modifié « Votre identité » {de(s.organisation)}{s.paren('changed')}"
    ),
    E.ORGANISATION_REMINDED: lambda s: (
        f"{s.who} a relancé {s.organisation} pour "
        f"{plural(s.count('months'), 'mois en retard', 'mois en retard')}"
    ),
    E.DOCUMENT_UPLOADED: lambda s: f"{s.who} a déposé {s.document}",
    E.DOCUMENT_REMOVED: lambda s: f"{s.who} a supprimé {s.document}",
    E.DOCUMENT_COMPLIANT: lambda s: f"{s.who} a contrôlé {s.document} : conforme",
    E.DOCUMENT_NON_COMPLIANT: lambda s: (
        f"{s.who} a contrôlé {s.document} : non conforme{s.quoted('reason')}"
    ),
    # Dossiers
    E.DOSSIER_CREATED: lambda s: f"{s.who} a créé {s.the_dossier}{s.paren('source')}",
    E.DOSSIER_UPDATED: _changes,
    E.DOSSIERS_IMPORTED: lambda s: _imported(s, "dossiers"),
    E.DOSSIER_ENDED_EARLY: lambda s: (
        f"{s.who} a enregistré la fin anticipée {s.of_dossier} : dernier jour de formation "
        f"le {s.get('ended_on')}{s.quoted('reason')}"
    ),
    E.DOSSIER_INTERRUPTED: lambda s: (
        f"{s.who} a enregistré une interruption {s.of_dossier} du {s.get('start')} au "
        f"{s.get('end')}{s.quoted('reason')}"
    ),
    E.INTERRUPTION_REMOVED: lambda s: (
        f"{s.who} a retiré l'interruption du {s.get('start')} au {s.get('end')} {s.of_dossier}"
    ),
    E.PLAN_CHANGED: _plan,
    # The month's life
    E.HOURS_ENTERED: _entered,
    E.CERTIFIED: _certified,
    E.BATCH_CERTIFIED: lambda s: (
        f"{s.who} a certifié en ligne le lot {s.get('lot')} avec un seul code : "
        f"{plural(s.count('certified'), 'mois certifié', 'mois certifiés')}, "
        f"{plural(s.count('failed'), 'non certifié', 'non certifiés')}"
    ),
    E.VALIDATED: lambda s: f"{s.who} a validé {s.hours}",
    E.CONTESTED: lambda s: f"{s.who} a contesté {s.hours}{s.quoted('comment')}",
    E.VALIDATED_WITHOUT_ANSWER: lambda s: (
        f"{s.who} a validé {s.hours}, le bénéficiaire n'ayant pas répondu avant le "
        f"{s.get('deadline')}"
    ),
    E.VALIDATED_BY_AGENT: lambda s: (
        f"{s.who} a validé {s.hours} à la place du bénéficiaire{s.quoted('reason')}"
    ),
    E.ANSWER_REMINDED: lambda s: (
        f"{s.who} a relancé le bénéficiaire pour qu'il valide {s.hours} avant le "
        f"{s.get('deadline')}"
    ),
    E.REOPENED: lambda s: f"{s.who} a rouvert {s.the_month}{s.quoted('reason')}",
    E.TRANSMITTED: _transmitted,
    E.TRANSMISSION_CANCELLED: lambda s: (
        f"{s.who} a annulé la transmission des heures {s.of_the_month} (transmission "
        f"n° {s.get('transmission')}){s.quoted('reason')}"
    ),
    # The month's documents
    E.PDF_GENERATED: lambda s: (
        f"{SYSTEM} a généré la version {s.get('version')} du {s.certificate}"
        f"{s.paren('reason', lower=True)}{s.after}"
    ),
    E.PDF_SEALED: lambda s: (
        f"{SYSTEM} a scellé la version {s.get('version')} du {s.certificate}"
        + (f" (PAdES {s.get('level')})" if s.payload.get("level") else "")
        + s.after
    ),
    E.PDF_RETIMESTAMPED: lambda s: (
        f"{SYSTEM} a horodaté à nouveau la version {s.get('renews_version')} du "
        f"{s.certificate}, conservée comme version {s.get('version')}{s.after}"
    ),
    E.SIGNED_SCAN_UPLOADED: lambda s: (
        f"{s.who} a déposé le certificat signé {s.of_the_month}"
        + (" en remplacement du précédent" if s.payload.get("replaced") else "")
    ),
    E.SIGNED_SCAN_REMOVED: lambda s: f"{s.who} a retiré le certificat signé {s.of_the_month}",
    E.SHEET_ADDED: lambda s: _sheet(s, "ajouté"),
    E.SHEET_REMOVED: lambda s: _sheet(s, "retiré"),
    # Certification 2's code
    E.CODE_REQUESTED: lambda s: (
        f"{s.who} a demandé un code de vérification pour certifier {s.hours}"
    ),
    E.CODE_REQUEST_REFUSED: lambda s: (
        f"{s.who} a demandé un code de vérification pour certifier {s.hours}, demande refusée"
        f"{s.quoted('reason')}"
    ),
    E.CODE_SENT: _code_sent,
    E.CODE_VERIFIED: lambda s: (
        f"{s.who} a saisi le bon code de vérification pour {s.hours}"
        + (f" ({ordinal(s.count('tries'), feminine=True)} tentative)" if s.count("tries") else "")
    ),
    E.CODE_WRONG: lambda s: (
        f"{s.who} a saisi un code de vérification erroné pour {s.hours} "
        f"({plural(s.count('attempts'), 'essai erroné')})"
    ),
    E.CODE_REFUSED: lambda s: (
        f"{s.who} a saisi un code de vérification refusé pour {s.hours} : {s.get('reason')}"
    ),
    E.CODE_EXPIRED: lambda s: f"{s.who} a saisi un code de vérification expiré pour {s.hours}",
    E.SUSPENDED: lambda s: (
        f"{s.who} a saisi {plural(s.count('failures'), 'code erroné')} en 24 heures : "
        "sa certification en ligne est suspendue"
    ),
    E.SUSPENSION_LIFTED: lambda s: (
        f"{s.who} a levé la suspension de la certification en ligne de {s.get('user')}"
    ),
    # The funder
    E.PAYMENT_RECORDED: _payment,
    E.PAYMENT_UPDATED: lambda s: (
        f"{s.who} a modifié un règlement {s.of_dossier} ({s.get('changes')})"
    ),
    E.PAYMENTS_IMPORTED: lambda s: _imported(s, "règlements"),
    E.TRANSMISSION_CREATED: _batch,
    E.TRANSMISSION_BATCH_CANCELLED: lambda s: (
        f"{s.who} a annulé la transmission n° {s.object_id} "
        f"({plural(s.count('months'), 'mois')}){s.quoted('reason')}"
    ),
    # The API
    E.API_TOKEN_CREATED: lambda s: (
        f"{s.who} a créé le jeton d'API « {s.get('name')} », qui expire le {s.get('expires_at')}"
    ),
    E.API_TOKEN_REVOKED: lambda s: f"{s.who} a révoqué le jeton d'API n° {s.object_id}",
    E.WEBHOOK_REGISTERED: lambda s: (
        f"{s.who} a enregistré le webhook {s.get('url')} "
        f"({plural(len(s.payload.get('events') or []), 'événement')})"
    ),
    E.WEBHOOK_REMOVED: lambda s: f"{s.who} a supprimé le webhook n° {s.object_id}",
    # The journal itself
    E.CHAIN_KEYED: lambda s: (
        f"{s.who} a scellé le journal par clé, après "
        f"{plural(s.count('unkeyed_events'), 'événement non scellé', 'événements non scellés')}"
    ),
    E.FILES_PURGED: lambda s: (
        f"{s.who} a purgé {plural(s.count('purged'), 'pièce')} {s.of_dossier}, "
        "leur durée de conservation échue"
    ),
    E.CHECKPOINT_WRITTEN: lambda s: (
        f"{s.who} a écrit un point de contrôle du journal "
        f"({plural(s.count('events'), 'événement')})"
    ),
}
