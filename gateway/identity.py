"""Who is calling: the bearer token first, then ?client_id=, then x-dw-client-id."""
from aiohttp import web

from gateway.keys import REVOKED
from shared.basic import bearer_token
from shared.faults import OcapiFault
from shared.tokens import Claims, InvalidToken
from shared.web import VERIFIER


async def verified_claims(request: web.Request) -> Claims | None:
    token = bearer_token(request.headers.get("Authorization"))
    if token is None:
        return None
    claims = await request.app[VERIFIER].verify(token)
    if request.app[REVOKED].rejects(claims):
        raise InvalidToken("The token has been invalidated.")
    return claims


def check_token_kind(api: str, claims: Claims | None) -> None:
    """The Data API takes OAuth client tokens only: a shopper's JWT never reaches it."""
    if api == "data" and claims is not None and claims.kind != "client":
        raise InvalidToken("The Data API requires an OAuth client token.")


def identify_client(request: web.Request, claims: Claims | None) -> str:
    declared = request.query.get("client_id") or request.headers.get("x-dw-client-id")
    if claims is not None:
        if declared and declared != claims.client_id:
            raise OcapiFault("The client id does not match the token's client.",
                             fault_type="InvalidClientIdException")
        return claims.client_id
    if not declared:
        raise OcapiFault("No client id: pass ?client_id= or the x-dw-client-id header.",
                         fault_type="MissingClientIdException")
    return declared
