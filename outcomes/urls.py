from django.urls import path

from . import views

app_name = "outcomes"

urlpatterns = [
    path("teams/<int:pk>/outcomes/", views.team_entry, name="team_entry"),
    path("departments/<int:pk>/outcomes/", views.department_entry, name="department_entry"),
    path("outcomes/import/", views.import_values, name="import"),
]
for fmt in ("csv", "xlsx"):
    urlpatterns += [
        path(
            f"teams/<int:pk>/outcomes.{fmt}",
            views.team_export,
            {"fmt": fmt},
            name=f"team_export_{fmt}",
        ),
        path(
            f"organisation/outcomes.{fmt}",
            views.organisation_export,
            {"fmt": fmt},
            name=f"organisation_export_{fmt}",
        ),
    ]
