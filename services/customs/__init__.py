"""Customs: what goods are (HS codes, origin, descriptions), what crossing a border costs
(import regimes, duty rates, landed cost), and the papers a parcel travels with."""
