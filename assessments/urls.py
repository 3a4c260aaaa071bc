from django.urls import path

from . import dashboard_views, views

app_name = "assessments"

urlpatterns = [
    path("", views.home, name="home"),
    path("model/", views.model, name="model"),
    path("assessments/<int:pk>/", views.assessment_form, name="assessment"),
    path("assessments/<int:pk>/autosave/", views.assessment_autosave, name="autosave"),
    path("rounds/<int:round_pk>/people/<int:person_pk>/", views.result, name="result"),
    path("teams/<int:pk>/", dashboard_views.team_dashboard, name="team_dashboard"),
    path("organisation/", dashboard_views.organisation_dashboard, name="organisation"),
]
for fmt in ("csv", "xlsx"):
    urlpatterns += [
        path(
            f"teams/<int:pk>/export.{fmt}",
            dashboard_views.team_export,
            {"fmt": fmt},
            name=f"team_export_{fmt}",
        ),
        path(
            f"organisation/export.{fmt}",
            dashboard_views.organisation_export,
            {"fmt": fmt},
            name=f"organisation_export_{fmt}",
        ),
    ]
