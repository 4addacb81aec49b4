"""Subscribers for the OCAPI platform's hooks. See README.md."""
from ocapi_hooks.app import Hooks, topic_matches
from ocapi_hooks.dedup import DedupStore, MemoryDedup
from ocapi_hooks.events import Event, Reply
from ocapi_hooks import payloads

__all__ = ["Hooks", "Event", "Reply", "DedupStore", "MemoryDedup", "payloads", "topic_matches"]
__version__ = "2.0.0"
