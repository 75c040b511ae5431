"""What the API reads and writes, typed: the OpenAPI description is generated from these.

A box the API reads is a JSON ``true`` or ``false`` (``StrictBool``): « yes », « 1 » or
« on » are refused rather than read as a tick."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool

from realisa.choices import MonthStatus
from realisa.funder.payment_batch import MAX_ROWS
from realisa.funder.payments import MAX_REFERENCE

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
NUMBER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,29}$"
HOURS_DESCRIPTION = (
    "Une durée comme à l'écran : « 7 », « 7,5 », « 7.5 », « 7h30 », « 7 h 30 » ou « 7:30 » "
    "(vide : 0). Lue par le même analyseur que la fenêtre de saisie."
)


class Problem(Schema):
    """RFC 9457 problem details; ``errors`` maps a field to its French message."""

    type: str
    title: str
    status: int
    detail: str
    errors: dict[str, str] | None = None
    current: dict[str, Any] | None = None


class Organisation(Schema):
    id: int
    name: str
    siret: str


class DossierOut(Schema):
    number: str
    training_title: str
    organisation: Organisation
    beneficiary: str
    start_date: date
    end_date: date
    is_paperless: bool


class DossierPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DossierOut]


class VersionOut(Schema):
    id: int
    number: int
    reference: str
    reason: str
    status: str
    sha256: str
    created_at: datetime
    pdf_url: str


class SheetOut(Schema):
    id: int
    name: str
    uploaded_at: datetime


class DayOut(Schema):
    date: date
    centre_minutes: int
    internship_minutes: int
    absence_minutes: int


class AbilitiesOut(Schema):
    """What the token's user may do with the month now (``certificates/abilities.py``): the
    same answers as the screens' buttons."""

    enter_hours: bool = Field(..., description="Saisir ou corriger les heures.")
    upload_scan: bool = Field(
        ..., description="Déposer, remplacer ou supprimer le certificat signé."
    )
    add_sheets: bool = Field(..., description="Ajouter ou supprimer des feuilles d'émargement.")
    certify_paper: bool = Field(..., description="« Certifier » (certification 1).")
    request_code: bool = Field(..., description="Demander le code (certification 2).")
    certify_online: bool = Field(..., description="Certifier avec le code (certification 2).")
    online_refusal: str = Field(
        ..., description="Pourquoi la certification 2 n'est pas possible (vide sinon)."
    )
    validate_hours: bool = Field(..., description="Valider les heures (le bénéficiaire).")
    contest_hours: bool = Field(..., description="Contester les heures (le bénéficiaire).")
    validate_for_beneficiary: bool = Field(
        ...,
        description="Valider les heures à la place du bénéficiaire, avec un motif (le financeur).",
    )
    reopen: bool = Field(..., description="Rouvrir le mois (le financeur).")
    transmit: bool = Field(..., description="Transmettre le mois (le financeur).")
    download_latest: bool = Field(..., description="Télécharger le dernier PDF.")
    download_history: bool = Field(..., description="Télécharger les versions antérieures.")
    download_scan: bool = Field(..., description="Télécharger le certificat signé déposé.")
    download_sheets: bool = Field(..., description="Télécharger les feuilles d'émargement.")
    download_evidence: bool = Field(
        ..., description="Télécharger le dossier de preuve complet (organisme et financeur)."
    )
    see_answer: bool = Field(..., description="Lire la validation ou la contestation.")


class MonthOut(Schema):
    dossier: str
    month: str = Field(..., description="AAAA-MM", pattern=MONTH_PATTERN)
    first_day: date
    last_day: date
    status: MonthStatus
    status_label: str
    entry_allowed: bool
    version: int = Field(..., description="À renvoyer avec la saisie (0 : aucune heure saisie).")
    certificate_id: int | None
    centre_minutes: int
    internship_minutes: int
    absence_minutes: int
    certification_method: str
    certified_at: datetime | None
    validated_at: datetime | None
    transmitted_at: datetime | None
    signed_scan: bool
    attendance_sheets: list[SheetOut]
    days: list[DayOut]
    versions: list[VersionOut]
    abilities: AbilitiesOut


class DayIn(Schema):
    date: date
    centre: str = Field("", max_length=20, description=HOURS_DESCRIPTION)
    internship: str = Field("", max_length=20, description=HOURS_DESCRIPTION)
    absence: str = Field("", max_length=20, description=HOURS_DESCRIPTION)


class HoursIn(Schema):
    """The month's hours, as the entry window takes them."""

    centre: str = Field("", max_length=20, description=HOURS_DESCRIPTION)
    internship: str = Field("", max_length=20, description=HOURS_DESCRIPTION)
    absence: str = Field("", max_length=20, description=HOURS_DESCRIPTION)
    days: list[DayIn] | None = Field(
        None, max_length=31, description="Dossier dématérialisé : les heures jour par jour."
    )
    certifies_entry: StrictBool = Field(..., description="« Je certifie la saisie des heures ».")
    accepts_ip_use: StrictBool = Field(
        False, description="« J'accepte que mon adresse IP soit utilisée » (certification 2)."
    )
    gap_reason: str = Field(
        "",
        max_length=1000,
        description="« Motif de l'écart » : obligatoire quand la présence dépasse le prévu du mois "
        "(ou, sans calendrier prévu, les heures financées du dossier).",
    )
    zero_hours_confirmed: StrictBool = Field(
        False, description="« Je certifie zéro heure pour ce mois » : obligatoire pour 0 h."
    )
    version: int = Field(..., ge=0, le=2_147_483_647, description="La version lue (0 au départ).")


class HoursResult(Schema):
    month: MonthOut
    warning: str | None = Field(None, description="L'écart avec le calendrier prévu, s'il y en a.")


class CodeIn(Schema):
    code: str = Field(..., min_length=1, max_length=12, description="Le code reçu par e-mail.")


class CodeSent(Schema):
    detail: str
    expires_at: datetime | None = None


class FeedItem(Schema):
    cursor: int = Field(..., description="À renvoyer dans « after » pour la suite.")
    event: str
    occurred_at: datetime
    month: MonthOut


class FeedPage(Schema):
    items: list[FeedItem]
    next_cursor: int = Field(..., description="Le curseur à envoyer au prochain appel.")
    has_more: bool


class TransmissionIn(Schema):
    certificate_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        ..., min_length=1, max_length=5000
    )


class CorrectedLineOut(Schema):
    transmission_id: int = Field(..., description="La transmission de la ligne corrigée.")
    line: str = Field(..., description="L'identifiant de la ligne corrigée.")


class HoursDeltaOut(Schema):
    """Nouvelles heures moins celles de la ligne corrigée, en minutes (négatif : moins)."""

    centre_minutes: int
    internship_minutes: int
    absence_minutes: int


class TransmissionLineOut(Schema):
    line: str = Field(
        ...,
        description="L'identifiant stable de la ligne : dossier/mois/rang de la ligne pour ce "
        "mois, par exemple « FPE-2026-0001/2026-02/1 ».",
    )
    type: Literal["initial", "correction"] = Field(
        ...,
        description="« initial » : le mois transmis pour la première fois ; « correction » : "
        "un mois déjà transmis, rouvert puis certifié à nouveau, qui corrige sa ligne "
        "précédente.",
    )
    certificate_id: int
    dossier: str
    month: str = Field(..., description="AAAA-MM.")
    centre_minutes: int = Field(..., description="Les heures transmises (nouveaux totaux).")
    internship_minutes: int
    absence_minutes: int
    corrects: CorrectedLineOut | None = Field(
        ..., description="La ligne corrigée, la dernière d'une transmission non annulée."
    )
    delta: HoursDeltaOut | None = Field(..., description="L'écart avec la ligne corrigée.")


class TransmissionOut(Schema):
    id: int
    created_at: datetime
    line_count: int
    csv_sha256: str
    json_sha256: str
    certificate_ids: list[int]
    cancelled_at: datetime | None = Field(
        ...,
        description="Annulée par le financeur avant que son fichier ne soit pris : ses mois "
        "ne sont pas transmis par ce lot (null : la transmission vaut).",
    )
    lines: list[TransmissionLineOut] = Field(
        ..., description="Les lignes du lot, comme ses fichiers les portent."
    )


class PaymentIn(Schema):
    period_start: date = Field(..., description="Le premier jour de la période réglée.")
    period_end: date = Field(..., description="Le dernier jour de la période réglée.")
    amount: Decimal = Field(..., max_digits=10, decimal_places=2, description="En euros.")
    paid_on: date = Field(..., description="La date du règlement.")
    is_advance: StrictBool = Field(
        False, description="Une avance : elle ne verrouille pas la saisie des mois couverts."
    )
    reference: str = Field(
        "",
        max_length=MAX_REFERENCE,
        description="Facultative : la référence du règlement dans le système de paiement du "
        "financeur. Le règlement qui la porte déjà est mis à jour (200) au lieu d'en créer un "
        "second (201).",
    )


class PaymentOut(Schema):
    id: int
    dossier: str
    period_start: date
    period_end: date
    amount: Decimal
    paid_on: date
    is_advance: bool
    reference: str = Field(
        "", description="La référence du système de paiement (vide : saisi par un agent)."
    )
    summary: str = Field("", description="Ce que l'agent lirait à l'écran.")
    warnings: list[str] = Field(
        default_factory=list,
        description="Ce que l'enregistrement signale sans le refuser : une période ramenée aux "
        "dates de la formation, des mois dont les heures saisies ou contestées ne sont pas "
        "encore certifiées (le règlement en verrouille la saisie).",
    )


class PaymentRowIn(PaymentIn):
    dossier: str = Field(..., min_length=1, max_length=30, description="Le numéro du dossier.")
    reference: str = Field(
        ...,
        min_length=1,
        max_length=MAX_REFERENCE,
        description="La référence du règlement dans le système de paiement : une référence, "
        "un règlement, d'un seul dossier.",
    )


class PaymentsIn(Schema):
    payments: list[PaymentRowIn] = Field(
        ...,
        min_length=1,
        description=f"Au plus {MAX_ROWS} règlements par appel (422 au-delà).",
        json_schema_extra={"maxItems": MAX_ROWS},
    )


class PaymentRowOut(Schema):
    reference: str
    dossier: str
    outcome: Literal["created", "updated", "unchanged", "refused"] = Field(
        ...,
        description="« created » : enregistré ; « updated » : corrigé (période, montant, date "
        "ou avance) ; « unchanged » : déjà enregistré à l'identique, rien n'a été écrit ; "
        "« refused » : refusé, « errors » dit pourquoi.",
    )
    errors: list[str] = Field(..., description="Les raisons du refus, en français (vide sinon).")
    warnings: list[str] = Field(
        ...,
        description="Les avertissements d'un règlement enregistré ou corrigé : période ramenée "
        "à la formation, heures saisies ou contestées pas encore certifiées (vide sinon).",
    )
    payment: PaymentOut | None = Field(
        ..., description="Le règlement tel qu'il est enregistré (null si refusé)."
    )


class PaymentsResult(Schema):
    results: list[PaymentRowOut] = Field(
        ..., description="Un résultat par règlement, dans l'ordre."
    )


class WebhookIn(Schema):
    url: str = Field(..., max_length=500, description="Une adresse https://.")
    secret: str = Field(..., min_length=16, max_length=200)
    events: list[str] = Field(..., min_length=1, max_length=10)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    is_active: bool
    organisation_id: int | None
    created_at: datetime


class DeliveryOut(Schema):
    id: int
    event: str
    status: str
    attempts: int
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None
    last_status_code: int | None
    last_error: str
