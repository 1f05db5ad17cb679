"""The site's own address: every absolute URL is built from BASE_URL, never from the Host header of a request.

`configure` turns BASE_URL (`scheme://host[:port]`) into Flask's `SERVER_NAME` and `PREFERRED_URL_SCHEME`, so that
`url_for(..., _external=True)` gives the configured address in requests, jobs and the CLI alike (mail links, the
sitemap, robots.txt, canonical and Open Graph links, JSON-LD, the API, embed codes), and into `TRUSTED_HOSTS`
(BASE_URL's host plus any extra names), so that a request naming another host is answered 400, with the site's own
error page, before any view runs. Without BASE_URL (development, tests) links use the request's host, as Flask does.
Production refuses to start without it (`BASE_URL_REQUIRED`).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import Flask, Request, current_app, request
from werkzeug.exceptions import SecurityError
from werkzeug.routing import MapAdapter

_HOSTNAME = re.compile(r"[a-z0-9]([a-z0-9.-]*[a-z0-9])?")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_REFUSED = "etalase.refused_host"  # marks, in the WSGI environ, a request whose Host is not trusted


class Site(Flask):
    """Flask, with URLs built for BASE_URL's scheme too (not only its host) and a page for refused hosts."""

    def create_url_adapter(self, request: Request | None) -> MapAdapter | None:
        try:
            adapter = super().create_url_adapter(request)
        except SecurityError:  # a Host not in TRUSTED_HOSTS; Flask would leave the request without an adapter
            adapter = self._adapter_for_refused_host(request)
        if adapter is not None and request is not None and self.config.get("BASE_URL"):
            # behind a proxy the request's own scheme depends on forwarded headers: the configured one is the truth
            adapter.url_scheme = self.config["PREFERRED_URL_SCHEME"]
        return adapter

    def _adapter_for_refused_host(self, request: Request) -> MapAdapter:
        """The error page still needs URLs: build them for the configured host, which the request now claims, and
        let `_refuse_untrusted_host` answer 400 before anything else runs."""
        server_name = self.config.get("SERVER_NAME") or "localhost"
        request.environ[_REFUSED] = True
        request.trusted_hosts = None
        request.host = server_name
        return self.url_map.bind_to_environ(request.environ, server_name=server_name,
                                            subdomain=self.url_map.default_subdomain or "")


def parse_base_url(value: str) -> tuple[str, str, str]:
    """(scheme, host[:port] without a default port, host) of a BASE_URL like https://etalase.example.id; ValueError
    with a message for anything else (a path, a query, credentials, another scheme, a malformed host)."""
    problem = ValueError(f"BASE_URL must be the site's address, like https://etalase.example.id (a scheme and a host, "
                         f"optionally a port, no path): not {value!r}")
    parts = urlsplit(value.strip())
    try:
        port = parts.port
    except ValueError:
        raise problem from None
    host = parts.hostname or ""
    if (parts.scheme not in _DEFAULT_PORTS or not _HOSTNAME.fullmatch(host) or parts.username is not None
            or parts.password is not None or parts.path not in ("", "/") or parts.query or parts.fragment):
        raise problem
    server_name = host if port in (None, _DEFAULT_PORTS[parts.scheme]) else f"{host}:{port}"
    return parts.scheme, server_name, host


def configure(app: Flask) -> None:
    """BASE_URL → SERVER_NAME, PREFERRED_URL_SCHEME and TRUSTED_HOSTS; RuntimeError when it is required and missing,
    or malformed."""
    # Registered in any case: a TRUSTED_HOSTS set without BASE_URL refuses other hosts the same way.
    app.before_request_funcs.setdefault(None, []).insert(0, _refuse_untrusted_host)  # before CSRF, limits, logins
    base_url = app.config.get("BASE_URL")
    if not base_url:
        if app.config.get("BASE_URL_REQUIRED"):
            raise RuntimeError("BASE_URL must be set in the environment, e.g. https://etalase.example.id (production "
                               "refuses to start without it: every link in mail, feeds and pages is built from it).")
        return
    try:
        scheme, server_name, host = parse_base_url(base_url)
    except ValueError as error:
        raise RuntimeError(str(error)) from None
    extra = app.config.get("TRUSTED_HOSTS") or []
    if isinstance(extra, str):
        extra = extra.split()
    app.config.update(
        BASE_URL=f"{scheme}://{server_name}", SERVER_NAME=server_name, PREFERRED_URL_SCHEME=scheme,
        TRUSTED_HOSTS=[host, *(name.lower() for name in extra if name.lower() != host)],
    )


# Answered whatever the Host: a load balancer's or container's health probe calls the server by its address, and the
# page builds no URL and says nothing but "ok" (review of wave 2; the follow-up of issue 14's finding 1).
ANY_HOST_PATHS = frozenset({"/healthz"})


def _refuse_untrusted_host() -> None:
    if request.environ.get(_REFUSED) and request.path not in ANY_HOST_PATHS:
        current_app.logger.warning("Refused a request for host %.100r (not in TRUSTED_HOSTS)",
                                   request.headers.get("Host", ""))
        raise SecurityError("Host not allowed")
