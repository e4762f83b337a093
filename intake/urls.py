from django.urls import path

from . import views

app_name = "intake"

P = "scholen/<int:school_id>/voorgesprekken/"
C = P + "<int:conversation_id>/"
A = C + "afspraken/<int:agreement_id>/"

urlpatterns = [
    path(P, views.conversations, name="conversations"),
    path(P + "nieuw/", views.conversation_new, name="conversation_new"),
    path(C, views.conversation_detail, name="conversation"),
    path(C + "wijzigen/", views.conversation_edit, name="conversation_edit"),
    path(C + "voorgesprek.docx", views.conversation_docx, name="conversation_docx"),
    path(C + "aantekeningen/", views.note, name="note"),
    path(C + "besluit/", views.decision, name="decision"),
    path(C + "afspraken/nieuw/", views.agreement_new, name="agreement_new"),
    path(A + "wijzigen/", views.agreement_edit, name="agreement_edit"),
    path(A + "verwijderen/", views.agreement_delete, name="agreement_delete"),
    path("scholen/<int:school_id>/kartrekkers/", views.kartrekkers, name="kartrekkers"),
    path("scholen/<int:school_id>/kartrekkers/<int:membership_id>/rol/", views.kartrekker_role, name="kartrekker_role"),
]
