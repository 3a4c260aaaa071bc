from django.urls import path

from . import views

app_name = "internal_customers"

urlpatterns = [
    path(
        "rounds/<int:round_pk>/teams/<int:team_pk>/rate/",
        views.feedback,
        name="feedback",
    ),
]
