from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("me/preferences/", views.preferences, name="preferences"),
    path("welcome/<uidb64>/<token>/", views.invitation_accept, name="invitation"),
]
