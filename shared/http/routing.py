"""Binding a service's handlers to the public endpoints declared in ``contracts.routes``.

A service names a handler per operation id; it never spells a public path itself, so the
gateway's table, the OpenAPI and the service's router cannot drift apart.
"""
from collections.abc import Awaitable, Callable, Mapping

from aiohttp import web

from contracts.routes import for_service

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def bind_endpoints(router: web.UrlDispatcher, service: str, handlers: Mapping[str, Handler]) -> None:
    """Route every public endpoint of ``service`` to its handler, at ``/dw/{api}{path}``.

    Refuses (at start-up, and so in every test that builds the app) a declared endpoint
    without a handler and a handler for an operation the service does not declare.
    """
    endpoints = for_service(service)
    declared = {endpoint.operation for endpoint in endpoints}
    missing, undeclared = sorted(declared - handlers.keys()), sorted(handlers.keys() - declared)
    if missing or undeclared:
        raise RuntimeError(f"the {service} service's handlers do not match contracts.routes: "
                           f"no handler for {missing}, no endpoint for {undeclared}")
    for endpoint in endpoints:
        handler = handlers[endpoint.operation]
        if endpoint.method == "GET":
            router.add_get(endpoint.service_path, handler)  # and HEAD, as aiohttp does
        else:
            router.add_route(endpoint.method, endpoint.service_path, handler)
