"""A framework that a round has used never changes under that round; changes keep who and when."""

import datetime

import pytest
from django.urls import reverse

from assessments.models import Framework, FrameworkInUse, Indicator, Level, Round

pytestmark = pytest.mark.django_db


@pytest.fixture
def used_framework(org):
    framework = Framework.objects.get(version=1)
    used = Round.objects.create(
        name="Q1 2027",
        framework=framework,
        opens_on=datetime.date(2027, 1, 1),
        closes_on=datetime.date(2027, 3, 31),
    )
    used.teams.add(org["noord"])
    return framework


def test_an_unused_framework_can_be_edited():
    indicator = Indicator.objects.filter(level__framework__version=1).first()
    indicator.text_en = "Changed"
    indicator.save()
    indicator.refresh_from_db()
    assert indicator.text_en == "Changed"


def test_a_used_framework_refuses_changes_to_its_levels_indicators_and_itself(used_framework):
    indicator = Indicator.objects.filter(level__framework=used_framework).first()
    indicator.text_nl = "Iets anders"
    with pytest.raises(FrameworkInUse):
        indicator.save()
    with pytest.raises(FrameworkInUse):
        indicator.delete()
    level = used_framework.levels.first()
    level.name_nl = "Anders"
    with pytest.raises(FrameworkInUse):
        level.save()
    with pytest.raises(FrameworkInUse):
        Level.objects.create(framework=used_framework, number=6, name_nl="Zes")
    used_framework.mastery_threshold = 3
    with pytest.raises(FrameworkInUse):
        used_framework.save()
    assert Indicator.objects.get(pk=indicator.pk).text_nl != "Iets anders"


def test_admin_shows_a_used_framework_read_only_and_refuses_a_post(used_framework, login, org):
    client = login(org["hanna"])
    url = reverse("admin:assessments_framework_change", args=[used_framework.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "alleen-lezen" in page.text
    response = client.post(url, {"name_nl": "Gewijzigd"})
    assert response.status_code == 403
    assert Framework.objects.get(pk=used_framework.pk).name_nl == "Klantgerichtheid"


def test_new_version_action_copies_everything_and_is_editable(used_framework, login, org):
    client = login(org["hanna"])
    response = client.post(
        reverse("admin:assessments_framework_changelist"),
        {"action": "make_new_version", "_selected_action": [used_framework.pk]},
    )
    assert response.status_code == 302
    copy = Framework.objects.get(version=2)
    assert copy.previous_version == used_framework
    assert copy.levels.count() == 5
    assert Indicator.objects.filter(level__framework=copy).count() == 21
    assert copy.scale.count() == 5 and copy.questions.count() == 4
    assert list(
        Indicator.objects.filter(level__framework=copy)
        .order_by("level__number", "position")
        .values_list("text_nl", flat=True)
    ) == list(
        Indicator.objects.filter(level__framework=used_framework)
        .order_by("level__number", "position")
        .values_list("text_nl", flat=True)
    )
    level = copy.levels.get(number=1)
    level.name_nl = "Opvolgen (nieuw)"
    level.save()
    assert used_framework.levels.get(number=1).name_nl == "Opvolgen"


def test_an_admin_edit_is_kept_with_who_and_when(login, org):
    client = login(org["hanna"])
    level = Level.objects.get(framework__version=1, number=1)
    url = reverse("admin:assessments_level_change", args=[level.pk])
    data = {
        "framework": level.framework_id,
        "number": 1,
        "name_nl": "Opvolgen",
        "name_en": "Following through",
        "description_nl": level.description_nl,
        "description_en": level.description_en,
        "indicators-TOTAL_FORMS": "0",
        "indicators-INITIAL_FORMS": "0",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content
    latest = level.history.latest()
    assert latest.name_en == "Following through"
    assert latest.history_user == org["hanna"]
    assert latest.history_date is not None


IN_USE = "is in een ronde gebruikt en kan niet meer worden gewijzigd"


def model_rows() -> tuple[int, int]:
    return Level.objects.count(), Indicator.objects.count()


def test_adding_a_level_with_indicators_to_a_used_framework_is_a_form_error(
    used_framework, login, org
):
    before = model_rows()
    response = login(org["hanna"]).post(
        reverse("admin:assessments_level_add"),
        {
            "framework": used_framework.pk,
            "number": 6,
            "name_nl": "Zes",
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            "indicators-0-position": "1",
            "indicators-0-text_nl": "Nieuw gedrag",
        },
    )
    assert response.status_code == 200
    assert IN_USE in response.text
    assert model_rows() == before


def test_adding_an_indicator_to_a_level_of_a_used_framework_is_a_form_error(
    used_framework, login, org
):
    level = used_framework.levels.get(number=2)
    before = model_rows()
    response = login(org["hanna"]).post(
        reverse("admin:assessments_indicator_add"),
        {"level": level.pk, "position": 9, "text_nl": "Nieuw gedrag"},
    )
    assert response.status_code == 200
    assert IN_USE in response.text
    assert model_rows() == before


def test_adding_an_indicator_inline_under_a_used_level_is_refused(used_framework, login, org):
    level = used_framework.levels.get(number=2)
    before = model_rows()
    response = login(org["hanna"]).post(
        reverse("admin:assessments_level_change", args=[level.pk]),
        {
            "framework": used_framework.pk,
            "number": 2,
            "name_nl": level.name_nl,
            "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "0",
            "indicators-0-position": "9",
            "indicators-0-text_nl": "Nieuw gedrag",
        },
    )
    assert response.status_code == 403
    assert model_rows() == before
