from aiohttp import web


def setup_routes(app: web.Application) -> None:
    """No public resources yet: baskets and orders come with the checkout issue."""
