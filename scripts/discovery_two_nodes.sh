#!/usr/bin/env bash
# Private discovery across two real nodes (story 6 across nodes): node A hosts USA and serves
# HTTPS with mutual TLS; node B hosts GBR, pulls from A every second and calls A for its members'
# private searches. A GBR analyst finds, without telling A the number, that USA holds a report on
# it; asks for access; USA's releaser grants on A; the analyst reads the release on B. Then the
# refusals: a holding A keeps undiscoverable, a withdrawn one, a spent budget, an unpinned node.
#   usage: scripts/discovery_two_nodes.sh TEARLINE_BINARY PYTHON WORK_DIR
set -euo pipefail
bin=$1; py=$2; work=$3
mkdir -p "$work"
port_a=18553; port_b=18554
A="$work/a.db"; B="$work/b.db"
json() { "$py" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
fail() { echo "discovery: $*" >&2; exit 1; }

"$bin" pki ca --dir "$work/pki-a" --name "Node A CA" >/dev/null
"$bin" pki node --dir "$work/pki-a" --node a --host 127.0.0.1 >/dev/null
"$bin" pki node --dir "$work/pki-a" --node stranger --host 127.0.0.1 >/dev/null
"$bin" pki ca --dir "$work/pki-b" --name "Node B CA" >/dev/null
"$bin" pki node --dir "$work/pki-b" --node b --host 127.0.0.1 >/dev/null
pin_a=$("$bin" pki pin "$work/pki-a/a.pem"); pin_b=$("$bin" pki pin "$work/pki-b/b.pem")
cat "$work/pki-a/ca.pem" "$work/pki-b/ca.pem" >"$work/clients-a.pem"

"$bin" admin org-create --db "$A" --id USA --name "United States" --kind state >/dev/null
"$bin" admin org-create --db "$B" --id GBR --name "United Kingdom" --kind state >/dev/null
usa_key=$("$bin" federation key --db "$A" --org USA); gbr_key=$("$bin" federation key --db "$B" --org GBR)
"$bin" federation peer --db "$A" --org GBR --name "United Kingdom" --public-key "$gbr_key" --pin "$pin_b" >/dev/null
"$bin" federation peer --db "$B" --org USA --name "United States" --public-key "$usa_key" --url "https://127.0.0.1:$port_a" --pin "$pin_a" >/dev/null
"$bin" admin partnership-create --db "$A" --orgs USA,GBR --trust high >/dev/null
"$bin" admin partnership-create --db "$B" --orgs USA,GBR --trust high >/dev/null
member() { "$bin" admin member-create --db "$1" --org "$2" --name "$3" --roles "$4" --clearance "$5" --topics counter-terrorism | json 'd["token"]'; }
usa=$(member "$A" USA usa-releaser analyst,releaser "TOP SECRET")
usa_sec=$(member "$A" USA usa-security security "TOP SECRET")
gbr=$(member "$B" GBR gbr-analyst analyst SECRET)

"$bin" serve --db "$A" --port "$port_a" --tls-cert "$work/pki-a/a.pem" --tls-key "$work/pki-a/a.key.pem" \
  --tls-client-ca "$work/clients-a.pem" >"$work/a.log" 2>&1 &
server_a=$!
"$bin" serve --db "$B" --port "$port_b" --tls-cert "$work/pki-b/b.pem" --tls-key "$work/pki-b/b.key.pem" \
  --pull-from USA --pull-ca "$work/pki-a/ca.pem" --pull-interval 1 >"$work/b.log" 2>&1 &
server_b=$!
trap 'kill $server_a $server_b 2>/dev/null || true' EXIT
# Members of A call it with a client certificate from A's CA (mutual TLS is required there); it is not a partner node's.
a() { local token=$1; shift; curl -s --cacert "$work/pki-a/ca.pem" --cert "$work/pki-a/stranger.pem" --key "$work/pki-a/stranger.key.pem" \
        -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
b() { curl -s --cacert "$work/pki-b/ca.pem" -H "Authorization: Bearer $gbr" -H 'Content-Type: application/json' "$@"; }
for _ in $(seq 1 100); do
  a "$usa" "https://127.0.0.1:$port_a/healthz" >/dev/null 2>&1 && b "https://127.0.0.1:$port_b/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

report() {  # marking, discoverability, text
  a "$usa" -d "{\"title\":\"Courier calls\",\"titleMarking\":\"(U)\",\"sourceGrade\":\"B2\",\"topics\":[\"counter-terrorism\"],\"discoverability\":\"$2\",
    \"portions\":[{\"marking\":\"$1\",\"text\":\"$3\"}]}" "https://127.0.0.1:$port_a/v1/reports" | json 'd["id"]'
}
open_report=$(report "(S//REL TO USA, GBR)" all-partners "The courier called 0044 (20) 7946-0958 twice from the port.")
report "(S//REL TO USA, GBR)" own-organisation "A second courier used +44 20 7946 0111." >/dev/null
report "(S//NF)" all-partners "A third line, +44 20 7946 0222, is NOFORN." >/dev/null

search() { b -d "{\"kind\":\"phone\",\"value\":\"$1\"}" "https://127.0.0.1:$port_b/v1/entities/partner-search"; }
pointers() { json '[(p["node"], p["holder"], p["count"]) for p in d["pointers"]]'; }
# B pulls A's set on its own within a round or two.
for _ in $(seq 1 100); do
  found=$(search "+44 20 7946 0958")
  test "$(echo "$found" | pointers)" = "[('USA', 'USA', 1)]" && break
  sleep 0.2
done
test "$(echo "$found" | pointers)" = "[('USA', 'USA', 1)]" || fail "no pointer for the discoverable number: $found"
echo "$found" | "$py" -c 'import sys; raw=sys.stdin.read(); assert "courier" not in raw and "Courier" not in raw, raw'
for value in "+44 20 7946 0111" "+44 20 7946 0222" "+44 20 7946 0999"; do
  test "$(search "$value" | pointers)" = "[]" || fail "a pointer for $value, which USA does not make discoverable to GBR"
done

# Access request → A's releaser grants → B pulls the release and the decision → the analyst reads it.
handle=$(echo "$found" | json 'd["pointers"][0]["handle"]')
request=$(b -d "{\"handle\":\"$handle\",\"justification\":\"case 7\"}" "https://127.0.0.1:$port_b/v1/access-requests" | json 'd["id"]')
for _ in $(seq 1 100); do
  incoming=$(a "$usa" "https://127.0.0.1:$port_a/v1/access-requests?direction=incoming")
  echo "$incoming" | grep -q "$request" && break
  sleep 0.2
done
echo "$incoming" | grep -q "$request" || fail "the access request did not reach A: $incoming"
release=$(a "$usa" -X POST "https://127.0.0.1:$port_a/v1/access-requests/$request/grant" | json 'd["releases"][0]')
for _ in $(seq 1 100); do
  status=$(b "https://127.0.0.1:$port_b/v1/access-requests/$request" | json 'd["status"]')
  code=$(b -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port_b/v1/releases/$release")
  test "$status" = granted && test "$code" = 200 && break
  sleep 0.2
done
test "$status" = granted || fail "the grant did not come back to B ($status)"
b "https://127.0.0.1:$port_b/v1/releases/$release" | grep -q "twice from the port" || fail "the analyst cannot read the release"

# Withdrawn: USA makes the report undiscoverable; on its next pull B loses the pointer.
a "$usa" -X PUT -d '{"discoverability":"own-organisation"}' "https://127.0.0.1:$port_a/v1/reports/$open_report/discoverability" >/dev/null
for _ in $(seq 1 100); do
  test "$(search "+44 20 7946 0958" | pointers)" = "[]" && break
  sleep 0.2
done
test "$(search "+44 20 7946 0958" | pointers)" = "[]" || fail "the withdrawn holding still gives a pointer"

# A spent budget: refused, audited on A, USA's security alerted.
"$bin" federation discovery-budget --db "$A" --org GBR --per-day 0 >/dev/null
search "+44 20 7946 0958" | json '[(n["node"], n["status"]) for n in d["nodes"]]' | grep -qx "\[('USA', 'budget-exhausted')\]" || fail "an exhausted budget was not refused"
a "$usa_sec" "https://127.0.0.1:$port_a/v1/alerts" | grep -q discovery-budget || fail "no budget alert on A"

# A certificate A's CA issued but whose key is not pinned for GBR gets nothing.
code=$(a "$usa" -o /dev/null -w '%{http_code}' "https://127.0.0.1:$port_a/federation/v1/discovery/set?organization=GBR")
test "$code" = 404 || fail "an unpinned node got the set ($code)"
code=$(a "$usa" -o /dev/null -w '%{http_code}' -d '{"organization":"GBR","epoch":1,"elements":["'"$("$py" -c 'import base64; print(base64.b64encode(bytes([2]*49)).decode())')"'"]}' \
  "https://127.0.0.1:$port_a/federation/v1/discovery/evaluate")
test "$code" = 404 || fail "an unpinned node had an element evaluated ($code)"

# A saw evaluations, never the number; neither node logged it.
a "$usa_sec" "https://127.0.0.1:$port_a/v1/audit?action=discovery.evaluate" | grep -q '"allow"' || fail "no evaluation in A's trail"
if grep -q "7946" "$work/a.log" "$work/b.log"; then fail "a searched number is in a server log"; fi
if a "$usa_sec" "https://127.0.0.1:$port_a/v1/audit?limit=500" | grep -q "7946"; then fail "a searched number is in A's audit trail"; fi
echo "private discovery across two nodes passed"
