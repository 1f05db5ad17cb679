"""Security headers sent with every response."""

from flask import Flask, Response, g

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors {ancestors}"
)


def allow_framing_by(origins: list[str]) -> None:
    """Let this one response be framed by the given origins (embeddable pages only)."""
    g.frame_ancestors = origins


def register(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response: Response) -> Response:
        ancestors = " ".join(g.get("frame_ancestors") or []) or "'none'"
        response.headers.setdefault("Content-Security-Policy", CSP.format(ancestors=ancestors))
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if ancestors == "'none'":
            response.headers["X-Frame-Options"] = "DENY"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response
