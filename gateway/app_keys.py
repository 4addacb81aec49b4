"""Typed keys for what the gateway app holds."""
from aiohttp import web

from gateway.client_ip import Network
from gateway.permissions import ClientSettings
from gateway.revocations import RevocationSet
from gateway.settings import GatewaySettings
from gateway.sites import SiteDirectory
from gateway.upstream import Upstream
from shared.logging import AccessLog

GW_SETTINGS = web.AppKey("gateway_settings", GatewaySettings)
CLIENTS = web.AppKey("clients", ClientSettings)
REVOKED = web.AppKey("revoked", RevocationSet)
SITES = web.AppKey("sites", SiteDirectory)
UPSTREAM: web.AppKey[Upstream] = web.AppKey("upstream")
SERVICE_URLS = web.AppKey("service_urls", dict)
TRUSTED_PROXIES = web.AppKey("trusted_proxies", tuple[Network, ...])
ACCESS_LOG = web.AppKey("access_log", AccessLog)
