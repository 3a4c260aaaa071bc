"""Configuration comes from the environment and refuses an insecure production set-up."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-test-secret-7Hq2Zp9vLx4Kd8Nw3Rt6Ys1Bm5Cj0Fg-Xe",
    "DJANGO_ALLOWED_HOSTS": "klantgericht.example.org",
}


def test_production_configuration_passes_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_secret_key_production_refuses_to_start_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


def test_without_allowed_hosts_production_refuses_to_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_ALLOWED_HOSTS"}
    result = manage("check", **env)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is not set" in result.stderr


def test_a_debug_value_that_is_not_a_boolean_is_refused():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be 1 or 0" in result.stderr


def test_with_no_variables_at_all_it_runs_in_development_mode():
    result = manage("check")
    assert result.returncode == 0, result.stderr


def test_debug_mode_fails_check_deploy():
    # The check that production relies on does notice an insecure configuration.
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0


def test_trusted_proxies_that_are_not_addresses_are_refused():
    result = manage("check", DJANGO_BEHIND_PROXY="1", DJANGO_TRUSTED_PROXIES="10.0.0.5,proxy.lan")
    assert result.returncode != 0
    assert "DJANGO_TRUSTED_PROXIES must list addresses or networks" in result.stderr
    assert "'proxy.lan'" in result.stderr


def test_an_address_limit_below_the_username_limit_is_refused():
    result = manage("check", KLANTGERICHT_ADDRESS_FAILURE_LIMIT="3")
    assert result.returncode != 0
    assert "KLANTGERICHT_ADDRESS_FAILURE_LIMIT must be at least" in result.stderr


def test_with_redis_sessions_are_read_from_redis_and_kept_in_the_database():
    show = (
        "from django.conf import settings; "
        "print(settings.SESSION_ENGINE, settings.SESSION_CACHE_ALIAS, "
        "settings.CACHES['sessions']['BACKEND'], settings.CACHES['sessions']['LOCATION'])"
    )
    result = manage("shell", "--no-imports", "-c", show, REDIS_URL="redis://cache.internal:6379/0")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.contrib.sessions.backends.cached_db",
        "sessions",
        "django.core.cache.backends.redis.RedisCache",
        "redis://cache.internal:6379/0",
    ]
    engine = "from django.conf import settings; print(settings.SESSION_ENGINE)"
    result = manage("shell", "--no-imports", "-c", engine)
    assert result.stdout.split() == ["django.contrib.sessions.backends.db"]
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        REDIS_URL="redis://cache.internal:6379/0",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stdout + result.stderr
