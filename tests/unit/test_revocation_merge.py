"""A replayed genuine cut-off never revives a token: same-second cut-offs keep a token only if
both kept it, and an older one never moves the cut-off back."""
from gateway.revocations import RevocationSet
from shared.security.revocation import Cutoff
from shared.security.tokens import Claims, ShopperClaims


def _claims(jti: str, iat: int) -> Claims:
    return ShopperClaims(client_id="c", jti=jti, iat=iat, exp=iat + 60, customer_id="cust")


def test_a_replayed_same_second_cutoff_does_not_revive_the_token_the_later_one_killed():
    revoked = RevocationSet()
    revoked.add_cutoff(Cutoff("cust", 100, keep_jti="A"))   # a password change by token A
    revoked.add_cutoff(Cutoff("cust", 100, keep_jti=None))  # then a lock in the same second
    revoked.add_cutoff(Cutoff("cust", 100, keep_jti="A"))   # the first one, replayed
    assert revoked.rejects(_claims("A", 99))
    revoked.add_cutoff(Cutoff("cust", 50, keep_jti=None))   # older: ignored
    assert not revoked.rejects(_claims("B", 101))


def test_the_same_cutoff_twice_keeps_its_token():
    revoked = RevocationSet()
    revoked.add_cutoff(Cutoff("cust", 100, keep_jti="A"))
    revoked.add_cutoff(Cutoff("cust", 100, keep_jti="A"))
    assert not revoked.rejects(_claims("A", 99)) and revoked.rejects(_claims("B", 99))
