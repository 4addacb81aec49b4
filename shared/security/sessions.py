"""Storefront session cookies: ``dwsid`` (HttpOnly, SameSite=Lax) and
``dwsecuretoken_<hash>`` (HttpOnly, Secure, SameSite=Strict).

The secure token's cookie name carries a hash of the session id, so both halves are
found from the request's Cookie header alone. Only auth stores (hashes of) them.
SameSite keeps a browser from sending them with another site's requests: the secure
token, which a session cannot do without, never leaves a same-site request (Strict);
the dwsid alone authenticates nothing, so it may follow a top-level link (Lax).
"""
import hashlib
import time
from email.utils import formatdate
from http.cookies import CookieError, SimpleCookie

SESSION_COOKIE = "dwsid"
SECURE_PREFIX = "dwsecuretoken_"


def secure_cookie_name(dwsid: str) -> str:
    return SECURE_PREFIX + hashlib.sha256(dwsid.encode()).hexdigest()[:32]


def session_from(cookie_header: str | None) -> tuple[str, str] | None:
    """(dwsid, secure token) from a Cookie header, or None when either is missing."""
    if not cookie_header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(cookie_header)
    except CookieError:
        return None
    sid = jar.get(SESSION_COOKIE)
    if sid is None or not sid.value:
        return None
    secure = jar.get(secure_cookie_name(sid.value))
    return (sid.value, secure.value) if secure is not None and secure.value else None


def set_cookie_headers(dwsid: str, secure_token: str, max_age: int) -> list[str]:
    """The two cookies, expiring with the session's absolute lifetime (``max_age`` seconds)."""
    expires = f"Max-Age={int(max_age)}; Expires={_http_date(time.time() + max_age)}"
    return [f"{SESSION_COOKIE}={dwsid}; Path=/; {expires}; HttpOnly; SameSite=Lax",
            (f"{secure_cookie_name(dwsid)}={secure_token}; Path=/; {expires}; Secure; HttpOnly;"
             " SameSite=Strict")]


def clear_cookie_headers(dwsid: str | None) -> list[str]:
    expired = "Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0"
    headers = [f"{SESSION_COOKIE}=; {expired}; HttpOnly; SameSite=Lax"]
    if dwsid:
        headers.append(f"{secure_cookie_name(dwsid)}=; {expired}; Secure; HttpOnly; SameSite=Strict")
    return headers


def _http_date(epoch: float) -> str:
    return formatdate(epoch, usegmt=True)
