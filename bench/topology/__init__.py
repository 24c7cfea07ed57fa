"""A load test of the whole topology on one machine: two API processes, a job worker, the
scheduler, PostgreSQL and Redis, under mixed browsing, checkouts and live subscriptions.

    .venv/bin/python -m bench.topology [--duration 180] [--browsers 8] [--shoppers 6]
                                       [--followers 4] [--products 200]
                                       [--database-url postgres://postgres@127.0.0.1:5432/]
                                       [--redis-url redis://127.0.0.1:6379/13] [--keep]
                                       [--no-save]

1. A scratch PostgreSQL database `tradewind_topology_bench` on the `--database-url` server
   (made anew, dropped at the end) and the `--redis-url` database, flushed at the start and
   the end; `cli.py migrate`, `cli.py seed-bench`, the checkout benchmark's shop setup
   (`python -m bench.checkout --role setup`: JPY, shipping, stock) and an admin with an
   access token (`--role staff`).
2. The topology of "Going to production": two `cli.py serve` processes (REDIS_URL set,
   JOBS_IN_PROCESS=0, one SECRET_KEY), one `cli.py worker --processes 1` and one
   `cli.py scheduler`, with the scheduler's periodic work at its default intervals.
3. `--role drive` (its own process, uvloop) for `--duration` seconds, connections spread over
   both API processes (see `bench.topology.drive`): anonymous browsing by persisted-query
   GET, guest checkouts paid with the test gateway, and orders followed live on one
   process while the other pays, ships, delivers and completes them; the console's
   `newOrders` feed on each process must see every order and status change of the run.
4. `--role verify`: the checkout benchmark's check of the database (orders against those
   placed, the stock ledger, one settled payment per order) and the jobs by status.

Prints requests/s, p50/p99 latency and errors per kind, checkouts, events expected,
received and lost, each process's CPU and peak RSS and the jobs done, and writes them as
JSON under `bench/results/` (not committed). Exits 1 on any error, lost event or failed
check.
"""
