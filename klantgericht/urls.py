from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from notifications.views import password_reset
from sso.views import login

urlpatterns = [
    path("", include("assessments.urls")),
    path("", include("figures.urls")),
    path("", include("internal_customers.urls")),
    path("", include("development.urls")),
    path("", include("outcomes.urls")),
    path("", include("notifications.urls")),
    path("", include("history.urls")),
    path("sso/", include("sso.urls")),
    # Before Django's own: the login page offers the organisation's login too, and everyone
    # with an e-mail address can reset a password, imported people (who have none yet) included.
    path("accounts/login/", login, name="login"),
    path("accounts/password_reset/", password_reset, name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
]
if not settings.KLANTGERICHT_PASSWORD_LOGIN:
    # Single sign-on only: HR logs in to the admin like everyone else.
    urlpatterns.append(
        path("admin/login/", RedirectView.as_view(pattern_name="login", query_string=True))
    )
urlpatterns.append(path("admin/", admin.site.urls))
