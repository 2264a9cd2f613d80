"""The hosted sandbox checkout: a page where a person pays for an order or cancels it."""

from __future__ import annotations

from html import escape

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, RedirectResponse

from skyorder.api.deps import FacadeDep

router = APIRouter(prefix="/checkout", tags=["checkout"], include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>skyorder checkout</title>
<style>body{{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}}
table{{border-collapse:collapse;width:100%}}
td,th{{padding:.3rem;border-bottom:1px solid #ddd;text-align:left}}
.total{{font-size:1.4rem}} button{{font-size:1rem;padding:.5rem 1.2rem;margin-right:.5rem}}
.status{{padding:.6rem;background:#eef}}</style></head>
<body><h1>Sandbox checkout</h1>
<p>Order <strong id="order-number">{number}</strong> &mdash; {name}</p>
<table><tr><th>Item</th><th>Product</th><th>Billable km²</th><th>Amount</th></tr>{rows}</table>
<p class="total">Total: <strong id="total">{total} {currency}</strong></p>
<p class="status" id="status">Status: {status}</p>
{actions}
<p><small>This is a sandbox: no real payment is taken.</small></p></body></html>"""

ACTIONS = """<form method="post" action="/checkout/{id}/pay" style="display:inline">
<button id="pay" type="submit">Pay {total} {currency}</button></form>
<form method="post" action="/checkout/{id}/cancel" style="display:inline">
<button id="cancel" type="submit">Cancel order</button></form>"""


@router.get("/{checkout_id}", response_class=HTMLResponse)
def checkout_page(checkout_id: str, facade: FacadeDep) -> HTMLResponse:
    """Show the order, its total, and Pay / Cancel buttons while the checkout is open."""
    checkout, order = facade.checkouts.get(checkout_id)
    rows = "".join(
        f"<tr><td>{i + 1}</td><td>{escape(item.product)}</td>"
        f"<td>{item.price.areas.billable_km2 if item.price else 0:.2f}</td>"
        f"<td>{item.price.total if item.price else 0}</td></tr>"
        for i, item in enumerate(order.items)
    )
    actions = (
        ACTIONS.format(id=escape(checkout.id), total=checkout.amount, currency=checkout.currency)
        if checkout.status == "open"
        else ""
    )
    html = PAGE.format(
        number=escape(order.number),
        name=escape(order.name),
        rows=rows,
        total=checkout.amount,
        currency=escape(checkout.currency),
        status=escape(f"{checkout.status} (order {order.status.value})"),
        actions=actions,
    )
    return HTMLResponse(html)


@router.post("/{checkout_id}/pay")
def pay(checkout_id: str, facade: FacadeDep) -> RedirectResponse:
    """Pay the checkout: the order is accepted."""
    facade.checkouts.pay(checkout_id)
    return RedirectResponse(f"/checkout/{checkout_id}", status_code=303)


@router.post("/{checkout_id}/cancel")
def cancel(checkout_id: str, facade: FacadeDep) -> RedirectResponse:
    """Abandon the checkout: the order is cancelled and nothing is charged."""
    facade.checkouts.cancel(checkout_id)
    return RedirectResponse(f"/checkout/{checkout_id}", status_code=303)
