from django.contrib import admin
from django.urls import include, path

from notifications.views import password_reset

urlpatterns = [
    path("", include("assessments.urls")),
    path("", include("figures.urls")),
    path("", include("notifications.urls")),
    path("", include("history.urls")),
    # Before Django's own: everyone with an e-mail address can reset a password, imported
    # people (who have none yet) included.
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
