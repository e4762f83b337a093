from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("scholen/<int:school_id>/logboek/", views.school_log, name="school_log"),
    path("besturen/<int:board_id>/logboek/", views.board_log, name="board_log"),
]
