"""Strings of django-axes and django-simple-history that those libraries ship no Dutch for,
and the few of Django's admin that its Dutch catalogue (Django 6.1) leaves untranslated.

HR meets them in the admin (login attempts, a model's change history, a deletion) and people
meet axes' lock-out message. Django looks up the project's catalogue (LOCALE_PATHS) before any
app's, so a translation in locale/nl serves the library's own templates and code. They are
listed here only so that `make messages` (makemessages) finds them and keeps them in the
catalogue; nothing imports this module. The msgids are the libraries' own, character for
character: tests/test_translations.py fails when a library string is left untranslated or
one listed here is no longer the library's.
"""

from django.utils.translation import gettext_noop as _
from django.utils.translation import ngettext_lazy

AXES = [
    _("Locked Out"),
    _("Form Data"),
    _("Meta Data"),
    _("Clean up expired attempts"),
    _("Cleaned up {count} expired access attempts."),
    _("Not set"),
    _("Attempt Remaining"),
    _("Account locked: too many login attempts. Please try again later."),
    _("Account locked: too many login attempts. Contact an admin to unlock your account."),
    _("User Agent"),
    _("IP Address"),
    _("Username"),
    _("HTTP Accept"),
    _("Path"),
    _("Attempt Time"),
    _("Access lock out"),
    _("access failure"),
    _("access failures"),
    _("GET Data"),
    _("POST Data"),
    _("Failed Logins"),
    _("access attempt"),
    _("access attempts"),
    _("Access Attempt"),
    _("Expires At"),
    _("The time when access attempt expires and is no longer valid."),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("Logout Time"),
    _("Session key hash (sha256)"),
    _("access log"),
    _("access logs"),
]

SIMPLE_HISTORY = [
    _("View history: %s"),
    _('The %(name)s "%(obj)s" was changed successfully.'),
    _("You may edit it again below"),
    _("Revert %s"),
    _("Created"),
    _("Changed"),
    _("Deleted"),
    _("Deleted %(type_name)s"),
    _("Choose a date from the list below to revert to a previous version of this object."),
    _("This object doesn't have a change history."),
    _("View %(verbose_name)s"),
    _("Revert %(verbose_name)s"),
    _("Press the 'Revert' button below to revert to this version of the object."),
    _("Press the 'Change History' button below to edit the history."),
    _("Object"),
    _("Comment"),
    _("Changed by"),
    _("Change reason"),
    _("Changes"),
    _("Revert"),
    _("Change History"),
]

DJANGO_ADMIN = [
    _('The app "%s" could not be found.'),
    _("Filter by %(field_name)s"),
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would result in deleting related "
        "objects, but your account doesn't have permission to delete the following types of "
        "objects:"
    ),
    _(
        "Deleting the %(object_name)s “%(escaped_object)s” would require deleting the "
        "following protected related objects:"
    ),
    _(
        "Are you sure you want to delete the %(object_name)s “%(escaped_object)s”? All of the "
        "following related items will be deleted:"
    ),
    _("Forgotten your login credentials?"),
    _("Pagination %(name)s entries"),
    _("Pagination %(name)s"),
    _("Search %(name)s"),
    _("Logout"),
]
DJANGO_ADMIN_PLURAL = [
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
]
