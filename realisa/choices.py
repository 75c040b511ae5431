"""Every status and role of the portal, in one place, with the words users read."""

from django.db import models


class Role(models.TextChoices):
    AGENT = "agent", "Agent Transitions Pro"
    OF_ADMIN = "of_admin", "Administrateur de l'organisme"
    OF_USER = "of_user", "Utilisateur de l'organisme"
    BENEFICIARY = "beneficiary", "Bénéficiaire"
    EMPLOYER = "employer", "Employeur"


class Civility(models.TextChoices):
    MME = "mme", "Mme"
    M = "m", "M."


class ActionNature(models.TextChoices):
    """The four boxes of the official model's « Nature de l'action »."""

    TRAINING = "training", "Action de formation"
    SKILLS_ASSESSMENT = "skills_assessment", "Bilan de compétences"
    VAE = "vae", "Action de VAE"
    APPRENTICESHIP = "apprenticeship", "Action de formation par apprentissage"


class ReviewStatus(models.TextChoices):
    """The funder's check of a certifier document (KBIS, consent letter)."""

    PENDING = "pending", "En attente de contrôle"
    COMPLIANT = "compliant", "Conforme"
    NON_COMPLIANT = "non_compliant", "Non conforme"


class CertificationMethod(models.TextChoices):
    PAPER = "paper", "Certification 1 (impression, signature et dépôt)"
    ONLINE = "online", "Certification 2 (100 % dématérialisée)"


class MonthStatus(models.TextChoices):
    """A month of a dossier, as the organisation reads it.

    The first four are computed from the dates, the payments and the interruptions; the
    others are stored on the month's Certificate by the transitions that reach them.
    """

    NOT_OPEN = "not_open", "La saisie n'est pas disponible"
    AWAITING_ENTRY = "awaiting_entry", "En attente de la saisie de l'organisme"
    LOCKED = (
        "locked",
        "La saisie n'est plus disponible car des règlements ont été faits dans la période",
    )
    INTERRUPTED = "interrupted", "Formation interrompue"
    ENTERED = "entered", "Heures saisies, en attente de certification"
    CERTIFIED = "certified", "Certifié par l'organisme"
    VALIDATED = "validated", "Heures validées par le bénéficiaire"
    CONTESTED = "contested", "Heures contestées par le bénéficiaire"
    TRANSMITTED = "transmitted", "Transmis"


# From certification on, the beneficiary and the employer see the month's certificate.
SHARED_STATUSES = frozenset(
    {
        MonthStatus.CERTIFIED,
        MonthStatus.VALIDATED,
        MonthStatus.CONTESTED,
        MonthStatus.TRANSMITTED,
    }
)

STORED_STATUSES = frozenset(
    {
        MonthStatus.ENTERED,
        MonthStatus.CERTIFIED,
        MonthStatus.VALIDATED,
        MonthStatus.CONTESTED,
        MonthStatus.TRANSMITTED,
    }
)


class VersionReason(models.TextChoices):
    """What produced a version of a certificate's PDF."""

    ENTRY = "entry", "Saisie des heures"
    CERTIFICATION = "certification", "Certification"
    SIGNED = "signed", "Certificat signé (certification 1)"
    VALIDATION = "validation", "Validation par le bénéficiaire"


class ValidationKind(models.TextChoices):
    """How a month certified online came to be validated."""

    BENEFICIARY = "beneficiary", "Validé par le bénéficiaire"
    NO_ANSWER = "no_answer", "Validé sans réponse du bénéficiaire"
    AGENT = "agent", "Validé par le financeur"


# A validated month's status as pages print it, when the beneficiary did not validate it
# themselves (``MonthStatus.VALIDATED``'s own label says they did).
VALIDATED_STATUS_TEXT = {
    ValidationKind.NO_ANSWER: "Heures validées sans réponse du bénéficiaire",
    ValidationKind.AGENT: "Heures validées par le financeur",
}


class PlanOwner(models.TextChoices):
    """Who enters a dossier's planned calendar: the organisation « dans son volet », or the
    funder when its instruction system provides it (the organisation then reads it)."""

    ORGANISATION = "organisation", "L'organisme de formation"
    FUNDER = "funder", "Le financeur"


class CodeVoidReason(models.TextChoices):
    """Why a code of certification 2 (``OneTimeCode``) can no longer be used."""

    REPLACED = "replaced", "Remplacé par un nouveau code"
    EXPIRED = "expired", "Expiré (valable ¼ d'heure)"
    TOO_MANY_ATTEMPTS = "too_many_attempts", "Trois essais erronés"
    HOURS_CHANGED = "hours_changed", "Heures modifiées depuis l'envoi"


class BeneficiaryDecision(models.TextChoices):
    """The beneficiary's answer to a month certified online."""

    VALIDATED = "validated", "Heures validées"
    CONTESTED = "contested", "Heures contestées"


class LineKind(models.TextChoices):
    """A line of a transmission: a month sent for the first time, or a month transmitted
    before, reopened and certified again, whose line corrects the last one sent."""

    INITIAL = "initial", "Initiale"
    CORRECTION = "correction", "Correction"
