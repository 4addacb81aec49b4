from aiohttp import web

from services.auth import handlers, oauth_handlers
from services.auth import password_handlers as passwords
from services.auth import session_handlers as sessions
from shared.http.routing import bind_endpoints

# The public resources (contracts.routes), reached through the gateway.
PUBLIC = {
    "authorizeCustomer": handlers.post_auth,
    "invalidateCustomerAuth": handlers.delete_auth,
    "authorizeAgentOnBehalf": handlers.agent_auth,
    "updateCustomerPassword": passwords.put_password,
    "startPasswordReset": passwords.start_reset,
    "resetPassword": passwords.complete_reset,
    "startCustomerPasswordReset": passwords.start_reset_for,
}


def setup_routes(app: web.Application) -> None:
    r = app.router
    bind_endpoints(r, "auth", PUBLIC)
    # OAuth 2.0 for Data API clients (the gateway routes /dwsso/ here).
    r.add_post("/dwsso/oauth2/access_token", oauth_handlers.access_token)
    r.add_post("/dwsso/oauth2/revoke", oauth_handlers.revoke)
    # Internal API, never routed by the gateway.
    r.add_get("/internal/jwks", handlers.jwks)
    r.add_get("/internal/revocations", handlers.revocations)
    r.add_post("/internal/credentials", handlers.create_credentials)
    r.add_delete("/internal/credentials/{customer_id}", handlers.delete_credentials)
    r.add_patch("/internal/credentials/{customer_id}", handlers.update_credentials)
    r.add_post("/internal/customers/{customer_id}/revoke-tokens", handlers.revoke_customer)
    r.add_post("/internal/sessions/login", sessions.login)
    r.add_post("/internal/sessions", sessions.open_for)
    r.add_post("/internal/sessions/resolve", sessions.resolve)
    r.add_post("/internal/sessions/logout", sessions.close)
