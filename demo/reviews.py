"""The demo shop's reviews: real approved reviews behind every rating the demo shows.

A few named shoppers from several countries (accounts without a password, so nobody can
sign in as them) review the demo products in their own language. Each review is written
as the row a buyer's review is, then approved through the moderation service, which keeps
the product's average and count equal to its approved reviews and awards the review
points, as it does for any review. The demo product's `rating` is the average aimed at;
its `reviews` says how many it gets, at most one per reviewer (a buyer reviews a product
once).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from demo.people import DEMO_ADMIN
from demo.products import PRODUCTS
from models.accounts import Role, User
from models.catalog import Product
from models.reviews import Review, ReviewStatus
from services.reviews import moderation

log = logging.getLogger("tradewind.demo")


@dataclass(frozen=True, slots=True)
class Reviewer:
    nickname: str
    email: str
    locale: str


REVIEWERS = (
    Reviewer("Emma W.", "emma.reviewer@demo.example.com", "en"),
    Reviewer("Lukas B.", "lukas.reviewer@demo.example.com", "de"),
    Reviewer("Camille D.", "camille.reviewer@demo.example.com", "fr"),
    Reviewer("Hanako Y.", "hanako.reviewer@demo.example.com", "ja"),
    Reviewer("Wei Z.", "wei.reviewer@demo.example.com", "zh"),
    Reviewer("Priya S.", "priya.reviewer@demo.example.com", "en"),
    Reviewer("Sofia M.", "sofia.reviewer@demo.example.com", "de"),
    Reviewer("Kenji T.", "kenji.reviewer@demo.example.com", "ja"),
)

#: (title, body) by language and stars; a review takes one by its product's turn.
TEXTS: dict[str, dict[int, tuple[tuple[str, str], ...]]] = {
    "en": {
        5: (
            (
                "Better than the photos",
                "Arrived in eight days, well packed, and the quality is "
                "better than I expected for the price. I have already ordered a second one.",
            ),
            (
                "Exactly as described",
                "Sizes and materials match the description to the letter. "
                "Customs went through without any extra charge at the door.",
            ),
            (
                "A lovely piece",
                "You can tell it was made with care. The finish is beautiful "
                "and it feels like it will last for years.",
            ),
        ),
        4: (
            (
                "Very good, slow shipping",
                "The product itself is great. Delivery took almost "
                "two weeks, but the tracking was updated the whole way.",
            ),
            (
                "Good value",
                "Solid and well made. One star off because the colour is a little "
                "darker than on my screen.",
            ),
            (
                "Happy with it",
                "Does what it should and looks good doing it. The instructions "
                "could be clearer, but it was easy enough to work out.",
            ),
        ),
        3: (
            (
                "Fine, not special",
                "It is okay for the price. The packaging was slightly "
                "damaged on arrival, though the item itself was fine.",
            ),
        ),
    },
    "de": {
        5: (
            (
                "Top Qualität",
                "Schnell geliefert, sehr gut verpackt und die Verarbeitung ist "
                "einwandfrei. Gerne wieder.",
            ),
            (
                "Genau wie beschrieben",
                "Maße und Material stimmen genau. Der Zoll hat keine "
                "zusätzlichen Gebühren verlangt, alles war im Preis enthalten.",
            ),
            ("Wunderschön", "Man sieht die Handarbeit. Ein echtes Lieblingsstück geworden."),
        ),
        4: (
            (
                "Sehr gut, Versand dauerte",
                "Das Produkt ist super, nur der Versand hat knapp "
                "zwei Wochen gebraucht. Die Sendungsverfolgung war aber zuverlässig.",
            ),
            (
                "Gutes Preis-Leistungs-Verhältnis",
                "Solide und sauber verarbeitet. Die Farbe ist etwas dunkler als auf den Fotos.",
            ),
        ),
        3: (
            (
                "In Ordnung",
                "Für den Preis in Ordnung. Die Verpackung war leicht beschädigt, "
                "der Artikel selbst aber nicht.",
            ),
        ),
    },
    "fr": {
        5: (
            (
                "Magnifique",
                "Reçu en une semaine, très bien emballé. La qualité dépasse mes "
                "attentes, je recommande.",
            ),
            (
                "Conforme à la description",
                "Dimensions et matières exactement comme annoncé. "
                "Aucun frais de douane à la livraison.",
            ),
        ),
        4: (
            (
                "Très bien",
                "Beau produit, bien fini. La livraison a pris un peu de temps mais "
                "le suivi était clair.",
            ),
            (
                "Bon rapport qualité-prix",
                "Solide et agréable. La couleur est un peu plus foncée que sur les photos.",
            ),
        ),
        3: (("Correct", "Correct pour le prix, sans plus. Le colis était un peu abîmé."),),
    },
    "ja": {
        5: (
            (
                "期待以上でした",
                "1週間ほどで届きました。梱包も丁寧で、品質は価格以上です。リピートします。",
            ),
            ("説明どおり", "サイズも素材も説明どおりでした。関税の追加請求もなく安心でした。"),
        ),
        4: (
            (
                "満足しています",
                "商品はとても良いです。配送に少し時間がかかりましたが、"
                "追跡情報がずっと更新されていました。",
            ),
            ("コスパ良し", "しっかりした作りです。色は写真より少し濃いめでした。"),
        ),
        3: (("普通です", "価格相応だと思います。外箱に少し傷がありましたが、中身は無事でした。"),),
    },
    "zh": {
        5: (
            ("超出预期", "一周左右就到了，包装很仔细，质量比价格看起来要好。会回购。"),
            ("与描述一致", "尺寸和材质都和描述一样，收货时也没有额外的关税。"),
        ),
        4: (
            ("很满意", "东西很好，就是物流稍慢，不过一路都能查到追踪信息。"),
            ("性价比高", "做工扎实，颜色比图片略深一点。"),
        ),
        3: (("还可以", "对得起这个价格。外包装有点压坏，商品本身没问题。"),),
    },
}

#: Reviews are dated over this many days before loading, the newest a day old.
SPREAD_DAYS = 180


def ratings_for(average: float, count: int) -> list[int]:
    """`count` star ratings from 1 to 5 whose average is as near `average` as counts allow."""
    if count <= 0:
        return []
    total = min(5 * count, max(count, round(average * count)))
    base, extra = divmod(total, count)
    return [base + 1] * extra + [base] * (count - extra)


async def _reviewers() -> list[User]:
    users = []
    for reviewer in REVIEWERS:
        user, _ = await User.get_or_create(
            email=reviewer.email,
            defaults={
                "nickname": reviewer.nickname,
                "locale": reviewer.locale,
                "role": Role.CUSTOMER,
                "email_verified_at": datetime.now(UTC),
            },
        )
        users.append(user)
    return users


async def load_demo_reviews() -> bool:
    """Writes and approves the demo reviews; False, doing nothing, when the shop has reviews
    or no demo admin to moderate them."""
    if await Review.exists():
        return False
    admin = await User.get_or_none(email=DEMO_ADMIN, role=Role.ADMIN)
    if admin is None:
        return False
    reviewers = await _reviewers()
    now = datetime.now(UTC)
    written = 0
    for index, item in enumerate(PRODUCTS):
        product = await Product.get_or_none(name=item.name).only("id")
        if product is None or not item.reviews:
            continue
        stars = ratings_for(item.rating, min(item.reviews, len(reviewers)))
        for turn, rating in enumerate(stars):
            reviewer = REVIEWERS[(index + turn) % len(REVIEWERS)]
            user = reviewers[(index + turn) % len(REVIEWERS)]
            choices = TEXTS[reviewer.locale][max(3, rating)]
            title, body = choices[(index + turn) % len(choices)]
            written_at = now - timedelta(days=1 + (index * 7 + turn * 23) % SPREAD_DAYS)
            review = await Review.create(
                product_id=product.id,
                user_id=user.id,
                rating=rating,
                title=title,
                body=body,
                status=ReviewStatus.PENDING,
            )
            await Review.filter(id=review.id).update(created_at=written_at)
            await moderation.approve_review(
                review.id, moderator_id=admin.id, now=written_at + timedelta(hours=6)
            )
            written += 1
    log.info("demo.reviews_written count=%s", written)
    return written > 0
