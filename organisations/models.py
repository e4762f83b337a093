"""Boards (schoolbesturen), schools, memberships with roles, and invitations."""

import hashlib
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.mail import MailStatus
from core.models import Versioned

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Board(models.Model):
    name = models.CharField(_("naam"), max_length=200)
    # Everyone who follows the board (its page, read-only). A member marked beheerder (BoardMember.is_beheerder)
    # also adds and edits the board's schools and invites their first schoolleiding (issue 14).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="boards",
        verbose_name=_("bestuursleden"),
        through="BoardMember",
    )
    # Single sign-on (accounts/sso.py, organisations/sso.py): every member of the board's schools (and the board's own
    # members) logs in with their school account, not with a password. Switched by the board's beheerder; audited.
    sso_required = models.BooleanField(_("inloggen met schoolaccount verplicht"), default=False)

    class Meta:
        verbose_name = _("schoolbestuur")
        verbose_name_plural = _("schoolbesturen")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BoardMember(models.Model):
    """A person who follows a board; ``is_beheerder``: also manages its schools. The table is the one Django made
    for ``Board.members`` before it had a through model (migration 0004 only adds the column)."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    is_beheerder = models.BooleanField(
        _("bestuurder/beheerder"),
        default=False,
        help_text=_("Voegt scholen aan het bestuur toe, wijzigt ze en nodigt hun eerste schoolleiding uit."),
    )

    class Meta:
        db_table = "organisations_board_members"
        verbose_name = _("bestuurslid")
        verbose_name_plural = _("bestuursleden")
        unique_together = [("board", "user")]

    def __str__(self):
        return f"{self.user} @ {self.board}"


class EducationType(models.TextChoices):
    REGULIER_BO = "bo", _("Regulier basisonderwijs")
    SBO = "sbo", _("Speciaal basisonderwijs (SBO)")
    SO = "so", _("Speciaal onderwijs (SO)")
    VSO = "vso", _("Voortgezet speciaal onderwijs (VSO)")
    VO = "vo", _("Voortgezet onderwijs")
    MBO = "mbo", _("MBO")
    NIEUWKOMERS = "nieuwkomers", _("Nieuwkomersonderwijs")


class Cluster(models.IntegerChoices):
    C1 = 1, _("Cluster 1")
    C2 = 2, _("Cluster 2")
    C3 = 3, _("Cluster 3")
    C4 = 4, _("Cluster 4")


class School(Versioned, models.Model):
    """A school of a board. ``version`` is the version of its pupil count, the one field its members edit on a page
    several may have open (the Naslag's estimate, reference.services.do_set_pupil_count raises it); the board's edit
    of name and type and the switches (sign-on, benchmark) leave it alone, so they never make that page's save a
    conflict."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="schools", verbose_name=_("bestuur"))
    name = models.CharField(_("naam"), max_length=200)
    brin = models.CharField(_("BRIN-code"), max_length=6, blank=True)
    education_type = models.CharField(_("onderwijstype"), max_length=20, choices=EducationType.choices)
    cluster = models.PositiveSmallIntegerField(
        _("cluster"), choices=Cluster.choices, null=True, blank=True, help_text=_("Alleen voor SO en VSO.")
    )
    pupil_count = models.PositiveIntegerField(_("aantal leerlingen (ongeveer)"), null=True, blank=True)
    staff_count = models.PositiveIntegerField(_("aantal medewerkers (ongeveer)"), null=True, blank=True)
    # Opt-in (research/benchmark.py, issue 13): the school compares its agreed phases with those of other schools
    # of its onderwijstype, and only then do its own agreed phases count in theirs. Off by default.
    benchmark_opt_in = models.BooleanField(_("vergelijken met andere scholen"), default=False)
    # Single sign-on (organisations/sso.py): the members log in with their school account, not with a password; with
    # ``sso_code_fallback`` off not with the e-mail code either. Switched by the schoolleiding (or the board's
    # beheerder); audited. Platform admins are exempt.
    sso_required = models.BooleanField(_("inloggen met schoolaccount verplicht"), default=False)
    sso_code_fallback = models.BooleanField(_("inloggen met een code per e-mail blijft mogelijk"), default=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.cluster and self.education_type not in (EducationType.SO, EducationType.VSO):
            raise ValidationError({"cluster": _("Een cluster hoort alleen bij SO of VSO.")})


class Role(models.TextChoices):
    """Roles a person can have in a school. One membership can hold several."""

    SCHOOLLEIDING = "schoolleiding", _("Schoolleiding/MT")
    KARTREKKER = "kartrekker", _("Kartrekker")
    WERKGROEPLID = "werkgroeplid", _("Werkgroeplid")
    TRAINER_INTERN = "trainer_intern", _("Trainer (intern)")
    TRAINER_EXTERN = "trainer_extern", _("Trainer (extern)")
    TEAMLID = "teamlid", _("Teamlid")


ROLE_FIELDS = {
    Role.SCHOOLLEIDING: "is_schoolleiding",
    Role.KARTREKKER: "is_kartrekker",
    Role.WERKGROEPLID: "is_werkgroeplid",
    Role.TRAINER_INTERN: "is_trainer_intern",
    Role.TRAINER_EXTERN: "is_trainer_extern",
    Role.TEAMLID: "is_teamlid",
}


class Membership(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    is_schoolleiding = models.BooleanField(Role.SCHOOLLEIDING.label, default=False)
    is_kartrekker = models.BooleanField(Role.KARTREKKER.label, default=False)
    is_werkgroeplid = models.BooleanField(Role.WERKGROEPLID.label, default=False)
    is_trainer_intern = models.BooleanField(Role.TRAINER_INTERN.label, default=False)
    is_trainer_extern = models.BooleanField(Role.TRAINER_EXTERN.label, default=False)
    is_teamlid = models.BooleanField(Role.TEAMLID.label, default=False)
    joined_at = models.DateTimeField(_("lid sinds"), default=timezone.now)

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = [models.UniqueConstraint(fields=["school", "user"], name="unique_membership")]

    def __str__(self):
        return f"{self.user} @ {self.school}"

    @property
    def roles(self) -> list[str]:
        return [role for role, field in ROLE_FIELDS.items() if getattr(self, field)]

    @property
    def role_labels(self) -> list["StrOrPromise"]:
        return [Role(r).label for r in self.roles]

    def has_role(self, *roles: str) -> bool:
        return any(getattr(self, ROLE_FIELDS[Role(r)]) for r in roles)

    def set_roles(self, roles) -> None:
        wanted = {Role(r) for r in roles}
        for role, field in ROLE_FIELDS.items():
            setattr(self, field, role in wanted)

    @property
    def is_trainer(self) -> bool:
        return self.is_trainer_intern or self.is_trainer_extern


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """An emailed invitation. Only the token's hash is stored; valid 7 days, used once."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mailadres"))
    roles = models.JSONField(_("rollen"), default=list)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # How the email with the current link fared (core/mail.py reports back); empty for invitations from
    # before mail was queued.
    mail_status = models.CharField(_("e-mail"), max_length=10, choices=MailStatus.choices, blank=True, default="")
    mail_attempts = models.PositiveSmallIntegerField(_("verzendpogingen"), default=0)
    mail_status_at = models.DateTimeField(null=True, blank=True)
    resent_count = models.PositiveSmallIntegerField(_("opnieuw verstuurd"), default=0)

    class Meta:
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} → {self.school}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def role_labels(self) -> list["StrOrPromise"]:
        return [Role(r).label for r in self.roles if r in Role.values]
