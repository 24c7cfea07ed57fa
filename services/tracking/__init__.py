"""Shipment tracking: carrier events in, a parcel's status and timeline out."""
