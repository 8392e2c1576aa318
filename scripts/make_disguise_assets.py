"""Write the neutral web manifests and icons used when the app is disguised.

One manifest per title offered in content/quick_exit.toml ([disguise] titles), each with a plain
icon that says nothing about the app. Run after changing those titles:

    python3 scripts/make_disguise_assets.py

tests/test_content.py checks that every offered title has its files and that none of them names
the app.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pwa_app.content import load_content  # noqa: E402
from pwa_app.disguise import manifest_name, slug  # noqa: E402

BG = {"notes": "#F2C94C", "weather": "#5DADE2", "calculator": "#7F8C8D"}
INK = "#FFFFFF"


def draw(kind: str, size: int) -> Image.Image:
    im = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    s = size / 192
    d.rounded_rectangle((0, 0, size - 1, size - 1), radius=int(40 * s), fill=BG.get(kind, "#888"))
    if kind == "notes":
        for i in range(4):
            y = int((60 + i * 24) * s)
            d.line((int(48 * s), y, int(144 * s), y), fill=INK, width=max(2, int(8 * s)))
    elif kind == "weather":
        d.ellipse((int(56 * s), int(50 * s), int(136 * s), int(130 * s)), fill=INK)
        d.ellipse((int(30 * s), int(100 * s), int(110 * s), int(150 * s)), fill="#EAF2F8")
        d.ellipse((int(80 * s), int(92 * s), int(162 * s), int(150 * s)), fill="#EAF2F8")
    else:
        for r in range(3):
            for c in range(3):
                x, y = int((46 + c * 36) * s), int((50 + r * 36) * s)
                d.rounded_rectangle((x, y, x + int(28 * s), y + int(28 * s)), 4, fill=INK)
    return im


def main() -> None:
    out = ROOT / "assets" / "disguise"
    out.mkdir(exist_ok=True)
    for title in load_content().quick_exit.disguise_titles:
        key = slug(title)
        for size in (192, 512):
            draw(key, size).save(out / f"{key}-{size}.png", optimize=True)
        manifest = {
            "name": manifest_name(title),
            "short_name": manifest_name(title),
            "start_url": ".",
            "scope": ".",
            "display": "standalone",
            "background_color": "#FFFFFF",
            "theme_color": BG.get(key, "#888888"),
            "icons": [
                {"src": f"disguise/{key}-{n}.png", "sizes": f"{n}x{n}", "type": "image/png"}
                for n in (192, 512)
            ],
        }
        (out / f"{key}.json").write_text(json.dumps(manifest, indent=2) + "\n")
        print("wrote", key)


if __name__ == "__main__":
    main()
