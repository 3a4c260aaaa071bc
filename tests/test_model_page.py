"""“Het model”: the levels and their indicators, in the reader's language."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("assessments:model"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["anna", "maud", "hanna", "xander"])
def test_everyone_logged_in_reads_the_model_in_dutch_by_default(org, login, persona):
    page = login(org[persona]).get(reverse("assessments:model"))
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert "Niveau 3: Neemt persoonlijke verantwoordelijkheid" in page.text
    assert "<li>Doet dat wat afgesproken is met de klant</li>" in page.text


def test_the_language_switch_turns_the_page_english(org, login):
    client = login(org["anna"])
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("assessments:model")}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get(reverse("assessments:model"))
    assert '<html lang="en">' in page.text
    assert "Level 3: Takes personal responsibility" in page.text
    assert "<li>Does what has been agreed with the customer</li>" in page.text
    assert "Mijn beoordelingen" not in page.text


def test_the_page_header_offers_both_languages(org, login):
    page = login(org["anna"]).get(reverse("assessments:model"))
    assert 'name="language" value="nl"' in page.text
    assert 'name="language" value="en"' in page.text


def test_the_page_shows_the_model_of_the_latest_round_not_a_draft_version(org, login):
    from assessments.models import Framework
    from assessments.services import framework_new_version
    from tests.conftest import make_round

    current = Framework.objects.get(version=1)
    make_round(org, current)
    draft = framework_new_version(framework=current)
    draft.levels.filter(number=1).update(name_nl="Opvolgen (concept)")
    page = login(org["anna"]).get(reverse("assessments:model"))
    assert "Niveau 1: Opvolgen" in page.text
    assert "Opvolgen (concept)" not in page.text


def test_the_number_of_levels_and_the_target_come_from_the_framework_and_team(org, login):
    page = login(org["xander"]).get(reverse("assessments:model"))  # in no team: the default
    assert "Het model kent 5 niveaus van klantgericht gedrag." in page.text
    assert "Het doel is dat iedereen op niveau 3 of hoger werkt." in page.text
    org["noord"].target_level = 4
    org["noord"].save()
    page = login(org["anna"]).get(reverse("assessments:model"))
    assert "Het doel is dat iedereen op niveau 4 of hoger werkt." in page.text
    assert page.text.count("het doel</span>") == 1  # a badge on the target level only
    assert 'Niveau 4: Adresseren van mogelijke behoeften van klant <span class="badge' in (
        page.text
    )


def test_a_person_in_teams_with_different_targets_reads_each(org, login):
    from assessments.models import Membership

    org["noord"].target_level = 4
    org["noord"].save()
    Membership.objects.create(person=org["anna"], team=org["zuid"])
    page = login(org["anna"]).get(reverse("assessments:model"))
    assert "Het doel verschilt per team" in page.text
    assert "<li>Team Noord: niveau 4</li>" in page.text
    assert "<li>Team Zuid: niveau 3</li>" in page.text
    assert "het doel</span>" not in page.text


def test_a_framework_of_four_levels_says_four(org, login):
    from assessments.models import Framework
    from assessments.services import framework_new_version
    from tests.conftest import make_round

    four = framework_new_version(framework=Framework.objects.get(version=1))
    four.levels.get(number=5).delete()
    make_round(org, four)
    page = login(org["anna"]).get(reverse("assessments:model"))
    assert "Het model kent 4 niveaus van klantgericht gedrag." in page.text
    assert "Heeft een lange termijn perspectief" not in page.text
