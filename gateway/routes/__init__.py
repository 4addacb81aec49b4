"""The public resources, one module per API area. Each module lists ``ROUTES``."""
