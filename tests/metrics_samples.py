"""Reading metrics in tests: this process's registry, or a listener's /metrics text."""
import aiohttp
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample


def value(name: str, **labels: str) -> float:
    """A sample of this process's registry; 0 when it was never set (a counter not yet moved)."""
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def scrape(http: aiohttp.ClientSession, url: str) -> list[Sample]:
    async with http.get(url) as resp:
        assert resp.status == 200, f"{url}: {resp.status}"
        assert resp.content_type == "text/plain"
        text = await resp.text()
    return [sample for family in text_string_to_metric_families(text) for sample in family.samples]


def scraped(samples: list[Sample], name: str, **labels: str) -> float:
    """The one sample named ``name`` whose labels include ``labels``; 0 when there is none."""
    found = [s.value for s in samples
             if s.name == name and all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(found) <= 1, f"{name} {labels}: {len(found)} samples"
    return found[0] if found else 0.0
