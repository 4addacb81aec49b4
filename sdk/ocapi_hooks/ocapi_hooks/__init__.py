"""Subscribers for the OCAPI platform's hooks. See README.md."""
from ocapi_hooks import payloads
from ocapi_hooks.app import Hooks, topic_matches
from ocapi_hooks.dedup import DedupStore, MemoryDedup
from ocapi_hooks.events import Event, Reply, parse_data
from ocapi_hooks.sealing import UnsealError, generate_keypair, load_private_key, unseal, unseal_reset_token

__all__ = [
                                 "DedupStore",
                                 "Event",
                                 "Hooks",
                                 "MemoryDedup",
                                 "Reply",
                                 "UnsealError",
                                 "generate_keypair",
                                 "load_private_key",
                                 "parse_data",
                                 "payloads",
                                 "topic_matches",
                                 "unseal",
                                 "unseal_reset_token",
]
__version__ = "3.0.0"
