"""Customs tables: the merchant's duty rates and markets, its registrations, and the duties
and import taxes locked on each order.

The import regimes themselves (thresholds, who collects what, CIF or FOB) are data with
dates and sources, shipped as a file (`services/customs/data/regimes.toml`), not rows: the
law is the same for every shop. What differs per shop is here. Amounts are integer minor
units; rates are basis points (1 % = 100).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.fields import OnDelete
from tortoise.migrations.constraints import CheckConstraint
from tortoise.models import Model

if TYPE_CHECKING:
    from models.orders import Order, OrderLine


class Incoterm(StrEnum):
    """Who pays the duties and import taxes of a market's orders."""

    DDP = "ddp"  # delivered duty paid: charged at checkout, the shopper pays nothing at the door
    DAP = "dap"  # delivered at place: the carrier collects them; the shopper sees an estimate


class RegistrationKind(StrEnum):
    """A merchant's customs and tax registrations, printed where a regime asks for them."""

    EORI = "eori"  # EU customs identification
    IOSS = "ioss"  # EU Import One-Stop Shop VAT number (IM...)
    UK_VAT = "uk_vat"  # GB VAT registration for consignments up to GBP 135
    AU_ARN = "au_arn"  # Australian GST ARN for low-value imported goods


class MerchantRegistration(Model):
    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(RegistrationKind, max_length=16, unique=True)
    number = fields.CharField(max_length=40)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customs_registration"
        ordering = ["kind"]


class CustomsMarket(Model):
    """How one destination country's orders settle duties and taxes (absent: the default)."""

    id = fields.IntField(primary_key=True)
    #: ISO 3166-1 alpha-2.
    country = fields.CharField(max_length=2, unique=True)
    incoterm = fields.CharEnumField(Incoterm, max_length=8)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customs_market"
        ordering = ["country"]


class DutyRate(Model):
    """The duty rate for goods whose HS code starts with `hs_prefix`, into `country`.

    The longest matching prefix wins, and the empty prefix is the destination's default. A code
    with no matching row has an unknown rate, which checkout shows rather than guessing.
    """

    id = fields.IntField(primary_key=True)
    country = fields.CharField(max_length=2)
    #: 0 to 10 digits: "" (default), "61" (chapter), "6109" (heading), "610910" ...
    hs_prefix = fields.CharField(max_length=10, default="")
    rate_bps = fields.IntField()
    #: Where the merchant took the rate from (a tariff's URL or name), for the next review.
    source = fields.CharField(max_length=300, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "customs_duty_rate"
        unique_together = (("country", "hs_prefix"),)
        ordering = ["country", "hs_prefix"]
        constraints = [
            CheckConstraint(
                check="rate_bps >= 0 AND rate_bps <= 100000", name="duty_rate_in_range"
            ),
        ]


class ChargeKind(StrEnum):
    DUTY = "duty"
    IMPORT_TAX = "import_tax"  # VAT, GST, consumption tax, China's cross-border tax


class OrderCharge(Model):
    """A duty or import tax of an order, locked when it was placed.

    Charges collected at checkout (DDP, or VAT under IOSS and the like) are part of the
    order's totals. The others are the estimate of what the carrier will collect at the
    door, kept to show the shopper and for the merchant's records, and count in no total.
    A charge tied to no line (the EU's flat duty per tariff heading) has `line` null.
    """

    id = fields.IntField(primary_key=True)
    order: fields.ForeignKeyRelation[Order] = fields.ForeignKeyField(
        "models.Order", related_name="charges", on_delete=OnDelete.CASCADE
    )
    order_id: int
    line: fields.ForeignKeyNullableRelation[OrderLine] = fields.ForeignKeyField(
        "models.OrderLine", related_name="charges", null=True, on_delete=OnDelete.CASCADE
    )
    line_id: int | None
    kind = fields.CharEnumField(ChargeKind, max_length=16)
    #: The import regime's id in the regimes file, e.g. `EU-IOSS-VAT`.
    regime = fields.CharField(max_length=40)
    #: The tax's name as the destination calls it: VAT, GST, JCT, duty...
    name = fields.CharField(max_length=40)
    destination = fields.CharField(max_length=2)
    #: `cif`, `fob` or `price` (the sale price): what the rate was applied to.
    basis = fields.CharField(max_length=8)
    #: Ad valorem rate in basis points (null for a flat amount).
    rate_bps = fields.IntField(null=True)
    #: The amount the rate was applied to, in the shop currency.
    base_amount = fields.BigIntField(default=0)
    amount = fields.BigIntField()
    amount_presentment = fields.BigIntField()
    #: True when charged at checkout (in the order's totals), false for a door estimate.
    collected = fields.BooleanField()
    #: Refunded so far, in the shop currency.
    refunded = fields.BigIntField(default=0)
    position = fields.IntField(default=0)

    class Meta:
        table = "customs_order_charge"
        ordering = ["order_id", "position", "id"]
        constraints = [
            CheckConstraint(check="amount >= 0", name="order_charge_not_negative"),
            CheckConstraint(
                check="refunded >= 0 AND refunded <= amount", name="order_charge_refund_in_range"
            ),
        ]
