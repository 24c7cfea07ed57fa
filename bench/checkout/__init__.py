"""Benchmark guest checkouts (cart, quote, order) against a real server process.

    .venv/bin/python -m bench.checkout [--shoppers 32] [--duration 20] [--warmup 3]
                                       [--database-url postgres://postgres@127.0.0.1:5432/]
                                       [--products 200] [--pay] [--profile FILE] [--keep]
                                       [--no-save]

1. A fresh SQLite database in a temporary folder, or with `--database-url` a scratch
   PostgreSQL database `tradewind_checkout_bench` on that server (made anew, dropped at the
   end; the database name in the URL is not used), migrated (`cli.py migrate`) and seeded
   with the benchmark catalog (`cli.py seed-bench`).
2. `--role setup` (own process, the server's environment): JPY and EUR enabled at manual
   rates (150 and 0.92 per USD), one zone (JP, DE, US), carrier, service and rate table,
   and 100,000 units received for every variant (`services.inventory.stock.receive_many`).
3. `--role probe`: the server's own app in-process (`httpx.ASGITransport`): one cold and
   five warm checkouts with the SQL statements of each request counted on the
   `tortoise.db_client` logger (and the transaction control Tortoise does not log), then
   30 checkouts timed one at a time; `--profile` cProfiles their `placeOrder` requests.
4. The server as `bench.run` starts it (`cli.py serve`, one process), with
   RESPONSE_CACHE_SECONDS, UNPAID_SWEEP_INTERVAL and LISTING_SWEEP_INTERVAL at 0.
5. `--role load` (own process, uvloop): `--shoppers` keep-alive connections, each a guest
   checking out again and again: `addToCart` for 1-3 random variants (1-2 units each),
   `checkoutQuote` to Tokyo with the service in JPY, `placeOrder` with a fresh idempotency
   key and the quoted total as `expectedTotal`; with `--pay`, then `createPayment` (card, the
   guest's email as proof) and `payWithTestCard` with the built-in test gateway's succeeding
   card, whose notification pays the order and records its settlement. Events that finish
   inside the measured window count (completions, requests, errors), after `--warmup` seconds.
6. `--role verify`: orders written against the load's count, the stock ledger
   (`verify_ledger`), and no variant reserved beyond its stock; with `--pay`, one succeeded
   and settled payment per order, every order paid.

Prints the figures and writes them as JSON under `bench/results/` (not committed).
"""
