from django.contrib import admin

from .models import Board, Invitation, Membership, School


class SchoolInline(admin.TabularInline):
    model = School
    extra = 0
    fields = ["name", "brin", "education_type", "cluster"]


@admin.register(Board)
class BoardAdmin(admin.ModelAdmin):
    list_display = ["name"]
    search_fields = ["name"]
    filter_horizontal = ["members"]
    inlines = [SchoolInline]


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


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "school", "created_at", "expires_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]
    readonly_fields = ["accepted_at", "accepted_by"]
