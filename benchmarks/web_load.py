"""Web load: per-route latency of the real server under concurrent clients, over one database.

    .venv/bin/python scripts/make_bench_db.py --statements 100000 --out /tmp/bench.db
    .venv/bin/python benchmarks/web_load.py --db /tmp/bench.db [--clients 20] [--requests 4000]

Starts `redline serve` (uvicorn, one process, read-only) on 127.0.0.1 and a free port, reads a
few real ids from the API, asks every route of a fixed mix once to warm up (routes answering 404,
pages not built yet, are left out and listed), then runs `--clients` concurrent clients through
the mix until `--requests` are done or `--seconds` have passed. Prints p50/p95/max latency per
route and the overall requests per second. Loopback only; asserts nothing, exits 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx


@dataclass(frozen=True, slots=True)
class Route:
    """One entry of the mix: a name for the report and the paths it cycles through."""

    name: str
    paths: tuple[str, ...]


@dataclass(slots=True)
class Tally:
    """What one route got: latencies in seconds of the answered requests, and the failures."""

    times: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)

    def fail(self, why: str) -> None:
        self.errors[why] = self.errors.get(why, 0) + 1


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve_command(db: str, port: int) -> list[str]:
    """`redline --db DB serve`, through the venv's script when there is one."""
    script = Path(sys.executable).with_name("redline")
    head = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from redline.cli import run; run()"]
    )
    workers = os.environ.get("REDLINE_BENCH_WORKERS", "1")
    return [
        *head,
        "--db",
        db,
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        workers,
    ]


def start_server(db: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "REDLINE_WRITE_TOKEN"}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            _serve_command(db, port), stdout=out, stderr=subprocess.STDOUT, env=env
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited with {proc.returncode}; see {log}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/index.json", timeout=5).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit(f"the server did not answer within 60 s; see {log}")


def _sample_ids(base: str, rng: random.Random) -> dict[str, list[str]]:
    """Real statement, actor, doc and issue ids, from a few pages of the API."""
    got: dict[str, list[str]] = {"stmt": [], "actor": [], "doc": [], "issue": [], "place": []}
    with httpx.Client(base_url=base, timeout=60) as client:
        for page in (1, 7, 40):
            rows = client.get("/api/statements", params={"page": page, "per_page": 100})
            for s in rows.json().get("statements", []) if rows.status_code == 200 else []:
                got["stmt"].append(s["id"])
                if s.get("speaker_id"):
                    got["actor"].append(s["speaker_id"])
                got["issue"].extend(s.get("issues") or [])
                got["place"].extend(t["id"] for t in s.get("targets") or [] if t["kind"] == "place")
            docs = client.get("/api/docs", params={"page": page, "per_page": 100})
            got["doc"].extend(
                d["id"] for d in docs.json().get("docs", []) if docs.status_code == 200
            )
    for key, values in got.items():
        unique = sorted(set(values))
        rng.shuffle(unique)
        got[key] = unique[:25] or ["none"]
    return got


def build_mix(ids: dict[str, list[str]]) -> list[Route]:
    """Every page and API call, with the ids to cycle through."""

    def each(template: str, key: str) -> tuple[str, ...]:
        return tuple(template.format(id=v) for v in ids[key])

    return [
        Route("/", ("/",)),
        Route("/index.json", ("/index.json",)),
        Route("/api/dashboard", ("/api/dashboard",)),
        Route("/statements", ("/statements",)),
        Route("/statements?page=N", ("/statements?page=20", "/statements?page=500")),
        Route(
            "/statements?side&issue&since",
            (
                "/statements?side=russia&issue=ceasefire&since=2025-01-01",
                "/statements?side=ukraine&issue=sanctions",
                "/statements?side=us&until=2023-06-30",
            ),
        ),
        Route("/statements?actor=", ("/statements?actor=lavrov", "/statements?actor=zelensky")),
        Route("/statements/{id}", each("/statements/{id}", "stmt")),
        Route("/statements/{id}.json", each("/statements/{id}.json", "stmt")),
        Route("/api/statements", ("/api/statements?per_page=100", "/api/statements?side=russia")),
        Route("/actors/{id}", each("/actors/{id}", "actor")),
        Route("/actors/{id}.json", each("/actors/{id}.json", "actor")),
        Route("/docs", ("/docs", "/docs?page=30")),
        Route("/docs/{id}", each("/docs/{id}", "doc")),
        Route("/contradictions", ("/contradictions",)),
        Route(
            "/contradictions?kind&side",
            ("/contradictions?kind=reversal", "/contradictions?side=ukraine&issue=ceasefire"),
        ),
        Route(
            "/search?q=",
            (
                "/search?q=ceasefire",
                "/search?q=%22prisoner+exchange%22",
                "/search?q=sanctions+banks&side=russia",
                "/search?q=nato*",
            ),
        ),
        Route("/search?kind=docs", ("/search?q=Geneva+talks&kind=docs",)),
        Route("/api/search", ("/api/search?q=truce",)),
        Route("/map", ("/map",)),
        Route("/map.json", ("/map.json",)),
        Route("/issues/{id}", each("/issues/{id}", "issue")),
        Route("/issues/{id}.json", each("/issues/{id}.json", "issue")),
        Route("/places/{id}", each("/places/{id}", "place")),
        Route("/ingest", ("/ingest",)),
    ]


def warm_up(base: str, mix: list[Route]) -> tuple[list[Route], dict[str, str], dict[str, float]]:
    """Ask each route once, alone; keep the ones that answer, with how long that took (an
    unloaded figure beside the loaded ones), and say why the others were left out."""
    kept: list[Route] = []
    left: dict[str, str] = {}
    solo: dict[str, float] = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for route in mix:
            began = time.perf_counter()
            try:
                status = client.get(route.paths[0]).status_code
            except httpx.HTTPError as e:
                left[route.name] = type(e).__name__
                continue
            if status < 400:
                kept.append(route)
                solo[route.name] = time.perf_counter() - began
            else:
                left[route.name] = str(status)
    return kept, left, solo


async def run_load(
    base: str, mix: list[Route], *, clients: int, requests: int, seconds: float
) -> tuple[dict[str, Tally], float, int]:
    """`clients` workers take the next request of the mix until the count or time runs out."""
    tallies = {r.name: Tally() for r in mix}
    plan = [(r.name, r.paths[n % len(r.paths)]) for n in range(1000) for r in mix]
    cursor = 0
    stop_at = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal cursor
        while cursor < requests and time.monotonic() < stop_at:
            name, path = plan[cursor % len(plan)]
            cursor += 1
            began = time.perf_counter()
            try:
                response = await client.get(path)
            except httpx.HTTPError as e:
                tallies[name].fail(type(e).__name__)
                continue
            took = time.perf_counter() - began
            if response.status_code >= 400:
                tallies[name].fail(str(response.status_code))
            else:
                tallies[name].times.append(took)

    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        began = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - began
    return tallies, elapsed, min(cursor, requests)


def _pct(sorted_times: list[float], q: float) -> float:
    if not sorted_times:
        return float("nan")
    return sorted_times[min(len(sorted_times) - 1, int(q * len(sorted_times)))]


def report(
    tallies: dict[str, Tally], solo: dict[str, float], elapsed: float, sent: int
) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    for name, t in tallies.items():
        times = sorted(t.times)
        rows.append(
            {
                "route": name,
                "n": len(times),
                "solo_ms": round(solo.get(name, float("nan")) * 1000, 1),
                "errors": t.errors,
                "p50_ms": round(_pct(times, 0.50) * 1000, 1),
                "p95_ms": round(_pct(times, 0.95) * 1000, 1),
                "max_ms": round((times[-1] if times else float("nan")) * 1000, 1),
            }
        )
    ok = sum(r["n"] for r in rows)
    return {"rows": rows, "sent": sent, "ok": ok, "seconds": elapsed, "rps": ok / elapsed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--db", required=True, help="the database to serve (scripts/make_bench_db.py)"
    )
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=4000, help="at most this many requests")
    parser.add_argument("--seconds", type=float, default=120, help="and for at most this long")
    parser.add_argument("--seed", type=int, default=7, help="which ids are sampled")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not Path(args.db).is_file():
        parser.error(f"no database at {args.db}")

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"redline-web-load-{port}.log"
    proc = start_server(args.db, port, log)
    try:
        began = time.perf_counter()
        ids = _sample_ids(base, random.Random(args.seed))
        mix, left, solo = warm_up(base, build_mix(ids))
        warm = time.perf_counter() - began
        print(f"server {base} over {args.db}; warm-up {warm:.1f} s, {len(mix)} routes")
        if left:
            print("left out: " + ", ".join(f"{k} ({v})" for k, v in left.items()))
        tallies, elapsed, sent = asyncio.run(
            run_load(base, mix, clients=args.clients, requests=args.requests, seconds=args.seconds)
        )
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    figures = report(tallies, solo, elapsed, sent)
    width = max(len(r["route"]) for r in figures["rows"])
    columns = ("solo ms", "p50 ms", "p95 ms", "max ms")
    print(f"\n{'route':<{width}}  {'n':>5}  " + "  ".join(f"{c:>8}" for c in columns) + "  errors")
    for r in figures["rows"]:
        errors = ", ".join(f"{k}×{v}" for k, v in r["errors"].items()) or "-"
        times = "  ".join(f"{r[k]:>8.1f}" for k in ("solo_ms", "p50_ms", "p95_ms", "max_ms"))
        print(f"{r['route']:<{width}}  {r['n']:>5}  {times}  {errors}")
    print(
        f"\n{figures['ok']} ok of {figures['sent']} sent by {args.clients} clients in "
        f"{figures['seconds']:.1f} s: {figures['rps']:.1f} requests/s"
    )
    slow = sorted(figures["rows"], key=lambda r: -r["p95_ms"])[:5]
    print("slowest p95: " + ", ".join(f"{r['route']} {r['p95_ms']:.0f} ms" for r in slow))
    if args.json:
        args.json.write_text(json.dumps({"db": args.db, "clients": args.clients, **figures}))
    log.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
