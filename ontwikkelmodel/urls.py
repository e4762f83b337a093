from django.urls import path

from . import views

app_name = "ontwikkelmodel"

urlpatterns = [
    path("ontwikkelmodel/", views.model_page, name="model"),
]
