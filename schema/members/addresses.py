"""The `Address` type: one entry of a member's address book."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry import relay

from models.members import Address
from schema.geo import CountryCode


@strawberry.type(name="Address", description="A postal address in a member's address book.")
class AddressType(relay.Node):
    id: relay.NodeID[int]
    full_name: str
    company: str
    line1: str
    line2: str
    city: str
    region: str = strawberry.field(description="State, province or prefecture.")
    postal_code: str = strawberry.field(
        description="In the country's canonical form; empty where the country has none."
    )
    country: CountryCode
    phone: str | None = strawberry.field(description="E.164, for the carrier.")
    is_default: bool
    created_at: datetime
    updated_at: datetime

    @classmethod
    def build(cls, address: Address) -> AddressType:
        return cls(
            id=address.id,
            full_name=address.full_name,
            company=address.company,
            line1=address.line1,
            line2=address.line2,
            city=address.city,
            region=address.region,
            postal_code=address.postal_code,
            country=CountryCode(address.country),
            phone=address.phone or None,
            is_default=address.is_default,
            created_at=address.created_at,
            updated_at=address.updated_at,
        )
