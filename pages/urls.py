"""The URLs of the pages on top. They keep the names they had in their apps' namespaces (``home``,
``organisations:school``, ``accounts:my_data_json``, ``audit:school_log``, ...): groeiwijzer/urls.py joins these
lists into those namespaces, so that no app below has to import from here."""

from django.urls import path

from . import audit_views, calendar_views, growth, leaving_views, onboarding, privacy_views, round_result, views

home = path("", views.home, name="home")

accounts_urlpatterns = [
    path("mijn-gegevens/download.json", privacy_views.my_data_json, name="my_data_json"),
    path("mijn-gegevens/overzicht/", privacy_views.my_data_page, name="my_data_page"),
    path("mijn-gegevens/wissen/", privacy_views.erase, name="erase"),
    # The personal calendar subscription (issue 14): managed in Mijn gegevens; the feed itself needs no login.
    path("mijn-gegevens/agenda/", calendar_views.manage, name="calendar_feed_manage"),
    path("agenda/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
]

organisations_urlpatterns = [
    path("scholen/<int:school_id>/", views.school_dashboard, name="school"),
    path("scholen/<int:school_id>/zo-begin-je/", onboarding.onboarding, name="onboarding"),
    path("besturen/<int:board_id>/", views.board, name="board"),
    path("trainer/sessies.ics", calendar_views.trainer_calendar, name="trainer_calendar"),
    path("scholen/<int:school_id>/stoppen/gegevens.zip", leaving_views.school_export, name="school_export"),
    path("scholen/<int:school_id>/stoppen/", leaving_views.school_delete, name="school_delete"),
]

audit_urlpatterns = [
    path("scholen/<int:school_id>/logboek/", audit_views.school_log, name="school_log"),
    path("besturen/<int:board_id>/logboek/", audit_views.board_log, name="board_log"),
]

# A round's result page and its PDF, with the plan's follow-up (pages/round_result.py); the school's growth over its
# rounds with the plan's goals per accent (pages/growth.py).
assessments_urlpatterns = [
    path("scholen/<int:school_id>/groei/", growth.growth, name="growth"),
    path("scholen/<int:school_id>/rondes/<int:round_id>/resultaat/", round_result.result, name="result"),
    path(
        "scholen/<int:school_id>/rondes/<int:round_id>/resultaat/rapport.pdf",
        round_result.result_pdf,
        name="result_pdf",
    ),
]
