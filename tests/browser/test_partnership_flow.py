"""Issue 14's cycle in Chromium: an institution accepts an expression of interest, proposes to
record the partnership, the partner confirms it, a moderator approves it, and it appears on
/projects/ and on both institutions' profiles — and nowhere before."""

from __future__ import annotations

import uuid

from playwright.sync_api import expect

from portal.database import utcnow
from portal.interests.models import Interest
from tests.support.factories import PASSWORD, Factory


def _signed_in(chromium, live_server: str, email: str):  # noqa: ANN001, ANN202
    context = chromium.new_context(locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server}/en/account/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(PASSWORD)
    page.locator("form.stacked button[type=submit], form.stacked input[type=submit]").first.click()
    expect(page.locator(".account-menu")).to_be_visible()
    return context, page


def test_accept_propose_confirm_approve_then_public(page, chromium, live_server, live_db):
    make = Factory(live_db)
    center = make.center("desertification-control")
    tag = uuid.uuid4().hex[:6]
    owner = make.institution(f"Tianshan Drip {tag}", country="CN")
    seeker = make.institution(f"Turkistan Fields {tag}", country="KZ")
    owner_email, seeker_email, moderator_email = (f"{who}-{tag}@example.org" for who in ("owner", "seeker", "mod"))
    make.user(owner_email, institution=owner, institution_admin=True, name="Chen")
    make.user(seeker_email, institution=seeker, institution_admin=True, name="Aigerim")
    make.moderator(center, email=moderator_email)
    listing = make.listing(institution=owner, center=center, title=f"Drip kits {tag}")
    interest = Interest(listing_id=listing.id, institution_id=seeker.id, created_at=utcnow(),
                        message="We farm 2,000 ha of cotton in Turkistan and want to pilot your kits.")
    live_db.add(interest)
    live_db.commit()
    interest_id, owner_id, seeker_id = interest.id, owner.id, seeker.id
    live_db.rollback()
    title = f"Drip irrigation pilot {tag}"

    # The listing's institution accepts, then proposes to record the partnership.
    context, owner_page = _signed_in(chromium, live_server, owner_email)
    owner_page.goto(f"{live_server}/en/interests/{interest_id}")
    owner_page.get_by_role("button", name="Accept and share contacts").click()
    expect(owner_page.locator(".flash-success")).to_contain_text("Your answer has been sent")
    owner_page.get_by_role("link", name="Record a partnership").click()
    expect(owner_page.locator("h1")).to_have_text("Record a partnership")
    expect(owner_page.locator("#partners option:checked")).to_contain_text(f"Turkistan Fields {tag}")
    owner_page.locator("#stage").select_option("agreement_signed")
    owner_page.locator("#title").fill(title)
    owner_page.locator("#description").fill("Two seasons of drip tape and fertigation on 50 ha of saline cotton land.")
    owner_page.locator("#starts_on").fill("2025-04-01")
    owner_page.locator("#hectares_restored").fill("50")
    owner_page.get_by_role("button", name="Send to the partners for confirmation").click()
    expect(owner_page.locator(".flash-success")).to_contain_text("sent to the partner institutions")
    expect(owner_page.locator(".notice")).to_contain_text("Only the partner institutions and the moderators")
    project_url = owner_page.url
    context.close()

    page.goto(f"{live_server}/en/projects/?q={tag}")
    expect(page.locator(".project-card")).to_have_count(0)  # not public: not confirmed yet
    assert page.request.get(project_url).status == 404

    # The partner confirms.
    context, seeker_page = _signed_in(chromium, live_server, seeker_email)
    seeker_page.goto(f"{live_server}/en/projects/mine")
    seeker_page.locator("#waiting-heading + ul").get_by_role("link", name=title).click()
    seeker_page.get_by_role("button", name="Confirm for my institution").click()
    expect(seeker_page.locator(".flash-success")).to_contain_text("Every partner has now confirmed")
    context.close()

    page.goto(f"{live_server}/en/projects/?q={tag}")
    expect(page.locator(".project-card")).to_have_count(0)  # not public: not approved yet

    # A moderator of the center approves it from the review queue.
    context, moderator_page = _signed_in(chromium, live_server, moderator_email)
    moderator_page.goto(f"{live_server}/en/moderation/?type=project")
    moderator_page.get_by_role("link", name=title).click()
    expect(moderator_page.locator("h1")).to_have_text("Review a partnership project")
    moderator_page.get_by_role("button", name="Approve").click()
    expect(moderator_page.locator(".flash-success")).to_contain_text(title)
    context.close()

    page.goto(f"{live_server}/en/projects/?q={tag}")
    expect(page.locator(".project-card")).to_have_count(1)
    expect(page.locator(".project-card h3")).to_have_text(title)
    page.locator("label", has_text="China – Kazakhstan").locator("input").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".project-card")).to_have_count(1)
    page.get_by_role("link", name=title).click()
    expect(page.locator(".project-detail .tags")).to_contain_text("Agreement signed")
    expect(page.locator("#origin-heading")).to_be_visible()  # the listing it grew from
    for institution_id in (owner_id, seeker_id):
        page.goto(f"{live_server}/en/institutions/{institution_id}")
        expect(page.locator("#projects-heading + ul .project-card h3")).to_have_text(title)

    # ... and in the statistics, once the hourly figures are computed again (dropped here, as an
    # hour passing would).
    from sqlalchemy import delete, func, select

    from portal.cache.models import CachedValue
    from portal.partnerships.models import Project, ProjectStatus, Stage

    live_db.execute(delete(CachedValue))
    live_db.commit()
    signed = live_db.scalar(select(func.count()).select_from(Project).where(
        Project.status == ProjectStatus.PUBLISHED, Project.stage == Stage.AGREEMENT_SIGNED))
    live_db.rollback()  # SQLite: end the read, so the server may write
    page.goto(f"{live_server}/en/statistics/")
    expect(page.get_by_role("img", name="Partnership projects by stage")).to_be_visible()
    row = page.locator("table", has_text="Started outside the platform").locator("tr", has_text="Agreement signed")
    expect(row.locator("td").last).to_have_text(str(signed))
