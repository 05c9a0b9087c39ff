"""Render the favicon's PNG and ICO fallbacks from img/favicon.svg, once, in Chromium.

    .venv/bin/python scripts/make_favicons.py

Writes img/favicon-32.png, img/apple-touch-icon.png (180 px, on the tile's colour: iOS shows
no transparency) and img/favicon.ico (16 and 32 px PNGs in an ICO container); commit them.
Needs Playwright and a Chromium (PORTAL_CHROMIUM, or chromium on the PATH).
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path

from playwright.sync_api import sync_playwright

IMG = Path(__file__).resolve().parent.parent / "platform" / "portal" / "web" / "static" / "img"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]


def render(page, svg: str, size: int, background: str | None = None) -> bytes:  # noqa: ANN001
    page.set_viewport_size({"width": size, "height": size})
    fill = f"background:{background};" if background else "background:transparent;"
    sized = svg.replace("<svg ", f'<svg width="{size}" height="{size}" ', 1)
    page.set_content(f'<html><body style="margin:0;{fill}"><div style="width:{size}px;height:{size}px">'
                     f"{sized}</div></body></html>")
    return page.screenshot(omit_background=background is None, clip={"x": 0, "y": 0, "width": size, "height": size})


def ico(images: dict[int, bytes]) -> bytes:
    """An ICO file whose entries are PNGs (read by every browser since 2010)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, data = b"", b""
    for size, png in sorted(images.items()):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(png), offset + len(data))
        data += png
    return header + entries + data


def main() -> None:
    svg = (IMG / "favicon.svg").read_text(encoding="utf-8")
    executable = os.environ.get("PORTAL_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=FLAGS)
        page = browser.new_page(device_scale_factor=1)
        (IMG / "favicon-32.png").write_bytes(render(page, svg, 32))
        (IMG / "apple-touch-icon.png").write_bytes(render(page, svg.replace('rx="14"', 'rx="0"'), 180, "#0b5560"))
        (IMG / "favicon.ico").write_bytes(ico({16: render(page, svg, 16), 32: render(page, svg, 32)}))
        browser.close()


if __name__ == "__main__":
    main()
