"""Who may write, and how much: the write token, CSRF for forms, and the request size cap.

Without `write_token` in the settings the app is read-only and every write route answers 403.
With it, a write needs the token, sent as `Authorization: Bearer TOKEN` or as the form field
`token`; a form post also needs a CSRF token. That one is a signed double submit: the page sets
a random cookie and puts HMAC(write token, cookie) in the form, and the post must bring both.
A page elsewhere can neither read the cookie nor sign one of its own without the write token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request
from fastapi.responses import Response

from redline.settings import Settings

CSRF_COOKIE = "redline_csrf"
CSRF_FIELD = "csrf"
TOKEN_FIELD = "token"


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def writable(settings: Settings) -> bool:
    return settings.write_token is not None


def _same(given: str | None, expected: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def _bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def require_writable(settings: Settings) -> str:
    """The write token; 403 when the app is read-only."""
    if settings.write_token is None:
        raise HTTPException(
            status_code=403,
            detail="read-only: corrections are off (set REDLINE_WRITE_TOKEN to allow them)",
        )
    return settings.write_token


def require_token(request: Request, settings: Settings, *, form_token: str | None = None) -> None:
    """403 unless the request carries the write token (Bearer header, else the form field)."""
    expected = require_writable(settings)
    if not _same(_bearer(request) or form_token, expected):
        raise HTTPException(status_code=403, detail="missing or wrong write token")


def _sign(secret: str, nonce: str) -> str:
    return hmac.new(secret.encode(), b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Csrf:
    """This browser's CSRF cookie (`new` when it has to be set) and the token for its forms."""

    nonce: str
    token: str
    new: bool


def csrf_for(request: Request, settings: Settings) -> Csrf:
    """The CSRF token for forms on this page, reusing the browser's cookie when it has one."""
    secret = require_writable(settings)
    nonce = request.cookies.get(CSRF_COOKIE) or ""
    new = len(nonce) < 32
    if new:
        nonce = secrets.token_urlsafe(32)
    return Csrf(nonce=nonce, token=_sign(secret, nonce), new=new)


def set_csrf_cookie(request: Request, response: Response, csrf: Csrf) -> None:
    if csrf.new:
        response.set_cookie(
            CSRF_COOKIE,
            csrf.nonce,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            path="/",
        )


def require_csrf(request: Request, settings: Settings, form_value: str | None) -> None:
    """403 unless the form's CSRF token is the signature of this browser's cookie."""
    secret = require_writable(settings)
    nonce = request.cookies.get(CSRF_COOKIE)
    if not nonce or not _same(form_value, _sign(secret, nonce)):
        raise HTTPException(
            status_code=403,
            detail="missing or stale form token (CSRF): reload the page and send the form again",
        )


async def read_body(request: Request, *, max_mb: float) -> bytes:
    """The request body, refused with 413 once it is larger than `max_mb`.

    The declared length is checked first, then the bytes as they arrive, so a body sent in
    chunks (no Content-Length) cannot grow past the cap in memory either.
    """
    limit = int(max_mb * 1024 * 1024)
    too_large = HTTPException(status_code=413, detail=f"request body over {max_mb:g} MB")
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise too_large
        except ValueError as e:
            raise HTTPException(status_code=400, detail="bad Content-Length") from e
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
