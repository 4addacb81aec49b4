"""The public reference pages of the API and of the hook events (``pages.add_routes``)."""
