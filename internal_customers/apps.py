from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InternalCustomersConfig(AppConfig):
    name = "internal_customers"
    verbose_name = _("Internal customers")
