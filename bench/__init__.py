"""The storefront benchmark: a deterministic catalog (`bench.seed`) and the load run (`bench.run`).

See `bench/README.md` and `/work/shared/bench-catalog.md`.
"""
