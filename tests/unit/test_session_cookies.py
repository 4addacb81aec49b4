"""The storefront session cookies (no I/O)."""
from shared.security.sessions import (
    clear_cookie_headers,
    secure_cookie_name,
    session_from,
    set_cookie_headers,
)


def test_both_cookies_are_found_from_the_cookie_header():
    name = secure_cookie_name("sid-1")
    assert name.startswith("dwsecuretoken_") and len(name) == len("dwsecuretoken_") + 32
    assert session_from(f"dwsid=sid-1; {name}=secret; other=x") == ("sid-1", "secret")


def test_a_missing_or_mismatched_half_is_no_session():
    assert session_from(None) is None and session_from("") is None
    assert session_from("dwsid=sid-1") is None
    assert session_from(f"dwsid=sid-2; {secure_cookie_name('sid-1')}=secret") is None
    assert session_from("dwsid=; x=y") is None


def test_the_session_cookie_is_http_only_and_the_token_also_secure():
    sid, secure = set_cookie_headers("sid-1", "secret", 3600)
    assert sid.startswith("dwsid=sid-1;") and "HttpOnly" in sid and "Secure" not in sid
    assert secure.startswith(secure_cookie_name("sid-1") + "=secret;")
    assert "HttpOnly" in secure and "Secure" in secure


def test_both_cookies_are_same_site_and_end_with_the_session():
    sid, secure = set_cookie_headers("sid-1", "secret", 3600)
    assert "SameSite=Lax" in sid and "SameSite=Strict" in secure
    assert all("Max-Age=3600" in c and "Expires=" in c and " GMT" in c for c in (sid, secure))


def test_logging_out_expires_both_cookies():
    cleared = clear_cookie_headers("sid-1")
    assert len(cleared) == 2 and all("Max-Age=0" in c for c in cleared)
    assert len(clear_cookie_headers(None)) == 1
