"""
DataCosmos End-to-End Ordering Example
Prerequisites:
- pip install requests
- data_cosmos_api_credentials.json in the same directory
- Replace YOUR_ORGANISATION_ID and YOUR_CONTRACT_ID with real values
"""
import json
import os
import time
import requests
# ──────────────────────────────────────────────
# Configuration
# ──────────────────────────────────────────────
CREDENTIALS_FILE = "data_cosmos_api_credentials.json"
ORGANISATION_ID = 42 # Replace with your organisation ID
CONTRACT_ID = 456 # Replace with your contract ID
DOWNLOAD_DIR = "downloads"
# ──────────────────────────────────────────────
# Step 1: Authenticate
# ──────────────────────────────────────────────
print("Step 1: Authenticating...")
with open(CREDENTIALS_FILE) as fp:
    oauth_body = json.load(fp)
session = requests.Session()
token_response = session.post(
    "https://login.open-cosmos.com/oauth/token",
    data=oauth_body,
).json()
session.headers.update(
    {"Authorization": f'{token_response["token_type"]} {token_response["access_token"]}'}
)
print(" Authenticated successfully.\n")
# ──────────────────────────────────────────────
# Step 2: Search the Catalogue
# ──────────────────────────────────────────────
print("Step 2: Searching the catalogue...")
search_body = {
    "collections": ["sentinel-2-l2a"],
    "bbox": [-71.72, -27.68, -71.02, -27.06],
    "limit": 5,
    "query": {
        "eo:cloudcover": {
            "lte": 20,
        },
    },
}
response = session.post(
    "https://app.open-cosmos.com/api/data/v0/stac/search",
    json=search_body,
)
response.raise_for_status()
features = response.json().get("features", [])
if not features:
    print(" No results found. Try adjusting your search parameters.")
    exit(1)
selected_item = features[0]
collection = selected_item["collection"]
item_id = selected_item["id"]
print(f" Found {len(features)} result(s). Selected: {collection} / {item_id}\n")
# ──────────────────────────────────────────────
# Step 3: Retrieve Pricing
# ──────────────────────────────────────────────
print("Step 3: Retrieving pricing...")
response = session.get(
    "https://app.open-cosmos.com/api/data/v0/order/price",
    params={"collection": collection, "item": item_id, "level": "L2A"},
)
response.raise_for_status()
price_data = response.json()["data"]
print(f" Price: {price_data['final']} {price_data['currency']}\n")
# ──────────────────────────────────────────────
# Step 4: Place an Order
# ──────────────────────────────────────────────
print("Step 4: Creating order...")
order_payload = {
    "type": "IMAGE",
    "data": {
        "order_line_items": [
            {
                "collection": collection,
                "item": item_id,
                "level": "L2A",
            }
        ]
    },
    "organisation": ORGANISATION_ID,
    "contract_id": CONTRACT_ID,
    "licenses": [
        {
            "license_link": "https://example.com/license/eula-v1",
            "license_name": "DataCosmos EULA",
            "license_version": "1.0",
            "accepted": True,
        }
    ],
}
response = session.post(
    "https://app.open-cosmos.com/api/data/v0/order/orders",
    json=order_payload,
)
response.raise_for_status()
order = response.json()["data"]
order_id = order["id"]
print(f" Order created: {order_id} (status: {order['status']})")
# Get checkout URL
response = session.get(
    f"https://app.open-cosmos.com/api/data/v0/order/orders/{order_id}/checkout",
)
response.raise_for_status()
checkout_url = response.json()["data"]["checkout_url"]
print(f" Complete payment at: {checkout_url}\n")
# ──────────────────────────────────────────────
# Step 5: Wait for Payment and Download Data
# ──────────────────────────────────────────────
print("Step 5: Waiting for payment confirmation...")
max_attempts = 30
poll_interval = 10
for attempt in range(max_attempts):
    response = session.get(
        f"https://app.open-cosmos.com/api/data/v0/order/orders/{order_id}",
    )
    status = response.json()["data"]["status"]
    if status == "PAID":
        print(" Payment confirmed!\n")
        break
    elif status == "CANCELLED":
        print(" Order was cancelled.")
        exit(1)
    else:
        print(f" Attempt {attempt + 1}: status = {status} — waiting {poll_interval}s...")
        time.sleep(poll_interval)
# Download assets
print("Downloading assets...")
response = session.get(
    f"https://app.open-cosmos.com/api/data/v0/stac/collections/{collection}/items/{item_id}",
)
response.raise_for_status()
item_data = response.json()
os.makedirs(DOWNLOAD_DIR, exist_ok=True)
for asset_key, asset in item_data["assets"].items():
    filename = asset.get("title", asset_key)
    filepath = os.path.join(DOWNLOAD_DIR, filename)
    print(f" Downloading: {filename}")
    asset_response = session.get(asset["href"])
    with open(filepath, "wb") as fp:
        fp.write(asset_response.content)
print(f"\nDone! All assets saved to '{DOWNLOAD_DIR}/'.")
