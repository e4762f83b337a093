from django.urls import path

from . import views

app_name = "actionplans"

P = "scholen/<int:school_id>/actieplan/"
G = P + "doelen/<int:goal_id>/"
A = P + "acties/<int:action_id>/"
M = P + "bijeenkomsten/<int:meeting_id>/"

urlpatterns = [
    path(P, views.plan, name="plan"),
    path(P + "actiepunten/<slug:part>/", views.plan_part_view, name="plan_part"),
    path(P + "actieplan.docx", views.plan_docx, name="plan_docx"),
    path(P + "actieplan.xlsx", views.plan_xlsx, name="plan_xlsx"),
    path(P + "uit-ronde/<int:round_id>/", views.from_round, name="from_round"),
    path(P + "mijn-acties/", views.my_actions, name="my_actions"),
    path(P + "prullenbak/", views.trash, name="trash"),
    path(P + "doelen/nieuw/", views.goal_new, name="goal_new"),
    path(G, views.goal_detail, name="goal"),
    path(G + "wijzigen/", views.goal_edit, name="goal_edit"),
    path(G + "verwijderen/", views.goal_delete, name="goal_delete"),
    path(G + "terugzetten/", views.goal_restore, name="goal_restore"),
    path(P + "acties/nieuw/", views.action_new, name="action_new"),
    path(A, views.action_detail, name="action"),
    path(A + "wijzigen/", views.action_edit, name="action_edit"),
    path(A + "verwijderen/", views.action_delete, name="action_delete"),
    path(A + "terugzetten/", views.action_restore, name="action_restore"),
    path(A + "status/", views.action_status, name="action_status"),
    path(A + "stappen/<int:step_id>/", views.action_step, name="action_step"),
    path(A + "updates/", views.action_update, name="action_update"),
    path(P + "bijeenkomsten/nieuw/", views.meeting_new, name="meeting_new"),
    path(M, views.meeting_detail, name="meeting"),
    path(M + "wijzigen/", views.meeting_edit, name="meeting_edit"),
    path(M + "notulen/", views.meeting_minutes, name="meeting_minutes"),
    path(M + "verwijderen/", views.meeting_delete, name="meeting_delete"),
    path(M + "terugzetten/", views.meeting_restore, name="meeting_restore"),
]
