"""Store credit: per-customer, per-currency balances, their ledger, and spending them."""
