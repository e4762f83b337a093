from django.urls import path

from . import views

app_name = "leadership"

P = "scholen/<int:school_id>/leidinggevenden/"
R = P + "rondes/<int:checklist_id>/"
I = P + "eigen-uitspraken/<int:item_id>/"  # noqa: E741

urlpatterns = [
    path(P, views.overview, name="overview"),
    path(P + "rondes/nieuw/", views.round_new, name="round_new"),
    path(R + "invullen/", views.fill, name="fill"),
    path(R + "mijn-resultaten/", views.results, name="results"),
    path(R + "gesprek/", views.conversation, name="conversation"),
    path(R + "gesprek/<slug:question>/", views.note, name="note"),
    path(P + "eigen-uitspraken/", views.items, name="items"),
    path(I + "wijzigen/", views.item_edit, name="item_edit"),
    path(I + "intrekken/", views.item_retire, name="item_retire"),
    path(I + "terugzetten/", views.item_restore, name="item_restore"),
]
