"""The default framework that the data migration loads: the model of seed 000."""

from decimal import Decimal

import pytest

from assessments.models import Framework, Indicator

pytestmark = pytest.mark.django_db


def framework() -> Framework:
    return Framework.objects.get(name_nl="Klantgerichtheid", version=1)


def test_five_levels_with_their_dutch_and_english_names():
    names = list(framework().levels.values_list("number", "name_nl", "name_en"))
    assert names == [
        (1, "Opvolgen", "Following up"),
        (2, "Onderhouden van duidelijke communicatie", "Maintaining clear communication"),
        (3, "Neemt persoonlijke verantwoordelijkheid", "Takes personal responsibility"),
        (
            4,
            "Adresseren van mogelijke behoeften van klant",
            "Addressing the customer's possible needs",
        ),
        (5, "Heeft een lange termijn perspectief", "Has a long-term perspective"),
    ]


def test_twenty_one_indicators_three_five_five_three_five():
    counts = [level.indicators.count() for level in framework().levels.all()]
    assert counts == [3, 5, 5, 3, 5]
    assert Indicator.objects.filter(level__framework=framework()).count() == 21


# The bullets of seed 000, the source of the model, copied word for word: (level, text).
SEED_000 = [
    # Niveau 1: Opvolgen
    (1, "Volgt op na vragen of klachten van klanten;"),
    (1, "Doet dat wat afgesproken is met de klant;"),
    (
        1,
        "Houdt de klant op de hoogte van voortgang (vraagt niet door op onderliggende problemen of vraagstukken).",  # noqa: E501 (word for word)
    ),
    # Niveau 2: Onderhouden van duidelijke communicatie
    (
        2,
        "Onderhoudt duidelijke communicatie met de klant met betrekking tot wederzijdse verwachtingen;",  # noqa: E501 (word for word)
    ),
    (2, "Vraagt naar wensen en behoeften van de klant;"),
    (2, "Let op klanttevredenheid;"),
    (2, "Geeft bruikbare informatie aan klanten op vriendelijke wijze;"),
    (2, "Maakt duidelijke afspraken over te leveren producten en diensten met de klant."),
    # Niveau 3: Neemt persoonlijke verantwoordelijkheid
    (3, "Neemt persoonlijke verantwoordelijkheid voor het corrigeren van problemen bij klanten;"),
    (3, "Corrigeert problemen snel en is niet defensief ten opzichte van de klant;"),
    (3, "Vraagt door op wensen en behoeften van de klant;"),
    (
        3,
        "Stelt zichzelf beschikbaar op voor de klant, met name wanneer deze in een kritieke periode zit (bijvoorbeeld: noodsituaties);",  # noqa: E501 (word for word)
    ),
    (3, "Biedt ongevraagd extra service;"),
    # Niveau 4: Adresseren van mogelijke behoeften van klant
    (
        4,
        "Kent de activiteiten van de klant en/of gaat op zoek naar informatie over de (mogelijke) behoeften van de klant;",  # noqa: E501 (word for word)
    ),
    (4, "Denkt met de klant mee, vraagt door om het probleem of de behoefte helder te krijgen;"),
    (4, "Komt met voorstellen die inspelen op de belangen van de klant, levert maatwerk."),
    # Niveau 5: Heeft een lange termijn perspectief
    (5, "Werkt met een lange termijn perspectief aan het oplossen van klantproblemen;"),
    (5, "Onderzoekt mogelijke toekomstige behoeften van de klant;"),
    (5, "Doet investeringen met het oog op de lange termijn relatie;"),
    (5, "Zoekt naar lange termijn opbrengsten voor de klant;"),
    (
        5,
        "Toont belangstelling voor vraagstukken/problemen, die niet direct aan de vraag van de klant zijn gerelateerd.",  # noqa: E501 (word for word)
    ),
]


def test_indicators_are_the_seed_bullets_word_for_word_with_a_translation():
    texts = list(
        Indicator.objects.filter(level__framework=framework())
        .order_by("level__number", "position")
        .values_list("level__number", "text_nl")
    )
    assert texts == SEED_000
    assert not Indicator.objects.filter(level__framework=framework(), text_en="").exists()


def test_indicator_texts_are_shown_without_the_seeds_semicolon():
    from django.utils import translation

    first = Indicator.objects.get(level__framework=framework(), level__number=1, position=2)
    assert first.text_nl == "Doet dat wat afgesproken is met de klant;"  # stored as the seed
    with translation.override("nl"):
        assert first.text == "Doet dat wat afgesproken is met de klant"
    with translation.override("en"):
        assert first.text == "Does what has been agreed with the customer"
    last = Indicator.objects.get(level__framework=framework(), level__number=1, position=3)
    with translation.override("nl"):
        assert last.text.endswith("vraagstukken).")  # a full stop is left as it is
    shown = [i.text for i in Indicator.objects.filter(level__framework=framework())]
    assert len(shown) == 21 and not any(text.endswith(";") for text in shown)


def test_default_scale_and_cannot_rate_label():
    f = framework()
    assert list(f.scale.values_list("value", "label_nl")) == [
        (1, "Nooit"),
        (2, "Zelden"),
        (3, "Soms"),
        (4, "Vaak"),
        (5, "Altijd"),
    ]
    assert f.cannot_rate_label_nl == "Kan ik niet beoordelen"
    assert f.mastery_threshold == Decimal("4.00")
    assert f.min_rated_share == Decimal("0.50")


def test_the_four_reflection_questions_of_seed_004():
    questions = list(framework().questions.values_list("text_nl", flat=True))
    assert len(questions) == 4
    assert "verwachtingen" in questions[0]
    assert "hoe klanten ons zien" in questions[1]
    assert "beïnvloeden" in questions[2]
    assert "interne barrières" in questions[3]
