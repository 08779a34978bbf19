"""Container healthcheck for the web service: GET /healthz on the local gunicorn (or the path
given as the first argument, e.g. ``/readyz`` for readiness, docs/operations.md).

Sends the first allowed host and ``X-Forwarded-Proto: https`` (what the TLS proxy in front
sends), so neither ALLOWED_HOSTS nor SECURE_SSL_REDIRECT turn the probe away. Exit 0 when
the page answers 200 (it also runs ``SELECT 1`` on the database), 1 otherwise.
"""

import http.client
import os
import sys


def main(path="/healthz"):
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = next((h for h in hosts if h != "*"), "localhost").lstrip(".")
    port = int(os.environ.get("PORT", "8000"))
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"})
        status = connection.getresponse().status
    except OSError as error:
        print(f"unhealthy: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    if status != 200:
        print(f"unhealthy: {path} answered {status}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:2]))
