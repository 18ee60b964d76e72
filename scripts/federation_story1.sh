#!/usr/bin/env bash
# Story 1 across two nodes, with the command-line tools an operator uses: node A hosts USA and
# serves HTTPS with mutual TLS; node B hosts GBR. Each node has its own CA. B pulls USA's release
# to GBR with `tearline federation pull`; GBR's analysts read it on B as on one node; feedback
# and a refused forward (consent request) travel back to A.
#   usage: scripts/federation_story1.sh TEARLINE_BINARY PYTHON WORK_DIR
set -euo pipefail
bin=$1; py=$2; work=$3
mkdir -p "$work"
port_a=18543; port_b=18544
A="$work/a.db"; B="$work/b.db"
json() { "$py" -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

"$bin" pki ca --dir "$work/pki-a" --name "Node A CA" >/dev/null
"$bin" pki node --dir "$work/pki-a" --node a --host 127.0.0.1 >/dev/null
"$bin" pki node --dir "$work/pki-a" --node usa-client --host 127.0.0.1 >/dev/null
"$bin" pki ca --dir "$work/pki-b" --name "Node B CA" >/dev/null
"$bin" pki node --dir "$work/pki-b" --node b --host 127.0.0.1 >/dev/null
pin_a=$("$bin" pki pin "$work/pki-a/a.pem"); pin_b=$("$bin" pki pin "$work/pki-b/b.pem")
cat "$work/pki-a/ca.pem" "$work/pki-b/ca.pem" >"$work/clients-a.pem"

"$bin" admin org-create --db "$A" --id USA --name "United States" --kind state >/dev/null
"$bin" admin org-create --db "$B" --id GBR --name "United Kingdom" --kind state >/dev/null
usa_key=$("$bin" federation key --db "$A" --org USA); gbr_key=$("$bin" federation key --db "$B" --org GBR)
"$bin" federation peer --db "$A" --org GBR --name "United Kingdom" --public-key "$gbr_key" --pin "$pin_b" >/dev/null
"$bin" federation peer --db "$B" --org USA --name "United States" --public-key "$usa_key" --url "https://127.0.0.1:$port_a" --pin "$pin_a" >/dev/null
# A partner's key cannot be swapped by registering it again.
if "$bin" federation peer --db "$B" --org USA --name "United States" --public-key "$gbr_key" --pin "$pin_a" 2>/dev/null; then
  echo "a partner was re-registered under another public key" >&2; exit 1
fi
"$bin" admin partnership-create --db "$A" --orgs USA,GBR --trust high >/dev/null
"$bin" admin partnership-create --db "$B" --orgs USA,GBR --trust high >/dev/null
member() { "$bin" admin member-create --db "$1" --org "$2" --name "$3" --roles "$4" --clearance "$5" --topics counter-terrorism | json 'd["token"]'; }
usa=$(member "$A" USA usa-releaser analyst,releaser "TOP SECRET")
gbr_s=$(member "$B" GBR gbr-secret analyst SECRET)
gbr_c=$(member "$B" GBR gbr-confidential analyst CONFIDENTIAL)

# Node A: HTTPS, every client with a certificate from A's or B's CA; partner nodes are told apart by their pinned key.
"$bin" serve --db "$A" --port "$port_a" --tls-cert "$work/pki-a/a.pem" --tls-key "$work/pki-a/a.key.pem" \
  --tls-client-ca "$work/clients-a.pem" >"$work/a.log" 2>&1 &
server_a=$!
"$bin" serve --db "$B" --port "$port_b" >"$work/b.log" 2>&1 &
server_b=$!
trap 'kill $server_a $server_b 2>/dev/null || true' EXIT
a() { curl -s --cacert "$work/pki-a/ca.pem" --cert "$work/pki-a/usa-client.pem" --key "$work/pki-a/usa-client.key.pem" \
        -H "Authorization: Bearer $usa" -H 'Content-Type: application/json' "$@"; }
b() { local token=$1; shift; curl -s -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }
for _ in $(seq 1 100); do a "https://127.0.0.1:$port_a/healthz" >/dev/null 2>&1 && curl -sf "http://127.0.0.1:$port_b/healthz" >/dev/null && break; sleep 0.1; done

report=$(a -d '{"title":"Courier network in the Gulf","titleMarking":"(U)","sourceGrade":"B2","topics":["counter-terrorism"],"portions":[
  {"marking":"(S//REL TO USA, GBR)","text":"The courier network moves funds through three exchange houses."},
  {"marking":"(C//REL TO USA, GBR)","text":"Two of the exchange houses share a director."},
  {"marking":"(U)","text":"The network has been active since 2019."},
  {"marking":"(S//NF)","text":"Reporting comes from a recruited employee of one exchange house.","sourcesAndMethods":true}]}' \
  "https://127.0.0.1:$port_a/v1/reports" | json 'd["id"]')
release=$(a -d '{"recipient":"GBR"}' "https://127.0.0.1:$port_a/v1/reports/$report/releases" | json 'd["id"]')

# What A serves B's node: each object a STIX 2.1 report that stix2-validator accepts in strict mode.
collection=$("$py" -c 'import uuid; print(uuid.uuid5(uuid.UUID("03e5b136-61a4-4038-b4ca-4a38a9259499"), "received:GBR"))')
curl -sf --cacert "$work/pki-a/ca.pem" --cert "$work/pki-b/b.pem" --key "$work/pki-b/b.key.pem" -H 'Accept: application/taxii+json;version=2.1' \
  "https://127.0.0.1:$port_a/tearline/collections/$collection/objects/" | "$py" -c '
import json, sys, uuid
from stix2validator import ValidationOptions, validate_instance
envelope = json.load(sys.stdin)
assert len(envelope["objects"]) == 1 and envelope["more"] is False, envelope
bundle = {"type": "bundle", "id": "bundle--" + str(uuid.uuid4()), "objects": envelope["objects"]}
result = validate_instance(bundle, ValidationOptions(strict=True))
assert result.is_valid, [str(e) for e in result.errors] + [str(w) for w in result.warnings]'
pull() { "$bin" federation pull --db "$B" --peer USA --tls-cert "$work/pki-b/b.pem" --tls-key "$work/pki-b/b.key.pem" --peer-ca "$work/pki-a/ca.pem"; }
pull | json 'd[0]["received"]' | grep -qx 1
b "$gbr_s" "http://127.0.0.1:$port_b/v1/releases/$release" | "$py" -c '
import json,sys; raw=sys.stdin.read(); d=json.loads(raw)
assert [p["index"] for p in d["portions"]] == [0, 1, 2] and d["banner"] == "SECRET//REL TO USA, GBR", d
assert "recruited employee" not in raw'
b "$gbr_c" "http://127.0.0.1:$port_b/v1/releases/$release" | json '[p["index"] for p in d["portions"]]' | grep -qx '\[1, 2\]'
b "$gbr_s" "http://127.0.0.1:$port_b/v1/releases/$release/verify" | json 'd["valid"]' | grep -qx True

b "$gbr_s" -d '{"verdict":"confirmed"}' "http://127.0.0.1:$port_b/v1/releases/$release/feedback" | json 'd["verdict"]' | grep -qx confirmed
b "$gbr_s" -d '{"recipient":"FRA"}' "http://127.0.0.1:$port_b/v1/releases/$release/forward" | json 'd["type"]' | grep -q third-party-rule
pull | json '(d[0]["feedbackSent"], d[0]["consentRequestsSent"])' | grep -qx '(1, 1)'
a "https://127.0.0.1:$port_a/v1/consent-requests" | json '[(c["holder"], c["target"], c["status"]) for c in d]' | grep -qx "\[('GBR', 'FRA', 'pending')\]"
a "https://127.0.0.1:$port_a/v1/feedback" | grep -q confirmed

# Without a pinned node key, the collection and the exchange are closed even to a valid certificate.
code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/pki-a/ca.pem" --cert "$work/pki-a/usa-client.pem" --key "$work/pki-a/usa-client.key.pem" \
  -H 'Content-Type: application/json' -d '{"organization":"GBR","receipts":[],"feedback":[],"consentRequests":[],"refused":[]}' \
  "https://127.0.0.1:$port_a/federation/v1/exchange")
test "$code" = 404
# Node B pulls by itself: restarted as `serve --pull-from USA`, it picks up USA's next release within seconds.
kill "$server_b"; wait "$server_b" 2>/dev/null || true
"$bin" serve --db "$B" --port "$port_b" --tls-cert "$work/pki-b/b.pem" --tls-key "$work/pki-b/b.key.pem" \
  --pull-from USA --pull-ca "$work/pki-a/ca.pem" --pull-interval 1 >"$work/b.log" 2>&1 &
server_b=$!
trap 'kill $server_a $server_b 2>/dev/null || true' EXIT
second=$(a -d '{"recipient":"GBR"}' "https://127.0.0.1:$port_a/v1/reports/$report/releases" | json 'd["id"]')
for _ in $(seq 1 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$work/pki-b/ca.pem" -H "Authorization: Bearer $gbr_s" "https://127.0.0.1:$port_b/v1/releases/$second" || true)
  test "$code" = 200 && break
  sleep 0.2
done
test "$code" = 200
grep -q "pulled from USA for GBR: received 1" "$work/b.log"
if grep -q "exchange houses" "$work/a.log" "$work/b.log"; then
  echo "report text found in a server log" >&2; exit 1
fi
echo "federation story 1 passed"
