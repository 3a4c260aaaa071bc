from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.home, name="home"),
    path("model/", views.model, name="model"),
    path("assessments/<int:pk>/", views.assessment_form, name="assessment"),
    path("assessments/<int:pk>/autosave/", views.assessment_autosave, name="autosave"),
    path("rounds/<int:round_pk>/people/<int:person_pk>/", views.result, name="result"),
    path("rounds/<int:pk>/outstanding/", views.round_outstanding, name="round_outstanding"),
]
