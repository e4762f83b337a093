from django.urls import path

from . import sso_views, views

app_name = "organisations"

urlpatterns = [
    path("scholen/<int:school_id>/team/", views.members, name="members"),
    path("scholen/<int:school_id>/team/uitnodigen/", views.invite, name="invite"),
    path(
        "scholen/<int:school_id>/team/uitnodigingen/<int:invitation_id>/intrekken/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "scholen/<int:school_id>/team/uitnodigingen/<int:invitation_id>/opnieuw-versturen/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("scholen/<int:school_id>/team/<int:membership_id>/", views.member_edit, name="member_edit"),
    path("scholen/<int:school_id>/team/<int:membership_id>/verwijderen/", views.member_remove, name="member_remove"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
    # How the team logs in: single sign-on required, the e-mail code as fallback (organisations/sso.py).
    path("scholen/<int:school_id>/inloggen/", sso_views.school_sso, name="school_sso"),
    path("besturen/<int:board_id>/inloggen/", sso_views.board_sso, name="board_sso"),
    # A board's schools, managed by its beheerder (issue 14).
    path("besturen/<int:board_id>/scholen/", views.board_schools, name="board_schools"),
    path("besturen/<int:board_id>/scholen/nieuw/", views.board_school_new, name="board_school_new"),
    path("besturen/<int:board_id>/scholen/<int:school_id>/", views.board_school_edit, name="board_school_edit"),
    path(
        "besturen/<int:board_id>/scholen/<int:school_id>/schoolleiding/",
        views.board_school_invite,
        name="board_school_invite",
    ),
]
