"""The URLs of the pages on top. They keep the names they had in their apps' namespaces (``home``,
``organisations:school``, ``accounts:my_data_json``, ...): groeiwijzer/urls.py joins these lists into those
namespaces, so that no app below has to import from here."""

from django.urls import path

from . import leaving_views, privacy_views, views

home = path("", views.home, name="home")

accounts_urlpatterns = [
    path("mijn-gegevens/download.json", privacy_views.my_data_json, name="my_data_json"),
    path("mijn-gegevens/overzicht/", privacy_views.my_data_page, name="my_data_page"),
    path("mijn-gegevens/wissen/", privacy_views.erase, name="erase"),
]

organisations_urlpatterns = [
    path("scholen/<int:school_id>/", views.school_dashboard, name="school"),
    path("besturen/<int:board_id>/", views.board, name="board"),
    path("scholen/<int:school_id>/stoppen/gegevens.zip", leaving_views.school_export, name="school_export"),
    path("scholen/<int:school_id>/stoppen/", leaving_views.school_delete, name="school_delete"),
]
