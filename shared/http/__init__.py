"""Serving and calling HTTP: the app's building blocks, faults, paging, routing, the internal client."""
