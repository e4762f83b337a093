from django.urls import path

from . import views

app_name = "trajectory"

T = "scholen/<int:school_id>/traject/"

urlpatterns = [
    path(T, views.overview, name="overview"),
    path(T + "starten/", views.start, name="start"),
    path(T + "startdatum/", views.edit_start, name="edit_start"),
    path(T + "overzicht/", views.summary, name="summary"),
    path(T + "stappen/<int:step_id>/", views.step_detail, name="step"),
    path(T + "traject.ics", views.ics, name="ics"),
    path(T + "traject.docx", views.docx, name="docx"),
    path(T + "traject.pdf", views.pdf, name="pdf"),
]
