import asyncio
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pwa_app.vault import KdfParams  # noqa: E402

# Small Argon2id parameters keep unit tests quick; the default parameters are tested separately.
FAST_KDF = KdfParams(memory_kib=1024, iterations=1, lanes=1)


def run(coro):
    return asyncio.run(coro)


@pytest.fixture
def copy(tmp_path):
    """A copy of content/ a test may break, to see the loader refuse it."""
    from pwa_app.paths import content_dir

    d = tmp_path / "content"
    shutil.copytree(content_dir(), d)
    return d


@pytest.fixture
def artifacts_dir() -> Path:
    d = ROOT / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d


# ---- real browsers (the browser tests) -------------------------------------------------------
@pytest.fixture(scope="module")
def server():
    """The built static site, served by a plain static file server on loopback."""
    from browser_harness import StaticServer

    srv = StaticServer()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def pw():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture
def browser(pw, tmp_path, request, artifacts_dir):
    """A fresh browser profile (its own IndexedDB and localStorage) that records every request."""
    from browser_harness import launch, watch

    profile = tmp_path / "profile"
    ctx = launch(pw, profile)
    watch(ctx)
    ctx.profile = profile
    yield ctx
    for i, page in enumerate(ctx.pages):  # the last screen of every test, for a person to see
        page.screenshot(path=str(artifacts_dir / f"last-{request.node.name}-{i}.png"))
    ctx.close()
