"""Inventory: the stock movement ledger, low-stock alerts, slow movers and stocktaking."""
