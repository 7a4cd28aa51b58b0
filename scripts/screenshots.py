"""Full-page screenshots of the web app over the examples, for the README and for review.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--examples examples]

Ingests the examples into a temporary database with `redline ingest`, serves it with
`redline serve` on 127.0.0.1, and saves one PNG per main page with headless Chromium (Debian's
`chromium`, driven by Playwright; `playwright install` is not needed). A page that answers 404
(not built yet) is skipped and listed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _redline() -> list[str]:
    script = Path(sys.executable).with_name("redline")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from redline.cli import run; run()"]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/index.json", timeout=5).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not answer within 60 s")


def _pages(base: str) -> dict[str, str]:
    """Name → path of the pages to shoot, with ids read from the API."""
    pages = {
        "dashboard": "/",
        "statements": "/statements",
        "statements-russia": "/statements?side=russia",
    }
    with httpx.Client(base_url=base, timeout=30) as client:
        stmts = client.get("/api/statements", params={"per_page": 200}).json()["statements"]
        docs = client.get("/api/docs", params={"per_page": 1}).json()["docs"]
    # A statement with a speaker from the registry and a contradiction makes the fullest page.
    pairs = httpx.get(base + "/api/contradictions", params={"per_page": 1}).json()
    paired = [p["a"]["id"] for p in pairs.get("contradictions", [])]
    known = [s for s in stmts if s.get("speaker_id")]
    stmt = next((s for s in known if s["id"] in paired), known[0] if known else stmts[0])
    pages["statement"] = f"/statements/{stmt['id']}"
    if stmt.get("speaker_id"):
        pages["actor"] = f"/actors/{stmt['speaker_id']}"
    if docs:
        pages["doc"] = f"/docs/{docs[0]['id']}"
    pages["contradictions"] = "/contradictions"
    pages["search"] = "/search?q=ceasefire"
    pages["map"] = "/map"
    issue = next((i for s in stmts for i in s.get("issues") or []), "ceasefire")
    pages["issue"] = f"/issues/{issue}"
    pages["ingest"] = "/ingest"
    return pages


def shoot(
    base: str, pages: dict[str, str], out: Path, *, width: int
) -> tuple[list[Path], dict[str, int]]:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("no `chromium` on PATH (Debian: apt-get install chromium)")
    saved: list[Path] = []
    skipped: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as profile, sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            profile,
            executable_path=chromium,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": width, "height": 900},
        )
        page = context.new_page()
        for name, path in pages.items():
            response = page.goto(base + path)
            status = response.status if response else 0
            if status >= 400:
                skipped[name] = status
                continue
            target = out / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            saved.append(target)
        context.close()
    return saved, skipped


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--examples", type=Path, default=ROOT / "examples")
    parser.add_argument("--width", type=int, default=1280, help="viewport width in pixels")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "REDLINE_WRITE_TOKEN"}
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "screens.db")
        subprocess.run(
            [*_redline(), "--db", db, "ingest", str(args.examples)],
            check=True,
            env=env,
            stdout=subprocess.DEVNULL,
        )
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        serve = [*_redline(), "--db", db, "serve", "--host", "127.0.0.1", "--port", str(port)]
        proc = subprocess.Popen(serve, env=env, stderr=subprocess.DEVNULL)
        try:
            _wait(base, proc)
            saved, skipped = shoot(base, _pages(base), args.out, width=args.width)
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    for path in saved:
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    if skipped:
        print("skipped: " + ", ".join(f"{k} ({v})" for k, v in skipped.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
