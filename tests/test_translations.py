"""The Dutch of the screens people and HR see: the libraries' strings and plain words."""

import gettext
import re
from pathlib import Path

import axes
import pytest
import simple_history
from django.urls import reverse
from django.utils import translation

from assessments import library_translations

pytestmark = pytest.mark.django_db

# Library strings whose Dutch is the same word.
SAME_IN_DUTCH = {"Object"}


def library_source(package) -> str:
    root = Path(package.__file__).parent
    files = [*root.rglob("*.py"), *root.rglob("*.html")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in files)
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", r"{{\1}}", text)  # {{ x }} and {{x}} alike


def in_source(msgid: str, source: str) -> bool:
    """Whether the msgid is in the source as a Python string or a template's {{x}}."""
    return msgid in source or re.sub(r"%\((\w+)\)s", r"{{\1}}", msgid) in source


def shipped_msgids(package) -> set[str]:
    """The msgids of a library's own (German) catalogue that its source still uses."""
    mo = Path(package.__file__).parent / "locale" / "de" / "LC_MESSAGES" / "django.mo"
    with mo.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    source = library_source(package)
    msgids = {key if isinstance(key, str) else key[0] for key in catalog if key}
    return {
        msgid
        for msgid in msgids
        if "\x04" not in msgid  # none of them has a context
        and in_source(msgid, source)
    }


@pytest.mark.parametrize("package", [axes, simple_history], ids=lambda p: p.__name__)
def test_every_string_of_axes_and_simple_history_reads_in_dutch(package):
    listed = {*library_translations.AXES, *library_translations.SIMPLE_HISTORY}
    source = library_source(package)
    ours = {msgid for msgid in listed if in_source(msgid, source)}
    assert len(ours) > 15  # the list is the library's
    untranslated = []
    with translation.override("nl"):
        for msgid in shipped_msgids(package) | ours:
            if translation.gettext(msgid) == msgid and msgid not in SAME_IN_DUTCH:
                untranslated.append(msgid)
    assert not untranslated, untranslated


def test_every_listed_library_string_is_still_a_library_string():
    source = library_source(axes) + library_source(simple_history)
    stale = [
        msgid
        for msgid in {*library_translations.AXES, *library_translations.SIMPLE_HISTORY}
        if not in_source(msgid, source)
    ]
    assert not stale, stale


def test_the_login_attempts_in_the_admin_are_in_dutch(org, login):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="anna", ip_address="10.0.0.1", user_agent="test", failures_since_start=2
    )
    page = login(org["hanna"]).get(reverse("admin:axes_accessattempt_changelist"))
    assert page.status_code == 200
    assert "inlogpogingen" in page.text.lower()
    assert "IP-adres" in page.text and "access attempt" not in page.text.lower()


def test_a_change_history_in_the_admin_is_in_dutch(org, login):
    from assessments.models import Team

    team = org["noord"]
    team.target_level = 4
    team.save()
    page = login(org["hanna"]).get(reverse("admin:assessments_team_history", args=[team.pk]))
    assert page.status_code == 200
    assert "Kies hieronder een datum om terug te gaan naar een eerdere versie." in page.text
    assert "Gewijzigd door" in page.text
    assert Team.history.filter(id=team.pk).count() == 2


def test_the_model_admin_speaks_of_behaviours_and_the_score_needed(org, login):
    from assessments.models import Framework

    framework = Framework.objects.get(version=1)
    page = login(org["hanna"]).get(
        reverse("admin:assessments_framework_change", args=[framework.pk])
    )
    text = page.text.lower()
    assert "benodigde score voor een niveau" in text
    assert "niveaus en hun gedragingen" in text
    for jargon in ("beheersingsdrempel", "gedragsindicator", "scoring"):
        assert jargon not in text, jargon


def test_the_people_import_counts_each_thing_in_its_own_number(org, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    csv = (
        b"username,first_name,last_name,email,department,team,role\n"
        b"nina,Nina,Bos,nina@example.org,Klantcontact,Oost,employee\n"
    )
    response = login(org["hanna"]).post(
        reverse("admin:assessments_team_import"),
        {"file": SimpleUploadedFile("people.csv", csv, content_type="text/csv")},
        follow=True,
    )
    assert (
        "Geïmporteerd: 1 persoon toegevoegd, 0 personen bijgewerkt, 1 team toegevoegd, "
        "1 teamlidmaatschap toegevoegd."
    ) in response.text


def test_what_djangos_dutch_admin_leaves_untranslated_reads_in_dutch():
    import django

    source = library_source(django.contrib.admin)
    with translation.override("nl"):
        for msgid in library_translations.DJANGO_ADMIN:
            assert in_source(msgid, source), msgid
            assert translation.gettext(msgid) != msgid, msgid
        assert translation.ngettext(
            "…and %(count)d more object.", "…and %(count)d more objects.", 2
        ) == ("…en nog %(count)d objecten.")


def test_the_admin_filters_in_dutch(org, login):
    page = login(org["hanna"]).get(reverse("admin:axes_accessattempt_changelist"))
    assert "Filteren op Tijdstip van de poging" in page.text
