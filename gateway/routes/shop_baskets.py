"""Shop API: the part of the Baskets resource a storefront needs to prepare an order."""
from gateway.route_table import Route

ROUTES: list[Route] = []
