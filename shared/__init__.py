"""Plumbing shared by the gateway and every service. No business rules live here."""
