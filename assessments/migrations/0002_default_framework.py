"""Loads the default framework: the five-level model of seed 000, the default rating scale and
the four reflection questions of seed 004. The Dutch texts are the source's, word for word."""

from decimal import Decimal

from django.db import migrations

NAME_NL = "Klantgerichtheid"
NAME_EN = "Customer orientation"

LEVELS = [
    (
        1,
        "Opvolgen",
        "Following up",
        "Volgt vragen, klachten en afspraken met de klant op.",
        "Follows up on the customer's questions, complaints and agreements.",
        [
            (
                "Volgt op na vragen of klachten van klanten;",
                "Follows up on customers' questions or complaints;",
            ),
            (
                "Doet dat wat afgesproken is met de klant;",
                "Does what has been agreed with the customer;",
            ),
            (
                "Houdt de klant op de hoogte van voortgang (vraagt niet door op onderliggende problemen of vraagstukken).",
                "Keeps the customer informed of progress (does not probe into underlying problems or issues).",
            ),
        ],
    ),
    (
        2,
        "Onderhouden van duidelijke communicatie",
        "Maintaining clear communication",
        "Communiceert helder met de klant over wederzijdse verwachtingen en afspraken.",
        "Communicates clearly with the customer about mutual expectations and agreements.",
        [
            (
                "Onderhoudt duidelijke communicatie met de klant met betrekking tot wederzijdse verwachtingen;",
                "Maintains clear communication with the customer about mutual expectations;",
            ),
            (
                "Vraagt naar wensen en behoeften van de klant;",
                "Asks about the customer's wishes and needs;",
            ),
            ("Let op klanttevredenheid;", "Pays attention to customer satisfaction;"),
            (
                "Geeft bruikbare informatie aan klanten op vriendelijke wijze;",
                "Gives customers useful information in a friendly manner;",
            ),
            (
                "Maakt duidelijke afspraken over te leveren producten en diensten met de klant.",
                "Makes clear agreements with the customer about the products and services to be delivered.",
            ),
        ],
    ),
    (
        3,
        "Neemt persoonlijke verantwoordelijkheid",
        "Takes personal responsibility",
        "Neemt zelf verantwoordelijkheid voor de problemen van de klant en doet meer dan gevraagd.",
        "Takes ownership of the customer's problems and does more than asked.",
        [
            (
                "Neemt persoonlijke verantwoordelijkheid voor het corrigeren van problemen bij klanten;",
                "Takes personal responsibility for correcting customers' problems;",
            ),
            (
                "Corrigeert problemen snel en is niet defensief ten opzichte van de klant;",
                "Corrects problems quickly and is not defensive towards the customer;",
            ),
            (
                "Vraagt door op wensen en behoeften van de klant;",
                "Probes further into the customer's wishes and needs;",
            ),
            (
                "Stelt zichzelf beschikbaar op voor de klant, met name wanneer deze in een kritieke periode zit (bijvoorbeeld: noodsituaties);",
                "Makes themselves available to the customer, especially when the customer is going through a critical period (for example: emergencies);",
            ),
            ("Biedt ongevraagd extra service;", "Offers extra service unasked;"),
        ],
    ),
    (
        4,
        "Adresseren van mogelijke behoeften van klant",
        "Addressing the customer's possible needs",
        "Verdiept zich in de klant en speelt in op diens (mogelijke) behoeften met maatwerk.",
        "Gets to know the customer and responds to their (possible) needs with tailored solutions.",
        [
            (
                "Kent de activiteiten van de klant en/of gaat op zoek naar informatie over de (mogelijke) behoeften van de klant;",
                "Knows the customer's activities and/or looks for information about the customer's (possible) needs;",
            ),
            (
                "Denkt met de klant mee, vraagt door om het probleem of de behoefte helder te krijgen;",
                "Thinks along with the customer, asks further questions to get the problem or need clear;",
            ),
            (
                "Komt met voorstellen die inspelen op de belangen van de klant, levert maatwerk.",
                "Comes up with proposals that respond to the customer's interests, delivers tailor-made solutions.",
            ),
        ],
    ),
    (
        5,
        "Heeft een lange termijn perspectief",
        "Has a long-term perspective",
        "Werkt aan de relatie en de belangen van de klant op de lange termijn.",
        "Works on the relationship with and the interests of the customer in the long term.",
        [
            (
                "Werkt met een lange termijn perspectief aan het oplossen van klantproblemen;",
                "Works on solving customer problems with a long-term perspective;",
            ),
            (
                "Onderzoekt mogelijke toekomstige behoeften van de klant;",
                "Explores the customer's possible future needs;",
            ),
            (
                "Doet investeringen met het oog op de lange termijn relatie;",
                "Makes investments with a view to the long-term relationship;",
            ),
            (
                "Zoekt naar lange termijn opbrengsten voor de klant;",
                "Looks for long-term benefits for the customer;",
            ),
            (
                "Toont belangstelling voor vraagstukken/problemen, die niet direct aan de vraag van de klant zijn gerelateerd.",
                "Shows interest in issues/problems that are not directly related to the customer's question.",
            ),
        ],
    ),
]

SCALE = [
    (1, "Nooit", "Never"),
    (2, "Zelden", "Rarely"),
    (3, "Soms", "Sometimes"),
    (4, "Vaak", "Often"),
    (5, "Altijd", "Always"),
]

QUESTIONS = [
    (
        "Wat weet ik over onze klanten en hun (soms onbewuste) verwachtingen en hun werkelijke ervaringen?",
        "What do I know about our customers and their (sometimes unconscious) expectations and actual experiences?",
    ),
    (
        "Hoe kom ik te weten hoe klanten ons zien?",
        "How do I learn how customers perceive us?",
    ),
    (
        "Hoe kan ik de klant beïnvloeden?",
        "How can I influence the customer?",
    ),
    (
        "Welke interne barrières houden mij tegen om meer over de klant na te denken?",
        "Which internal barriers keep me from thinking more about the customer?",
    ),
]


def load_default_framework(apps, schema_editor):
    Framework = apps.get_model("assessments", "Framework")
    Level = apps.get_model("assessments", "Level")
    Indicator = apps.get_model("assessments", "Indicator")
    ScaleOption = apps.get_model("assessments", "ScaleOption")
    ReflectionQuestion = apps.get_model("assessments", "ReflectionQuestion")

    framework = Framework.objects.create(
        name_nl=NAME_NL,
        name_en=NAME_EN,
        version=1,
        mastery_threshold=Decimal("4.00"),
        min_rated_share=Decimal("0.50"),
    )
    for number, name_nl, name_en, description_nl, description_en, indicators in LEVELS:
        level = Level.objects.create(
            framework=framework,
            number=number,
            name_nl=name_nl,
            name_en=name_en,
            description_nl=description_nl,
            description_en=description_en,
        )
        for position, (text_nl, text_en) in enumerate(indicators, start=1):
            Indicator.objects.create(
                level=level, position=position, text_nl=text_nl, text_en=text_en
            )
    for value, label_nl, label_en in SCALE:
        ScaleOption.objects.create(
            framework=framework, value=value, label_nl=label_nl, label_en=label_en
        )
    for position, (text_nl, text_en) in enumerate(QUESTIONS, start=1):
        ReflectionQuestion.objects.create(
            framework=framework, position=position, text_nl=text_nl, text_en=text_en
        )


def remove_default_framework(apps, schema_editor):
    Framework = apps.get_model("assessments", "Framework")
    Framework.objects.filter(name_nl=NAME_NL, version=1, rounds__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]

    operations = [migrations.RunPython(load_default_framework, remove_default_framework)]
