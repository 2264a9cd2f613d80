#!/usr/bin/env bash
#
# DataCosmos End-to-End Ordering Example
#
# Prerequisites:
# - curl and jq installed
# - data_cosmos_api_credentials.json in the same directory
# - Replace YOUR_ORGANISATION_ID and YOUR_CONTRACT_ID below
#
set -euo pipefail
# ──────────────────────────────────────────────
# Configuration
# ──────────────────────────────────────────────
CREDENTIALS_FILE="data_cosmos_api_credentials.json"
ORGANISATION_ID=42 # Replace with your organisation ID
CONTRACT_ID=456 # Replace with your contract ID
DOWNLOAD_DIR="downloads"
# ──────────────────────────────────────────────
# Step 1: Authenticate
# ──────────────────────────────────────────────
echo "Step 1: Authenticating..."
DATACOSMOS_ACCESS_TOKEN=$(curl --silent --request POST "https://login.open-cosmos.com/oauth/token" \
--header "Content-Type: application/json" \
-d @"${CREDENTIALS_FILE}" | jq -r ".access_token")
echo " Authenticated successfully."
echo ""
# ──────────────────────────────────────────────
# Step 2: Search the Catalogue
# ──────────────────────────────────────────────
echo "Step 2: Searching the catalogue..."
SEARCH_RESULTS=$(curl --silent --request POST "https://app.open-cosmos.com/api/data/v0/stac/search" \
--header "Content-Type: application/json" \
--header "Authorization: Bearer ${DATACOSMOS_ACCESS_TOKEN}" \
--data-raw '{
"collections": ["sentinel-2-l2a"],
"bbox": [-71.72, -27.68, -71.02, -27.06],
"limit": 5,
"query": {
"eo:cloudcover": {
"lte": 20
}
}
}')
RESULT_COUNT=$(echo "$SEARCH_RESULTS" | jq '.features | length')
COLLECTION=$(echo "$SEARCH_RESULTS" | jq -r '.features[0].collection')
ITEM_ID=$(echo "$SEARCH_RESULTS" | jq -r '.features[0].id')
echo " Found ${RESULT_COUNT} result(s). Selected: ${COLLECTION} / ${ITEM_ID}"
echo ""
# ──────────────────────────────────────────────
# Step 3: Retrieve Pricing
# ──────────────────────────────────────────────
echo "Step 3: Retrieving pricing..."
PRICE_RESPONSE=$(curl --silent --request GET \
"https://app.open-cosmos.com/api/data/v0/order/price?collection=${COLLECTION}&item=${ITEM_ID}&level=L2A" \
--header "Authorization: Bearer ${DATACOSMOS_ACCESS_TOKEN}")
FINAL_PRICE=$(echo "$PRICE_RESPONSE" | jq -r '.data.final')
CURRENCY=$(echo "$PRICE_RESPONSE" | jq -r '.data.currency')
echo " Price: ${FINAL_PRICE} ${CURRENCY}"
echo ""
# ──────────────────────────────────────────────
# Step 4: Place an Order
# ──────────────────────────────────────────────
echo "Step 4: Creating order..."
ORDER_RESPONSE=$(curl --silent --request POST "https://app.open-cosmos.com/api/data/v0/order/orders" \
--header "Content-Type: application/json" \
--header "Authorization: Bearer ${DATACOSMOS_ACCESS_TOKEN}" \
--data-raw "{
\"type\": \"IMAGE\",
\"data\": {
\"order_line_items\": [
{
\"collection\": \"${COLLECTION}\",
\"item\": \"${ITEM_ID}\",
\"level\": \"L2A\"
}
]
},
\"organisation\": ${ORGANISATION_ID},
\"contract_id\": ${CONTRACT_ID},
\"licenses\": [
{
\"license_link\": \"https://example.com/license/eula-v1\",
\"license_name\": \"DataCosmos EULA\",
\"license_version\": \"1.0\",
\"accepted\": true
}
]
}")
ORDER_ID=$(echo "$ORDER_RESPONSE" | jq -r '.data.id')
ORDER_STATUS=$(echo "$ORDER_RESPONSE" | jq -r '.data.status')
echo " Order created: ${ORDER_ID} (status: ${ORDER_STATUS})"
CHECKOUT_RESPONSE=$(curl --silent --request GET \
"https://app.open-cosmos.com/api/data/v0/order/orders/${ORDER_ID}/checkout" \
--header "Authorization: Bearer ${DATACOSMOS_ACCESS_TOKEN}")
CHECKOUT_URL=$(echo "$CHECKOUT_RESPONSE" | jq -r '.data.checkout_url')
echo " Complete payment at: ${CHECKOUT_URL}"
echo ""
# ──────────────────────────────────────────────
# Step 5: Wait for Payment and Download Data
# ──────────────────────────────────────────────
echo "Step 5: Waiting for payment confirmation..."
MAX_ATTEMPTS=30
POLL_INTERVAL=10
for i in $(seq 1 $MAX_ATTEMPTS); do
STATUS=$(curl --silent --request GET \
"https://app.open-cosmos.com/api/data/v0/order/orders/${ORDER_ID}" \
--header "Authorization: Bearer ${DATACOSMOS_ACCESS_TOKEN}" | jq -r '.data.status')
if [ "$STATUS" = "PAID" ]; then
echo " Payment confirmed!"
break
elif [ "$STATUS" = "CANCELLED" ]; then
echo " Order was cancelled."
exit 1
fi
echo " Attempt ${i}: status = ${STATUS} — waiting ${POLL_INTERVAL}s..."
sleep $POLL_INTERVAL
done
echo ""
echo "Downloading assets..."
mkdir -p "${DOWNLOAD_DIR}"
ITEM_RESPONSE=$(curl --silent --request GET \
"https://app.open-cosmos.com/api/data/v0/stac/collections/${COLLECTION}/items/${ITEM_ID}" \
--header "Authorization: Bearer ${DATACOSMOS_ACCESS_TOKEN}")
echo "$ITEM_RESPONSE" | jq -r '.assets | to_entries[] | "\(.value.title)\t\(.value.href)"' | while IFS=$'\t' read -r title href; do
echo " Downloading: ${title}"
curl --silent --output "${DOWNLOAD_DIR}/${title}" \
--header "Authorization: Bearer ${DATACOSMOS_ACCESS_TOKEN}" \
"${href}"
done
echo ""
echo "Done! All assets saved to '${DOWNLOAD_DIR}/'."
