from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import AbstractUser
from django.db import models

from realisa.choices import Role

if TYPE_CHECKING:
    from realisa.dossiers.models import Employer
    from realisa.organisations.models import Organisation


class User(AbstractUser):
    """A person who logs in. Username login; one role each."""

    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    organisation: models.ForeignKey[Organisation | None, Organisation | None] = models.ForeignKey(
        "organisations.Organisation",
        verbose_name="organisme de formation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    employer: models.ForeignKey[Employer | None, Employer | None] = models.ForeignKey(
        "dossiers.Employer",
        verbose_name="employeur",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    can_certify = models.BooleanField(
        "certification des certificats de réalisation",
        default=False,
        help_text="Peut certifier les heures en 100 % dématérialisé (certification 2).",
    )

    REQUIRED_FIELDS = ["email", "role"]

    class Meta:
        verbose_name = "utilisateur"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=[Role.OF_ADMIN, Role.OF_USER])
                | models.Q(organisation__isnull=False),
                name="user_of_member_has_organisation",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.EMPLOYER) | models.Q(employer__isnull=False),
                name="user_employer_has_employer",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_agent(self) -> bool:
        return self.role == Role.AGENT

    @property
    def is_of_member(self) -> bool:
        return self.role in (Role.OF_ADMIN, Role.OF_USER)

    @property
    def is_of_admin(self) -> bool:
        return self.role == Role.OF_ADMIN


class RateCounter(models.Model):
    """The requests one rate limit has counted for one subject in one window
    (``accounts/ratelimit.py``), shared by every process that serves the portal."""

    key = models.CharField(max_length=120, unique=True)  # limit:hashed subject:window
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "compteur de limite de débit"

    def __str__(self) -> str:
        return f"{self.key} : {self.count}"
