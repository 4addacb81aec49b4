from aiohttp import web

from services.auth import handlers, oauth_handlers


def setup_routes(app: web.Application) -> None:
    r = app.router
    # Public resources, reached through the gateway.
    r.add_post("/dw/shop/customers/auth", handlers.post_auth)
    r.add_delete("/dw/shop/customers/auth", handlers.delete_auth)
    # OAuth 2.0 for Data API clients (the gateway routes /dwsso/ here).
    r.add_post("/dwsso/oauth2/access_token", oauth_handlers.access_token)
    r.add_post("/dwsso/oauth2/revoke", oauth_handlers.revoke)
    # Internal API, never routed by the gateway.
    r.add_get("/internal/jwks", handlers.jwks)
    r.add_get("/internal/revocations", handlers.revocations)
    r.add_post("/internal/credentials", handlers.create_credentials)
    r.add_delete("/internal/credentials/{customer_id}", handlers.delete_credentials)
    r.add_patch("/internal/credentials/{customer_id}", handlers.update_credentials)
