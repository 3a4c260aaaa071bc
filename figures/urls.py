from django.urls import path

from . import views

app_name = "figures"

urlpatterns = [
    path("teams/<int:pk>/", views.team_dashboard, name="team_dashboard"),
    path("organisation/", views.organisation_dashboard, name="organisation"),
]
for fmt in ("csv", "xlsx"):
    urlpatterns += [
        path(
            f"teams/<int:pk>/export.{fmt}",
            views.team_export,
            {"fmt": fmt},
            name=f"team_export_{fmt}",
        ),
        path(
            f"teams/<int:pk>/people.{fmt}",
            views.team_people_export,
            {"fmt": fmt},
            name=f"team_people_{fmt}",
        ),
        path(
            f"organisation/export.{fmt}",
            views.organisation_export,
            {"fmt": fmt},
            name=f"organisation_export_{fmt}",
        ),
        path(
            f"organisation/people.{fmt}",
            views.organisation_people_export,
            {"fmt": fmt},
            name=f"organisation_people_{fmt}",
        ),
    ]
