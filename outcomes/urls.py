from django.urls import path

from . import views

app_name = "outcomes"

P = "scholen/<int:school_id>/opbrengsten/"
S = P + "vragenlijsten/<int:survey_id>/"

urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "vragenlijsten/nieuw/", views.survey_new, name="survey_new"),
    path(S + "invullen/", views.fill, name="fill"),
    path(S + "sluiten/", views.close, name="close"),
    path(P + "resultaten/", views.results, name="results"),
    path(P + "resultaten/opbrengsten.xlsx", views.results_xlsx, name="results_xlsx"),
    path(P + "resultaten/opbrengsten.pdf", views.results_pdf, name="results_pdf"),
    path(P + "eigen-vragen/", views.items, name="items"),
    path(P + "eigen-vragen/<int:item_id>/intrekken/", views.item_retire, name="item_retire"),
    path("besturen/<int:board_id>/opbrengsten/", views.board, name="board"),
]
