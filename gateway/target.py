"""Reading an OCAPI URL: site, API, version and resource path."""
import re
from dataclasses import dataclass

from gateway.versions import Version, parse_version
from shared.faults import OcapiFault

# A NUL names no site (Postgres text cannot hold one): no match, a 404.
_PATH = re.compile(
    r"^(?:/s/(?P<site>[^/\x00]+))?/dw/(?P<api>shop|data)/(?P<version>[^/]+)(?P<resource>/.*)?$")
# The Data API is organisation-wide; OCAPI addresses it under these pseudo sites.
DATA_SITES = (None, "-", "Sites-Site")


@dataclass(frozen=True)
class Target:
    site_id: str | None
    api: str
    version: Version
    version_segment: str
    resource: str


def parse_target(path: str) -> Target:
    match = _PATH.match(path)
    if match is None:
        raise OcapiFault(f"No resource '{path}' is known.", status=404,
                         fault_type="NotFoundException")
    api, site = match.group("api"), match.group("site")
    if api == "data" and site not in DATA_SITES:
        raise OcapiFault("The Data API is addressed under /s/-/ only.", status=404,
                         fault_type="NotFoundException")
    resource = (match.group("resource") or "/").rstrip("/") or "/"
    return Target(site_id=site if api == "shop" else None, api=api,
                  version=parse_version(match.group("version")),
                  version_segment=match.group("version"), resource=resource)
