"""Load benchmark: the whole app under gunicorn, on SQLite and PostgreSQL, driven by wrk.

    .venv/bin/python bench/load_bench.py            # full: 10,000 ideas, 1,000,000 votes
    .venv/bin/python bench/load_bench.py --quick    # small data, short runs (a minute or two)

For each database it generates one consultation's worth of data (``kil generate-load-data``,
reused while the sizes are unchanged), serves the app with gunicorn (several sync workers,
Redis db ``--redis-db`` for the rate limiter and the page cache), signs people in through the
real sign-in form, then drives each workload with wrk from a separate process on loopback and
prints requests per second, p50 / p95 / p99 latency, errors, and the ratio of its throughput to
the app's minimal route (``/healthz``) served the same way in the same run. It also prints the
peak memory (RSS) of each worker, checks that every idea's counts equal its stored votes after
the votes, and on PostgreSQL runs two gunicorn instances on two ports against the one database,
splitting the votes between them, and checks the counts again.

wrk plays the part of a reverse proxy's clients: each request carries an ``X-Forwarded-For``
address from a pool (the app runs with ``KIL_PROXY_COUNT=1``), as a proxy in front of the app
would send, so per-address rate limits see many people rather than one loopback address.

Needs wrk (``apt-get install wrk``), Redis on 127.0.0.1:6379 and, for PostgreSQL, a server on
127.0.0.1:5432 where user ``postgres`` may create the database ``kil_bench`` (never ``test``).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
if not BIN.exists():  # a git worktree: the interpreter's own venv
    BIN = Path(sys.executable).parent
PYTHON = str(BIN / "python") if (BIN / "python").exists() else sys.executable
SECRET = "load-bench-secret-key-0123456789abcdef0123456789"
SLUG = "principle-1"
SORTS = ("newest", "agreed", "discussed", "divisive")
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = ["kil_bench"]  # --pg-database

FULL = {"ideas": 10_000, "participants": 50_000, "votes": 1_000_000, "comments": 50_000}
QUICK = {"ideas": 2_000, "participants": 10_000, "votes": 100_000, "comments": 10_000}


@dataclass
class Result:
    name: str
    rps: float
    p50: float
    p95: float
    p99: float
    requests: int
    errors: int
    ratio: float | None = None
    note: str = ""


@dataclass
class Server:
    """A gunicorn serving the app on one port."""

    port: int
    env: dict
    workers: int
    process: subprocess.Popen | None = None
    peak_rss: dict = field(default_factory=dict)
    app: str = "app:app"  # or the minimal Flask app, "minimal_app:app" under bench/

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
                "--backlog",
                "2048",
                *(["--pythonpath", str(ROOT / "bench")] if self.app != "app:app" else []),
                self.app,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=open(Path(tempfile.gettempdir()) / f"kil-bench-{self.port}.log", "w"),  # noqa: SIM115
            start_new_session=True,
        )
        for _ in range(300):
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as answer:
                    if answer.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn on port {self.port} did not start")

    def worker_pids(self) -> list[int]:
        if self.process is None:
            return []
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)],
            capture_output=True,
            text=True,
        ).stdout
        return [int(pid) for pid in out.split()]

    def sample_memory(self) -> None:
        """Keep each worker's peak resident memory (VmHWM) seen so far."""
        for pid in self.worker_pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), int(match.group(1)) / 1024)

    def stop(self) -> None:
        if self.process is None:
            return
        self.sample_memory()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.process = None


# --- data -----------------------------------------------------------------------------------


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "app", *args], cwd=ROOT, env=env, check=True)


def prepare_database(backend: str, sizes: dict, env: dict, workdir: Path) -> str:
    """Create (or reuse) the database for this backend and sizes; return its URL."""
    tag = "-".join(str(sizes[k]) for k in ("ideas", "participants", "votes", "comments"))
    if backend == "sqlite":
        path = workdir / f"kil-bench-{tag}.sqlite3"
        url = f"sqlite:///{path}"
        marker = path.with_suffix(".ready")
        if marker.exists() and path.exists():
            print(f"  reusing {path}")
            return url
        for leftover in workdir.glob(f"kil-bench-{tag}.sqlite3*"):
            leftover.unlink()
    else:
        url = f"postgresql://postgres@127.0.0.1:5432/{PG_DATABASE[0]}"
        marker = workdir / f"kil-bench-postgres-{tag}.ready"
        if marker.exists() and _pg_has_data():
            print(f"  reusing database {PG_DATABASE[0]}")
            return url
        _psql("postgres", f"DROP DATABASE IF EXISTS {PG_DATABASE[0]}")
        _psql("postgres", f"CREATE DATABASE {PG_DATABASE[0]}")
    run_env = {**env, "KIL_DATABASE_URL": url}
    started = time.perf_counter()
    flask(run_env, "db", "upgrade")
    flask(
        run_env,
        "kil",
        "generate-load-data",
        *(f"--{name}={value}" for name, value in sizes.items()),
    )
    print(f"  data generated in {time.perf_counter() - started:.0f} s")
    marker.write_text(tag)
    return url


def _psql(database: str, sql: str) -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _pg_has_data() -> bool:
    try:
        return int(_psql(PG_DATABASE[0], "SELECT count(*) FROM votes") or 0) > 0
    except subprocess.CalledProcessError:
        return False


def query(url: str, sql: str) -> list[tuple]:
    """Run one read query against the benchmark database (outside the servers)."""
    from sqlalchemy import create_engine, text

    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = [tuple(row) for row in connection.execute(text(sql))]
    engine.dispose()
    return rows


COUNT_CHECK = """
SELECT count(*) FROM ideas i
LEFT JOIN (
  SELECT idea_id,
         sum(CASE WHEN value = 'agree' THEN 1 ELSE 0 END) AS a,
         sum(CASE WHEN value = 'disagree' THEN 1 ELSE 0 END) AS d,
         sum(CASE WHEN value = 'pass' THEN 1 ELSE 0 END) AS p
  FROM votes GROUP BY idea_id
) v ON v.idea_id = i.id
WHERE i.agree_count <> coalesce(v.a, 0) OR i.disagree_count <> coalesce(v.d, 0)
   OR i.pass_count <> coalesce(v.p, 0)
"""


# --- signing in -----------------------------------------------------------------------------


@dataclass
class Participant:
    cookie: str
    csrf: str


def sign_in(base: str, number: int) -> Participant:
    """Sign load participant ``number`` in through the real form; keep cookie and CSRF token."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    forwarded = {"X-Forwarded-For": f"10.9.{number // 250}.{number % 250 + 1}"}

    def fetch(path, data=None):
        request = urllib.request.Request(base + path, data=data, headers=forwarded)
        with opener.open(request, timeout=60) as answer:
            return answer.read().decode()

    def token(html: str) -> str:
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)

    page = fetch("/account/sign-in")
    form = urllib.parse.urlencode(
        {
            "csrf_token": token(page),
            "email": f"load-{number}@load.kil.example",
            "password": "load-password-2027",
        }
    ).encode()
    fetch("/account/sign-in", form)
    csrf = token(fetch(f"/consultations/{SLUG}/ideas/new"))
    cookie = next(c for c in jar if c.name == "kil_session")
    return Participant(f"kil_session={cookie.value}", csrf)


def sign_in_many(base: str, count: int) -> list[Participant]:
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    with ThreadPoolExecutor(8) as pool:
        people = list(pool.map(lambda n: sign_in(base, n), range(1, count + 1)))
    print(f"  signed in {count} people in {time.perf_counter() - started:.1f} s")
    return people


# --- wrk ------------------------------------------------------------------------------------

LUA = r"""
local paths = %(paths)s
local people = %(people)s
local ideas = %(ideas)s
local mix = %(mix)s
local out = "%(out)s"
local counter = 0
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) %% 100000)

local function forwarded()
  return "10." .. math.random(0, 200) .. "." .. math.random(0, 250) .. "." .. math.random(1, 250)
end

local function pick(list) return list[math.random(#list)] end

local kinds = {}
kinds.visit = function()
  return wrk.format("GET", pick(paths), {["X-Forwarded-For"] = forwarded()})
end
kinds.member = function()
  local p = pick(people)
  return wrk.format("GET", pick(paths), {["Cookie"] = p[1], ["X-Forwarded-For"] = forwarded()})
end
kinds.idea = function()
  return wrk.format("GET", "/ideas/" .. pick(ideas), {["X-Forwarded-For"] = forwarded()})
end
kinds.member_idea = function()
  local p = pick(people)
  return wrk.format("GET", "/ideas/" .. pick(ideas),
    {["Cookie"] = p[1], ["X-Forwarded-For"] = forwarded()})
end
kinds.vote = function()
  local p = pick(people)
  local value = pick({"agree", "disagree", "pass", "agree"})
  return wrk.format("POST", "/ideas/" .. pick(ideas) .. "/vote", {
    ["Cookie"] = p[1], ["X-Forwarded-For"] = forwarded(), ["Accept"] = "application/json",
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "csrf_token=" .. p[2] .. "&value=" .. value)
end
kinds.post = function()
  local p = pick(people)
  counter = counter + 1
  local stamp = math.random(1, 1000000000) .. "-" .. counter
  return wrk.format("POST", "/consultations/%(slug)s/ideas/new", {
    ["Cookie"] = p[1], ["X-Forwarded-For"] = forwarded(),
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }, "csrf_token=" .. p[2] .. "&confirm_new=1&neighbourhood_id=&speak_as=" ..
     "&title=Benchmark+idea+" .. stamp ..
     "&body=A+community+bus+for+the+villages+so+people+can+reach+the+market+" .. stamp)
end

request = function()
  local r = math.random()
  for _, entry in ipairs(mix) do
    if r <= entry[2] then return kinds[entry[1]]() end
    r = r - entry[2]
  end
  return kinds[mix[#mix][1]]()
end

-- Each thread tallies the status of every failed response, so errors are explained.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
failed = {}
response = function(status, headers, body)
  if status >= 400 then failed[status] = (failed[status] or 0) + 1 end
end

done = function(summary, latency, requests)
  local f = io.open(out, "w")
  local e = summary.errors
  local codes = {}
  for _, thread in ipairs(threads) do
    for code, n in pairs(thread:get("failed") or {}) do
      table.insert(codes, string.format("[%%d, %%d]", code, n))
    end
  end
  f:write(string.format(
    '{"requests": %%d, "duration_us": %%d, "status": %%d, "connect": %%d, "read": %%d, ' ..
    '"write": %%d, "timeout": %%d, "p50": %%d, "p95": %%d, "p99": %%d, "codes": [%%s]}',
    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    table.concat(codes, ", ")))
  f:close()
end
"""


def _lua_list(items) -> str:
    parts = []
    for item in items:
        if isinstance(item, list | tuple):
            parts.append(_lua_list(item))
        elif isinstance(item, str):
            parts.append(json.dumps(item))
        else:
            parts.append(repr(item))
    return "{" + ", ".join(parts) + "}"


def run_wrk(
    base: str,
    name: str,
    mix: list[tuple[str, float]],
    duration: int,
    connections: int,
    paths: list[str] | None = None,
    people: list[Participant] | None = None,
    ideas: list[int] | None = None,
) -> Result:
    """Drive one workload with wrk and return its figures."""
    workdir = Path(tempfile.mkdtemp(prefix="kil-wrk-"))
    out = workdir / "result.json"
    script = workdir / "load.lua"
    script.write_text(
        LUA
        % {
            "paths": _lua_list(paths or ["/healthz"]),
            "people": _lua_list([(p.cookie, p.csrf) for p in (people or [])] or [("", "")]),
            "ideas": _lua_list(ideas or [1]),
            "mix": _lua_list(mix),
            "out": str(out),
            "slug": SLUG,
        }
    )
    subprocess.run(
        [
            "wrk",
            "-t",
            "2",
            "-c",
            str(connections),
            "-d",
            f"{duration}s",
            "--timeout",
            "10s",
            "-s",
            str(script),
            base,
        ],
        check=True,
        capture_output=True,
    )
    data = json.loads(out.read_text())
    shutil.rmtree(workdir, ignore_errors=True)
    errors = sum(data[k] for k in ("status", "connect", "read", "write", "timeout"))
    codes: dict[int, int] = {}
    for code, n in data.get("codes", []):
        codes[code] = codes.get(code, 0) + n
    kinds = [f"HTTP {code} x{n}" for code, n in sorted(codes.items())]
    kinds += [f"{k} x{data[k]}" for k in ("connect", "read", "write", "timeout") if data[k]]
    return Result(
        name,
        data["requests"] / (data["duration_us"] / 1e6),
        data["p50"] / 1000,
        data["p95"] / 1000,
        data["p99"] / 1000,
        data["requests"],
        errors,
        note=("errors: " + ", ".join(kinds)) if kinds else "",
    )


# --- the run --------------------------------------------------------------------------------


def list_paths(sort: str, deep: bool, pages: int) -> list[str]:
    """The first page, or the ten deepest pages, of a sort of the idea list."""
    if not deep:
        return [f"/consultations/{SLUG}?sort={sort}"]
    return [f"/consultations/{SLUG}?sort={sort}&page={n}" for n in range(pages - 9, pages + 1)]


def bench_backend(backend: str, args, sizes: dict, workdir: Path) -> list[Result]:
    base_env = {
        **os.environ,
        "KIL_SECRET_KEY": SECRET,
        "KIL_PROXY_COUNT": "1",
        "KIL_BASE_URL": "http://127.0.0.1",
    }
    base_env.pop("KIL_DATABASE_URL", None)
    base_env.pop("KIL_REDIS_URL", None)
    if backend == "postgresql":  # a cluster: Redis for rate limits and the cache
        base_env["KIL_REDIS_URL"] = f"redis://127.0.0.1:6379/{args.redis_db}"
    else:  # the embedded default: no Redis, the cache in a local file (emptied here)
        cache_file = workdir / "kil-cache.sqlite3"
        for leftover in workdir.glob("kil-cache.sqlite3*"):
            leftover.unlink()
        base_env["KIL_CACHE_PATH"] = str(cache_file)
    print(f"\n== {backend}: preparing data {sizes}")
    url = prepare_database(backend, sizes, base_env, workdir)
    env = {**base_env, "KIL_DATABASE_URL": url}
    if backend == "postgresql":
        _redis_flush(args.redis_db)
    # Only ideas one may vote on: the demo council's ideas come first and some of them are in
    # closed consultations, where a vote is refused with a 403 (the "vote errors" of earlier
    # runs: about one vote in ten on the first ideas, none of them a fault of the app).
    idea_ids = [
        row[0]
        for row in query(
            url,
            "SELECT ideas.id FROM ideas JOIN consultations ON consultations.id = "
            f"ideas.consultation_id WHERE consultations.slug = '{SLUG}' "
            "AND ideas.visibility = 'published' ORDER BY ideas.id",
        )
    ]
    pages = -(-len(idea_ids) // 20)
    results: list[Result] = []
    d, c = args.duration, args.connections
    # The baseline: the smallest Flask app, served the same way, in the same run.
    minimal = Server(args.port + 1, env, args.workers, app="minimal_app:app")
    minimal.start()
    try:
        floor = run_wrk(minimal.base, "minimal Flask app", [("visit", 1.0)], d, c)
    finally:
        minimal.stop()
    results.append(floor)
    print(f"  {_row(floor, None)}", flush=True)
    server = Server(args.port, env, args.workers)
    server.start()
    try:
        people = sign_in_many(server.base, args.people)

        def run(name, mix, **kw):
            result = run_wrk(server.base, name, mix, d, c, **kw)
            server.sample_memory()
            results.append(result)
            print(f"  {_row(result, None)}", flush=True)
            return result

        run("this app's /healthz", [("visit", 1.0)], paths=["/healthz"])
        if args.signed_in_only or args.votes_only:
            signed_in_workloads(run, server, url, people, idea_ids, pages, args.votes_only)
            for result in results:
                result.ratio = result.rps / floor.rps if floor.rps else None
            print(f"\n== {backend}: {args.workers} gunicorn workers, {c} connections, {d} s each")
            print(_header())
            for result in results:
                print(_row(result, floor))
            return results
        for sort in SORTS:
            for deep in (False, True):
                where = "deep pages" if deep else "first page"
                run(
                    f"idea list, {sort}, {where} (visitor)",
                    [("visit", 1.0)],
                    paths=list_paths(sort, deep, pages),
                )
        run("idea page (visitor, any idea)", [("idea", 1.0)], ideas=idea_ids)
        signed_in_workloads(run, server, url, people, idea_ids, pages)
        run("share an idea (signed in)", [("post", 1.0)], people=people)
        mix_paths = [p for sort in SORTS for p in list_paths(sort, False, pages)]
        mix_paths += [p for p in list_paths("agreed", True, pages)]
        mixed = run(
            "realistic mix",
            [
                ("visit", 0.4),
                ("member", 0.15),
                ("idea", 0.1),
                ("member_idea", 0.15),
                ("vote", 0.18),
                ("post", 0.02),
            ],
            paths=mix_paths,
            people=people,
            ideas=idea_ids,
        )
        mixed.note = "; ".join(filter(None, [mixed.note, _count_note(url)]))
    finally:
        server.stop()
    # The database's own cost, with the page cache off: the first and the deepest pages.
    uncached = Server(args.port, {**env, "KIL_CACHE": "false"}, args.workers)
    uncached.start()
    try:
        for sort in ("newest", "divisive"):
            for deep in (False, True):
                where = "deep pages" if deep else "first page"
                result = run_wrk(
                    uncached.base,
                    f"idea list, {sort}, {where} (visitor, no cache)",
                    [("visit", 1.0)],
                    args.duration,
                    args.connections,
                    paths=list_paths(sort, deep, pages),
                )
                uncached.sample_memory()
                results.append(result)
                print(f"  {_row(result, None)}", flush=True)
    finally:
        uncached.stop()
    if backend == "postgresql" and not args.no_scale_out:
        results.append(scale_out(args, env, url, idea_ids))
    for result in results:
        result.ratio = result.rps / floor.rps if floor.rps else None
    print(f"\n== {backend}: {args.workers} gunicorn workers, {c} connections, {d} s per workload")
    print(_header())
    for result in results:
        print(_row(result, floor))
    rss = sorted({**server.peak_rss, **uncached.peak_rss}.values())
    print(f"peak memory per worker (RSS): {', '.join(f'{m:.0f} MB' for m in rss)}")
    return results


def signed_in_workloads(run, server, url, people, idea_ids, pages, votes_only=False) -> None:
    """The signed-in rows, the same in every kind of run: lists, idea pages (first views, and
    ideas whose pages have been seen before), votes with exact counts, and residents reading
    and voting at once (their pages' shells are not emptied by the votes, issue 16)."""
    hot = idea_ids[: max(50, len(idea_ids) // 20)]
    if not votes_only:
        for deep in (False, True):
            where = "deep pages" if deep else "first page"
            run(
                f"idea list, newest, {where} (signed in)",
                [("member", 1.0)],
                paths=list_paths("newest", deep, pages),
                people=people,
            )
        run(
            "idea page (signed in, any idea, mostly first views)",
            [("member_idea", 1.0)],
            people=people,
            ideas=idea_ids,
        )
        seen = hot[:200]
        for idea_id in seen:  # someone read each before: their shells are made
            _get(server.base + f"/ideas/{idea_id}", people[0].cookie)
        run(
            f"idea page (signed in, {len(seen)} ideas read before)",
            [("member_idea", 1.0)],
            people=people,
            ideas=seen,
        )
    vote_result = run("votes (signed in)", [("vote", 1.0)], people=people, ideas=hot)
    vote_result.note = "; ".join(filter(None, [vote_result.note, _count_note(url)]))
    if votes_only:
        return
    reading = run(
        "residents reading and voting (signed in)",
        [("member", 0.4), ("member_idea", 0.4), ("vote", 0.2)],
        paths=list_paths("newest", False, pages),
        people=people,
        ideas=hot,
    )
    reading.note = "; ".join(filter(None, [reading.note, _count_note(url)]))


def _get(address: str, cookie: str) -> None:
    request = urllib.request.Request(address, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=60) as answer:  # noqa: S310 - loopback
        answer.read()


def scale_out(args, env: dict, url: str, idea_ids: list[int]) -> Result:
    """Two gunicorn instances on two ports, one database: votes split between them."""
    first = Server(args.port, env, max(1, args.workers // 2))
    second = Server(args.port + 1, env, max(1, args.workers // 2))
    first.start()
    second.start()
    try:
        people = sign_in_many(first.base, args.people)
        hot = idea_ids[:20]  # few ideas, so both instances change the same rows at once
        before = query(url, "SELECT count(*) FROM votes")[0][0]
        procs = []
        with tempfile.TemporaryDirectory() as tmp:
            for n, server in enumerate((first, second)):
                half = people[n::2]
                procs.append(
                    subprocess.Popen(
                        [
                            PYTHON,
                            __file__,
                            "--drive-votes",
                            server.base,
                            json.dumps([(p.cookie, p.csrf) for p in half]),
                            json.dumps(hot),
                            str(args.duration),
                            str(args.connections // 2),
                            str(Path(tmp) / f"{n}.json"),
                        ]
                    )
                )
            for proc in procs:
                proc.wait()
            parts = [json.loads((Path(tmp) / f"{n}.json").read_text()) for n in range(2)]
        after = query(url, "SELECT count(*) FROM votes")[0][0]
        requests = sum(p["requests"] for p in parts)
        result = Result(
            "votes split over two instances (PostgreSQL)",
            sum(p["rps"] for p in parts),
            max(p["p50"] for p in parts),
            max(p["p95"] for p in parts),
            max(p["p99"] for p in parts),
            requests,
            sum(p["errors"] for p in parts),
        )
        codes = "; ".join(p["note"] for p in parts if p["note"])
        result.note = (
            f"{after - before} new votes; " + _count_note(url) + (f"; {codes}" if codes else "")
        )
        print(f"  {_row(result, None)}", flush=True)
        return result
    finally:
        first.stop()
        second.stop()


def _drive_votes(base, people_json, ideas_json, duration, connections, out) -> None:
    people = [Participant(c, t) for c, t in json.loads(people_json)]
    result = run_wrk(
        base,
        "votes",
        [("vote", 1.0)],
        int(duration),
        max(1, int(connections)),
        people=people,
        ideas=json.loads(ideas_json),
    )
    Path(out).write_text(json.dumps(result.__dict__))


def _count_note(url: str) -> str:
    wrong = query(url, COUNT_CHECK)[0][0]
    return "counts exact" if wrong == 0 else f"COUNTS WRONG on {wrong} ideas"


def _redis_flush(db_number: int) -> None:
    import redis

    redis.Redis(host="127.0.0.1", port=6379, db=db_number).flushdb()


def _header() -> str:
    return (
        f"{'workload':<52} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
        f"{'errors':>6} {'vs minimal':>11}  note"
    )


def _row(result: Result, floor: Result | None) -> str:
    ratio = f"{result.ratio:.0%}" if result.ratio is not None else "-"
    return (
        f"{result.name:<52} {result.rps:>8.0f} {result.p50:>7.1f} {result.p95:>7.1f} "
        f"{result.p99:>7.1f} {result.errors:>6} {ratio:>11}  {result.note}"
    )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--drive-votes":
        _drive_votes(*sys.argv[2:8])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small data, short runs")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=None, help="seconds per workload")
    parser.add_argument("--people", type=int, default=None, help="people signed in for votes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pg-database", default="kil_bench", help="never a test database")
    parser.add_argument("--redis-db", type=int, default=12)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "kil-bench"))
    parser.add_argument("--no-scale-out", action="store_true")
    parser.add_argument(
        "--votes-only", action="store_true", help="only the minimal route and the votes"
    )
    parser.add_argument(
        "--signed-in-only",
        action="store_true",
        help="only the baselines, signed-in list and idea pages, and votes",
    )
    args = parser.parse_args()
    PG_DATABASE[0] = args.pg_database
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk); skipping the load benchmark.")
        return 0
    sizes = QUICK if args.quick else FULL
    args.duration = args.duration or (4 if args.quick else 10)
    args.people = args.people or (40 if args.quick else 120)
    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    print(
        f"load benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, load "
        f"average {os.getloadavg()[0]:.1f} before starting"
    )
    for backend in args.backends.split(","):
        bench_backend(backend.strip(), args, sizes, workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
