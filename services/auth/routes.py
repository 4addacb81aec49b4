from aiohttp import web

from services.auth import handlers, oauth_handlers
from services.auth import password_handlers as passwords
from services.auth import session_handlers as sessions


def setup_routes(app: web.Application) -> None:
    r = app.router
    # Public resources, reached through the gateway.
    r.add_post("/dw/shop/customers/auth", handlers.post_auth)
    r.add_delete("/dw/shop/customers/auth", handlers.delete_auth)
    r.add_post("/dw/shop/customers/{customer_id}/auth", handlers.agent_auth)
    # OAuth 2.0 for Data API clients (the gateway routes /dwsso/ here).
    r.add_post("/dwsso/oauth2/access_token", oauth_handlers.access_token)
    r.add_post("/dwsso/oauth2/revoke", oauth_handlers.revoke)
    r.add_put("/dw/shop/customers/{customer_id}/password", passwords.put_password)
    r.add_post("/dw/shop/customers/password_reset", passwords.start_reset)
    r.add_post("/dw/shop/customers/password/actions/reset", passwords.complete_reset)
    r.add_post("/dw/shop/customers/{customer_id}/password_reset", passwords.start_reset_for)
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
