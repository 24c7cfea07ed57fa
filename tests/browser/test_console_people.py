"""The console's customers, marketing and staff screens in a browser: a merchant finds a
customer and grants points, creates a coupon after a refused value, approves a review, adds a
membership tier and hands over a redeemed gift; an admin invites a member and changes their
permissions; and a catalog member sees only the marketing sections the catalog permission
opens, on a phone."""

from __future__ import annotations

from models.accounts import Role, User
from models.members import MembershipTier, RedemptionStatus, RewardKind, RewardRedemption
from models.reviews import Review, ReviewStatus
from services.members import points, rewards
from tests.browser.conftest import make_staff, page_errors, sign_in
from tests.factories import gid, make_product, make_user

POINTS = """query($id: ID!) { customer(id: $id) {
  pointsBalance pointsEntries(first: 5) { nodes { amount kind note } } } }"""


async def test_a_merchant_finds_a_customer_and_grants_points(desk, console, client, expect):
    clerk = await make_staff("CUSTOMERS")
    lin = await make_user(nickname="Lin Wei", email="lin.wei@example.com")
    await make_user(nickname="Ada", email="ada@example.com")
    errors = page_errors(desk)
    await sign_in(desk, console, clerk, "customers")

    rows = desk.locator("table.data tbody tr")
    await expect(rows).to_have_count(2)
    await desk.get_by_role("searchbox").fill("lin.wei")
    await desk.get_by_role("button", name="Apply").click()
    await expect(rows).to_have_count(1)
    await rows.first.get_by_role("link").click()
    await expect(desk.locator("#main h1")).to_have_text("Lin Wei")
    # Disabling accounts is for admins; a customers clerk is not offered it.
    await expect(desk.get_by_role("button", name="Disable account")).to_have_count(0)

    form = desk.get_by_role("form", name="Adjust points")
    await form.get_by_label("Points").fill("150")
    await form.get_by_label("Reason").fill("Sorry for the late parcel")
    await form.get_by_role("button", name="Adjust points").click()

    await expect(desk.locator("[data-balance]")).to_have_text("150")
    await expect(desk.locator("table.points-ledger tbody tr")).to_have_count(1)
    await expect(desk.locator("table.points-ledger")).to_contain_text("Sorry for the late parcel")
    data = await client.staff(POINTS, {"id": gid("User", lin.id)})
    assert data["customer"] == {
        "pointsBalance": 150,
        "pointsEntries": {
            "nodes": [{"amount": 150, "kind": "ADJUSTMENT", "note": "Sorry for the late parcel"}]
        },
    }
    assert errors == []


async def test_a_coupon_refused_for_its_percent_is_created_once_corrected(
    desk, console, client, expect
):
    marketer = await make_staff("CATALOG")
    await sign_in(desk, console, marketer, "marketing/coupons")
    await desk.get_by_role("link", name="New coupon").click()

    form = desk.get_by_role("form", name="Coupon")
    await form.get_by_label("Code").fill("spring-15")
    await form.get_by_label("Kind").select_option("PERCENTAGE")
    await form.get_by_label("Percent off").fill("150")
    await form.get_by_role("button", name="Create coupon").click()

    percent = form.locator(".field", has=desk.locator('[name="percent"]'))
    await expect(percent.locator(".field-error")).to_be_visible()
    await expect(form.get_by_label("Percent off")).to_have_attribute("aria-invalid", "true")
    assert (await client.staff('{ coupon(code: "SPRING-15") { id } }'))["coupon"] is None

    await form.get_by_label("Percent off").fill("15")
    await form.get_by_role("button", name="Create coupon").click()
    await expect(desk.locator("#main h1")).to_have_text("SPRING-15")
    data = await client.staff('{ coupon(code: "SPRING-15") { kind percent active } }')
    assert data["coupon"]["kind"] == "PERCENTAGE"
    assert float(data["coupon"]["percent"]) == 15
    assert data["coupon"]["active"] is True


async def test_a_pending_review_is_approved_from_the_queue(desk, console, expect):
    moderator = await make_staff("CATALOG")
    product = await make_product(name="Silk scarf")
    author = await make_user(nickname="Hana")
    review = await Review.create(
        product=product, user=author, rating=4, title="Soft", body="Lovely colours."
    )
    await sign_in(desk, console, moderator, "marketing/reviews")

    row = desk.locator("table.data tbody tr", has_text="Lovely colours.")
    await expect(row).to_contain_text("Silk scarf")
    await row.get_by_role("button", name="Approve").click()
    await expect(desk.get_by_text("No reviews waiting.")).to_be_visible()
    assert (await Review.get(id=review.id)).status == ReviewStatus.APPROVED


async def test_an_admin_invites_a_member_and_changes_their_permissions(desk, console, expect):
    admin = await make_staff(admin=True, nickname="Mei")
    await sign_in(desk, console, admin, "staff")

    invite = desk.get_by_role("form", name="Invite a member")
    await invite.get_by_label("Email").fill("packer@example.com")
    await invite.get_by_label("Orders").check()
    await invite.get_by_role("button", name="Invite").click()

    row = desk.locator("table.data tbody tr", has_text="packer@example.com")
    await expect(row).to_contain_text("Orders")
    member = await User.get(email="packer@example.com")
    assert (member.role, member.permissions) == (Role.STAFF, ["orders"])

    await row.get_by_role("link").click()
    access = desk.get_by_role("form", name="Access")
    await expect(access.get_by_label("Orders")).to_be_checked()
    await access.get_by_label("Inventory").check()
    await access.get_by_role("button", name="Save").click()
    await expect(desk.locator(".toast", has_text="Saved.")).to_be_visible()
    await member.refresh_from_db()
    assert (member.role, sorted(member.permissions)) == (Role.STAFF, ["inventory", "orders"])


async def test_a_customers_member_adds_a_tier_and_hands_over_a_redeemed_gift(desk, console, expect):
    clerk = await make_staff("CUSTOMERS")
    await MembershipTier.create(name="Silver", rank=1)
    member = await make_user(nickname="Kai")
    await points.adjust_points(member.id, 2000, "Welcome", actor_id=None)
    tote = await rewards.create_reward(
        {"name": "Canvas tote", "kind": RewardKind.GIFT, "points_cost": 1500, "stock": 5}
    )
    await rewards.redeem_reward(member.id, tote.id)
    await sign_in(desk, console, clerk, "marketing")

    # Customers staff see tiers and rewards, not the catalog's coupons and reviews.
    await expect(desk.locator("nav.tabs a")).to_have_text(["Membership tiers", "Rewards"])
    form = desk.get_by_role("form", name="New tier")
    await form.get_by_label("Name").fill("Gold")
    await form.get_by_label("Rank").fill("1")
    await form.get_by_role("button", name="Add tier").click()
    rank = form.locator(".field", has=desk.locator('[name="rank"]'))
    await expect(rank.locator(".field-error")).to_be_visible()
    await form.get_by_label("Rank").fill("2")
    await form.get_by_role("button", name="Add tier").click()
    await expect(desk.get_by_role("table", name="Membership tiers")).to_contain_text("Gold")
    assert await MembershipTier.filter(name="Gold", rank=2).exists()
    # Silver goes: asked first, then gone from the list and the table.
    tiers = desk.get_by_role("table", name="Membership tiers")
    await tiers.get_by_role("link", name="Silver").click()
    await desk.locator(".page-head").get_by_role("button", name="Delete").click()
    await desk.locator("dialog").get_by_role("button", name="Delete").click()
    await expect(tiers).to_contain_text("Gold")
    await expect(tiers).not_to_contain_text("Silver")
    assert not await MembershipTier.filter(name="Silver").exists()

    await desk.locator("nav.tabs").get_by_role("link", name="Rewards").click()
    row = desk.locator("table.data tbody tr", has_text="Canvas tote").last
    await expect(row).to_contain_text("Issued")
    await row.get_by_role("button", name="Mark handed over").click()
    await expect(row).to_contain_text("Fulfilled")
    redemption = await RewardRedemption.get(user_id=member.id)
    assert redemption.status == RedemptionStatus.FULFILLED


async def test_a_catalog_member_on_a_phone_sees_coupons_and_reviews_but_not_tiers(
    phone, console, expect
):
    marketer = await make_staff("CATALOG")
    await sign_in(phone, console, marketer, "marketing")

    tabs = phone.locator("nav.tabs a")
    await expect(tabs).to_have_text(["Coupons", "Reviews"])
    await expect(phone).to_have_url(f"{console}#/marketing/coupons")
    # A tiers address falls back to a section the member may use.
    await phone.goto(f"{console}#/marketing/tiers")
    await expect(phone).to_have_url(f"{console}#/marketing/coupons")
    await expect(phone.get_by_role("link", name="New coupon")).to_be_visible()
    width = await phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
