"""OCAPI's ``?expand=a,b``: the values a resource knows, any other one a 400."""
from collections.abc import Collection

from shared.http.faults import OcapiFault


def expands(query, known: Collection[str]) -> list[str]:
    wanted = [v.strip() for v in query.get("expand", "").split(",") if v.strip()]
    for value in wanted:
        if value not in known:
            raise OcapiFault(f"The expand value '{value}' is not supported.",
                             fault_type="InvalidExpandValueException", arguments={"expand": value})
    return wanted
