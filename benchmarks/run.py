"""Speed figures for Recourse. Prints numbers; asserts nothing (machines are noisy).

    python3 benchmarks/run.py            # everything, the built site in Chromium included
    python3 benchmarks/run.py --no-browser

Native targets (2-core machine): unlock <= 0.5 s; save <= 20 ms median in a vault of 10,000;
open+list 10,000 <= 1.5 s; notice text+PDF <= 100 ms; report for 50 entries <= 0.5 s and for
500 <= 2 s.
The web app, built and served as static files, in Chromium: load from the browser's cache to
the lock screen <= 2.5 s; unlock to home <= 1.0 s; quick exit to the decoy <= 40 ms; attach one
2.5 MB screenshot <= 1 s; bytes the service worker keeps <= 40 MB; first load over loopback
printed.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pwa_app.content import load_content  # noqa: E402
from pwa_app.documents import notice_pdf, render_notice  # noqa: E402
from pwa_app.documents.report import ReportData, report_pdf  # noqa: E402
from pwa_app.domain import Case, CaseNumber, EvidenceItem, RemovalRequest  # noqa: E402
from pwa_app.vault import SqliteStorage, Vault  # noqa: E402

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def line(name: str, value: float, unit: str, target: str) -> None:
    print(f"{name:<48} {value:>10.3f} {unit:<3} (target {target})")


async def vault_figures() -> None:
    d = Path(tempfile.mkdtemp())
    st = SqliteStorage(d)
    t = time.perf_counter()
    v = await Vault.create(st, "benchmark passphrase")
    line("create vault (Argon2id 64 MiB, t=3, p=4)", time.perf_counter() - t, "s", "-")
    t = time.perf_counter()
    await Vault.unlock(st, "benchmark passphrase")
    line("unlock (KDF at default parameters)", time.perf_counter() - t, "s", "<= 0.5 s")
    rec = {"url": "https://example.com/" + "x" * 60, "platform": "Example", "notes": "n" * 200}
    for i in range(10_000):
        await v.put("evidence", f"{i:032x}", rec)
    times = []
    for i in range(200):
        t = time.perf_counter()
        await v.put("evidence", f"{10_000 + i:032x}", rec)
        times.append(time.perf_counter() - t)
    line("save one record into 10,000 (median)", statistics.median(times) * 1000, "ms", "<= 20 ms")
    st.close()
    t = time.perf_counter()
    st2 = SqliteStorage(d)
    v2 = await Vault.unlock(st2, "benchmark passphrase")
    listing = await v2.list("evidence")
    line(f"open + list {len(listing.items):,} records", time.perf_counter() - t, "s", "<= 1.5 s")


def document_figures() -> None:
    c = load_content()
    values = {
        "full_name": "Ana Núñez",
        "email": "a@example.org",
        "phone": "+1 555 0100",
        "postal_address": "1 Main St",
        "recipient": "Host",
        "urls": "https://x.org/a",
        "description": "photos",
    }
    times = []
    for _ in range(20):
        t = time.perf_counter()
        n = render_notice(c.notice("dmca"), c.fields, values, NOW)
        notice_pdf(n, NOW)
        times.append(time.perf_counter() - t)
    line("one notice, text + PDF (median)", statistics.median(times) * 1000, "ms", "<= 100 ms")
    for count in (50, 500):
        case = Case(id="c", title="Case", created_at=NOW).with_number(
            CaseNumber("police", "Met", "CAD 1")
        )
        ev = tuple(
            EvidenceItem(
                id=f"e{i}",
                case_id="c",
                url=f"https://x.org/{i}",
                platform="X",
                found_at=NOW - timedelta(hours=i),
                logged_at=NOW,
            )
            for i in range(count)
        )
        rq = tuple(
            RemovalRequest(
                id=f"r{i}",
                case_id="c",
                kind="dmca",
                recipient="Host",
                urls=(f"https://x.org/{i}",),
                sent_at=NOW,
            )
            for i in range(count // 5)
        )
        t = time.perf_counter()
        report_pdf(ReportData(case=case, evidence=ev, requests=rq), NOW)
        line(
            f"evidence report, {count} entries",
            time.perf_counter() - t,
            "s",
            "<= 1 s" if count == 50 else "-",
        )


def browser_figures() -> None:
    import os

    from browser_harness import (
        StaticServer,
        enable_semantics,
        launch,
        reveal_text,
        tap,
        type_into,
        wait_offline_ready,
        wait_phase,
    )
    from PIL import Image
    from playwright.sync_api import sync_playwright

    pw_text = "purple elephant dancing quietly"
    srv = StaticServer()
    tmp = Path(tempfile.mkdtemp())
    try:
        with sync_playwright() as p:
            ctx = launch(p, tmp / "profile")
            page = ctx.pages[0]
            t = time.perf_counter()
            page.goto(srv.url)
            enable_semantics(page)
            page.get_by_role("button", name="Create vault").wait_for(timeout=120_000)
            line("first load over loopback to the lock screen", time.perf_counter() - t, "s", "-")
            wait_offline_ready(page)
            kept = page.evaluate(
                """async () => { let n = 0; for (const name of await caches.keys()) {
                  const c = await caches.open(name);
                  for (const r of await c.keys()) n += (await (await c.match(r)).blob()).size; }
                  return n; }"""
            )
            line("bytes the service worker keeps", kept / 1e6, "MB", "<= 40 MB")
            type_into(page, "Passphrase", pw_text)
            type_into(page, "Repeat passphrase", pw_text)
            page.get_by_role("button", name="Create vault").click()
            page.get_by_text("Step by step").wait_for(timeout=30_000)

            loads = []
            for _ in range(3):
                page.close()
                page = ctx.new_page()
                t = time.perf_counter()
                page.goto(srv.url)
                wait_phase(page, "unlock", timeout=120_000)
                loads.append(time.perf_counter() - t)
            line(
                "load from the browser's cache to the lock screen (median of 3)",
                statistics.median(loads),
                "s",
                "<= 2.5 s",
            )
            enable_semantics(page)
            unlocks = []
            for _ in range(3):
                page.get_by_role("button", name="Unlock").wait_for(timeout=30_000)
                type_into(page, "Passphrase", pw_text)
                t = time.perf_counter()
                page.get_by_role("button", name="Unlock").click()
                page.get_by_text("Step by step").wait_for(timeout=30_000)
                unlocks.append(time.perf_counter() - t)
                page.get_by_role("button", name="Quick exit").click()
                wait_phase(page, "decoy")
                page.get_by_role("button").first.click()
            line("unlock to home (median of 3)", statistics.median(unlocks), "s", "<= 1.0 s")

            page.get_by_role("button", name="Unlock").wait_for(timeout=30_000)
            type_into(page, "Passphrase", pw_text)
            page.get_by_role("button", name="Unlock").click()
            page.get_by_text("Step by step").wait_for(timeout=30_000)
            exits, locks = [], []
            for _ in range(5):
                ms = page.evaluate(
                    """() => new Promise(resolve => {
                      const t0 = performance.now();
                      document.getElementById('quick-exit').click();
                      requestAnimationFrame(() => requestAnimationFrame(() => resolve(
                        document.getElementById('decoy') ? performance.now() - t0 : -1)));
                    })"""
                )
                exits.append(ms)
                t = time.perf_counter()
                wait_phase(page, "decoy")
                locks.append((time.perf_counter() - t) * 1000 + ms)
                page.get_by_role("button").first.click()
                page.get_by_role("button", name="Unlock").wait_for(timeout=30_000)
                type_into(page, "Passphrase", pw_text)
                page.get_by_role("button", name="Unlock").click()
                page.get_by_text("Step by step").wait_for(timeout=30_000)
            line("quick exit click to the decoy on screen (median of 5)",
                 statistics.median(exits), "ms", "<= 40 ms")  # fmt: skip
            line("quick exit click to the vault locked in Python (median)",
                 statistics.median(locks), "ms", "-")  # fmt: skip

            side = int((2_500_000 / 3) ** 0.5)
            shot = tmp / "screenshot.png"
            Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(
                shot, compress_level=1
            )
            tap(page, "button", "Evidence log")
            type_into(page, "Web address (URL)", "https://example.com/benchmark")
            page.get_by_role("button", name="Save to evidence log").click()
            reveal_text(page, "Saved to your evidence log")
            times = []
            for i in range(3):
                with page.expect_file_chooser() as fc:
                    tap(page, "button", "Attach screenshot or file")
                t = time.perf_counter()
                fc.value.set_files(str(shot))
                page.get_by_role("button", name="Remove screenshot.png").nth(i).wait_for(
                    state="attached", timeout=60_000
                )
                times.append(time.perf_counter() - t)
            line(
                f"attach one {shot.stat().st_size / 1e6:.1f} MB screenshot (median of 3)",
                statistics.median(times),
                "s",
                "<= 1 s",
            )
            ctx.close()
    finally:
        srv.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-browser", action="store_true", help="native figures only")
    ap.add_argument("--browser-only", action="store_true", help="the built site only")
    args = ap.parse_args()
    if not args.browser_only:
        asyncio.run(vault_figures())
        document_figures()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        line("peak memory (max RSS, vault + documents)", peak, "MiB", "-")
    if not args.no_browser:
        browser_figures()


if __name__ == "__main__":
    main()
