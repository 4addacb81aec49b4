"""Data API: the CustomerLists resource (23.2)."""
from gateway.route_table import Route

ROUTES: list[Route] = []
