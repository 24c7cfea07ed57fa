"""The storefront benchmark: a deterministic catalog (`bench.seed`) and the load run (`bench.run`).

See `bench/README.md` and the shared benchmark catalog description (`bench-catalog.md`).
"""
