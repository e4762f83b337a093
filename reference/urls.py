from django.urls import path

from . import views

app_name = "reference"

urlpatterns = [
    path("naslag/", views.index, name="index"),
    path("naslag/<slug:slug>/", views.topic, name="topic"),
    path("scholen/<int:school_id>/naslag/wat-betekent-dit/", views.estimate, name="estimate"),
]
