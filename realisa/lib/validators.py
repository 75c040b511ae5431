"""Validators of French identifiers, with messages in French."""

from django.core.exceptions import ValidationError
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret


def validate_siret(value: str) -> None:
    try:
        siret.validate(value)
    except StdnumError as error:
        raise ValidationError(
            "Ce numéro SIRET n'est pas valide (14 chiffres, clé de contrôle).", code="siret"
        ) from error


def validate_nda(value: str) -> None:
    """Numéro de déclaration d'activité: 11 digits."""
    if not (len(value) == 11 and value.isdigit()):
        raise ValidationError("Le numéro de déclaration d'activité compte 11 chiffres.", code="nda")
