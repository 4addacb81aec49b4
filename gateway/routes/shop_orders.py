"""Shop API: the Orders resource (19.8)."""
from gateway.route_table import Route

ROUTES: list[Route] = []
