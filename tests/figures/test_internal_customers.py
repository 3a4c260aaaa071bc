"""Internal customers as a perspective of the published figures: anonymous, under the
group-size rule, never attributed; their remarks for the team's managers and HR only."""

import pytest
from django.urls import reverse

from assessments.models import Indicator, Membership
from figures.services import round_close_early
from internal_customers.models import Service
from internal_customers.services import feedback_save
from tests.conftest import make_round, make_user
from tests.figures.pages import differences

pytestmark = pytest.mark.django_db


@pytest.fixture
def customers(org, framework):
    """Zuid serves Noord, which has six members (Anna, Bram and four more) and Maud."""
    for i in range(4):
        Membership.objects.create(person=make_user(f"noord{i}"), team=org["noord"])
    Service.objects.create(provider=org["zuid"], customer=org["noord"])
    return make_round(org, framework)


def observable(framework):
    return list(
        Indicator.objects.filter(level__framework=framework, observable=True).order_by(
            "level__number", "position"
        )
    )


def rate(round_, team, person, framework, value, remark=""):
    choices = {i.pk: value for i in observable(framework)}
    return feedback_save(
        round_=round_, team=team, assessor=person, choices=choices, remark=remark, submit=True
    )


def page(client, team, round_):
    url = reverse("figures:team_dashboard", args=[team.pk]) + f"?round={round_.pk}"
    return client.get(url)


def test_five_customers_ratings_are_published_as_a_perspective_of_their_own(
    customers, org, login, framework
):
    raters = list(Membership.objects.filter(team=org["noord"], role="employee"))[:5]
    for value, membership in zip([1, 2, 3, 4, 5], raters, strict=True):
        rate(
            customers, org["zuid"], membership.person, framework, value, remark=f"Opmerking {value}"
        )
    round_close_early(round_=customers)
    view = page(login(org["zoe"]), org["zuid"], customers).context["view"]
    assert view.internal.submitted == 5
    first = next(row for row in view.behaviours if row.item.level.number == 1)
    assert first.internal.value == 3 and first.internal.count == 5
    level_5 = next(row for row in view.levels if row.item.number == 5)
    assert level_5.internal is None  # not observable: not asked
    # Remarks: for Zuid's manager and HR, without names, in alphabetical order.
    for persona in ("otto", "hanna"):
        text = page(login(org[persona]), org["zuid"], customers).text
        assert "Wat interne klanten schreven" in text
        assert text.index("Opmerking 1") < text.index("Opmerking 5")
        for membership in raters:
            assert membership.person.first_name not in text.split("interne klanten schreven")[1]
    assert "Opmerking 1" not in page(login(org["zoe"]), org["zuid"], customers).text


def test_fewer_than_five_customers_show_nothing_but_participation(customers, org, login, framework):
    for membership in list(Membership.objects.filter(team=org["noord"], role="employee"))[:4]:
        rate(customers, org["zuid"], membership.person, framework, 4, remark="Te weinig")
    round_close_early(round_=customers)
    for persona in ("zoe", "otto", "hanna"):
        response = page(login(org[persona]), org["zuid"], customers)
        view = response.context["view"]
        assert view.internal.submitted == 4 and view.internal.withheld == "small"
        assert all(row.internal is None or row.internal.value is None for row in view.behaviours)
        assert "Te weinig" not in response.text


def test_while_open_no_page_depends_on_what_a_customer_answered(customers, org, login, framework):
    from django.db import transaction

    from tests.figures.pages import read

    anna = org["anna"]
    urls = [
        reverse("figures:team_dashboard", args=[org["zuid"].pk]) + f"?round={customers.pk}",
        reverse("figures:team_export_csv", args=[org["zuid"].pk]) + f"?round={customers.pk}",
    ]
    for persona in ("otto", "hanna", "zoe"):
        seen = []
        for value in (1, 5):
            with transaction.atomic():
                rate(customers, org["zuid"], anna, framework, value, remark=f"r{value}")
                seen.append(read(login(org[persona]), urls))
                transaction.set_rollback(True)
        assert not differences(*seen), persona


def test_the_export_holds_the_internal_customers_column(customers, org, login, framework):
    raters = list(Membership.objects.filter(team=org["noord"], role="employee"))[:5]
    for membership in raters:
        rate(customers, org["zuid"], membership.person, framework, 4)
    round_close_early(round_=customers)
    response = login(org["zoe"]).get(
        reverse("figures:team_export_csv", args=[org["zuid"].pk]) + f"?round={customers.pk}"
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert (
        lines[0]
        == "onderdeel;wat;zelf;leidinggevende;verschil (zelf − leidinggevende);interne klanten"
    )
    assert "deelname;interne klanten;;;;5" in lines
    first = next(line for line in lines if ";1.1 " in line)
    assert first.endswith(";4.0")
    fifth = next(line for line in lines if ";5.1 " in line)
    assert fifth.endswith(";")  # not asked of internal customers
