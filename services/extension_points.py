"""Every context's extension points, for the tools that need the whole catalogue.

The one module outside a service that imports all of them, listed explicitly; shared/
never imports a service (tests/unit/test_import_boundaries.py).
"""
from services.auth import events as auth_events
from services.customer import events as customer_events
from services.customer.account import events as account_events
from services.customer.data import events as data_events
from services.order import events as order_events
from shared.messaging.hook_catalogue import REGISTRY, ExtensionPoint

# Imported for their registrations (shared.messaging.hook_catalogue.extension_point).
CONTEXTS = (auth_events, customer_events, data_events, account_events, order_events)


def load_all() -> dict[str, ExtensionPoint]:
    """The whole catalogue, sorted by name."""
    return dict(sorted(REGISTRY.items()))
