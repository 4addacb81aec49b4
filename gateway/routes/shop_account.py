"""Shop API: the session-based Account resource (15.6)."""
from gateway.route_table import Route

ROUTES: list[Route] = []
