"""Transport and browser protections: CSP without unprotected inline script, CSRF on POST."""

import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


def test_every_page_sends_a_strict_content_security_policy(org, login):
    response = login(org["anna"]).get(reverse("assessments:home"))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


@pytest.mark.parametrize(
    "name",
    [
        "assessments:home",
        "assessments:model",
        "login",
        "admin:index",
        "admin:assessments_framework_changelist",
    ],
)
def test_no_page_carries_an_inline_script_without_a_nonce(org, login, name):
    body = login(org["hanna"]).get(reverse(name)).content.decode()
    for tag in INLINE_SCRIPT.findall(body):
        assert "nonce=" in tag, tag


def test_the_templates_have_no_inline_script_or_style_attribute():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        assert not INLINE_SCRIPT.search(text), path
        assert " style=" not in text, path
        assert " onclick=" not in text and " onchange=" not in text, path


def test_a_post_without_csrf_token_is_refused(org, framework):
    from tests.conftest import make_round

    round_ = make_round(org, framework)
    from assessments.models import Assessment, Rating

    own = Assessment.objects.get(round=round_, subject=org["anna"], perspective="self")
    client = Client(enforce_csrf_checks=True)
    client.force_login(org["anna"])
    response = client.post(reverse("assessments:autosave", args=[own.pk]), {"r1": "4"})
    assert response.status_code == 403
    assert not Rating.objects.exists()
