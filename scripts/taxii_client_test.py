#!/usr/bin/env python3
"""TAXII 2.1 client test with the real PyPI clients (taxii2-client, stix2, stix2-validator).

Against a running Tearline server (it does its own setup with the admin CLI, then uses only HTTP):

    python scripts/taxii_client_test.py --url http://127.0.0.1:PORT --tearline BIN --db DB

BIN is the tearline executable and DB the database the server was started on (`tearline serve
--db DB --port PORT`). Re-running against the same database works: existing organisations and
partnerships are reused, members, logins and collections are new each run.

Against medallion (checks only the generic TAXII parts; no Tearline setup or rule checks):

    python scripts/taxii_client_test.py --medallion              # starts medallion 3.0.0 itself
    python scripts/taxii_client_test.py --medallion --url http://127.0.0.1:5000 \
        --user admin --password Password0 --api-root trustgroup1 \
        --collection 365fed99-08fa-fdcd-a1b3-fb247eb41d01          # an already running medallion

With --medallion and no --url the script starts `medallion` (found next to this Python) on a free
loopback port, with Tests/TearlineServerTests/Fixtures/medallion/{config,default_data}.json (the
discovery URLs rewritten to that port) and its empty writable collection 365fed99-….

Prints one line per check; exits 1 on the first failure (or, with --keep-going, at the end).
Needs: pip install taxii2-client stix2 stix2-validator requests (and medallion==3.0.0 for --medallion).
"""
import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import requests
import requests.auth
import stix2
from stix2validator import ValidationOptions, validate_instance
from taxii2client.v21 import ApiRoot, Collection, Server, Status, as_pages

TAXII = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "TearlineServerTests", "Fixtures", "medallion")
MEDALLION_COLLECTION = "365fed99-08fa-fdcd-a1b3-fb247eb41d01"

# TLP 2.0 marking definitions (OASIS cti-stix-common-objects) and the TLP 1.0 ones of STIX 2.1 §7.2.1.4.
TLP2 = {
    "CLEAR": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    "GREEN": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    "AMBER": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    "AMBER+STRICT": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    "RED": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP1 = {
    "WHITE": "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9",
    "GREEN": "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
    "AMBER": "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82",
    "RED": "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
}
RED_IDS = {TLP2["RED"], TLP1["RED"]}

# Tearline's STIX identifiers (Sources/TearlineCore/STIX/STIXIdentifier.swift): a UUID with
# version-4 layout from SHA-256(namespace bytes + name).
TEARLINE_NAMESPACE = uuid.UUID("03e5b136-61a4-4038-b4ca-4a38a9259499")


def tearline_id(type_, name):
    raw = bytearray(hashlib.sha256(TEARLINE_NAMESPACE.bytes + name.encode()).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    return "%s--%s" % (type_, uuid.UUID(bytes=bytes(raw)))


TEARLINE_IDENTITY = tearline_id("identity", "tearline:identity")
TEARLINE_EXTENSION = tearline_id("extension-definition", "tearline:extension:marking-v1")


def tearline_marking_definition(banner, classification, rel_to=(), noforn=False):
    """A marking definition carrying a Tearline security marking (the marking extension)."""
    body = {"extension_type": "property-extension", "banner": banner, "classification": classification}
    if rel_to:
        body["rel_to"] = list(rel_to)
    body["noforn"] = noforn
    body["orcon"] = False
    return {
        "type": "marking-definition", "spec_version": "2.1", "id": tearline_id("marking-definition", "marking:" + banner),
        "created_by_ref": TEARLINE_IDENTITY, "created": "2026-01-01T00:00:00.000Z", "name": banner,
        "extensions": {TEARLINE_EXTENSION: body},
    }


# ----------------------------------------------------------------------------- reporting

class CheckFailed(Exception):
    pass


class Checks:
    def __init__(self, keep_going):
        self.keep_going = keep_going
        self.passed = 0
        self.failed = []

    def ok(self, name, condition, detail=""):
        if condition:
            self.passed += 1
            print("ok    %s" % name, flush=True)
            return True
        message = "%s%s" % (name, (": " + detail) if detail else "")
        print("FAIL  %s" % message, flush=True)
        self.failed.append(message)
        if not self.keep_going:
            raise CheckFailed(message)
        return False

    def equal(self, name, got, want):
        return self.ok(name, got == want, "got %r, want %r" % (short(got), short(want)))

    def note(self, text):
        print("      %s" % text, flush=True)


def short(value, limit=600):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def parse_ts(text):
    """A STIX/TAXII timestamp as (datetime, microseconds since the epoch); sub-microsecond digits are cut."""
    m = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z", text or "")
    if not m:
        raise ValueError("not a STIX timestamp: %r" % (text,))
    base = dt.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    micros = int(((m.group(2) or "") + "000000")[:6])
    when = base + dt.timedelta(microseconds=micros)
    return when


def is_ts(text):
    try:
        parse_ts(text)
        return True
    except (ValueError, TypeError):
        return False


def version_of(obj):
    return obj.get("modified") or obj.get("created")


class Bearer(requests.auth.AuthBase):
    """Authorization: Bearer (taxii2client's own TokenAuth sends the `Token` scheme instead)."""

    def __init__(self, token):
        self.token = token

    def __call__(self, r):
        r.headers["Authorization"] = "Bearer " + self.token
        return r


class Who:
    """A TAXII user: a name for the output and a requests auth object."""

    def __init__(self, name, auth, org=None, clearance=None, member_id=None, token=None):
        self.name, self.auth, self.org, self.clearance, self.member_id, self.token = name, auth, org, clearance, member_id, token


# ----------------------------------------------------------------------------- the test

class Run:
    def __init__(self, args):
        self.args = args
        self.c = Checks(args.keep_going)
        self.base = args.url.rstrip("/")
        self.returned = {}  # (id, version or "", where) -> object, everything the server served
        self.medallion = args.medallion

    # --- HTTP helpers

    def record(self, envelope, where):
        for obj in (envelope or {}).get("objects", []) or []:
            if isinstance(obj, dict) and "id" in obj and "type" in obj:
                self.returned[(obj["id"], version_of(obj) or json.dumps(obj, sort_keys=True), where)] = obj
        return envelope

    def raw(self, method, path, who, headers=None, **kw):
        h = {"Accept": TAXII}
        h.update(headers or {})
        url = path if path.startswith("http") else self.base + path
        return requests.request(method, url, headers=h, auth=who.auth if who else None, timeout=60, **kw)

    def root_path(self):
        return "/%s/" % self.api_root_name

    def coll_path(self, cid):
        return "%scollections/%s/" % (self.root_path(), cid)

    def collection(self, cid, who):
        return Collection(self.base + self.coll_path(cid), auth=who.auth)

    def all_objects(self, coll, where, per_request=7, **filters):
        """Pages through get_objects with as_pages; returns the objects and the pages' sizes."""
        objects, sizes = [], []
        for envelope in as_pages(coll.get_objects, per_request=per_request, **filters):
            self.record(envelope, where)
            if envelope.get("more"):
                self.c.ok("%s: a page with more=true carries next" % where, bool(envelope.get("next")), short(envelope))
            objs = envelope.get("objects", [])
            sizes.append(len(objs))
            objects.extend(objs)
            if len(sizes) > 10000:
                raise CheckFailed("paging does not end")
        return objects, sizes

    def error_object(self, name, resp, status):
        self.c.equal("%s: HTTP status" % name, resp.status_code, status)
        ctype = resp.headers.get("Content-Type", "")
        self.c.ok("%s: Content-Type is TAXII 2.1" % name, ctype.replace(" ", "").startswith(TAXII), ctype)
        try:
            body = resp.json()
        except ValueError:
            body = None
        self.c.ok("%s: body is a TAXII error (title, http_status)" % name,
                  isinstance(body, dict) and isinstance(body.get("title"), str) and str(body.get("http_status")) == str(status),
                  short(resp.text))

    # --- setup

    def setup_medallion(self):
        self.api_root_name = self.args.api_root or "trustgroup1"
        self.cid = self.args.collection or MEDALLION_COLLECTION
        admin = Who(self.args.user or "admin", requests.auth.HTTPBasicAuth(self.args.user or "admin", self.args.password or "Password0"))
        self.writer = admin
        self.members = {"admin": admin}

    def cli(self, *argv, stdin=None, tolerate_exists=False):
        cmd = [self.args.tearline] + list(argv) + ["--db", self.args.db]
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            text = (p.stdout + p.stderr).strip()
            if tolerate_exists and re.search(r"exist|conflict|taken|already", text, re.I):
                self.c.note("reusing: %s (%s)" % (" ".join(argv[:2]), text.splitlines()[-1][:160]))
                return None
            raise CheckFailed("setup command failed (%d): %s\n%s" % (p.returncode, " ".join(cmd), text))
        try:
            return json.loads(p.stdout)
        except ValueError:
            raise CheckFailed("setup command printed no JSON: %s\n%s" % (" ".join(cmd), p.stdout[:2000]))

    def setup_tearline(self):
        run = uuid.uuid4().hex[:6]
        self.run_id = run
        self.api_root_name = "tearline"
        for org, name in (("USA", "United States"), ("GBR", "United Kingdom"), ("FRA", "France")):
            self.cli("admin", "org-create", "--id", org, "--name", name, "--kind", "state", tolerate_exists=True)
        self.cli("admin", "partnership-create", "--orgs", "USA,GBR", "--trust", "high", tolerate_exists=True)
        self.members = {}
        people = [  # name, org, clearance, auth kind
            ("alice", "USA", "SECRET", "basic"),
            ("bob", "GBR", "SECRET", "bearer"),
            ("carol", "GBR", "CONFIDENTIAL", "basic"),
            ("dave", "FRA", "SECRET", "bearer"),
        ]
        for name, org, clearance, kind in people:
            out = self.cli("admin", "member-create", "--org", org, "--name", "%s-%s" % (name, run), "--roles", "analyst,releaser",
                           "--clearance", clearance, "--topics", "cti")
            member = out.get("member") or {}
            self.c.ok("setup: member-create prints {member: {id}, token}", isinstance(member.get("id"), str) and isinstance(out.get("token"), str), short(out))
            login, password = "%s-%s" % (name, run), "pw-%s-%s-Secret!" % (name, run)
            self.cli("admin", "member-password", "--member", member["id"], "--login", login, stdin=password + "\n")
            auth = requests.auth.HTTPBasicAuth(login, password) if kind == "basic" else Bearer(out["token"])
            self.members[name] = Who(name, auth, org, clearance, member["id"], out["token"])
        self.writer = self.members["alice"]
        c1 = self.cli("admin", "collection-create", "--title", "Client test %s: community" % run, "--description", "TLP-marked sharing USA-GBR",
                      "--readers", "USA,GBR", "--writers", "USA,GBR", "--api-root", "tearline", "--default-marking", "TLP:AMBER")
        self.c.ok("setup: collection-create prints the collection with an id", isinstance((c1 or {}).get("id"), str), short(c1))
        self.cid = c1["id"]
        fixed = str(uuid.uuid4())
        c2 = self.cli("admin", "collection-create", "--title", "Client test %s: classified" % run, "--description", "Classified and RED",
                      "--readers", "USA,GBR,FRA", "--writers", "USA", "--id", fixed, "--default-marking", "TLP:RED")
        self.c.equal("setup: collection-create --id keeps the id", c2.get("id"), fixed)
        self.cid2 = fixed

    # --- generic TAXII checks (medallion and Tearline)

    def discovery(self):
        who = self.writer
        server = Server(self.base + "/taxii2/", auth=who.auth)
        self.c.ok("discovery: title", bool(server.title), short(server._raw))
        roots = [r.url for r in server.api_roots]
        self.c.ok("discovery: api_roots listed", len(roots) > 0, short(server._raw))
        want = self.base + self.root_path()
        self.c.ok("discovery: api_roots has %s" % want, want in roots, short(roots))
        self.c.ok("discovery: default is one of api_roots", server.default is not None and server.default.url in roots, short(server._raw))
        if not self.medallion:
            self.c.equal("discovery: default is the tearline root", server.default.url if server.default else None, want)
        resp = self.raw("GET", "/taxii2/", who)
        self.c.ok("discovery: Content-Type application/taxii+json;version=2.1",
                  resp.headers.get("Content-Type", "").replace(" ", "").startswith(TAXII), resp.headers.get("Content-Type"))

        root = ApiRoot(want, auth=who.auth)
        self.c.ok("api root: title", bool(root.title), short(root._raw))
        self.c.ok("api root: versions has %s" % TAXII, TAXII in [v.replace(" ", "") for v in root.versions], short(root.versions))
        self.c.ok("api root: max_content_length is a positive integer",
                  isinstance(root.max_content_length, int) and root.max_content_length > 0, short(root._raw))
        self.max_content_length = root.max_content_length
        self.api_root = root

        # Authentication.
        resp = self.raw("GET", "/taxii2/", None)
        self.c.equal("auth: no credentials -> 401", resp.status_code, 401)
        resp = self.raw("GET", self.root_path() + "collections/", None)
        self.c.equal("auth: no credentials on collections -> 401", resp.status_code, 401)
        bad = requests.auth.HTTPBasicAuth(getattr(who.auth, "username", "admin") or "admin", "wrong-password")
        resp = requests.get(self.base + "/taxii2/", headers={"Accept": TAXII}, auth=bad, timeout=30)
        self.c.equal("auth: wrong password -> 401", resp.status_code, 401)
        resp = requests.get(self.base + "/taxii2/", headers={"Accept": TAXII}, auth=requests.auth.HTTPBasicAuth("nobody-" + uuid.uuid4().hex[:6], "x" * 12), timeout=30)
        self.c.equal("auth: unknown login -> 401", resp.status_code, 401)
        self.c.ok("auth: 401 carries WWW-Authenticate", "WWW-Authenticate" in resp.headers, short(dict(resp.headers)))
        if not self.medallion:
            resp = requests.get(self.base + "/taxii2/", headers={"Accept": TAXII}, auth=Bearer("tl_not-a-real-token"), timeout=30)
            self.c.equal("auth: bad bearer token -> 401", resp.status_code, 401)
            self.error_object("auth: 401 body", resp, 401)

    def collections_listing(self):
        cols = {c.id: c for c in self.api_root.collections}
        self.c.ok("collections: listing has the test collection", self.cid in cols, short(list(cols)))
        coll = cols[self.cid]
        self.c.ok("collections: test collection can_read and can_write", coll.can_read is True and coll.can_write is True, short(coll._raw))
        self.c.ok("collections: media_types has %s" % STIX_MEDIA, STIX_MEDIA in [m.replace(" ", "") for m in coll.media_types], short(coll._raw))
        one = self.collection(self.cid, self.writer)
        self.c.equal("collections: GET one collection gives the same id", one.id, self.cid)
        self.c.equal("collections: GET one collection gives the same title", one.title, coll.title)
        self.coll = one

    def make_objects(self):
        """~30 objects made with stix2, with varied TLP markings; a second envelope adds new versions."""
        m2, m1 = TLP2, TLP1
        marks = [[m2["CLEAR"]], [m2["GREEN"]], [m2["AMBER"]], [m2["AMBER+STRICT"]], [m2["RED"]],
                 [m1["WHITE"]], [m1["GREEN"]], [m1["AMBER"]], [m1["RED"]], None]
        it = iter(range(1000))

        def mk(i):
            return {"object_marking_refs": marks[i % len(marks)]} if marks[i % len(marks)] else {}

        now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        ident = stix2.v21.Identity(name="Client Test CERT", identity_class="organization", **mk(next(it)))
        objs = [ident]
        indicators = []
        for n in range(8):
            ind = stix2.v21.Indicator(
                name="Bad IP 203.0.113.%d" % (n + 10), description="C2 address seen in campaign",
                indicator_types=["malicious-activity"], pattern="[ipv4-addr:value = '203.0.113.%d']" % (n + 10),
                pattern_type="stix", valid_from=now, created_by_ref=ident.id, **mk(next(it)))
            indicators.append(ind)
        objs += indicators
        malware = [stix2.v21.Malware(name=name, is_family=True, malware_types=[kind], description="Family " + name,
                                     created_by_ref=ident.id, **mk(next(it)))
                   for name, kind in (("Poison Ivy", "remote-access-trojan"), ("Emotet", "trojan"), ("Locky", "ransomware"))]
        objs += malware
        aps = [stix2.v21.AttackPattern(name=name, description="ATT&CK technique",
                                       external_references=[{"source_name": "mitre-attack", "external_id": ext}], **mk(next(it)))
               for name, ext in (("Spearphishing Attachment", "T1566.001"), ("Exfiltration Over C2 Channel", "T1041"))]
        objs += aps
        actor = stix2.v21.ThreatActor(name="Crimson Heron", threat_actor_types=["nation-state"], description="Espionage actor", **mk(next(it)))
        campaign = stix2.v21.Campaign(name="Operation Tearline", description="Test campaign", **mk(next(it)))
        iset = stix2.v21.IntrusionSet(name="Heron Set", description="Intrusion set", **mk(next(it)))
        tool = stix2.v21.Tool(name="psexec", tool_types=["remote-access"], description="Lateral movement", **mk(next(it)))
        vuln = stix2.v21.Vulnerability(name="CVE-2021-44228", description="Log4Shell",
                                       external_references=[{"source_name": "cve", "external_id": "CVE-2021-44228"}], **mk(next(it)))
        coa = stix2.v21.CourseOfAction(name="Block C2 addresses", description="Block at the perimeter", **mk(next(it)))
        infra = stix2.v21.Infrastructure(name="Heron C2", infrastructure_types=["command-and-control"], description="C2 servers", **mk(next(it)))
        loc = stix2.v21.Location(name="Gulf region", region="western-asia", **mk(next(it)))
        objs += [actor, campaign, iset, tool, vuln, coa, infra, loc]
        ip = stix2.v21.IPv4Address(value="203.0.113.10", **mk(next(it)))
        dom = stix2.v21.DomainName(value="heron-c2.example.com", **mk(next(it)))
        objs += [ip, dom]
        rels = [stix2.v21.Relationship(indicators[0], "indicates", malware[0], **mk(next(it))),
                stix2.v21.Relationship(actor, "uses", malware[0], **mk(next(it))),
                stix2.v21.Relationship(campaign, "attributed-to", actor, **mk(next(it)))]
        objs += rels
        sighting = stix2.v21.Sighting(sighting_of_ref=indicators[1].id, count=3, where_sighted_refs=[ident.id], **mk(next(it)))
        note = stix2.v21.Note(abstract="Analyst note", content="Seen twice this week", object_refs=[indicators[1].id], **mk(next(it)))
        objs += [sighting, note]
        first = objs
        time.sleep(0.02)
        # Second envelope: three new versions and three new objects.
        v2 = [indicators[2].new_version(description="C2 address, confirmed"),
              malware[1].new_version(description="Family Emotet, updated"),
              actor.new_version(description="Espionage actor, renamed set")]
        extra = [stix2.v21.Indicator(name="Bad domain", description="C2 domain", indicator_types=["malicious-activity"],
                                     pattern="[domain-name:value = 'heron-c2.example.com']", pattern_type="stix", valid_from=now,
                                     **mk(next(it))),
                 stix2.v21.Report(name="Weekly CTI", report_types=["threat-report"], published=now,
                                  object_refs=[indicators[0].id, malware[0].id, actor.id], description="Weekly summary", **mk(next(it))),
                 stix2.v21.Grouping(name="Heron cluster", context="suspicious-activity", object_refs=[actor.id, iset.id], **mk(next(it)))]
        second = v2 + extra
        self.first = [json.loads(o.serialize()) for o in first]
        self.second = [json.loads(o.serialize()) for o in second]
        self.twice = [o["id"] for o in self.second[:3]]
        self.c.note("made %d + %d objects (%d ids with two versions)" % (len(self.first), len(self.second), len(self.twice)))

    def post(self, coll, objects, name):
        envelope = {"objects": objects}
        status = coll.add_objects(envelope, wait_for_completion=False)
        self.c.ok("%s: POST answers a status with an id" % name, bool(status.id), short(status._raw))
        status.wait_until_final(poll_interval=0.2, timeout=60)
        self.c.equal("%s: status final (complete)" % name, status.status, "complete")
        # The status resource itself, at the URL taxii2client builds (…/status/<id>, no trailing slash)…
        s2 = Status(status.url, auth=self.writer.auth)
        self.c.equal("%s: GET status at %s" % (name, status.url[len(self.base):]), s2.id, status.id)
        # …and at the canonical one (…/status/<id>/).
        s3 = self.api_root.get_status(status.id)
        self.c.equal("%s: GET status via ApiRoot.get_status" % name, s3.status, "complete")
        return s3

    def add_and_status(self):
        coll = self.coll
        st = self.post(coll, self.first, "add #1")
        n = len(self.first)
        self.c.equal("add #1: total_count", st.total_count, n)
        self.c.ok("add #1: success_count %d" % n, st.success_count == n, "got %s; failures: %s" % (st.success_count, short(st.failures, 1500)))
        self.c.equal("add #1: failure_count", st.failure_count, 0)
        self.c.equal("add #1: pending_count", st.pending_count, 0)
        self.c.ok("add #1: no failures/pendings listed", not st.failures and not st.pendings, short(st._raw))
        if st.successes:
            self.c.equal("add #1: successes name the posted ids", sorted(s["id"] for s in st.successes), sorted(o["id"] for o in self.first))
        # Everything added so far: the latest date_added separates the two envelopes.
        man = self.record_manifest(coll.get_manifest(version="all"))
        added = [parse_ts(m["date_added"]) for m in man.get("objects", [])]
        self.c.equal("add #1: manifest lists every version posted", len(added), n)
        self.t_first = max(added)
        self.t_first_text = max(man["objects"], key=lambda m: parse_ts(m["date_added"]))["date_added"]
        time.sleep(0.05)
        st = self.post(coll, self.second, "add #2")
        self.c.ok("add #2: success_count %d" % len(self.second), st.success_count == len(self.second),
                  "got %s; failures: %s" % (st.success_count, short(st.failures, 1500)))
        self.c.equal("add #2: failure_count", st.failure_count, 0)

        # Expected state.
        versions = {}
        for o in self.first + self.second:
            versions.setdefault(o["id"], []).append(o)
        self.versions = versions
        self.latest = {i: max(vs, key=lambda o: parse_ts(version_of(o)) if version_of(o) else 0) for i, vs in versions.items()}
        self.total_versions = len(self.first) + len(self.second)

    def record_manifest(self, m):
        return m

    def filters(self):
        coll, c = self.coll, self.c
        latest_ids = sorted(self.latest)
        env = self.record(coll.get_objects(), "objects")
        got = env.get("objects", [])
        if env.get("more"):
            c.note("server paged the default request (%d objects, more=true); checking with paging instead" % len(got))
            got, _ = self.all_objects(coll, "objects")
        c.equal("get_objects: latest version of every id", sorted(o["id"] for o in got), latest_ids)
        c.ok("get_objects: each is the latest version",
             all(version_of(o) == version_of(self.latest[o["id"]]) for o in got if version_of(o)), "")

        # added_after: only what the second envelope added.
        env = self.record(coll.get_objects(added_after=self.t_first_text), "objects?added_after")
        c.equal("filter added_after=%s: exactly the second envelope" % self.t_first_text,
                sorted(o["id"] for o in env.get("objects", [])), sorted(o["id"] for o in self.second))

        two = self.twice[0]
        env = self.record(coll.get_objects(id=two), "objects?match[id]")
        objs = env.get("objects", [])
        c.equal("filter match[id]: one object", [o["id"] for o in objs], [two])
        c.equal("filter match[id]: latest version by default", version_of(objs[0]) if objs else None, version_of(self.latest[two]))

        want_ind = sorted(i for i, o in self.latest.items() if o["type"] == "indicator")
        env = self.record(coll.get_objects(type="indicator"), "objects?match[type]")
        c.equal("filter match[type]=indicator", sorted(o["id"] for o in env.get("objects", [])), want_ind)
        want_two = sorted(i for i, o in self.latest.items() if o["type"] in ("indicator", "malware"))
        env = self.record(coll.get_objects(type=["indicator", "malware"]), "objects?match[type]=a,b")
        c.equal("filter match[type]=indicator,malware", sorted(o["id"] for o in env.get("objects", [])), want_two)

        first_v = min(version_of(o) for o in self.versions[two])
        last_v = max(version_of(o) for o in self.versions[two])
        env = self.record(coll.get_objects(id=two, version="first"), "objects?match[version]=first")
        c.equal("filter match[version]=first", [version_of(o) for o in env.get("objects", [])], [first_v])
        env = self.record(coll.get_objects(id=two, version="last"), "objects?match[version]=last")
        c.equal("filter match[version]=last", [version_of(o) for o in env.get("objects", [])], [last_v])
        env = self.record(coll.get_objects(id=two, version="all"), "objects?match[version]=all")
        c.equal("filter match[version]=all (one id)", sorted(version_of(o) for o in env.get("objects", [])), sorted([first_v, last_v]))
        env = self.record(coll.get_objects(id=two, version=first_v), "objects?match[version]=<ts>")
        c.equal("filter match[version]=%s (exact)" % first_v, [version_of(o) for o in env.get("objects", [])], [first_v])
        env = self.record(coll.get_objects(id=two, version=[first_v, "last"]), "objects?match[version]=<ts>,last")
        c.equal("filter match[version]=<first ts>,last", sorted(version_of(o) for o in env.get("objects", [])), sorted([first_v, last_v]))
        allv, _ = self.all_objects(coll, "objects?match[version]=all", per_request=7, version="all")
        c.equal("filter match[version]=all (collection, paged)", len(allv), self.total_versions)
        c.equal("filter match[version]=all: no duplicate (id, version)",
                len({(o["id"], version_of(o) or o["id"]) for o in allv}), self.total_versions)

        env = self.record(coll.get_objects(spec_version="2.1"), "objects?match[spec_version]=2.1")
        got = env.get("objects", [])
        if env.get("more"):
            got, _ = self.all_objects(coll, "objects?match[spec_version]=2.1", spec_version="2.1")
        c.equal("filter match[spec_version]=2.1: every id", sorted(o["id"] for o in got), latest_ids)
        env = self.record(coll.get_objects(spec_version="2.0"), "objects?match[spec_version]=2.0")
        c.equal("filter match[spec_version]=2.0: nothing", env.get("objects", []), [])
        env = self.record(coll.get_objects(id="indicator--" + str(uuid.uuid4())), "objects?match[id]=unknown")
        c.equal("filter match[id]=<unknown>: nothing", env.get("objects", []), [])

    def paging(self):
        coll, c = self.coll, self.c
        objs, sizes = self.all_objects(coll, "objects (paged by 7)", per_request=7)
        c.note("page sizes: %s" % sizes)
        keys = [(o["id"], version_of(o) or "") for o in objs]
        c.equal("paging as_pages(per_request=7): no duplicates", len(keys), len(set(keys)))
        c.equal("paging as_pages(per_request=7): exactly every object", sorted(o["id"] for o in objs), sorted(self.latest))
        c.ok("paging: more than one page", len(sizes) > 1, str(sizes))
        c.ok("paging: pages of at most 7", all(s <= 7 for s in sizes), str(sizes))
        # The raw protocol: limit and next, more and next in the envelope.
        r = self.raw("GET", self.coll_path(self.cid) + "objects/", self.writer, params={"limit": 5})
        body = r.json()
        c.ok("paging raw: limit=5 gives 5 objects, more=true and a next", len(body.get("objects", [])) == 5 and body.get("more") is True and bool(body.get("next")), short(body))
        seen = [o["id"] for o in body["objects"]]
        while body.get("more"):
            r = self.raw("GET", self.coll_path(self.cid) + "objects/", self.writer, params={"limit": 5, "next": body["next"]})
            c.ok("paging raw: next page 200", r.status_code == 200, r.text[:300])
            body = r.json()
            seen += [o["id"] for o in body.get("objects", [])]
        c.equal("paging raw: all ids once", sorted(seen), sorted(self.latest))

    def manifest(self):
        coll, c = self.coll, self.c
        entries = []
        for page in as_pages(coll.get_manifest, per_request=7):
            entries += page.get("objects", [])
        c.equal("manifest (paged): one entry per object", sorted(e["id"] for e in entries), sorted(self.latest))
        bad = [e for e in entries if not (is_ts(e.get("date_added")) and is_ts(e.get("version")) and e.get("media_type", "").replace(" ", "") == STIX_MEDIA)]
        c.ok("manifest: every entry has date_added, version and media_type %s" % STIX_MEDIA, not bad, short(bad))
        wrong = [e for e in entries if version_of(self.latest[e["id"]]) and parse_ts(e["version"]) != parse_ts(version_of(self.latest[e["id"]]))]
        c.ok("manifest: version is the object's modified (created)", not wrong, short(wrong))
        retexted = [(e["version"], version_of(self.latest[e["id"]])) for e in entries
                    if version_of(self.latest[e["id"]]) and e["version"] != version_of(self.latest[e["id"]])]
        if retexted:
            c.note("manifest versions equal the objects' timestamps but are written differently, e.g. %s for %s (%d of %d)" % (
                retexted[0][0], retexted[0][1], len(retexted), len(entries)))
        allm = self.coll.get_manifest(version="all", limit=1000)
        total = len(allm.get("objects", []))
        if allm.get("more"):
            total = sum(len(p.get("objects", [])) for p in as_pages(coll.get_manifest, per_request=100, version="all"))
        c.equal("manifest match[version]=all: every version", total, self.total_versions)
        self.manifest_entries = entries
        # Objects without modified/created (SCOs): version is the date_added.
        for e in entries:
            o = self.latest[e["id"]]
            if not version_of(o):
                c.note("%s (no created/modified): manifest version %s, date_added %s" % (e["id"], e["version"], e["date_added"]))

    def versions_and_get(self):
        coll, c = self.coll, self.c
        two = self.twice[1]
        v = coll.object_versions(two)
        want = sorted(parse_ts(version_of(o)) for o in self.versions[two])
        c.equal("object_versions: both versions", sorted(parse_ts(x) for x in v.get("versions", [])), want)
        c.note("versions order as served: %s" % v.get("versions"))
        one = [i for i, vs in self.versions.items() if len(vs) == 1 and self.latest[i]["type"] == "indicator"][0]
        v = coll.object_versions(one)
        c.equal("object_versions: single version", len(v.get("versions", [])), 1)

        env = self.record(coll.get_object(two), "object")
        c.equal("get_object: latest version", [version_of(o) for o in env.get("objects", [])], [version_of(self.latest[two])])
        c.equal("get_object: body equals what was posted", env["objects"][0] if env.get("objects") else None, self.latest[two])
        env = self.record(coll.get_object(two, version="all"), "object?version=all")
        c.equal("get_object match[version]=all: both", len(env.get("objects", [])), 2)
        env = self.record(coll.get_object(two, version="first"), "object?version=first")
        c.equal("get_object match[version]=first", [version_of(o) for o in env.get("objects", [])], [min(version_of(o) for o in self.versions[two])])

        # Headers.
        for name, path, params in (("objects", "objects/", {}), ("manifest", "manifest/", {}),
                                   ("versions", "objects/%s/versions/" % two, {}), ("object", "objects/%s/" % two, {})):
            r = self.raw("GET", self.coll_path(self.cid) + path, self.writer, params=params)
            first, last = r.headers.get("X-TAXII-Date-Added-First"), r.headers.get("X-TAXII-Date-Added-Last")
            c.ok("headers %s: X-TAXII-Date-Added-First/Last present and ordered" % name,
                 r.status_code == 200 and is_ts(first) and is_ts(last) and parse_ts(first) <= parse_ts(last), "%s %s %s" % (r.status_code, first, last))
            if name == "manifest":
                dates = [parse_ts(e["date_added"]) for e in r.json().get("objects", [])]
                c.ok("headers manifest: First/Last are the page's first and last date_added",
                     dates and parse_ts(first) == min(dates) and parse_ts(last) == max(dates), "%s %s vs %s..%s" % (first, last, min(dates), max(dates)))
            ctype = r.headers.get("Content-Type", "").replace(" ", "")
            c.ok("headers %s: Content-Type %s" % (name, TAXII), ctype.startswith(TAXII), ctype)

        # Delete: a single-version object, then one with two versions (no filter: every version, TAXII 2.1 §5.7).
        single = [i for i, vs in self.versions.items() if len(vs) == 1 and self.latest[i]["type"] == "attack-pattern"][0]
        for victim in (single, self.twice[2]):
            coll.delete_object(victim)
            c.ok("delete_object %s (%d version(s))" % (victim, len(self.versions[victim])), True)
            env = self.record(coll.get_objects(id=victim, version="all"), "objects after delete")
            left = env.get("objects", [])
            if self.medallion and left:
                # medallion 3.0.0 applies its default match[version]=last to DELETE: only the latest version goes.
                c.note("medallion quirk: DELETE without match[version] removed only the latest version; %d left" % len(left))
                coll.delete_object(victim, version="all")
                left = self.record(coll.get_objects(id=victim, version="all"), "objects after delete")
                left = left.get("objects", [])
            c.equal("get_objects after delete: no version left", left, [])
            r = self.raw("GET", self.coll_path(self.cid) + "objects/%s/" % victim, self.writer)
            self.error_object("get_object after delete", r, 404)
            v = self.raw("GET", self.coll_path(self.cid) + "objects/%s/versions/" % victim, self.writer)
            c.ok("object_versions after delete: 404 or empty", v.status_code == 404 or not v.json().get("versions"), "%s %s" % (v.status_code, v.text[:200]))
            del self.latest[victim]
            self.total_versions -= len(self.versions.pop(victim))
        r = self.raw("DELETE", self.coll_path(self.cid) + "objects/indicator--%s/" % uuid.uuid4(), self.writer)
        self.error_object("DELETE an unknown object", r, 404)

    def negotiation(self):
        c, p = self.c, self.coll_path(self.cid)
        r = self.raw("GET", p + "objects/", self.writer, headers={"Accept": "application/xml"})
        self.error_object("406 for Accept: application/xml", r, 406)
        r = self.raw("GET", p + "objects/", self.writer, headers={"Accept": "application/taxii+json;version=2.0"})
        c.equal("406 for Accept: application/taxii+json;version=2.0", r.status_code, 406)
        r = self.raw("GET", p, self.writer, headers={"Accept": "application/taxii+json"})
        if self.medallion and r.status_code == 406:
            c.note("medallion quirk: Accept: application/taxii+json without version=2.1 -> 406 (TAXII 2.1 §1.6.8.1 means the latest, 2.1)")
        else:
            c.equal("Accept: application/taxii+json (no version) -> 200", r.status_code, 200)
        body = json.dumps({"objects": [self.first[0]]})
        r = self.raw("POST", p + "objects/", self.writer, headers={"Content-Type": "application/json"}, data=body)
        self.error_object("415 for Content-Type: application/json", r, 415)
        r = self.raw("POST", p + "objects/", self.writer, headers={"Content-Type": "application/taxii+json;version=2.0"}, data=body)
        c.equal("415 for Content-Type: application/taxii+json;version=2.0", r.status_code, 415)
        r = self.raw("GET", "%scollections/%s/" % (self.root_path(), uuid.uuid4()), self.writer)
        self.error_object("404 for an unknown collection", r, 404)
        r = self.raw("GET", p + "objects/indicator--%s/" % uuid.uuid4(), self.writer)
        self.error_object("404 for an unknown object", r, 404)
        r = self.raw("GET", "/no-such-root-%s/" % uuid.uuid4().hex[:6], self.writer)
        self.error_object("404 for an unknown API root", r, 404)

    # --- Tearline rules

    def tearline_collections(self):
        c = self.c
        self.ids = {}
        for name, who in self.members.items():
            root = ApiRoot(self.base + "/tearline/", auth=who.auth)
            cols = {x.title: x for x in root.collections}
            rec = cols.get("Releases received by %s" % who.org)
            hol = cols.get("Holdings of %s" % who.org)
            c.ok("%s (%s): sees 'Releases received by %s'" % (name, who.org, who.org), rec is not None, short(list(cols)))
            c.ok("%s: received is can_read, not can_write" % name, rec.can_read is True and rec.can_write is False, short(rec._raw))
            c.ok("%s: sees 'Holdings of %s', can_read and can_write" % (name, who.org),
                 hol is not None and hol.can_read is True and hol.can_write is True, short(list(cols)))
            for other in ("USA", "GBR", "FRA"):
                if other != who.org:
                    c.ok("%s: does not see holdings/received of %s" % (name, other),
                         "Holdings of %s" % other not in cols and "Releases received by %s" % other not in cols, short(list(cols)))
            u = uuid.UUID(rec.id)
            c.equal("%s: received collection id is a UUIDv5" % name, u.version, 5)
            matches = [label for label, ns in (("tearline", TEARLINE_NAMESPACE), ("URL", uuid.NAMESPACE_URL), ("DNS", uuid.NAMESPACE_DNS),
                                                ("OID", uuid.NAMESPACE_OID), ("X500", uuid.NAMESPACE_X500))
                       if uuid.uuid5(ns, "received:%s" % who.org) == u]
            c.note("received id %s = uuid5(%s, 'received:%s')" % (rec.id, matches[0] if matches else "unknown namespace", who.org))
            self.ids[(who.org, "received")] = rec.id
            self.ids[(who.org, "holdings")] = hol.id
            ids = {x.id for x in root.collections}
            in1, in2 = self.cid in ids, self.cid2 in ids
            c.equal("%s: community collection (readers USA,GBR) listed" % name, in1, who.org in ("USA", "GBR"))
            c.equal("%s: classified collection (readers USA,GBR,FRA) listed" % name, in2, True)
        # Same ids for two members of one organisation.
        again = {x.title: x.id for x in ApiRoot(self.base + "/tearline/", auth=self.members["carol"].auth).collections}
        c.equal("received id is the same for every GBR member", again.get("Releases received by GBR"), self.ids[("GBR", "received")])
        dave = self.members["dave"]
        r = self.raw("GET", self.coll_path(self.cid), dave)
        self.error_object("dave (FRA): community collection of USA,GBR is 404 (not 403)", r, 404)
        r = self.raw("GET", self.coll_path(self.cid) + "objects/", dave)
        c.equal("dave (FRA): its objects are 404", r.status_code, 404)
        r = self.raw("GET", self.coll_path(self.ids[("USA", "holdings")]), self.members["bob"])
        self.error_object("bob (GBR): holdings of USA is 404", r, 404)
        r = self.raw("GET", self.coll_path(self.ids[("USA", "received")]) + "objects/", self.members["bob"])
        c.equal("bob (GBR): received of USA is 404", r.status_code, 404)
        r = self.raw("POST", self.coll_path(self.cid2) + "objects/", self.members["bob"], headers={"Content-Type": TAXII},
                     data=json.dumps({"objects": [self.first[1]]}))
        c.equal("bob (GBR): POST to a collection GBR reads but may not write -> 403", r.status_code, 403)
        r = self.raw("POST", self.coll_path(self.ids[("GBR", "received")]) + "objects/", self.members["bob"], headers={"Content-Type": TAXII},
                     data=json.dumps({"objects": [self.first[1]]}))
        c.equal("bob (GBR): POST to received -> 403", r.status_code, 403)

    def tlp_visibility(self):
        """The community collection as each member reads it: TLP:RED only for the posting organisation."""
        c = self.c
        red = sorted(i for i, o in self.latest.items() if set(o.get("object_marking_refs", [])) & RED_IDS)
        c.ok("setup: some posted objects are TLP:RED", len(red) >= 2, str(red))
        for name in ("alice", "bob", "carol"):
            who = self.members[name]
            objs, sizes = self.all_objects(self.collection(self.cid, who), "community as %s" % name, per_request=7)
            ids = sorted(o["id"] for o in objs)
            want = sorted(self.latest) if who.org == "USA" else sorted(set(self.latest) - set(red))
            c.equal("%s (%s): community collection shows %s" % (name, who.org, "everything" if who.org == "USA" else "all but TLP:RED"), ids, want)
            keys = [(o["id"], version_of(o) or "") for o in objs]
            c.equal("%s: paging with hidden objects gives no duplicates" % name, len(keys), len(set(keys)))
            man = []
            for p in as_pages(self.collection(self.cid, who).get_manifest, per_request=7):
                man += p.get("objects", [])
            c.equal("%s: manifest matches what they read" % name, sorted(e["id"] for e in man), want)
            for rid in red:
                if who.org != "USA":
                    r = self.raw("GET", self.coll_path(self.cid) + "objects/%s/" % rid, who)
                    c.equal("%s: GET a TLP:RED object -> 404" % name, r.status_code, 404)
                    r = self.raw("GET", self.coll_path(self.cid) + "objects/%s/versions/" % rid, who)
                    c.ok("%s: its versions -> 404 or empty" % name, r.status_code == 404 or not r.json().get("versions"), r.text[:200])
                    break
        # bob posts, alice reads (both are writers).
        ind = json.loads(stix2.v21.Indicator(name="GBR indicator", description="Shared by GBR", indicator_types=["malicious-activity"], pattern="[url:value = 'http://gbr.example/x']",
                                             pattern_type="stix", valid_from=dt.datetime.now(dt.timezone.utc),
                                             object_marking_refs=[TLP2["GREEN"]]).serialize())
        gred = json.loads(stix2.v21.Indicator(name="GBR red indicator", description="GBR only", indicator_types=["malicious-activity"], pattern="[url:value = 'http://gbr.example/red']",
                                              pattern_type="stix", valid_from=dt.datetime.now(dt.timezone.utc),
                                              object_marking_refs=[TLP2["RED"]]).serialize())
        st = self.collection(self.cid, self.members["bob"]).add_objects({"objects": [ind, gred]}, wait_for_completion=True, poll_interval=0.2, timeout=60)
        c.equal("bob (GBR, bearer): posts two objects to the community collection", (st.status, st.success_count), ("complete", 2))
        ids = {o["id"] for o in self.all_objects(self.collection(self.cid, self.members["alice"]), "community as alice")[0]}
        c.ok("alice (USA): reads GBR's TLP:GREEN object", ind["id"] in ids)
        c.ok("alice (USA): does not read GBR's TLP:RED object", gred["id"] not in ids)
        ids = {o["id"] for o in self.all_objects(self.collection(self.cid, self.members["carol"]), "community as carol")[0]}
        c.ok("carol (GBR): reads GBR's TLP:RED object (same organisation)", gred["id"] in ids)

    def classified(self):
        c = self.c
        now = dt.datetime.now(dt.timezone.utc)
        rel = tearline_marking_definition("SECRET//REL TO USA, GBR", "SECRET", rel_to=("USA", "GBR"))
        nf = tearline_marking_definition("SECRET//NOFORN", "SECRET", noforn=True)

        def ind(name, **kw):
            kw.setdefault("description", "Rule test " + name)
            return json.loads(stix2.v21.Indicator(name=name, indicator_types=["malicious-activity"], pattern="[domain-name:value = '%s.example']" % name,
                                                  pattern_type="stix", valid_from=now, **kw).serialize())
        o_rel = ind("secret-rel-usa-gbr", object_marking_refs=[rel["id"]])
        o_nf = ind("secret-noforn", object_marking_refs=[nf["id"]])
        o_green = ind("tlp-green", object_marking_refs=[TLP2["GREEN"]])
        o_none = ind("unmarked")  # the collection's default marking, TLP:RED
        o_gran = ind("granular-rel", object_marking_refs=[TLP2["GREEN"]],
                     granular_markings=[{"marking_ref": rel["id"], "selectors": ["description"]}], description="granular")
        unknown = "marking-definition--" + str(uuid.uuid4())
        o_unknown = ind("unknown-marking", object_marking_refs=[unknown])
        coll = self.collection(self.cid2, self.members["alice"])
        st = coll.add_objects({"objects": [rel, nf, o_rel, o_nf, o_green, o_none, o_gran, o_unknown]}, wait_for_completion=True, poll_interval=0.2, timeout=60)
        c.equal("classified: status final", st.status, "complete")
        failed = [f.get("id") for f in st.failures]
        c.ok("classified: the object with an unknown marking-definition is refused (failure in the status)", o_unknown["id"] in failed, short(st._raw))
        c.ok("classified: the others are not refused", all(x in (o_unknown["id"],) for x in failed), short(st.failures))
        c.equal("classified: total = success + failure + pending", st.total_count, st.success_count + st.failure_count + st.pending_count)
        r = self.raw("GET", self.coll_path(self.cid2) + "objects/%s/" % o_unknown["id"], self.members["alice"])
        c.equal("classified: the refused object is not stored (404)", r.status_code, 404)
        expect = {
            "alice": {o_rel["id"], o_nf["id"], o_green["id"], o_none["id"], o_gran["id"]},
            "bob": {o_rel["id"], o_green["id"], o_gran["id"]},
            "carol": {o_green["id"]},
            "dave": {o_green["id"]},
        }
        tested = {o["id"]: n for o, n in ((o_rel, "SECRET//REL TO USA, GBR"), (o_nf, "SECRET//NOFORN"), (o_green, "TLP:GREEN"),
                                          (o_none, "no marking (default TLP:RED)"), (o_gran, "TLP:GREEN + granular SECRET//REL TO USA, GBR"))}
        for name, want in expect.items():
            who = self.members[name]
            objs, _ = self.all_objects(self.collection(self.cid2, who), "classified as %s" % name, per_request=3)
            got = {o["id"] for o in objs} & set(tested)
            desc = "%s (%s, %s)" % (name, who.org, who.clearance)
            for oid, label in tested.items():
                c.equal("%s reads %s: %s" % (desc, label, "yes" if oid in want else "no"), oid in got, oid in want)
            blob = json.dumps(objs)
            if name not in ("alice",):
                c.ok("%s: no NOFORN object anywhere in what they read" % desc, "secret-noforn" not in blob)

    def received(self):
        c = self.c
        alice, bob, carol = self.members["alice"], self.members["bob"], self.members["carol"]
        tag = self.run_id
        title = "Courier network %s" % tag
        rel_text = "The courier network %s moves funds through three exchange houses." % tag
        nf_text = "Reporting %s comes from a recruited employee of one exchange house." % tag
        body = {"title": title, "titleMarking": "(S//REL TO USA, GBR)", "sourceGrade": "B2", "topics": ["cti"],
                "portions": [{"marking": "(S//REL TO USA, GBR)", "text": rel_text},
                             {"marking": "(S//NF)", "text": nf_text, "sourcesAndMethods": True}]}
        h = {"Authorization": "Bearer " + alice.token, "Content-Type": "application/json"}
        r = requests.post(self.base + "/v1/reports", headers=h, data=json.dumps(body), timeout=60)
        c.equal("received: USA report created over /v1/reports", r.status_code, 201)
        report_id = r.json().get("id")
        r = requests.post(self.base + "/v1/reports/%s/releases" % report_id, headers=h, data=json.dumps({"recipient": "GBR"}), timeout=60)
        c.equal("received: released to GBR", r.status_code, 201)
        c.note("release: banner %r, portions %r" % (r.json().get("banner"), r.json().get("portions")))

        objs, _ = self.all_objects(self.collection(self.ids[("GBR", "received")], bob), "received as bob")
        reports = [o for o in objs if o.get("type") == "report" and rel_text in json.dumps(o)]
        c.equal("bob (GBR, SECRET): one STIX report with the REL TO portion", len(reports), 1)
        types = {o["type"] for o in objs}
        for t in ("identity", "marking-definition", "extension-definition"):
            c.ok("bob: received has %s objects alongside" % t, t in types, str(sorted(types)))
        blob = json.dumps(objs)
        c.ok("bob: the NOFORN portion appears nowhere (description, extensions, any object)", nf_text not in blob and "recruited employee" not in blob)
        if reports:
            rep = reports[0]
            c.ok("bob: report carries object_marking_refs", bool(rep.get("object_marking_refs")), short(rep))
            refs = set(rep.get("object_marking_refs", []))
            defs = {o["id"] for o in objs if o["type"] == "marking-definition"}
            c.ok("bob: the report's marking definitions are served alongside (or are TLP)", refs <= defs | set(TLP2.values()), "%s vs %s" % (refs, defs))
            self.c.note("report %s: name %r, markings %s" % (rep["id"], rep.get("name"), sorted(refs)))
        # Also through the object endpoint and the manifest.
        if reports:
            env = self.record(self.collection(self.ids[("GBR", "received")], bob).get_object(reports[0]["id"]), "received object as bob")
            c.equal("bob: get_object of the report", [o["id"] for o in env.get("objects", [])], [reports[0]["id"]])

        cobjs, _ = self.all_objects(self.collection(self.ids[("GBR", "received")], carol), "received as carol")
        cblob = json.dumps(cobjs)
        c.ok("carol (GBR, CONFIDENTIAL): sees nothing of it (no title, no portion)", rel_text not in cblob and title not in cblob and nf_text not in cblob,
             short([o["id"] for o in cobjs]))
        if reports:
            r = self.raw("GET", self.coll_path(self.ids[("GBR", "received")]) + "objects/%s/" % reports[0]["id"], carol)
            c.equal("carol: GET the report by id -> 404", r.status_code, 404)

        aobjs, _ = self.all_objects(self.collection(self.ids[("USA", "holdings")], alice), "holdings as alice")
        areps = [o for o in aobjs if o.get("type") == "report" and rel_text in json.dumps(o)]
        c.equal("alice (USA): the report is in holdings of USA", len(areps), 1)
        c.ok("alice (USA): holdings show the NOFORN portion to its own organisation", areps and nf_text in json.dumps(areps[0]), short(areps))
        dobjs, _ = self.all_objects(self.collection(self.ids[("FRA", "received")], self.members["dave"]), "received as dave")
        c.ok("dave (FRA): nothing of it in FRA's received", rel_text not in json.dumps(dobjs))

        # Holdings: posting creates holdings of the poster's organisation, visible only inside it.
        hold = json.loads(stix2.v21.Indicator(name="USA holding %s" % tag, description="USA holding", indicator_types=["malicious-activity"], pattern="[ipv4-addr:value = '198.51.100.7']",
                                              pattern_type="stix", valid_from=dt.datetime.now(dt.timezone.utc), object_marking_refs=[TLP2["GREEN"]]).serialize())
        st = self.collection(self.ids[("USA", "holdings")], alice).add_objects({"objects": [hold]}, wait_for_completion=True, poll_interval=0.2, timeout=60)
        c.equal("alice: posts to holdings of USA", (st.status, st.success_count), ("complete", 1))
        env = self.record(self.collection(self.ids[("USA", "holdings")], alice).get_object(hold["id"]), "holdings object as alice")
        c.equal("alice: reads it back", [o["id"] for o in env.get("objects", [])], [hold["id"]])
        for name in ("bob", "dave"):
            who = self.members[name]
            for kind in ("holdings", "received"):
                objs = self.all_objects(self.collection(self.ids[(who.org, kind)], who), "%s of %s as %s" % (kind, who.org, name))[0]
                c.ok("%s (%s): USA's holding is not in %s of %s" % (name, who.org, kind, who.org), hold["id"] not in {o["id"] for o in objs})

    # --- validation of everything served

    def validate_all(self):
        c = self.c
        options = ValidationOptions(strict=True, version="2.1", silent=True)
        problems = []
        seen = set()
        for (oid, ver, where), obj in sorted(self.returned.items(), key=lambda kv: kv[0]):
            key = json.dumps(obj, sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
            res = validate_instance(obj, options)
            messages = [str(e) for e in (res.errors or [])] + [str(w) for w in (res.warnings or [])]
            if not res.is_valid or messages:
                problems.append("%s (%s): %s" % (oid, where, "; ".join(sorted(set(messages)))))
        c.note("validated %d distinct served objects with stix2validator (strict, 2.1)" % len(seen))
        c.ok("stix2validator strict: every served object valid, no warnings", not problems, "\n      ".join(problems[:20]))

    def sweep(self):
        """Reads every collection each member can read, so that everything served gets validated."""
        for name, who in self.members.items():
            root = ApiRoot(self.base + self.root_path(), auth=who.auth)
            for col in root.collections:
                # medallion: only the test collection (its fixture's own objects are not strict STIX 2.1).
                if col.can_read and (not self.medallion or col.id == self.cid):
                    self.all_objects(Collection(self.base + self.coll_path(col.id), auth=who.auth), "sweep %s %s" % (name, col.title), per_request=100,
                                     version="all")

    def one_object_filters(self):
        """added_after and match[spec_version] on one object, its versions, the manifest and delete (issue 16)."""
        coll, c = self.coll, self.c
        two = self.twice[0]
        added = sorted(parse_ts(e["date_added"]) for e in coll.get_manifest(id=two, version="all").get("objects", []))
        c.equal("manifest match[id],match[version]=all: two versions of %s" % two, len(added), 2)
        between = added[0].astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        env = coll.get_object(two, added_after=between, version="all")
        c.equal("get_object added_after the first version: only the second", [version_of(o) for o in env.get("objects", [])],
                [version_of(self.latest[two])])
        v = coll.object_versions(two, added_after=between)
        c.equal("object_versions added_after the first version: one", len(v.get("versions", [])), 1)
        late = "2100-01-01T00:00:00.000Z"
        env = coll.get_object(two, added_after=late)
        c.equal("get_object added_after a later date: 200, no objects", env.get("objects", []), [])
        v = coll.object_versions(two, added_after=late)
        c.equal("object_versions added_after a later date: 200, no versions", v.get("versions", []), [])
        c.equal("get_object match[spec_version]=2.1", len(coll.get_object(two, spec_version="2.1").get("objects", [])), 1)
        c.equal("get_object match[spec_version]=2.0: none", coll.get_object(two, spec_version="2.0").get("objects", []), [])
        c.equal("object_versions match[spec_version]=2.0: none", coll.object_versions(two, spec_version="2.0").get("versions", []), [])
        c.equal("manifest match[spec_version]=2.0: none", coll.get_manifest(spec_version="2.0").get("objects", []), [])
        c.equal("manifest match[spec_version]=2.1,2.0: the default version of each id",
                sorted(e["id"] for e in coll.get_manifest(spec_version="2.1,2.0", limit=1000).get("objects", [])), sorted(self.latest))
        r = self.raw("DELETE", self.coll_path(self.cid) + "objects/%s/" % two, self.writer, params={"match[spec_version]": "2.0"})
        self.error_object("DELETE match[spec_version]=2.0 matches no version", r, 404)
        c.equal("after that DELETE: both versions stay", len(coll.get_object(two, version="all").get("objects", [])), 2)
        r = self.raw("GET", self.coll_path(self.cid) + "objects/indicator--%s/" % uuid.uuid4(), self.writer, params={"added_after": late})
        self.error_object("get_object of an unknown id with added_after", r, 404)
        # An SCO has no modified: its version is the date it was added.
        sco = [i for i in self.latest if self.latest[i]["type"] in ("ipv4-addr", "domain-name")][0]
        entry = coll.get_manifest(id=sco).get("objects", [{}])[0]
        c.ok("SCO %s: version equals date_added" % sco, parse_ts(entry.get("version")) == parse_ts(entry.get("date_added")), short(entry))
        c.equal("SCO object_versions: the date added", [parse_ts(x) for x in coll.object_versions(sco).get("versions", [])],
                [parse_ts(entry.get("date_added"))])
        c.equal("SCO match[version]=<date added>", [o["id"] for o in coll.get_object(sco, version=entry.get("version")).get("objects", [])], [sco])

    def refusals(self):
        """A bare STIX object is 422, and changing the filters while following next is 400 (issue 16)."""
        coll, c = self.coll, self.c
        bare = dict(self.latest[sorted(self.latest)[0]])
        try:
            coll.add_objects(json.dumps(bare), wait_for_completion=False)
            c.ok("taxii2-client: a bare STIX object is refused", False, "it was accepted")
        except requests.HTTPError as error:
            c.equal("taxii2-client: a bare STIX object is refused with 422", error.response.status_code, 422)
        resp = self.raw("POST", self.coll_path(self.cid) + "objects/", self.writer, data=json.dumps(bare),
                        headers={"Content-Type": TAXII})
        self.error_object("POST of a bare object", resp, 422)
        first = coll.get_objects(limit=1)
        c.ok("paging: a first page of one object has more and next", bool(first.get("more")) and bool(first.get("next")), short(first))
        if first.get("next"):
            same = coll.get_objects(limit=2, next=first["next"])
            c.ok("taxii2-client: the same filters page on", "objects" in same, short(same))
            try:
                coll.get_objects(limit=1, next=first["next"], added_after="2000-01-01T00:00:00Z")
                c.ok("taxii2-client: filters changed while paging are refused", False, "the page was served")
            except requests.HTTPError as error:
                c.equal("taxii2-client: filters changed while paging are refused with 400", error.response.status_code, 400)

    def main(self):
        if self.medallion:
            self.setup_medallion()
        else:
            self.setup_tearline()
        self.discovery()
        self.collections_listing()
        self.make_objects()
        self.add_and_status()
        self.filters()
        self.paging()
        self.manifest()
        self.versions_and_get()
        self.negotiation()
        if not self.medallion:
            self.one_object_filters()
            self.refusals()
            self.tearline_collections()
            self.tlp_visibility()
            self.classified()
            self.received()
            self.sweep()
        else:
            self.sweep()
        self.validate_all()


# ----------------------------------------------------------------------------- medallion launcher

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_medallion(workdir):
    port = free_port()
    base = "http://127.0.0.1:%d" % port
    with open(os.path.join(FIXTURES, "default_data.json")) as f:
        data = json.load(f)
    disc = data["/discovery"]
    disc["default"] = disc["default"].replace("http://localhost:5000", base)
    disc["api_roots"] = [u.replace("http://localhost:5000", base) for u in disc["api_roots"]]
    with open(os.path.join(FIXTURES, "config.json")) as f:
        config = json.load(f)
    data_path = os.path.join(workdir, "data.json")
    with open(data_path, "w") as f:
        json.dump(data, f)
    config["backend"]["filename"] = data_path
    config["backend"]["session_timeout"] = 600
    config_path = os.path.join(workdir, "config.json")
    with open(config_path, "w") as f:
        json.dump(config, f)
    exe = os.path.join(os.path.dirname(sys.executable), "medallion")
    if not os.path.exists(exe):
        exe = shutil.which("medallion")
    if not exe:
        raise CheckFailed("medallion is not installed next to %s (pip install medallion==3.0.0)" % sys.executable)
    log = open(os.path.join(workdir, "medallion.log"), "w")
    proc = subprocess.Popen([exe, "--host", "127.0.0.1", "--port", str(port), config_path], stdout=log, stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            r = requests.get(base + "/taxii2/", headers={"Accept": TAXII}, auth=("admin", "Password0"), timeout=2)
            if r.status_code == 200:
                return proc, base
        except requests.ConnectionError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    proc.kill()
    raise CheckFailed("medallion did not start; see %s" % os.path.join(workdir, "medallion.log"))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", help="the server, e.g. http://127.0.0.1:8080")
    ap.add_argument("--tearline", help="the tearline executable (for the admin CLI setup)")
    ap.add_argument("--db", help="the database the server runs on")
    ap.add_argument("--medallion", action="store_true", help="generic TAXII checks only, against medallion")
    ap.add_argument("--user", help="--medallion with --url: Basic login (default admin)")
    ap.add_argument("--password", help="--medallion with --url: Basic password (default Password0)")
    ap.add_argument("--api-root", help="--medallion: API root name (default trustgroup1)")
    ap.add_argument("--collection", help="--medallion: an empty writable collection (default %s)" % MEDALLION_COLLECTION)
    ap.add_argument("--keep-going", action="store_true", help="run every check, fail at the end")
    args = ap.parse_args()
    proc = workdir = None
    started = time.time()
    try:
        if args.medallion:
            if not args.url:
                workdir = tempfile.mkdtemp(prefix="medallion-")
                proc, args.url = start_medallion(workdir)
                print("started medallion 3.0.0 at %s (pid %d, files in %s)" % (args.url, proc.pid, workdir), flush=True)
        else:
            if not (args.url and args.tearline and args.db):
                ap.error("--url, --tearline and --db are required (or --medallion)")
        run = Run(args)
        try:
            run.main()
        except CheckFailed as e:
            print("\nFAILED: %s" % e, file=sys.stderr)
            return 1
        except requests.HTTPError as e:
            body = e.response.text[:500] if e.response is not None else ""
            print("FAIL  HTTP error from taxii2client/requests: %s %s" % (e, body), flush=True)
            print("\nFAILED: %s" % e, file=sys.stderr)
            return 1
        except Exception as e:  # taxii2client ValidationError, JSON errors, …: a failure too
            print("FAIL  %s: %s" % (type(e).__name__, e), flush=True)
            import traceback
            traceback.print_exc()
            return 1
        if run.c.failed:
            print("\nFAILED %d check(s):\n  %s" % (len(run.c.failed), "\n  ".join(run.c.failed)), file=sys.stderr)
            return 1
        print("\nall %d checks passed in %.1f s" % (run.c.passed, time.time() - started))
        return 0
    except CheckFailed as e:
        print("\nFAILED: %s" % e, file=sys.stderr)
        return 1
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
