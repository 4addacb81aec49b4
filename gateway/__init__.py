"""The public edge: routes OCAPI requests to the services after checking who is calling."""
