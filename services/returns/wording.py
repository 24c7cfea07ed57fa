"""Return policies and the default reasons in the shop's languages.

A policy reads as one line a shopper takes in at a glance, in the language of the request:
"Returns within 30 days of delivery · return shipping paid by you (US$8.00) · 10 %
restocking fee", or "Final sale — cannot be returned". A language without wording of its
own reads in English.
"""

from __future__ import annotations

from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, format_decimal

from models.returns import ReturnShippingPayer
from services.money import Money
from services.returns.policy import EffectivePolicy

#: Each language's phrases: {days}, {fee} and {percent} are filled in.
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "final_sale": "Final sale — cannot be returned",
        "window_one": "Returns within {days} day of delivery",
        "window_other": "Returns within {days} days of delivery",
        "window_zero": "Returns only on the day of delivery",
        "customer_pays": "return shipping paid by you",
        "customer_pays_fee": "return shipping paid by you ({fee})",
        "merchant_pays": "free return shipping",
        "restocking": "{percent} % restocking fee",
        "separator": " · ",
    },
    "de": {
        "final_sale": "Endgültiger Verkauf — keine Rückgabe möglich",
        "window_one": "Rückgabe innerhalb von {days} Tag nach Zustellung",
        "window_other": "Rückgabe innerhalb von {days} Tagen nach Zustellung",
        "window_zero": "Rückgabe nur am Tag der Zustellung",
        "customer_pays": "Rücksendekosten trägst du",
        "customer_pays_fee": "Rücksendekosten trägst du ({fee})",
        "merchant_pays": "kostenlose Rücksendung",
        "restocking": "{percent} % Wiedereinlagerungsgebühr",
        "separator": " · ",
    },
    "fr": {
        "final_sale": "Vente finale — ni reprise ni échange",
        "window_one": "Retours sous {days} jour après la livraison",
        "window_other": "Retours sous {days} jours après la livraison",
        "window_zero": "Retours le jour de la livraison uniquement",
        "customer_pays": "frais de retour à votre charge",
        "customer_pays_fee": "frais de retour à votre charge ({fee})",
        "merchant_pays": "retour gratuit",
        "restocking": "frais de remise en stock de {percent} %",
        "separator": " · ",
    },
    "es": {
        "final_sale": "Venta final — no admite devoluciones",
        "window_one": "Devoluciones en {days} día desde la entrega",
        "window_other": "Devoluciones en {days} días desde la entrega",
        "window_zero": "Devoluciones solo el día de la entrega",
        "customer_pays": "envío de devolución a tu cargo",
        "customer_pays_fee": "envío de devolución a tu cargo ({fee})",
        "merchant_pays": "devolución gratuita",
        "restocking": "{percent} % de cargo por reposición",
        "separator": " · ",
    },
    "it": {
        "final_sale": "Vendita definitiva — non restituibile",
        "window_one": "Resi entro {days} giorno dalla consegna",
        "window_other": "Resi entro {days} giorni dalla consegna",
        "window_zero": "Resi solo il giorno della consegna",
        "customer_pays": "spedizione del reso a tuo carico",
        "customer_pays_fee": "spedizione del reso a tuo carico ({fee})",
        "merchant_pays": "reso gratuito",
        "restocking": "costo di riassortimento del {percent} %",
        "separator": " · ",
    },
    "pt": {
        "final_sale": "Venda final — não pode ser devolvido",
        "window_one": "Devoluções em até {days} dia após a entrega",
        "window_other": "Devoluções em até {days} dias após a entrega",
        "window_zero": "Devoluções apenas no dia da entrega",
        "customer_pays": "frete de devolução por sua conta",
        "customer_pays_fee": "frete de devolução por sua conta ({fee})",
        "merchant_pays": "devolução grátis",
        "restocking": "taxa de reposição de {percent} %",
        "separator": " · ",
    },
    "ja": {
        "final_sale": "最終セール品 — 返品不可",
        "window_one": "お届けから{days}日以内の返品可",
        "window_other": "お届けから{days}日以内の返品可",
        "window_zero": "返品はお届け当日のみ",
        "customer_pays": "返送料はお客様負担",
        "customer_pays_fee": "返送料はお客様負担（{fee}）",
        "merchant_pays": "返送料無料",
        "restocking": "再入庫手数料 {percent}%",
        "separator": "・",
    },
    "zh": {
        "final_sale": "最终销售 — 不可退货",
        "window_one": "签收后{days}天内可退货",
        "window_other": "签收后{days}天内可退货",
        "window_zero": "仅限签收当天退货",
        "customer_pays": "退货运费由您承担",
        "customer_pays_fee": "退货运费由您承担（{fee}）",
        "merchant_pays": "免费退货",
        "restocking": "{percent}% 重新上架费",
        "separator": " · ",
    },
}

#: The default reasons: code, whether a photo is required, and the name in each language.
DEFAULT_REASONS: tuple[tuple[str, bool, dict[str, str]], ...] = (
    (
        "wrong_size",
        False,
        {
            "en": "Wrong size or fit",
            "de": "Falsche Größe oder Passform",
            "fr": "Taille ou coupe inadaptée",
            "es": "Talla o ajuste incorrecto",
            "it": "Taglia o vestibilità sbagliata",
            "pt": "Tamanho ou caimento errado",
            "ja": "サイズが合わない",
            "zh": "尺码不合适",
        },
    ),
    (
        "not_as_described",
        False,
        {
            "en": "Not as described",
            "de": "Entspricht nicht der Beschreibung",
            "fr": "Non conforme à la description",
            "es": "No coincide con la descripción",
            "it": "Non conforme alla descrizione",
            "pt": "Diferente da descrição",
            "ja": "説明と異なる",
            "zh": "与描述不符",
        },
    ),
    (
        "damaged",
        True,
        {
            "en": "Damaged or defective",
            "de": "Beschädigt oder defekt",
            "fr": "Endommagé ou défectueux",
            "es": "Dañado o defectuoso",
            "it": "Danneggiato o difettoso",
            "pt": "Danificado ou com defeito",
            "ja": "破損・不良品",
            "zh": "商品损坏或有缺陷",
        },
    ),
    (
        "wrong_item",
        True,
        {
            "en": "Wrong item sent",
            "de": "Falscher Artikel geliefert",
            "fr": "Mauvais article envoyé",
            "es": "Artículo equivocado",
            "it": "Articolo sbagliato",
            "pt": "Item errado enviado",
            "ja": "違う商品が届いた",
            "zh": "发错商品",
        },
    ),
    (
        "arrived_late",
        False,
        {
            "en": "Arrived too late",
            "de": "Zu spät angekommen",
            "fr": "Arrivé trop tard",
            "es": "Llegó demasiado tarde",
            "it": "Arrivato troppo tardi",
            "pt": "Chegou tarde demais",
            "ja": "到着が遅すぎた",
            "zh": "到货太晚",
        },
    ),
    (
        "changed_mind",
        False,
        {
            "en": "Changed my mind",
            "de": "Meinung geändert",
            "fr": "J'ai changé d'avis",
            "es": "He cambiado de opinión",
            "it": "Ho cambiato idea",
            "pt": "Mudei de ideia",
            "ja": "気が変わった",
            "zh": "不想要了",
        },
    ),
    (
        "better_price",
        False,
        {
            "en": "Found a better price elsewhere",
            "de": "Anderswo günstiger gefunden",
            "fr": "Trouvé moins cher ailleurs",
            "es": "Encontré un precio mejor",
            "it": "Trovato a un prezzo migliore",
            "pt": "Encontrei um preço melhor",
            "ja": "他店の方が安かった",
            "zh": "其他地方更便宜",
        },
    ),
    (
        "other",
        False,
        {
            "en": "Other",
            "de": "Sonstiges",
            "fr": "Autre",
            "es": "Otro",
            "it": "Altro",
            "pt": "Outro",
            "ja": "その他",
            "zh": "其他",
        },
    ),
)


def language_of(locale: str) -> str:
    """The language of a locale tag (`pt-BR` -> `pt`), as the phrase tables key it."""
    return locale.replace("_", "-").split("-")[0].lower()


def _babel_locale(locale: str) -> Locale:
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def percent_of(bps: int) -> str:
    """Basis points as a plain decimal percentage: 1000 -> "10", 250 -> "2.5"."""
    return format(Decimal(bps).scaleb(-2).normalize(), "f")


def summary(policy: EffectivePolicy, locale: str, *, fee_minor: int, currency: str) -> str:
    """The policy in one line in `locale`'s language; the return shipping fee (`fee_minor`
    of `currency`, already converted to the shopper's) formatted for that locale."""
    words = PHRASES.get(language_of(locale), PHRASES["en"])
    if not policy.returnable:
        return words["final_sale"]
    babel_locale = _babel_locale(locale)
    if policy.window_days == 0:
        parts = [words["window_zero"]]
    else:
        key = "window_one" if policy.window_days == 1 else "window_other"
        parts = [words[key].format(days=policy.window_days)]
    if policy.return_shipping_payer == ReturnShippingPayer.MERCHANT:
        parts.append(words["merchant_pays"])
    elif fee_minor > 0:
        amount = Money(fee_minor, currency).amount
        fee = format_currency(amount, currency, locale=babel_locale)
        parts.append(words["customer_pays_fee"].format(fee=fee))
    else:
        parts.append(words["customer_pays"])
    if policy.restocking_fee_bps:
        percent = format_decimal(
            Decimal(percent_of(policy.restocking_fee_bps)), locale=babel_locale
        )
        parts.append(words["restocking"].format(percent=percent))
    return words["separator"].join(parts)
