from django.urls import path

from . import views

app_name = "development"

urlpatterns = [
    path(
        "rounds/<int:round_pk>/people/<int:person_pk>/actions/new/",
        views.action_new,
        name="action_new",
    ),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/confirm/", views.action_confirm_view, name="action_confirm"),
    path("actions/<int:pk>/delete/", views.action_delete_view, name="action_delete"),
    path("actions/<int:pk>/follow-up/", views.action_follow_up_view, name="action_follow_up"),
]
