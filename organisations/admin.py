from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import ServiceError

from . import services
from .forms import SchoolleidingInviteForm
from .models import Board, BoardMember, Invitation, Membership, Role, School


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0
    can_delete = False  # a school leaves through its own page (pages/leaving.py): exported, audited
    fields = ["name", "brin", "education_type", "cluster"]


class BoardMemberInline(admin.TabularInline):
    """Who follows the board; a beheerder also adds and edits its schools and invites their first schoolleiding
    (the board's school pages, /besturen/<id>/scholen/). Platform admins create the board and appoint its first
    beheerder here."""

    model = BoardMember
    extra = 1
    autocomplete_fields = ["user"]
    fields = ["user", "is_beheerder"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    inlines = [BoardMemberInline, SchoolInline]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "board", "education_type", "brin"]
    list_filter = ["education_type", "board"]
    search_fields = ["name", "brin"]
    inlines = [MembershipInline]
    actions = ["invite_schoolleiding", "leave"]
    readonly_fields = ["version"]  # raised only by the services that check it (reference.services.do_set_pupil_count)

    def has_delete_permission(self, request, obj=None):
        """Never the admin's own delete (it would skip the export, the board-level audit row and the erasure of
        people left without a school): the action "leave" opens the school's leaving page instead."""
        return False

    @admin.action(description=gettext_lazy("Alle gegevens downloaden of de school verwijderen"))
    def leave(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Kies precies één school."), messages.ERROR)
            return None
        return redirect("organisations:school_delete", school_id=queryset.get().pk)

    @admin.action(description=gettext_lazy("Schoolleiding uitnodigen (een e-mail met een uitnodigingslink)"))
    def invite_schoolleiding(self, request, queryset):
        """Start a school: its first schoolleiding gets the app's own invitation email, valid 7 days."""
        if queryset.count() != 1:
            self.message_user(request, _("Kies precies één school."), messages.ERROR)
            return None
        school = queryset.get()
        form = SchoolleidingInviteForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            try:
                with transaction.atomic():
                    created = services.do_invite_members(
                        school=school,
                        emails=form.cleaned_data["emails"],
                        roles=[Role.SCHOOLLEIDING],
                        acting_user=request.user,
                        base_url=request.build_absolute_uri("/").rstrip("/"),
                    )
            except ServiceError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return None
            self.message_user(
                request,
                _(
                    "%(n)d uitnodiging(en) aangemaakt voor %(school)s; de e-mail staat in de wachtrij en gaat zo "
                    "de deur uit."
                )
                % {"n": len(created), "school": school.name},
                messages.SUCCESS,
            )
            return None
        return render(
            request,
            "admin/organisations/school/invite_schoolleiding.html",
            {
                **self.admin_site.each_context(request),
                "school": school,
                "form": form,
                "opts": self.model._meta,
                "valid_days": settings.INVITATION_VALID_DAYS,
            },
        )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Invitations are made by the app (the team page, or the school action above): they carry a token and send
    the email. Here they can be looked up and revoked, not added."""

    list_display = ["email", "school", "created_at", "expires_at", "accepted_at", "revoked_at", "mail_status"]
    exclude = ["token_hash"]
    readonly_fields = [
        "school",
        "email",
        "roles",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "mail_status",
        "mail_attempts",
        "mail_status_at",
        "resent_count",
    ]

    def has_add_permission(self, request):
        return False
