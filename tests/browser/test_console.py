"""The web console in a real browser against a real server: search, draw, quote, order,
follow the order live, see and download its deliverable; viewers, wrong passwords and
forged sessions refused. Screenshots: build/browser-screenshots/<test name>/."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.browser.conftest import Visit

SCENE_COLLECTION = "sentinel-2-l2a"


def draw_rectangle_in_the_middle(visit: Visit) -> None:
    """Drag a rectangle around the map's centre (where the shown scene is)."""
    page = visit.page
    box = page.locator("#map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.click("#draw-aoi")
    page.mouse.move(x - 60, y - 40)
    page.mouse.down()
    page.mouse.move(x, y, steps=4)
    page.mouse.move(x + 60, y + 40, steps=4)
    page.mouse.up()


def click_a_polygon_in_the_middle(visit: Visit, finish_with_double_click: bool) -> None:
    """Click five corners around the map's centre, then close the polygon."""
    page = visit.page
    box = page.locator("#map").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.click("#draw-polygon")
    assert page.is_disabled("#finish-polygon")
    corners = [(-60, -30), (10, -50), (60, -10), (40, 40), (-50, 30)]
    for dx, dy in corners[:-1]:
        page.mouse.click(x + dx, y + dy)
    if finish_with_double_click:
        page.mouse.dblclick(x + corners[-1][0], y + corners[-1][1])
    else:
        page.mouse.click(x + corners[-1][0], y + corners[-1][1])
        assert page.text_content("#aoi-status").startswith("5 corners")
        page.click("#finish-polygon")
    page.wait_for_selector("#finish-polygon", state="hidden")


def search_and_open_a_scene(visit: Visit) -> None:
    page = visit.page
    page.select_option("#collection", SCENE_COLLECTION)
    page.click("#search")
    page.wait_for_selector("tr.scene")
    thumbnail = page.wait_for_selector("tr.scene img.thumb")
    assert thumbnail.evaluate("i => i.decode().then(() => i.naturalWidth)") > 0
    visit.shot("search-results")
    page.click("tr.scene >> nth=0")
    page.wait_for_selector("#quote-scene")


def quote_the_drawn_aoi(visit: Visit) -> None:
    page = visit.page
    draw_rectangle_in_the_middle(visit)
    assert page.text_content("#aoi-status").startswith("AOI ")
    visit.shot("aoi-drawn")
    page.click("#quote-scene")
    page.wait_for_selector("#quote-breakdown")
    for box in page.locator("input.licence-accept").all():
        box.check()
    visit.shot("quote")


def test_a_member_orders_a_scene_and_follows_it_to_a_download(visit: Visit) -> None:
    page, creds = visit.page, visit.server.creds
    visit.sign_in(creds["user"]["email"], creds["user"]["password"])
    page.wait_for_selector("#search")
    visit.shot("signed-in")
    search_and_open_a_scene(visit)
    quote_the_drawn_aoi(visit)
    assert "CREDITS" in page.text_content("#quote-total")

    page.click("#place-order")
    page.wait_for_selector("#order-placed")
    page.click("#open-order")
    page.wait_for_selector("#events li.event")
    page.evaluate("window.notReloaded = true")
    events_before = page.locator("#events li.event").count()
    visit.shot("order-placed")

    page.fill("#advance-hours", "2")
    page.click("#advance")
    page.wait_for_selector("#order-status.completed", timeout=60_000)
    page.wait_for_selector("#events li[data-type=OrderCompleted]")
    assert page.evaluate("window.notReloaded") is True  # the events came without a reload
    assert page.locator("#events li.event").count() > events_before
    visit.shot("order-completed")

    footprints = page.locator(".leaflet-overlay-pane path").count()
    assert footprints >= 2  # the item's AOI and the deliverable's footprint
    page.click(".deliverable.delivered .show-preview")
    overlay = page.wait_for_selector("img.preview-overlay")
    assert overlay.evaluate("i => i.decode().then(() => i.naturalWidth)") > 0
    visit.shot("preview-on-map")

    with page.expect_download() as downloading:
        page.click(".deliverable.delivered a.download[data-asset=metadata]")
    saved = Path(downloading.value.path())
    assert saved.stat().st_size > 0
    assert b"{" in saved.read_bytes()[:10]

    page.goto(f"{visit.server.base_url}/console#/orders")
    page.fill("#filter-created-by", creds["user"]["email"])
    page.click("#apply-filters")
    page.wait_for_selector("tr.order-row")
    assert page.locator("tr.order-row").count() == 1
    page.fill("#filter-bbox", "100,60,101,61")  # far from the ordered scene
    page.click("#apply-filters")
    page.wait_for_selector("#orders-list >> text=0 orders")
    visit.shot("orders-filtered")


def test_a_pay_per_order_customer_pays_at_the_hosted_checkout(visit: Visit) -> None:
    page, buyer = visit.page, visit.server.creds["pay_per_order"]["user"]
    visit.sign_in(buyer["email"], buyer["password"])
    page.wait_for_selector("#search")
    search_and_open_a_scene(visit)
    quote_the_drawn_aoi(visit)
    assert "EUR" in page.text_content("#quote-total")
    page.click("#place-order")
    page.wait_for_selector("#checkout-link")
    visit.shot("order-awaiting-payment")
    page.click("#checkout-link")
    page.click("#pay")
    page.wait_for_selector("#status:has-text('paid')")
    assert "order accepted" in page.text_content("#status")
    visit.shot("paid-at-checkout")


def test_a_polygon_clicked_on_the_map_is_the_aoi_quoted(visit: Visit) -> None:
    page, creds = visit.page, visit.server.creds
    visit.sign_in(creds["user"]["email"], creds["user"]["password"])
    page.wait_for_selector("#search")
    search_and_open_a_scene(visit)
    click_a_polygon_in_the_middle(visit, finish_with_double_click=False)
    assert page.text_content("#aoi-status").startswith("AOI ")
    visit.shot("polygon-drawn")
    with page.expect_request("**/v1/quotes") as quoting:
        page.click("#quote-scene")
    ring = quoting.value.post_data_json["items"][0]["aoi"]["coordinates"][0]
    assert len(ring) == 6 and ring[0] == ring[-1]  # five corners, closed
    page.wait_for_selector("#quote-breakdown")
    visit.shot("polygon-quoted")

    click_a_polygon_in_the_middle(visit, finish_with_double_click=True)
    with page.expect_request("**/v1/quotes") as quoting:
        page.click("#quote-scene")
    assert len(quoting.value.post_data_json["items"][0]["aoi"]["coordinates"][0]) == 6


def add_invited(visit: Visit, email: str, role: str, password: str) -> None:
    """An admin adds a user by the API; the user opens the invitation and chooses a password."""
    creds = visit.server.creds
    with visit.server.client() as api:
        user = api.post("/v1/users", json={"email": email, "role": role}).json()
        invitation = api.post(f"/v1/users/{user['id']}/invitation").json()
    page = visit.page
    page.goto(visit.server.base_url + urlsplit(invitation["url"]).path)
    page.fill("#password", password)
    page.click("#invitation button")
    page.wait_for_selector("#search")
    assert creds["organisation_id"] == user["organisation_id"]


def test_a_viewer_can_search_and_price_but_not_order(visit: Visit) -> None:
    page = visit.page
    add_invited(visit, "vera@example.com", "viewer", "viewer password 1")
    assert "(viewer)" in page.text_content("#who")
    visit.shot("viewer-signed-in")
    search_and_open_a_scene(visit)
    quote_the_drawn_aoi(visit)
    page.click("#place-order")
    problem = page.wait_for_selector("#order-result .problem")
    assert "viewer" in problem.text_content()
    visit.shot("viewer-refused")


def test_a_wrong_password_is_refused(visit: Visit) -> None:
    page, creds = visit.page, visit.server.creds
    visit.sign_in(creds["user"]["email"], "not the password")
    assert "wrong email or password" in page.text_content("#problem")
    assert page.url.endswith("/console/sign-in")
    visit.shot("wrong-password")
    assert page.context.cookies() == [] or all(
        c["name"] != "skyorder_session" for c in page.context.cookies()
    )


def test_a_forged_session_is_refused(visit: Visit, console_server: Any) -> None:
    page = visit.page
    host = urlsplit(console_server.base_url).hostname
    page.context.add_cookies(
        [{"name": "skyorder_session", "value": "forged", "domain": host, "path": "/"}]
    )
    page.goto(f"{console_server.base_url}/console")
    assert page.url.endswith("/console/sign-in")
    answer = page.evaluate("fetch('/v1/orders').then(r => r.status)")
    assert answer == 401
    visit.shot("forged-session")
    assert httpx.get(
        f"{console_server.base_url}/v1/orders", cookies={"skyorder_session": "forged"}
    ).status_code == 401


def test_tasking_shows_opportunities_on_a_timeline_and_feasibility(
    visit: Visit, tmp_path: Path
) -> None:
    page, creds = visit.page, visit.server.creds
    aoi = tmp_path / "aoi.geojson"
    aoi.write_text(
        '{"type": "Polygon", "coordinates": [[[-57.62, -38.0], [-57.52, -38.0], '
        "[-57.52, -37.92], [-57.62, -37.92], [-57.62, -38.0]]]}"
    )
    visit.sign_in(creds["user"]["email"], creds["user"]["password"])
    page.click("#nav-tasking")
    page.wait_for_selector("#find-opportunities")
    page.set_input_files("#upload-aoi", str(aoi))
    page.wait_for_selector("#aoi-status:has-text('AOI -57.620')")
    page.click("#find-opportunities")
    page.wait_for_selector("#timeline .opportunity")
    page.click("#check-feasibility")
    status = page.wait_for_selector("#feasibility-status").text_content()
    assert status in {"SUCCESS", "RISKY", "FAILURE"}
    assert page.text_content("#feasibility-reason")
    visit.shot("opportunities-and-feasibility")

    page.click("#quote-tasking")
    page.wait_for_selector("#quote-breakdown")
    page.click("#place-order")
    page.click("#open-order")
    page.wait_for_selector("#events li.event")
    page.fill("#advance-hours", "240")
    page.click("#advance")
    page.wait_for_selector("tr.capture.collected", timeout=60_000)
    for failed in page.locator("tr.capture.failed td.reason").all():
        assert failed.text_content()  # e.g. "cloud cover 28% above the 20% maximum"
    # Each capture's footprint and its imaged centre line (dashed) are on the map.
    captures = page.locator("tr.capture").count()
    assert page.locator(".leaflet-overlay-pane path[stroke-dasharray='6 3']").count() == captures
    visit.shot("captures-on-map")


def test_an_admin_edits_and_deletes_a_webhook_on_the_account_page(visit: Visit) -> None:
    page, creds = visit.page, visit.server.creds
    visit.sign_in(creds["user"]["email"], creds["user"]["password"])
    page.click("#nav-account")
    page.fill("#webhook-url", "http://127.0.0.1:8650/first")
    page.click("#add-webhook")
    page.wait_for_selector("#webhook-result .once")
    found = page.locator(".webhook", has_text="127.0.0.1:8650/first")
    assert found.locator(".webhook-types").text_content() == "every event"
    hook = page.locator(f".webhook[data-id='{found.get_attribute('data-id')}']")

    hook.locator("button.edit-webhook").click()
    hook.locator(".edit-url").fill("http://127.0.0.1:8650/second")
    hook.locator(".edit-description").fill("orders desk")
    hook.locator(".edit-types").fill("OrderCompleted, OrderFailed")
    hook.locator(".edit-enabled").uncheck()
    hook.locator(".save-webhook").click()
    edited = hook
    edited.locator(".webhook-url", has_text="127.0.0.1:8650/second").wait_for()
    assert edited.locator(".webhook-types").text_content() == "OrderCompleted, OrderFailed"
    assert "orders desk" in edited.text_content()
    assert "disabled" in edited.text_content()
    visit.shot("webhook-edited")
    with visit.server.client() as api:
        stored = next(w for w in api.get("/v1/webhooks").json()["results"] if "8650" in w["url"])
    assert stored["event_types"] == ["OrderCompleted", "OrderFailed"]
    assert stored["enabled"] is False

    edited.locator(".edit-webhook").click()
    edited.locator(".edit-url").fill("not a url")
    edited.locator(".save-webhook").click()
    assert edited.locator(".problem").text_content()  # the server's detail, shown in place

    page.reload()
    hook.locator(".delete-webhook").click()
    assert hook.locator(".delete-webhook").text_content().startswith("Really delete")
    hook.locator(".delete-webhook").click()
    hook.wait_for(state="detached")
    with visit.server.client() as api:
        assert all("8650" not in w["url"] for w in api.get("/v1/webhooks").json()["results"])


def test_a_rush_tasking_item_repeated_weekly_is_quoted_with_its_recurrence(
    visit: Visit, tmp_path: Path
) -> None:
    page, creds = visit.page, visit.server.creds
    aoi = tmp_path / "aoi.geojson"
    aoi.write_text('{"type": "Point", "coordinates": [-57.57, -37.96]}')
    visit.sign_in(creds["user"]["email"], creds["user"]["password"])
    page.click("#nav-tasking")
    page.wait_for_selector("#find-opportunities")
    page.set_input_files("#upload-aoi", str(aoi))
    page.select_option("#tasking-priority", "rush")
    assert page.is_disabled("#occurrences")
    page.select_option("#recurrence", "WEEKLY")
    page.fill("#occurrences", "3")
    page.click("#quote-tasking")  # a 14-day window cannot repeat weekly
    problem = page.wait_for_selector("#quote .problem").text_content()
    assert "occurrences would overlap" in problem

    start = page.input_value("#window-start")
    end = page.evaluate(
        "s => new Date(Date.parse(s + 'Z') + 5 * 86400000).toISOString().slice(0, 16)", start
    )
    page.fill("#window-end", end)
    with page.expect_request("**/v1/quotes") as quoting:
        page.click("#quote-tasking")
    item = quoting.value.post_data_json["items"][0]
    assert item["priority"] == "rush"
    assert item["recurrence"] == {"kind": "WEEKLY", "occurrences": 3}
    page.wait_for_selector("#quote-breakdown")
    visit.shot("rush-weekly-quoted")
