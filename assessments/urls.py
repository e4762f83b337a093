from django.urls import path

from . import views

app_name = "assessments"

P = "scholen/<int:school_id>/rondes/"
R = P + "<int:round_id>/"

urlpatterns = [
    path(P + "nieuw/", views.round_new, name="round_new"),
    path(R, views.round_detail, name="round"),
    path(R + "wijzigen/", views.round_edit, name="round_edit"),
    path(R + "verwijderen/", views.round_delete, name="round_delete"),
    path(R + "herinneren/", views.round_remind, name="round_remind"),
    path(R + "stap/<slug:action>/", views.round_transition, name="round_transition"),
    path(R + "invullen/", views.fill, name="fill"),
    path(R + "invullen/<str:step>/", views.fill_step, name="fill_step"),
    path(R + "invullen/<str:step>/concept/", views.fill_autosave, name="fill_autosave"),
    path(R + "consensus/", views.consensus, name="consensus"),
    path(R + "consensus/<str:accent_code>/", views.consensus_item, name="consensus_item"),
    path(R + "consensus/<str:accent_code>/geschreven/", views.consensus_written, name="consensus_written"),
    path(R + "presentatie/", views.present, name="present"),
    path(R + "resultaat/formulier.docx", views.result_docx, name="result_docx"),
    path(R + "resultaat/overzicht.xlsx", views.result_xlsx, name="result_xlsx"),
]
