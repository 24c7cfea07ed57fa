"""Landed cost: the duties and import taxes a consignment meets at its destination.

`landed_cost` is a pure function of the priced lines, the shipping price, the destination,
the day, the exchange rates and the merchant's duty rates: every figure it returns can be
recomputed from what the order keeps. Amounts are integer minor units of the shop currency.

How the figures are reached:
- The regime is the first of the regimes file that covers the destination on the day,
  whose exclusions (excise goods, some HS codes) do not hit the parcel, and whose threshold
  holds for the value it is measured on, converted into the threshold's currency with the
  shop's exchange rate (kept in `threshold`). Without that rate the regime is unknown.
- Shipping is shared between the lines in proportion to their value (the largest
  remainders get the odd minor units, so the shares add up to the shipping price). A line's
  customs value is its price after discounts (times the regime's valuation factor) plus
  its share of shipping on a CIF basis, without it on FOB.
- Duty is the merchant's ad valorem rate for the line's HS code on its customs value; a flat
  duty is due once per distinct 6-digit subheading. Import tax is the destination's rate on
  the base the regime names (the price with shipping, the customs value, or value plus duty).
- Each charge is rounded on its own to the shop currency's minor unit, half up (0.5 goes
  away from zero), so totals are sums of rounded charges.
- A charge that cannot be computed (no duty rate for the HS code, goods not classified, no
  import tax rate, no exchange rate for a flat amount) is listed in `unknown` and counts
  in no total: checkout shows it rather than guessing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from models.customs import ChargeKind, Incoterm
from services.customs.facts import CustomsFacts
from services.customs.lookup import FoundRate
from services.customs.regimes import ChargeRule, Regime, Regimes, Threshold, select_regime
from services.money import currency_exponent


class Unknown(StrEnum):
    """Why a charge could not be computed."""

    NO_DUTY_RATE = "no_duty_rate"  # the merchant has no rate for the HS code (nor a default)
    NOT_CLASSIFIED = "not_classified"  # the goods have no 6-digit HS code
    NO_TAX_RATE = "no_tax_rate"  # the regimes file has no import tax rate for the destination
    DUTY_UNKNOWN = "duty_unknown"  # a tax on value plus duty, whose duty is unknown
    NO_EXCHANGE_RATE = "no_exchange_rate"  # a threshold or flat amount in a currency with no rate


@dataclass(frozen=True, slots=True)
class GoodsLine:
    """One line of the consignment: its facts and its price after its share of discounts."""

    facts: CustomsFacts
    quantity: int
    #: Shop-currency minor units, after the line's share of every merchandise discount.
    value: int


@dataclass(frozen=True, slots=True)
class FxRate:
    """Units of `currency` per unit of the shop currency, as the shop's rates give it."""

    currency: str
    rate: Decimal
    rate_date: date | None
    source: str


@dataclass(frozen=True, slots=True)
class Charge:
    kind: ChargeKind
    name: str
    #: Index of the line in the input; None for a charge on the consignment (a flat duty).
    line: int | None
    #: `cif`, `fob` or `price`: what the rate was applied to.
    basis: str
    rate_bps: int | None
    base_amount: int
    amount: int
    #: True when charged at checkout; false for an estimate of what the door collects.
    collected: bool


@dataclass(frozen=True, slots=True)
class UnknownCharge:
    kind: ChargeKind | None
    line: int | None
    reason: Unknown


@dataclass(frozen=True, slots=True)
class ThresholdUsed:
    """How the deciding threshold was tested: the value measured, converted at `rate`, and
    whether it held (the regime applies) or was exceeded (a later one does)."""

    #: The regime whose threshold it is.
    regime: str
    amount: Decimal
    currency: str
    measured_on: str
    inclusive: bool
    value: Decimal
    held: bool
    rate: Decimal
    rate_date: date | None
    rate_source: str


@dataclass
class LandedCost:
    destination: str
    day: date
    incoterm: Incoterm | None
    #: The regime id; "" for a domestic parcel or when the regime is unknown.
    regime: str = ""
    basis: str = ""
    domestic: bool = False
    charges: list[Charge] = field(default_factory=list)
    unknown: list[UnknownCharge] = field(default_factory=list)
    threshold: ThresholdUsed | None = None

    def total(self, kind: ChargeKind, *, collected: bool) -> int:
        return sum(c.amount for c in self.charges if c.kind is kind and c.collected is collected)

    @property
    def duty_collected(self) -> int:
        return self.total(ChargeKind.DUTY, collected=True)

    @property
    def import_tax_collected(self) -> int:
        return self.total(ChargeKind.IMPORT_TAX, collected=True)

    @property
    def regime_unknown(self) -> bool:
        return not self.domestic and not self.regime

    def record(self) -> dict[str, object]:
        """What the order keeps of how its figures were reached (`Order.customs`)."""
        threshold = self.threshold
        return {
            "destination": self.destination,
            "date": self.day.isoformat(),
            "regime": self.regime,
            "basis": self.basis,
            "incoterm": self.incoterm.value if self.incoterm else "",
            "domestic": self.domestic,
            "threshold": (
                {
                    "regime": threshold.regime,
                    "amount": str(threshold.amount),
                    "currency": threshold.currency,
                    "measured_on": threshold.measured_on,
                    "inclusive": threshold.inclusive,
                    "value": str(threshold.value),
                    "held": threshold.held,
                    "rate": str(threshold.rate),
                    "rate_date": threshold.rate_date.isoformat() if threshold.rate_date else None,
                    "rate_source": threshold.rate_source,
                }
                if threshold
                else None
            ),
            "unknown": [
                {"kind": u.kind.value if u.kind else None, "line": u.line, "reason": u.reason.value}
                for u in self.unknown
            ],
        }


def round_half_up(value: Decimal) -> int:
    """`value` (minor units) to a whole minor unit, half away from zero."""
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def split(total: int, weights: Sequence[int]) -> list[int]:
    """`total` shared in proportion to `weights` (equal shares when they are all zero); the
    largest remainders take the odd units, so the shares add up to `total` exactly."""
    if not weights:
        return []
    weights = list(weights) if any(weights) else [1] * len(weights)
    whole = sum(weights)
    shares = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _bps(rate_percent: Decimal) -> int:
    return round_half_up(rate_percent * 100)


def landed_cost(
    *,
    regimes: Regimes,
    lines: Sequence[GoodsLine],
    shipping: int,
    destination: str,
    day: date,
    shop_currency: str,
    fx: Mapping[str, FxRate],
    duty_rates: Mapping[str, FoundRate | None],
    incoterm: Incoterm,
    domestic: bool = False,
) -> LandedCost:
    """The duties and import taxes of `lines` shipped to `destination` on `day`.

    `fx` holds the shop's rates by currency (the shop currency itself may be absent);
    `duty_rates` the merchant's rate for each line's HS code (None: unknown).
    """
    country = destination.upper()
    result = LandedCost(destination=country, day=day, incoterm=incoterm, domestic=domestic)
    if domestic or not lines:
        result.incoterm = None if domestic else incoterm
        return result
    exponent = currency_exponent(shop_currency)
    shares = split(shipping, [line.value for line in lines])

    def rate_of(currency: str) -> FxRate | None:
        if currency == shop_currency:
            return FxRate(currency, Decimal(1), None, "shop")
        return fx.get(currency)

    def goods(regime: Regime, i: int) -> Decimal:
        return Decimal(lines[i].value) * regime.valuation_factor

    def customs(regime: Regime, i: int) -> Decimal:
        return goods(regime, i) + (shares[i] if regime.basis == "cif" else 0)

    def measure(regime: Regime, threshold: Threshold) -> Decimal:
        n = range(len(lines))
        if threshold.measured_on == "intrinsic":
            return Decimal(sum(line.value for line in lines))
        if threshold.measured_on == "per_good":
            return max(Decimal(line.value) / line.quantity for line in lines)
        if threshold.measured_on == "customs":
            return sum((customs(regime, i) for i in n), Decimal(0))
        return Decimal(sum(line.value for line in lines) + shipping)

    to_threshold: dict[str, Decimal | None] = {}
    for regime in regimes.candidates(country, day):
        if regime.threshold is not None:
            found = rate_of(regime.threshold.currency)
            to_threshold[regime.threshold.currency] = (
                found.rate.scaleb(-exponent) if found else None
            )
    picked = select_regime(
        regimes,
        country,
        day,
        measure=measure,
        to_threshold=to_threshold,
        goods=[(line.facts.hs_code, line.facts.excise_goods) for line in lines],
    )
    chosen, tested = picked
    if tested:
        # The last threshold tested is the one that decided: held (this regime) or exceeded.
        tested_regime, measured = tested[-1]
        threshold = tested_regime.threshold
        used = rate_of(threshold.currency) if threshold else None
        if threshold is not None and used is not None:
            result.threshold = ThresholdUsed(
                regime=tested_regime.id,
                amount=threshold.amount,
                currency=threshold.currency,
                measured_on=threshold.measured_on,
                inclusive=threshold.inclusive,
                value=measured.quantize(Decimal(1).scaleb(-currency_exponent(used.currency))),
                held=threshold.holds(measured),
                rate=used.rate,
                rate_date=used.rate_date,
                rate_source=used.source,
            )
    if chosen is None:
        result.unknown.append(UnknownCharge(None, None, Unknown.NO_EXCHANGE_RATE))
        return result
    regime = chosen
    result.regime, result.basis = regime.id, regime.basis

    tax = regimes.tax_rate(country, day)
    rules = [rule for rule in regime.charges if rule.applies_on(day)]
    duties: dict[int, int | None] = {i: 0 for i in range(len(lines))}
    # Duties first: an import tax on value plus duty needs the line's duty.
    for rule in (r for r in rules if r.kind is ChargeKind.DUTY):
        collected = rule.collect == "checkout" or incoterm is Incoterm.DDP
        if rule.flat is not None:
            _flat(result, rule, lines, rate_of(rule.flat.currency), exponent, collected)
            continue
        for i, line in enumerate(lines):
            duty_rate = duty_rates.get(line.facts.hs_code)
            if duty_rate is None:
                reason = Unknown.NOT_CLASSIFIED if not line.facts.hs_code else Unknown.NO_DUTY_RATE
                result.unknown.append(UnknownCharge(ChargeKind.DUTY, i, reason))
                duties[i] = None
                continue
            base = customs(regime, i)
            amount = round_half_up(base * duty_rate.rate_bps / 10_000)
            duties[i] = amount
            if duty_rate.rate_bps:
                result.charges.append(
                    Charge(
                        kind=ChargeKind.DUTY,
                        name=rule.name or "Duty",
                        line=i,
                        basis=regime.basis,
                        rate_bps=duty_rate.rate_bps,
                        base_amount=round_half_up(base),
                        amount=amount,
                        collected=collected,
                    )
                )
    for rule in (r for r in rules if r.kind is ChargeKind.IMPORT_TAX):
        collected = rule.collect == "checkout" or incoterm is Incoterm.DDP
        if tax is None:
            result.unknown.extend(
                UnknownCharge(ChargeKind.IMPORT_TAX, i, Unknown.NO_TAX_RATE)
                for i in range(len(lines))
            )
            continue
        percent = tax.rate * rule.tax_factor
        if not percent:
            continue
        for i, line in enumerate(lines):
            duty = duties[i]
            if rule.base in ("customs_plus_duty", "cif_plus_duty") and duty is None:
                result.unknown.append(UnknownCharge(ChargeKind.IMPORT_TAX, i, Unknown.DUTY_UNKNOWN))
                continue
            if rule.base == "price":
                base, basis = Decimal(line.value + shares[i]), "price"
            elif rule.base == "customs":
                base, basis = customs(regime, i), regime.basis
            elif rule.base == "customs_plus_duty":
                base, basis = customs(regime, i) + (duty or 0), regime.basis
            else:
                base, basis = goods(regime, i) + shares[i] + (duty or 0), "cif"
            result.charges.append(
                Charge(
                    kind=ChargeKind.IMPORT_TAX,
                    name=rule.name or tax.name,
                    line=i,
                    basis=basis,
                    rate_bps=_bps(percent),
                    base_amount=round_half_up(base),
                    amount=round_half_up(base * percent / 100),
                    collected=collected,
                )
            )
    return result


def _flat(
    result: LandedCost,
    rule: ChargeRule,
    lines: Sequence[GoodsLine],
    fx: FxRate | None,
    exponent: int,
    collected: bool,
) -> None:
    """A flat amount per distinct 6-digit subheading, converted into the shop currency."""
    assert rule.flat is not None
    unclassified = [i for i, line in enumerate(lines) if len(line.facts.hs_code) < 6]
    if unclassified:
        result.unknown.extend(
            UnknownCharge(ChargeKind.DUTY, i, Unknown.NOT_CLASSIFIED) for i in unclassified
        )
        return
    if fx is None:
        result.unknown.append(UnknownCharge(ChargeKind.DUTY, None, Unknown.NO_EXCHANGE_RATE))
        return
    count = len({line.facts.hs_code[:6] for line in lines})
    one = round_half_up(rule.flat.amount.scaleb(exponent) / fx.rate)
    result.charges.append(
        Charge(
            kind=rule.kind,
            name=rule.name or "Duty",
            line=None,
            basis="price",
            rate_bps=None,
            base_amount=0,
            amount=one * count,
            collected=collected,
        )
    )
