#!/usr/bin/env python
"""Soak test: MINUTES (10) at a fixed request rate above the expected national peak per app server (`make soak`).

Same database, data set, server and client as scripts/bench_http.py (gunicorn, 2 sync workers, the production
settings, PostgreSQL; the data of scripts/bench_http_data.py): open-loop, Poisson arrivals at RATE requests/s (60),
sent by a bounded pool of client threads, mixing the reads and writes of several roles, each person logged in through
the login form with cookies of their own:

    weight  who                               request
      55    participants of the open round     autosave of one accent (htmx POST: a phase and a text)
      15    participants of the open round     a fill-in page (a growth layer)
       8    the kartrekker (demo school)       the school home
       5    the werkgroep (plan of 200)        an action's page
       4    the werkgroep                      ticks a step of an action on or off (htmx POST)
       3    the werkgroep                      changes an action's status (POST, answered with a redirect)
       2    the werkgroep                      the action plan page
       3    the organiser                      the consensus view of a 60-person round
       3    the kartrekker (120 staff)         the route page
       2    the board member                   the board page of 50 schools

It prints per minute: requests, answers per second, errors, p50 and p95 latency (from the moment a request was due,
so a server that falls behind shows as growing latency rather than as a lower rate; a request still unsent 30 s after
it was due, `--give-up`, is not sent and counts as an error, so such a run ends in bounded time), per kind of request
the same over the whole run,
and the resident memory (VmRSS, /proc/<pid>/status) of each gunicorn worker after the warm-up and at the end. The
bar: 0 errors, p95 stable (no minute above twice the median minute, nor at the give-up time), worker memory growth
under 10 %. Exit status 1 when a bar is missed.

    make soak
    .venv/bin/python scripts/soak.py --minutes 10 --rate 60
    .venv/bin/python scripts/soak.py --quick                  # tiny data set, 15 seconds: does it run?

The national peak, estimated (the busiest hour of the year: the autumn round on a team-meeting afternoon):

- about 9,000 schools (primary, special and secondary; the national data set of issue 15 has 9,055) with on average
  about 30 staff: some 270,000 people;
- every school runs a yearly round in which everyone fills in the Ontwikkelmodel, often together in a team meeting.
  Rounds cluster: say 40 % of schools hold theirs in the same 6 weeks (September-October, before the autumn break),
  filling in on one of 3 team-meeting afternoons a week, all in the same hour after school:
  9,000 × 0.4 / (6 × 3) = 200 schools, 6,000 people filling in in that hour;
- one person filling in makes about 60 requests: ~10 pages (six growth layers, priorities, check, submit, the start
  page) and ~50 autosaves (15 accents: a phase and two texts, not every field) -> 360,000 requests;
- everyone else in that hour (kartrekkers, werkgroep, organisers in consensus meetings, board members): ~2,000
  people × 20 requests -> 40,000;
- 400,000 requests in the hour = 111 requests/s on average; with a factor 2 for everyone starting at once:
  about 220 requests/s for the whole country at the peak.

Per app server: the site scales out over app servers behind one load balancer (several gunicorn servers on one
database and one shared cache). With 4 app servers of this size (2 cores, 2 workers) each takes about 55 requests/s
at the national peak; the soak runs one server at 60 by default, above that. The mix above gives the pages other
than filling in a larger share (30 %) than the estimate does (10 %), because they cost more.

The machine matters: on a shared, loaded machine the latencies and even the errors say as much about the neighbours
as about the site; the header prints the cores, the load average before and after and the calibration.
"""

from __future__ import annotations

import argparse
import queue
import random
import statistics
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from bench_http import (
    BASE_DIR,
    DEFAULT_DATABASE_URL,
    Browser,
    Server,
    drop_database,
    log_in_all,
    machine_line,
    migrate_and_seed,
    percentile,
    recreate_database,
    rss_kib,
)

MIX = [  # (weight, role in the seed's "soak" part, kind)
    (55, "fill", "autosave"),
    (15, "fill", "page"),
    (8, "home", "page"),
    (5, "plan", "action"),
    (4, "plan", "step"),
    (3, "plan", "status"),
    (2, "plan", "page"),
    (3, "consensus", "page"),
    (3, "route", "page"),
    (2, "board", "page"),
]
HTMX = {"HX-Request": "true"}
STRENGTHS = ["Rust in de klas na de pauze.", "Collega's vangen elkaar op.", "Vaste dagstructuur met pictogrammen."]


@dataclass
class Request:
    label: str
    user: str
    method: str
    path: str
    data: dict | None
    headers: dict | None
    expect: int


def make_request(soak: dict, role: str, kind: str, rng: random.Random, n: int) -> Request:
    """The n-th request of this kind, for a person of this role picked at random."""
    part = soak[role]
    user = rng.choice(part["users"])
    label = f"{role} {kind}"
    if role == "fill":
        step = rng.choice(list(part["steps"].values()))
        if kind == "page":
            return Request(label, user, "GET", step["page"], None, None, 200)
        accent = rng.choice(step["accents"])
        data = {f"phase-{accent}": str(rng.randint(1, 4)), f"strengths-{accent}": f"{rng.choice(STRENGTHS)} ({n})"}
        return Request(label, user, "POST", step["autosave"], data, HTMX, 200)
    if role == "plan" and kind != "page":
        action = rng.choice(part["actions"])
        if kind == "action":
            return Request(label, user, "GET", action["page"], None, None, 200)
        if kind == "step":
            return Request(label, user, "POST", action["step"], {"done": "on" if n % 2 else ""}, HTMX, 200)
        return Request(label, user, "POST", action["status"], {"status": rng.choice(part["statuses"])}, None, 302)
    return Request(label, user, "GET", part["page"], None, None, 200)


@dataclass
class Done:
    due: float  # when it was due (seconds since the start)
    finished: float  # when it was answered or given up (seconds since the start)
    label: str
    latency: float | None  # from due to answered; None: not sent (given up)
    ok: bool
    what: str  # the status or the error


def run_load(
    browsers: dict[str, Browser],
    requests: list[Request],
    due: list[float],
    concurrency: int,
    t0: float,
    give_up: float = 30.0,
) -> list[Done]:
    """Send requests[i] at t0 + due[i] through a pool of `concurrency` threads; latency counts from the due time.

    A request still waiting for a free thread `give_up` seconds after it was due is not sent and counts as an error
    (as a person whose browser gave up): a server that cannot keep up fails the run in bounded time."""
    todo: queue.Queue = queue.Queue()
    done: list[Done] = []
    lock = threading.Lock()

    def worker() -> None:
        while True:
            item = todo.get()
            if item is None:
                return
            i = item
            req = requests[i]
            late = time.perf_counter() - (t0 + due[i])
            if late > give_up:
                result = Done(due[i], late + due[i], req.label, None, False, f"not sent: {give_up:g} s behind")
            else:
                reply = browsers[req.user].request(req.method, req.path, data=req.data, headers=req.headers)
                finished = time.perf_counter() - t0
                what = reply.error or str(reply.status)
                result = Done(due[i], finished, req.label, finished - due[i], reply.status == req.expect, what)
            with lock:
                done.append(result)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for i, at in enumerate(due):
        time.sleep(max(0.0, t0 + at - time.perf_counter()))
        todo.put(i)
    for _ in threads:
        todo.put(None)
    for t in threads:
        t.join()
    return done


def plan_requests(soak: dict, rate: float, seconds: float, seed: int) -> tuple[list[Request], list[float]]:
    rng = random.Random(seed)
    weights = [w for w, _, _ in MIX]
    requests, due, at = [], [], 0.0
    while True:
        at += rng.expovariate(rate)
        if at >= seconds:
            return requests, due
        _, role, kind = rng.choices(MIX, weights)[0]
        requests.append(make_request(soak, role, kind, rng, len(requests)))
        due.append(at)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f}"


def report(done: list[Done], seconds: float) -> tuple[int, float, float]:
    """Per minute and per kind; returns (errors, worst minute's p95 / median minute's p95, worst minute's p95)."""
    by_due: dict[int, list[Done]] = defaultdict(list)
    answered: Counter = Counter()
    for d in done:
        by_due[int(d.due // 60)].append(d)
        if d.latency is not None:
            answered[int(d.finished // 60)] += 1
    print("per minute (latency from the moment a request was due; answered/s: answers in that minute)")
    print(f"{'minute':>6} {'due':>6} {'answered/s':>10} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7}")
    p95s = []
    for minute in sorted(by_due):
        ds = by_due[minute]
        latencies = [d.latency for d in ds if d.latency is not None]
        span = max(1.0, min(60.0, seconds - minute * 60))
        p95s.append(percentile(latencies, 0.95))
        print(
            f"{minute + 1:>6} {len(ds):>6} {answered[minute] / span:>10.1f} {sum(not d.ok for d in ds):>6} "
            f"{ms(percentile(latencies, 0.5)):>7} {ms(p95s[-1]):>7} {ms(max(latencies, default=float('nan'))):>7}"
        )
    print()
    kinds: dict[str, list[Done]] = defaultdict(list)
    for d in done:
        kinds[d.label].append(d)
    width = max(len(k) for k in kinds)
    print(f"{'request':<{width}} {'n':>6} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}")
    for label in sorted(kinds, key=lambda k: -len(kinds[k])):
        ds = kinds[label]
        latencies = [d.latency for d in ds if d.latency is not None]
        print(
            f"{label:<{width}} {len(ds):>6} {ms(percentile(latencies, 0.5)):>7} {ms(percentile(latencies, 0.95)):>7} "
            f"{sum(not d.ok for d in ds):>6}"
        )
    errors = Counter(f"{d.label}: {d.what}" for d in done if not d.ok)
    for what, count in errors.most_common(10):
        print(f"    error: {count} × {what}")
    finite = [p for p in p95s if p == p]
    median_p95 = statistics.median(finite) if finite else 0.0
    worst = max(finite, default=float("inf"))
    return sum(errors.values()), (worst / median_p95 if median_p95 else float("inf")), worst


def run_soak(args: argparse.Namespace) -> int:
    seconds = args.minutes * 60
    started = time.perf_counter()
    recreate_database(args.database_url)
    server = Server(database_url=args.database_url, workers=args.workers)
    try:
        server.prepare()
        seed = migrate_and_seed(args.database_url, tiny=args.quick)
        seeded_s = time.perf_counter() - started
        with server:
            soak = seed["soak"]
            users = sorted({u for part in soak.values() for u in part["users"]})
            browsers = {u: b[0] for u, b in log_in_all(server.host, seed["login"], seed["password"], users, 1).items()}
            requests, due = plan_requests(soak, args.rate, seconds, args.seed)
            print(f"Groeiwijzer TSO soak: PostgreSQL, gunicorn {args.workers} sync workers, production settings")
            print(f"code: {BASE_DIR}; {machine_line()}")
            print(
                f"{len(users)} people logged in; migrated and seeded in {seeded_s:.0f} s; "
                f"{args.rate:g} requests/s for {args.minutes:g} min ({len(requests)} requests, Poisson arrivals, "
                f"{args.concurrency} client threads, a request {args.give_up:g} s behind is not sent but counted as an "
                f"error); national peak estimate ~220 requests/s, ~55 per app server "
                f"with 4 (see the docstring)\n"
            )
            # Warm-up: 200 requests of the mix (every kind several times) as fast as 4 threads get answers, so the
            # workers have loaded what they load once before the memory is read.
            warm_requests, _ = plan_requests(soak, 200, 1.0, args.seed + 1)
            warm_due = [0.0] * len(warm_requests)
            warm = run_load(browsers, warm_requests, warm_due, 4, time.perf_counter(), give_up=3600)
            warm_errors = Counter(f"{d.label}: {d.what}" for d in warm if not d.ok)
            pids = server.worker_pids()
            rss_start = {pid: rss_kib(pid) for pid in pids}
            t0 = time.perf_counter()
            done = run_load(browsers, requests, due, args.concurrency, t0, give_up=args.give_up)
            elapsed = time.perf_counter() - t0
            rss_end = {pid: rss_kib(pid) for pid in pids}
            pids_end = server.worker_pids()
            errors, p95_ratio, worst_p95 = report(done, seconds)
            print(
                f"\n{len(done)} requests in {elapsed:.0f} s ({len(done) / elapsed:.1f}/s); warm-up: {len(warm)} "
                f"requests, {sum(warm_errors.values())} errors {dict(warm_errors) or ''}"
            )
            print("gunicorn worker memory (VmRSS):")
            growths = []
            for pid in pids:
                start, end = rss_start[pid], rss_end[pid]
                if start and end:
                    growths.append((end - start) / start * 100)
                    print(f"  worker {pid}: {start / 1024:.1f} MiB -> {end / 1024:.1f} MiB ({growths[-1]:+.1f} %)")
                else:
                    print(f"  worker {pid}: {start} -> {end} KiB (gone: restarted?)")
            total_start = sum(v or 0 for v in rss_start.values())
            total_end = sum(v or 0 for v in rss_end.values())
            growth = (total_end - total_start) / total_start * 100 if total_start else float("nan")
            print(f"  together: {total_start / 1024:.1f} MiB -> {total_end / 1024:.1f} MiB ({growth:+.1f} %)")
            if pids_end != pids:
                print(f"  the workers changed during the run: {pids} -> {pids_end}")
            print(f"after the run: load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
            verdicts = [
                ("0 errors", errors == 0, f"{errors} errors"),
                (
                    "p95 stable (worst minute ≤ 2 × median minute, below the give-up time)",
                    p95_ratio <= 2 and worst_p95 < args.give_up,
                    f"ratio {p95_ratio:.2f}, worst minute {worst_p95:.1f} s",
                ),
                ("worker memory growth < 10 %", growth < 10 and pids_end == pids, f"{growth:+.1f} %"),
            ]
            print()
            for name, ok, detail in verdicts:
                print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")
            if errors:
                print(f"\ngunicorn's log ends with:\n{server.log_tail(2000)}")
            return 0 if all(ok for _, ok, _ in verdicts) else 1
    finally:
        server.stop()
        if not args.keep_database:
            drop_database(args.database_url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL, help="dropped and created again each run")
    parser.add_argument("--minutes", type=float, default=10.0, help="length of the soak (default 10)")
    parser.add_argument("--rate", type=float, default=60.0, help="requests per second (default 60)")
    parser.add_argument("--concurrency", type=int, default=32, help="client threads sending (default 32)")
    parser.add_argument(
        "--give-up", type=float, default=30.0, help="seconds behind schedule after which a request is not sent (30)"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed of the arrivals and the mix")
    parser.add_argument("--keep-database", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--quick", action="store_true", help="tiny data set, 15 seconds at 10/s: does it run?")
    args = parser.parse_args()
    if args.quick:
        args.minutes, args.rate = 0.25, 10.0
    sys.exit(run_soak(args))


if __name__ == "__main__":
    main()
