"""Web load: per-route latency of the real server under concurrent clients, over one database.

    .venv/bin/python scripts/make_bench_db.py --statements 100000 --out /tmp/bench.db
    .venv/bin/python benchmarks/web_load.py --db /tmp/bench.db [--clients 20] [--workers 2]

Starts `redline serve` (uvicorn, read-only; `--workers` processes) on 127.0.0.1 and a free
port, reads a few real ids from the API, asks every route of a fixed mix once to warm up (routes
answering 404, pages not built yet, are left out and listed) and then every other path of the
mix once, waits for the server to fall idle (it warms its slowest pages in the background after
starting), then runs `--clients` concurrent clients through the mix until `--requests` are done
or `--seconds` have passed, each client on its own keep-alive connection (a lean HTTP/1.1
client: the machine is shared with the server). Prints p50/p95/max latency per route and the
overall requests per second. Loopback only; asserts nothing, exits 0.

`--vary` gives the routes that take an id, a page, a filter or words pools of hundreds of paths
(pages anywhere, filter combinations, words from the statements) and warms none of them, so
most requests ask a page nobody asked before: what the caches cannot answer.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

RAMP_S = 0.05  # between one client's first request and the next one's
POOL = 400  # with --vary: paths per route that takes an id, a page, a filter or words
WORD = re.compile(r"[A-Za-z]+")


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


def _serve_command(db: str, port: int, workers: int) -> list[str]:
    """`redline --db DB serve`, through the venv's script when there is one."""
    script = Path(sys.executable).with_name("redline")
    head = (
        [str(script)]
        if script.exists()
        else [sys.executable, "-c", "from redline.cli import run; run()"]
    )
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
        str(workers),
    ]


def start_server(
    db: str, port: int, log: Path, *, workers: int = 1, page_cache_mb: float | None = None
) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k != "REDLINE_WRITE_TOKEN"}
    if page_cache_mb is not None:
        env["REDLINE_PAGE_CACHE_MB"] = str(page_cache_mb)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            _serve_command(db, port, workers), stdout=out, stderr=subprocess.STDOUT, env=env
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


def _cpu_seconds(root: int) -> float | None:
    """CPU time used so far by process `root` and its children (Linux /proc), None elsewhere."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0.0
    try:
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid, ppid = int(stat.parent.name), int(fields[1])
            if root in (pid, ppid):
                total += (int(fields[11]) + int(fields[12])) / ticks
    except OSError:
        return None
    return total


def wait_idle(root: int, *, timeout: float = 90, busy: float = 0.05) -> float:
    """Wait until the server has been idle (under `busy` of a core) for a second: a fresh one
    computes what its slowest pages need in the background. Returns the seconds waited."""
    began = time.monotonic()
    last = _cpu_seconds(root)
    if last is None:
        return 0.0
    while time.monotonic() - began < timeout:
        time.sleep(1)
        now = _cpu_seconds(root) or 0.0
        if now - last < busy:
            break
        last = now
    return time.monotonic() - began


def _sample_ids(base: str, rng: random.Random, *, vary: bool = False) -> dict[str, list[str]]:
    """Real statement, actor, doc and issue ids, from a few pages of the API (`vary`: from
    many, with words of the statements to search for)."""
    got: dict[str, list[str]] = {
        "stmt": [],
        "actor": [],
        "doc": [],
        "issue": [],
        "place": [],
        "word": [],
    }
    pages = sorted(rng.sample(range(1, 400), 20)) if vary else [1, 7, 40]
    with httpx.Client(base_url=base, timeout=60) as client:
        for page in pages:
            rows = client.get("/api/statements", params={"page": page, "per_page": 100})
            for s in rows.json().get("statements", []) if rows.status_code == 200 else []:
                got["stmt"].append(s["id"])
                if s.get("speaker_id"):
                    got["actor"].append(s["speaker_id"])
                got["issue"].extend(s.get("issues") or [])
                got["place"].extend(t["id"] for t in s.get("targets") or [] if t["kind"] == "place")
                got["word"].extend(w for w in WORD.findall(s.get("content") or "") if len(w) > 4)
            docs = client.get("/api/docs", params={"page": page, "per_page": 100})
            got["doc"].extend(
                d["id"] for d in docs.json().get("docs", []) if docs.status_code == 200
            )
    for key, values in got.items():
        unique = sorted(set(values))
        rng.shuffle(unique)
        got[key] = unique[: POOL if vary else 25] or ["none"]
    return got


def build_mix(ids: dict[str, list[str]], *, vary: random.Random | None = None) -> list[Route]:
    """Every page and API call, with the ids to cycle through; given `vary`, the routes that
    take an id, a page, a filter or words have a pool of hundreds each, drawn with it."""

    def each(template: str, key: str) -> tuple[str, ...]:
        return tuple(template.format(id=v) for v in ids[key])

    mix = [
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
    if vary is None:
        return mix
    pools = _pools(ids, vary, each)
    return [Route(r.name, pools.get(r.name, r.paths)) for r in mix]


def _pools(
    ids: dict[str, list[str]], rng: random.Random, each: Callable[[str, str], tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Paths per route for `build_mix(vary=...)`: pages anywhere in the lists, filters in many
    combinations, search words and phrases drawn from the statements themselves. The routes
    not named keep their paths."""

    def pool(make: Callable[[], str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(make() for _ in range(POOL)))

    words, sides = ids["word"], ("russia", "ukraine", "us", "eu", "china", "turkey")
    issues_, years = ids["issue"], range(2022, 2027)

    def day() -> str:
        return f"{rng.choice(years)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"

    def filters() -> str:
        parts = [f"side={rng.choice(sides)}", f"issue={rng.choice(issues_)}", f"since={day()}"]
        return "&".join(rng.sample(parts, rng.randint(1, 3)))

    def query() -> str:
        picked = rng.sample(words, rng.choice((1, 1, 2)))
        return "+".join(picked) if rng.random() < 0.8 else "%22" + "+".join(picked) + "%22"

    def paged(template: str, key: str) -> tuple[str, ...]:
        first = each(template, key)
        return first + tuple(f"{p}?page={rng.randint(2, 6)}" for p in first[: POOL // 2])

    return {
        "/api/dashboard": pool(lambda: f"/api/dashboard?since={day()}"),
        "/statements?page=N": pool(lambda: f"/statements?page={rng.randint(2, 2000)}"),
        "/statements?side&issue&since": pool(lambda: f"/statements?{filters()}"),
        "/statements?actor=": pool(
            lambda: f"/statements?actor={rng.choice(ids['actor'])}&page={rng.randint(1, 4)}"
        ),
        "/api/statements": pool(lambda: f"/api/statements?per_page=100&{filters()}"),
        "/actors/{id}": paged("/actors/{id}", "actor"),
        "/actors/{id}.json": paged("/actors/{id}.json", "actor"),
        "/docs": pool(lambda: f"/docs?page={rng.randint(1, 250)}"),
        "/contradictions": pool(lambda: f"/contradictions?page={rng.randint(1, 40)}"),
        "/contradictions?kind&side": pool(lambda: f"/contradictions?{filters()}"),
        "/search?q=": pool(lambda: f"/search?q={query()}"),
        "/search?kind=docs": pool(lambda: f"/search?q={query()}&kind=docs"),
        "/api/search": pool(lambda: f"/api/search?q={query()}&side={rng.choice(sides)}"),
        "/places/{id}": paged("/places/{id}", "place"),
    }


def warm_up(
    base: str, mix: list[Route], *, every: bool = True
) -> tuple[list[Route], dict[str, str], dict[str, float]]:
    """Ask each route once, alone; keep the ones that answer, with how long that took (an
    unloaded figure beside the loaded ones, first visit included), and say why the others
    were left out. Then ask every other path of the kept routes once: what a page computes
    on its first visit after a start (positions, counts) is then done, as on a server that
    has been up a while, and the loaded figures are those of the steady state."""
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
        for route in kept if every else ():
            for path in route.paths[1:]:
                with contextlib.suppress(httpx.HTTPError):  # counted when the load asks it
                    client.get(path)
    return kept, left, solo


class Connection:
    """One client's keep-alive HTTP/1.1 connection: GET a path, read the whole answer.

    Deliberately small: on a machine the server shares, httpx would spend more of the CPU on
    each request than a cached page costs the server, and measure itself.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str, *, timeout: float = 60) -> int:
        """The status of GET `path`; raises OSError (or a subclass) when the connection fails."""
        return await asyncio.wait_for(self._get(path), timeout)

    async def _get(self, path: str) -> int:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        self.writer.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode("latin-1"))
        try:
            head = await self.reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError as e:
            self.close()
            raise ConnectionError("the server closed the connection") from e
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])
        }
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readuntil(b"\r\n")
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def run_load(
    base: str, mix: list[Route], *, clients: int, requests: int, seconds: float
) -> tuple[dict[str, Tally], float, int]:
    """`clients` workers, each on its own connection, take the next request of the mix until
    the count or time runs out."""
    tallies = {r.name: Tally() for r in mix}
    plan = [(r.name, r.paths[n % len(r.paths)]) for n in range(1000) for r in mix]
    cursor = 0
    stop_at = time.monotonic() + seconds
    address = httpx.URL(base)
    host, port = address.host, address.port or 80

    async def worker(n: int) -> None:
        nonlocal cursor
        # Clients arrive one after another, as people do, rather than all in one instant: with
        # several server processes, a burst of connections is all accepted by the first one
        # awake, and the others would sit idle for the whole run.
        await asyncio.sleep(n * RAMP_S)
        connection = Connection(host, port)
        try:
            while cursor < requests and time.monotonic() < stop_at:
                name, path = plan[cursor % len(plan)]
                cursor += 1
                began = time.perf_counter()
                try:
                    status = await connection.get(path)
                except (OSError, TimeoutError, ValueError) as e:
                    connection.close()
                    tallies[name].fail(type(e).__name__)
                    continue
                took = time.perf_counter() - began
                if status >= 400:
                    tallies[name].fail(str(status))
                else:
                    tallies[name].times.append(took)
        finally:
            connection.close()

    began = time.perf_counter()
    await asyncio.gather(*(worker(n) for n in range(clients)))
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
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.environ.get("REDLINE_BENCH_WORKERS", "1")),
        help="server processes (`redline serve --workers`)",
    )
    parser.add_argument(
        "--page-cache-mb",
        type=float,
        help="the server's page cache (REDLINE_PAGE_CACHE_MB; default: its settings); "
        "0 measures every page computed afresh",
    )
    parser.add_argument("--requests", type=int, default=20000, help="at most this many requests")
    parser.add_argument("--seconds", type=float, default=60, help="and for at most this long")
    parser.add_argument("--seed", type=int, default=7, help="which ids are sampled")
    parser.add_argument(
        "--vary",
        action="store_true",
        help="routes with ids, pages, filters or words draw from pools of hundreds, not asked "
        "before the load: most requests are a page never asked before (cache misses)",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    if not Path(args.db).is_file():
        parser.error(f"no database at {args.db}")

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"redline-web-load-{port}.log"
    proc = start_server(args.db, port, log, workers=args.workers, page_cache_mb=args.page_cache_mb)
    try:
        began = time.perf_counter()
        rng = random.Random(args.seed)
        ids = _sample_ids(base, rng, vary=args.vary)
        mix, left, solo = warm_up(
            base, build_mix(ids, vary=rng if args.vary else None), every=not args.vary
        )
        wait_idle(proc.pid)
        warm = time.perf_counter() - began
        cache = "settings'" if args.page_cache_mb is None else f"{args.page_cache_mb:g} MB"
        print(
            f"server {base} over {args.db}, {args.workers} worker(s), page cache {cache}; "
            f"warm-up {warm:.1f} s, {len(mix)} routes, "
            + (f"{sum(len(r.paths) for r in mix)} paths, not warmed" if args.vary else "fixed")
        )
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
        args.json.write_text(
            json.dumps({"db": args.db, "clients": args.clients, "workers": args.workers, **figures})
        )
    log.unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
