"""Each public endpoint is declared once, in contracts.routes, and bound by its service."""
import importlib

import pytest
from aiohttp import web

from contracts.routes import ROUTES, all_endpoints, for_service
from shared.http.routing import bind_endpoints

SERVICES = ("auth", "customer", "order", "customer_list")


async def _ok(request: web.Request) -> web.Response:
    return web.Response()


def _bound(service: str) -> dict[tuple[str, str], object]:
    app = web.Application()
    importlib.import_module(f"services.{service}.routes").setup_routes(app)
    return {(route.method, route.resource.canonical): route.handler for route in app.router.routes()
            if route.resource is not None}


def test_operation_ids_are_unique_across_the_apis():
    operations = [endpoint.operation for endpoint in all_endpoints()]
    assert len(operations) == len(set(operations))


def test_every_endpoint_belongs_to_a_service_that_exists():
    assert {endpoint.service for endpoint in all_endpoints()} == set(SERVICES)
    assert set(ROUTES) == {"shop", "data"}


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_routes_every_endpoint_it_declares_where_the_gateway_forwards(service):
    bound = _bound(service)
    for endpoint in for_service(service):
        assert (endpoint.method, endpoint.service_path) in bound, endpoint.operation


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_routes_no_public_path_it_does_not_declare(service):
    declared = {(e.method, e.service_path) for e in for_service(service)}
    public = {key for key in _bound(service) if key[1].startswith("/dw/") and key[0] != "HEAD"}
    assert public == declared


def test_binding_refuses_a_declared_endpoint_without_a_handler():
    handlers = {endpoint.operation: _ok for endpoint in for_service("order")}
    handlers.pop("getOrder")
    with pytest.raises(RuntimeError, match="no handler for \\['getOrder'\\]"):
        bind_endpoints(web.Application().router, "order", handlers)


def test_binding_refuses_a_handler_for_an_operation_the_service_does_not_declare():
    handlers = {endpoint.operation: _ok for endpoint in for_service("order")}
    handlers["getCustomer"] = _ok  # declared, but answered by the customer service
    with pytest.raises(RuntimeError, match="no endpoint for \\['getCustomer'\\]"):
        bind_endpoints(web.Application().router, "order", handlers)
