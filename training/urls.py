from django.urls import path

from . import board_views, views

app_name = "training"

P = "scholen/<int:school_id>/teamtraining/"
PL = P + "<int:plan_id>/"
S = P + "sessies/<int:session_id>/"
B = "besturen/<int:board_id>/nieuwe-medewerkers/"  # a board's training for new staff (issue 14)
BT = B + "<int:training_id>/"
BS = B + "sessies/<int:board_session_id>/"

urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "nieuw/", views.plan_new, name="plan_new"),
    path(PL, views.plan_detail, name="plan"),
    path(PL + "sessies/nieuw/", views.session_new, name="session_new"),
    path(PL + "groepen/nieuw/", views.group_new, name="group_new"),
    path(PL + "gemist/", views.missed, name="missed"),
    path(P + "groepen/<int:group_id>/wijzigen/", views.group_edit, name="group_edit"),
    path(P + "groepen/<int:group_id>/verwijderen/", views.group_delete, name="group_delete"),
    path(S, views.session_detail, name="session"),
    path(S + "wijzigen/", views.session_edit, name="session_edit"),
    path(S + "verwijderen/", views.session_delete, name="session_delete"),
    path(S + "aanwezigheid/", views.attendance, name="attendance"),
    path(S + "reflectievragen/", views.send_reflection, name="send_reflection"),
    path(S + "onderwerpen/", views.topic_new, name="topic_new"),
    path(P + "onderwerpen/<int:topic_id>/intekenen/", views.topic_signup, name="topic_signup"),
    path(B, board_views.trainings, name="board_trainings"),
    path(B + "nieuw/", board_views.training_new, name="board_training_new"),
    path(BT, board_views.training_detail, name="board_training"),
    path(BT + "wijzigen/", board_views.training_edit, name="board_training_edit"),
    path(BT + "groepen/nieuw/", board_views.group_new, name="board_group_new"),
    path(B + "groepen/<int:board_group_id>/", board_views.group_edit, name="board_group_edit"),
    path(BT + "sessies/nieuw/", board_views.session_new, name="board_session_new"),
    path(BS + "wijzigen/", board_views.session_edit, name="board_session_edit"),
    path(BS + "verwijderen/", board_views.session_delete, name="board_session_delete"),
    path(BS + "aanwezigheid/", board_views.attendance, name="board_attendance"),
]
