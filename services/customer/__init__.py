"""The customer context: profiles, customer numbers, registration."""
