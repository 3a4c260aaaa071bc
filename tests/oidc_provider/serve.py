"""Starts the test provider: `python -m tests.oidc_provider.serve`, with OIDC_PROVIDER_DB,
OIDC_PROVIDER_KEY (an RSA key in PEM), OIDC_PROVIDER_ACCOUNTS (JSON: username, password,
email, and optionally email_verified and preferred_username) and OIDC_PROVIDER_CLIENT (JSON:
client_id, client_secret, redirect_uri) in the environment.

It migrates its SQLite file, creates the accounts and the client, listens on a free port of
127.0.0.1 and prints "ready http://127.0.0.1:<port>" once it does.
"""

import json
import os
import sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402


class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


def main() -> None:
    call_command("migrate", verbosity=0)
    User = get_user_model()
    for account in settings.PROVIDER_ACCOUNTS:
        User.objects.create_user(
            account["username"], email=account["email"], password=account["password"]
        )
    client = json.loads(os.environ["OIDC_PROVIDER_CLIENT"])
    Application.objects.create(
        name="Klantgericht",
        client_id=client["client_id"],
        client_secret=client["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server(
        "127.0.0.1", 0, get_wsgi_application(), server_class=Server, handler_class=QuietHandler
    )
    print(f"ready http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
