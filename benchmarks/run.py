"""Speed figures for Recourse. Prints numbers; asserts nothing (machines are noisy).

    python3 benchmarks/run.py            # everything, browser figures included
    python3 benchmarks/run.py --no-browser

Targets on a 2-core machine: unlock <= 0.5 s; save <= 20 ms median in a vault of 10,000;
open+list 10,000 <= 1.5 s; notice text+PDF <= 100 ms; report for 50 entries <= 1 s;
cold load to lock screen <= 3 s; unlock to home <= 0.5 s; quick exit to decoy <= 100 ms.
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
    from browser_harness import Server, launch, open_app, type_into
    from playwright.sync_api import sync_playwright

    srv = Server()
    try:
        with sync_playwright() as p:
            ctx = launch(p, Path(tempfile.mkdtemp()))
            t = time.perf_counter()
            page = open_app(ctx, srv.url)
            page.get_by_role("button", name="Create vault").wait_for(timeout=60_000)
            line("cold load to interactive lock screen", time.perf_counter() - t, "s", "<= 3 s")
            type_into(page, "Passphrase", "purple elephant dancing quietly")
            type_into(page, "Repeat passphrase", "purple elephant dancing quietly")
            page.get_by_role("button", name="Create vault").click()
            page.get_by_text("Step by step").wait_for(timeout=30_000)
            page.get_by_role("button", name="Quick exit").first.click()
            page.get_by_text("Groceries", exact=False).wait_for()
            page.get_by_role("button").first.click()
            page.get_by_role("button", name="Unlock").wait_for()
            type_into(page, "Passphrase", "purple elephant dancing quietly")
            t = time.perf_counter()
            page.get_by_role("button", name="Unlock").click()
            page.get_by_text("Step by step").wait_for(timeout=30_000)
            line("unlock to home", time.perf_counter() - t, "s", "<= 0.5 s")
            samples = []
            for _ in range(5):
                page.get_by_role("button", name="Quick exit").first.wait_for()
                ms = page.evaluate("""() => new Promise(resolve => {
                    const b = Array.from(document.querySelectorAll('flt-semantics[role=button]'))
                      .find(e => (e.innerText || '').includes('Quick exit'));
                    const t0 = performance.now();
                    const obs = new MutationObserver(() => {
                      if ((document.body.innerText || '').includes('Groceries')) {
                        obs.disconnect(); resolve(performance.now() - t0); }
                    });
                    obs.observe(document.body, {subtree: true, childList: true,
                                                characterData: true});
                    b.click();
                })""")
                samples.append(ms)
                page.get_by_role("button").first.click()
                page.get_by_role("button", name="Unlock").wait_for()
                type_into(page, "Passphrase", "purple elephant dancing quietly")
                page.get_by_role("button", name="Unlock").click()
                page.get_by_text("Step by step").wait_for(timeout=30_000)
            line(
                "quick exit click to decoy (median of 5)",
                statistics.median(samples),
                "ms",
                "<= 100 ms",
            )
            ctx.close()
    finally:
        srv.stop()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    asyncio.run(vault_figures())
    document_figures()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    line("peak memory (max RSS, vault + documents)", peak, "MiB", "-")
    if not args.no_browser:
        browser_figures()


if __name__ == "__main__":
    main()
