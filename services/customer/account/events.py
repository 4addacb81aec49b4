"""The extension points of the session-based Account resource (Shop API 15.6), declared in
contracts.hook_events.account."""
from contracts.hook_events.account import ADDRESS_CREATE, ADDRESS_DELETE, ADDRESS_UPDATE, REGISTER, UPDATE

__all__ = ["ADDRESS_CREATE", "ADDRESS_DELETE", "ADDRESS_UPDATE", "REGISTER", "UPDATE"]
