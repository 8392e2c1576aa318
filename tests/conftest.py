import asyncio
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
def artifacts_dir() -> Path:
    d = ROOT / "test-artifacts"
    d.mkdir(exist_ok=True)
    return d
