"""An audit event's payload as labelled fields that a person reads, never a Python repr.

Each key the portal records has a French label (``LABELS``); a key it does not know (an
older event) reads as its words (« some_key » → « Some key »). Values are written as the
rest of the portal writes them: « Oui »/« Non », dates JJ/MM/AAAA (moments in Paris time),
months « novembre 2026 », durations « 7 h 30 », amounts « 1 500,00 € », lists joined, and
a change « avant → après ». The journal is the agent's only: it may show what it keeps.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from realisa.audit.events import EventType
from realisa.choices import CertificationMethod, MonthStatus, Role, VersionReason
from realisa.lib.french import french_month
from realisa.lib.hours import format_minutes
from realisa.organisations.models import CertifierDocument

NOTHING = "—"
LABELS: dict[str, str] = {
    # who and what
    "dossier": "Dossier",
    "month": "Mois",
    "organisation": "Organisme (SIRET)",
    "beneficiary": "Bénéficiaire (identifiant du financeur)",
    "username": "Identifiant",
    "user": "Compte",
    "role": "Rôle",
    "can_certify": "Certification en ligne permise",
    "via": "Depuis",
    "source": "Origine",
    "response": "Réponse n°",
    # hours
    "method": "Méthode de certification",
    "centre_minutes": "Heures en centre",
    "internship_minutes": "Heures en stage",
    "absence_minutes": "Heures d'absence",
    "centre": "En centre",
    "internship": "En stage",
    "absence": "Absence",
    "old": "Heures avant",
    "new": "Heures saisies",
    "planned": "Heures prévues",
    "days": "Jours saisis",
    "gap_reason": "Motif de l'écart au prévu",
    "zero_hours_confirmed": "Aucune heure, confirmé",
    "accepts_ip_use": "Accepte l'usage de l'adresse IP",
    "attendance_sheets": "Feuilles d'émargement",
    "version": "Version",
    "deadline": "Réponse attendue avant le",
    "tell_beneficiary": "Bénéficiaire prévenu",
    "previous": "Avant",
    "status": "Statut",
    "certified_at": "Certifié le",
    "certified_by": "Certifié par (compte n°)",
    "validated_at": "Validé le",
    "at": "Le",
    "days_open": "Jours depuis l'ouverture",
    # certification 2's code
    "code": "Code n°",
    "lot": "Lot",
    "batch": "Lot",
    "certified": "Mois certifiés",
    "failed": "Mois non certifiés",
    "to": "Envoyé à",
    "expires_at": "Valable jusqu'au",
    "replaced": "Remplace le précédent",
    "tries": "Tentative",
    "attempts": "Essais erronés",
    "failures": "Codes erronés",
    "version_sha256": "Empreinte de la version certifiée",
    # files
    "sha256": "Empreinte SHA-256",
    "scan_sha256": "Empreinte du scan",
    "evidence_sha256": "Empreinte du dossier de preuve",
    "csv_sha256": "Empreinte du CSV",
    "import_sha256": "Empreinte du fichier importé",
    "manifest_sha256": "Empreinte du manifeste du lot",
    "sealed_manifest_sha256": "Empreinte du manifeste scellé",
    "json_sha256": "Empreinte du JSON",
    "file": "Fichier",
    "name": "Nom",
    "size": "Taille (octets)",
    "sheet": "Feuille n°",
    "kind": "Pièce",
    "reference": "Référence",
    "level": "Niveau de scellement",
    "fallback": "Raison du niveau",
    # the dossier's life
    "changes": "Modifications",
    "changed": "Champs modifiés",
    "is_certifier": "Je suis certificateur",
    "legal_representative": "Représentant légal",
    "legal_representative_title": "Qualité du représentant légal",
    "logo": "Logo",
    "stamp": "Cachet",
    "ended_on": "Dernier jour de formation",
    "planned_days_removed": "Jours prévus supprimés",
    "months_kept_with_hours": "Mois gardés (heures saisies)",
    "interruption": "Interruption n°",
    "start": "Début",
    "end": "Fin",
    "jours": "Jours prévus",
    "total_minutes": "Total prévu",
    "mois_remplaces": "Mois remplacés",
    "mois_conserves": "Mois conservés",
    # payments, transmissions, reminders, imports
    "period_start": "Début de la période",
    "period_end": "Fin de la période",
    "amount": "Montant",
    "paid_on": "Payé le",
    "is_advance": "Avance",
    "locks": "Mois verrouillés",
    "transmission": "Transmission n°",
    "transmission_id": "Transmission n°",
    "line": "Ligne",
    "type": "Type de ligne",
    "corrects": "Corrige",
    "delta": "Écart d'heures",
    "corrections": "Corrections",
    "certificate": "Mois (certificat n°)",
    "months": "Nombre de mois",
    "lines": "Mois en retard",
    "count": "Lignes",
    "created": "Créés",
    "updated": "Modifiés",
    "unchanged": "Inchangés",
    "refused": "Refusés",
    # the API and the journal itself
    "url": "Adresse",
    "events": "Événements",
    "head": "Dernière empreinte",
    "unkeyed_head": "Dernière empreinte non scellée",
    "unkeyed_events": "Événements non scellés",
    "head_row": "Tête de chaîne",
    # retention (funder.purge)
    "purged": "Pièces purgées",
    "kept_until": "À conserver jusqu'au",
    "digests": "Empreintes SHA-256",
    # why, read last
    "reason": "Motif",
    "comment": "Commentaire",
}
ORDER = {key: index for index, key in enumerate(LABELS)}
MINUTES = frozenset(
    {"centre_minutes", "internship_minutes", "absence_minutes", "centre", "internship"}
    | {"absence", "planned", "total_minutes"}
)
HOURS_WORDS = {"centre": "en centre", "internship": "en stage", "absence": "d'absence"}
VALUE_WORDS: dict[str, dict[str, str]] = {
    "method": {str(m.value): str(m.label) for m in CertificationMethod},
    "role": {str(r.value): str(r.label) for r in Role},
    "kind": {str(k.value): str(k.label) for k in CertifierDocument.Kind},
    "status": {str(s.value): str(s.label) for s in MonthStatus},
    "reason": {
        **{str(r.value): str(r.label) for r in VersionReason},
        "no_active_code": "aucun code en cours",
        "hours_changed": "les heures ont changé depuis l'envoi du code",
        "retention": "durée de conservation de ses dossiers échue",
    },
    "source": {"import": "import d'un fichier", "api": "API", "portail": "portail"},
    "via": {"admin": "l'administration"},
    "type": {"initial": "initiale", "correction": "correction"},
    "events": {str(e.value): str(e.label) for e in EventType},
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_MONTH = re.compile(r"^\d{4}-\d{2}$")


@dataclass(frozen=True)
class Field:
    label: str
    text: str


def label_of(key: str) -> str:
    """The key's French label; an unknown key as its words."""
    return LABELS.get(key) or key.replace("_", " ").strip().capitalize() or NOTHING


def in_order(mapping: Mapping[Any, Any]) -> list[tuple[str, Any]]:
    """The entries in one fixed order, ``LABELS``'s, then unknown keys by name: PostgreSQL
    keeps a JSON object's keys in its own order (jsonb), SQLite in the recorded one."""
    entries = [(str(key), value) for key, value in mapping.items()]
    return sorted(entries, key=lambda entry: (ORDER.get(entry[0], len(ORDER)), entry[0]))


def fields_of(payload: Mapping[str, Any]) -> list[Field]:
    """Each entry of the payload, labelled, in ``in_order``'s order."""
    if not isinstance(payload, Mapping):  # a payload is a dict; an odd one still reads
        return [Field("Détails", text_of("", payload))]
    return [Field(label_of(key), text_of(key, value)) for key, value in in_order(payload)]


def fields_text(fields: list[Field]) -> str:
    """The fields on one line, for the CSV: « Mois : novembre 2026 | Méthode : … »."""
    return " | ".join(f"{field.label} : {field.text}" for field in fields)


def text_of(key: str, value: Any) -> str:
    """One value as people read it; ``key`` says how (minutes, an amount, a status…)."""
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, int) and key in MINUTES:
        return format_minutes(value) if value >= 0 else f"-{format_minutes(-value)}"
    if isinstance(value, str):
        return _string(key, value)
    if isinstance(value, Mapping):
        return _mapping(key, value)
    if isinstance(value, list | tuple):
        return _sequence(key, value)
    return str(value)


def _string(key: str, value: str) -> str:
    if value in VALUE_WORDS.get(key, {}):
        return VALUE_WORDS[key][value]
    if key == "amount":
        return euros(value)
    return readable(value)


def readable(value: str) -> str:
    """An ISO date, moment or month, in French; any other text as it is."""
    try:
        if _DATE.match(value):
            return f"{date.fromisoformat(value):%d/%m/%Y}"
        if _MOMENT.match(value):
            moment = datetime.fromisoformat(value)
            local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
            return f"{local:%d/%m/%Y} à {local:%H:%M}"
        if _MONTH.match(value):
            return french_month(date.fromisoformat(f"{value}-01"))
    except ValueError:  # looked like a date, was not one: shown as typed
        return value
    return value


def euros(value: object) -> str:
    """« 1 500,00 € » from the recorded « 1500.00 »."""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{amount:,.2f} €".replace(",", "\u202f").replace(".", ",")


def _change(key: str, before: Any, after: Any) -> str:
    return f"{text_of(key, before)} → {text_of(key, after)}"


def _mapping(key: str, value: Mapping[str, Any]) -> str:
    if key == "delta":  # a correction's: {centre_minutes: new − old, …}
        return ", ".join(f"{label_of(k)} : {_signed(k, v)}" for k, v in in_order(value))
    if key in ("old", "new"):  # an entry's hours: {centre, internship, absence}
        return ", ".join(f"{text_of(k, v)} {HOURS_WORDS.get(k, k)}" for k, v in in_order(value))
    if key == "changes":  # a payment's: {field: [before, after]}
        return ", ".join(
            f"{label_of(name)} : {_change(name, *pair) if _is_pair(pair) else text_of(name, pair)}"
            for name, pair in in_order(value)
        )
    return ", ".join(f"{label_of(k)} : {text_of(k, v)}" for k, v in in_order(value))


def _signed(key: str, value: Any) -> str:
    text = text_of(key, value)
    return f"+{text}" if isinstance(value, int) and value > 0 else text


def _is_pair(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) == 2


def _sequence(key: str, items: list[Any] | tuple[Any, ...]) -> str:
    if key == "changes":  # a dossier's: [[label, before, after], …]
        return ", ".join(
            f"{item[0]} : {_change('', item[1], item[2])}"
            if isinstance(item, list | tuple) and len(item) == 3
            else text_of("", item)
            for item in items
        )
    if key == "changed":  # field names
        return ", ".join(label_of(str(item)).lower() for item in items)
    separator = " ; " if any(isinstance(item, Mapping) for item in items) else ", "
    return separator.join(text_of(key, item) for item in items)
