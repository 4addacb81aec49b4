"""OCAPI versions: clients send anything from v15_1 to v23_2."""
import re

from shared.http.faults import OcapiFault

OLDEST = (15, 1)
NEWEST = (23, 2)
_VERSION = re.compile(r"^v(\d{2})_(\d{1,2})$")

Version = tuple[int, int]


def parse_version(segment: str) -> Version:
    match = _VERSION.match(segment) if len(segment) <= 6 else None
    version = (int(match.group(1)), int(match.group(2))) if match else None
    if version is None or not (OLDEST <= version <= NEWEST) or not 1 <= version[1] <= 10:
        raise OcapiFault(f"The version '{segment}' is not supported.", status=400,
                         fault_type="UnsupportedVersionException",
                         arguments={"version": segment})
    return version


def as_text(version: Version) -> str:
    """The ``_v`` value: (16, 4) -> "16.4"."""
    return f"{version[0]}.{version[1]}"
