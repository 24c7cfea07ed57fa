"""Currencies: exchange rates, the presentment currencies shoppers may pick, and conversion."""
