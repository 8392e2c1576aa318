"""The crypto adapter a vault uses when it is given none: pyca natively, WebCrypto and Argon2id in
WebAssembly in the browser. (The app chooses in pwa_app/bootstrap.py and passes it in; tests and
the command-line tools rely on this default.)"""

from __future__ import annotations

from ..platform import in_browser
from .crypto import Crypto


def default_crypto() -> Crypto:
    if in_browser():
        from .crypto_browser import BrowserCrypto

        return BrowserCrypto()
    from .crypto_native import NativeCrypto

    return NativeCrypto()
