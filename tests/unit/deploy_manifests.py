"""deploy/base as Kubernetes receives it (``kubectl kustomize``), for the tests that read the
manifests."""
import functools
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

BASE = Path(__file__).resolve().parents[2] / "deploy" / "base"


@functools.cache
def rendered_base() -> dict[tuple[str, str], dict]:
    """Every rendered object by (kind, name)."""
    if shutil.which("kubectl") is None:
        pytest.fail("kubectl renders deploy/base and is not installed: `.ci/run` installs it "
                    "(apt-get install kubectl)", pytrace=False)
    rendered = subprocess.run(["kubectl", "kustomize", str(BASE)], capture_output=True, text=True, check=True)
    return {(doc["kind"], doc["metadata"]["name"]): doc for doc in yaml.safe_load_all(rendered.stdout) if doc}
