#!/usr/bin/env python3
"""MISP import and MISP feed, checked with events built by pymisp (PyPI).

    python scripts/misp_test.py --tearline .build/debug/tearline

1. Builds MISP events with pymisp: attributes of the common types, objects (file, domain-ip,
   email), TLP 1.0 and 2.0 tags, every distribution level, a sharing group with a known and an
   unknown organisation, galaxy tags. Writes them as a JSON file (an array of events) and as a
   MISP feed directory (manifest.json, hashes.csv, one {uuid}.json per event).
2. `tearline import misp` on each, in two fresh databases: the mapping summary, then over HTTP
   as members of the node: titles, portions and their markings, entities found by search.
3. What must be refused, with nothing written: an event without info, a feed whose manifest names
   a missing file, a file that is not JSON.
4. The MISP feed a Tearline node serves (/misp/feed/): GBR's member reads it with a bearer
   token; every served event loads as a pymisp MISPEvent; manifest.json and hashes.csv agree
   with the events; what GBR may not read is not in it.

Prints one line per check and exits 1 on the first failure.
Needs: pip install pymisp requests
"""
import argparse
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
from pymisp import MISPEvent, MISPObject, MISPOrganisation, MISPSharingGroup

checks = 0


class Failed(Exception):
    pass


def ok(name, condition, detail=""):
    global checks
    checks += 1
    if not condition:
        print("FAIL  %s %s" % (name, detail), flush=True)
        raise Failed(name)
    print("ok    %s" % name, flush=True)


def equal(name, got, want):
    ok(name, got == want, "\n  got:  %s\n  want: %s" % (str(got)[:1500], str(want)[:1500]))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_events():
    """Five events covering the mapping."""
    events = []

    e = MISPEvent()
    e.info = "Heron C2 infrastructure"
    e.distribution = 3  # all communities
    e.threat_level_id = 1
    e.analysis = 2
    e.add_tag("tlp:green")
    e.add_tag('misp-galaxy:threat-actor="APT Heron"')
    e.add_tag("kill-chain:command-and-control")
    e.add_attribute("ip-dst", "203.0.113.10", comment="C2", to_ids=True)
    e.add_attribute("ip-src", "2001:db8::10")
    e.add_attribute("domain", "heron-c2.example.com")
    e.add_attribute("hostname", "mail.heron-c2.example.com")
    e.add_attribute("url", "https://heron-c2.example.com/gate.php")
    e.add_attribute("email-src", "phish@heron.example")
    e.add_attribute("email-dst", "victim@target.example")
    e.add_attribute("md5", "d41d8cd98f00b204e9800998ecf8427e")
    e.add_attribute("sha1", "da39a3ee5e6b4b0d3255bfef95601890afd80709")
    e.add_attribute("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    e.add_attribute("filename", "invoice.pdf.exe")
    e.add_attribute("phone-number", "+44 20 7946 0958")
    e.add_attribute("text", "Seen in three campaigns")
    red = e.add_attribute("ip-dst", "198.51.100.66", comment="source of the report")
    red.add_tag("tlp:red")
    f = MISPObject("file")
    f.add_attribute("filename", value="loader.dll")
    f.add_attribute("sha256", value="9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
    f.add_attribute("size-in-bytes", value=4096)
    e.add_object(f)
    d = MISPObject("domain-ip")
    d.add_attribute("domain", value="cdn.heron.example")
    d.add_attribute("ip", value="192.0.2.44")
    e.add_object(d)
    events.append(e)

    e = MISPEvent()
    e.info = "Internal only: sinkhole results"
    e.distribution = 0  # your organisation only
    e.add_tag("tlp:amber")
    e.add_attribute("ip-dst", "192.0.2.200")
    events.append(e)

    e = MISPEvent()
    e.info = "Community sharing: phishing wave"
    e.distribution = 1  # this community
    e.add_tag("tlp:white")  # TLP 1.0
    e.add_attribute("email-src", "wave@phish.example")
    e.add_attribute("domain|ip", "phish.example|198.51.100.7")
    events.append(e)

    e = MISPEvent()
    e.info = "Sharing group: maritime"
    e.distribution = 4
    sg = MISPSharingGroup()
    sg.name = "Maritime partners"
    sg.uuid = str(uuid.uuid4())
    sg.SharingGroupOrg = []
    for name in ("GBR", "Atlantis Maritime Authority"):
        org = MISPOrganisation()
        org.name = name
        org.uuid = str(uuid.uuid4())
        sg.SharingGroupOrg.append({"Organisation": org})
    e.SharingGroup = sg
    e.add_tag("tlp:amber+strict")
    e.add_attribute("phone-number", "+1 202 555 0147")
    e.add_attribute("ip-dst", "203.0.113.77")
    events.append(e)

    e = MISPEvent()
    e.info = "No TLP tag at all"
    e.distribution = 3
    for n in range(1, 251):  # a larger event: 250 attributes
        e.add_attribute("ip-dst", "10.%d.%d.%d" % (n // 256, n % 256, 1))
    events.append(e)
    return events


def write_file(events, path):
    with open(path, "w") as f:
        f.write("[" + ",".join(ev.to_json() for ev in events) + "]")


def write_feed(events, directory):
    """A MISP feed directory as MISP's feed generator writes it."""
    os.makedirs(directory, exist_ok=True)
    manifest = {}
    hashes = []
    for ev in events:
        if "Orgc" not in ev:
            orgc = MISPOrganisation()
            orgc.name = "CERT-USA"
            orgc.uuid = "5f6e7d8c-0000-4000-8000-000000000001"
            ev.Orgc = orgc
        if "date" not in ev:
            ev.date = "2026-12-01"
        feed = ev.to_feed(with_meta=True)
        body = json.dumps(feed)
        with open(os.path.join(directory, ev.uuid + ".json"), "w") as f:
            f.write(body)
        meta = feed["Event"]
        manifest[ev.uuid] = {k: meta[k] for k in ("info", "date", "analysis", "threat_level_id", "timestamp", "Orgc", "Tag") if k in meta}
        for h in meta.get("_hashes", []):
            hashes.append("%s,%s" % (h, ev.uuid))
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        json.dump(manifest, f)
    with open(os.path.join(directory, "hashes.csv"), "w") as f:
        f.write("\n".join(hashes) + "\n")


class Node:
    def __init__(self, tearline, work, name):
        self.tearline = tearline
        self.db = os.path.join(work, name + ".db")
        self.proc = None
        self.base = None

    def cli(self, *argv, expect_ok=True):
        p = subprocess.run([self.tearline] + list(argv) + ["--db", self.db], capture_output=True, text=True, timeout=600)
        if expect_ok and p.returncode != 0:
            raise Failed("%s failed (%d): %s" % (" ".join(argv[:3]), p.returncode, (p.stdout + p.stderr).strip()[-2000:]))
        return p

    def json(self, *argv):
        return json.loads(self.cli(*argv).stdout)

    def setup(self):
        for org, name in (("USA", "United States"), ("GBR", "United Kingdom"), ("FRA", "France")):
            self.cli("admin", "org-create", "--id", org, "--name", name, "--kind", "state")
        self.cli("admin", "partnership-create", "--orgs", "USA,GBR", "--trust", "high")
        self.cli("admin", "partnership-create", "--orgs", "USA,FRA", "--trust", "high")
        self.tokens = {}
        for who, org in (("usa", "USA"), ("gbr", "GBR"), ("fra", "FRA")):
            out = self.json("admin", "member-create", "--org", org, "--name", "%s-analyst" % who, "--roles", "analyst,releaser",
                            "--clearance", "SECRET", "--topics", "cti")
            self.tokens[who] = out["token"]

    def start(self):
        port = free_port()
        self.base = "http://127.0.0.1:%d" % port
        self.log = open(self.db + ".log", "w")
        self.proc = subprocess.Popen([self.tearline, "serve", "--db", self.db, "--port", str(port)], stdout=self.log, stderr=subprocess.STDOUT)
        for _ in range(200):
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.05)
        raise Failed("tearline serve did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(timeout=30)
            self.proc = None

    def get(self, path, who, **kw):
        return requests.get(self.base + path, headers={"Authorization": "Bearer " + self.tokens[who]}, timeout=30, **kw)

    def post(self, path, who, body):
        return requests.post(self.base + path, json=body, headers={"Authorization": "Bearer " + self.tokens[who]}, timeout=30)

    def reports(self, who):
        items, cursor = [], None
        while True:
            r = self.get("/v1/reports", who, params={"limit": 100, **({"cursor": cursor} if cursor else {})})
            r.raise_for_status()
            body = r.json()
            items += body.get("items", body.get("reports", []))
            cursor = body.get("next") or body.get("cursor")
            if not cursor:
                return items


def check_import(node, source, label):
    result = node.json("import", "misp", source, "--org", "USA", "--community", "GBR")
    s = result["summary"]
    equal("%s: events" % label, s["events"], 5)
    equal("%s: reports (one per event)" % label, s["reports"], 5)
    equal("%s: attributes" % label, s["attributes"], 14 + 5 + 1 + 2 + 2 + 250)
    equal("%s: objects" % label, s["objects"], 2)
    kinds = s["entityKinds"]
    for kind in ("ipv4", "ipv6", "domain", "url", "email", "file-hash", "phone", "filename"):
        ok("%s: %s entities mapped" % (label, kind), kinds.get(kind, 0) > 0, json.dumps(kinds))
    ok("%s: text attributes kept as text" % label, s["keptAsText"].get("text") == 1 and s["keptAsText"].get("size-in-bytes") == 1, json.dumps(s["keptAsText"]))
    # A MISP feed carries no sharing groups: distribution 4 without its group keeps the event inside the organisation.
    equal("%s: unknown sharing-group organisations reported" % label, s["unknownOrganizations"],
          [] if label == "feed directory" else ["Atlantis Maritime Authority"])
    ok("%s: labels kept (galaxy and other tags)" % label, s["labels"] >= 2, str(s["labels"]))
    markings = s["markings"]
    if label == "feed directory":
        # A feed's events carry no distribution: by default they stay inside the organisation.
        ok("%s: events without distribution stay inside the organisation (REL TO USA, at least AMBER+STRICT)" % label,
           all("REL TO USA//" in m and ("AMBER+STRICT" in m or "TLP:RED" in m) for m in markings), json.dumps(markings))
        return result
    ok("%s: TLP:GREEN, TLP:RED, TLP:CLEAR, AMBER+STRICT and REL TO given" % label,
       any("TLP:GREEN" in m for m in markings) and any("TLP:RED" in m for m in markings) and any("TLP:CLEAR" in m for m in markings)
       and any("AMBER+STRICT" in m for m in markings) and any("REL TO" in m for m in markings), json.dumps(markings))
    return result


def check_reports(node, with_groups):
    reports = node.reports("usa")
    titles = sorted(r["title"] for r in reports)
    equal("USA analyst lists the imported reports", titles, sorted(["Heron C2 infrastructure", "Internal only: sinkhole results",
                                                                    "Community sharing: phishing wave", "Sharing group: maritime", "No TLP tag at all"]))
    heron = [r for r in reports if r["title"] == "Heron C2 infrastructure"][0]
    doc = node.get("/v1/reports/" + heron["id"], "usa").json()
    texts = "\n".join(p["text"] for p in doc["portions"])
    for needle in ("203.0.113.10", "loader.dll", "Seen in three campaigns", "APT Heron", "Object file", "[IDS]"):
        ok("report portions hold %s" % needle, needle in texts, texts[:400])
    banners = {p["marking"] for p in doc["portions"]}
    ok("the tlp:red attribute is in a TLP:RED portion of its own",
       any("TLP:RED" in p["marking"] and "198.51.100.66" in p["text"] and "203.0.113.10" not in p["text"] for p in doc["portions"]), str(banners))
    r = node.post("/v1/entities/search", "usa", {"kind": "ipv4", "value": "203.0.113.10"})
    ok("entity search finds the imported IP", r.status_code == 200 and heron["id"] in r.text, r.text[:300])
    r = node.post("/v1/entities/search", "usa", {"kind": "file-hash", "value": "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"})
    ok("entity search finds an object's hash", r.status_code == 200 and heron["id"] in r.text, r.text[:300])
    # Discovery across organisations follows distribution: the sharing group (GBR known) is
    # discoverable to GBR, the organisation-only event is not.
    r = node.post("/v1/entities/search", "gbr", {"kind": "ipv4", "value": "203.0.113.10"})
    if with_groups:
        ok("GBR learns USA holds the all-communities IP (a pointer)", r.status_code == 200 and "USA" in r.text, r.text[:300])
    r = node.post("/v1/entities/search", "gbr", {"kind": "phone", "value": "+1 202 555 0147"})
    if with_groups:
        ok("GBR learns USA holds the sharing-group phone number (a pointer)", r.status_code == 200 and "USA" in r.text, r.text[:300])
    else:
        ok("without its sharing group (a feed), GBR learns nothing of that event", r.status_code == 200 and "USA" not in r.text, r.text[:300])
    r = node.post("/v1/entities/search", "gbr", {"kind": "ipv4", "value": "192.0.2.200"})
    ok("GBR learns nothing of the organisation-only event", r.status_code == 200 and "USA" not in r.text, r.text[:300])
    r = node.post("/v1/entities/search", "fra", {"kind": "phone", "value": "+1 202 555 0147"})
    ok("FRA (not in the sharing group) learns nothing of it", r.status_code == 200 and "USA" not in r.text, r.text[:300])


def check_feed(node):
    """The MISP feed GBR's member reads after USA releases one report to GBR."""
    from pymisp import MISPEvent as Loaded
    reports = {r["title"]: r["id"] for r in node.reports("usa")}
    r = node.post("/v1/reports/%s/releases" % reports["Heron C2 infrastructure"], "usa", {"recipient": "GBR"})
    ok("USA releases the Heron report to GBR", r.status_code in (200, 201), r.text[:300])
    r = node.post("/v1/reports/%s/releases" % reports["Internal only: sinkhole results"], "usa", {"recipient": "GBR"})
    ok("the organisation-only report is not released to GBR", r.status_code >= 400, r.text[:300])

    r = requests.get(node.base + "/misp/feed/manifest.json", timeout=30)
    equal("the feed needs a token", r.status_code, 401)
    manifest = node.get("/misp/feed/manifest.json", "gbr")
    ok("GBR's manifest.json is JSON", manifest.status_code == 200 and manifest.headers.get("Content-Type", "").startswith("application/json"),
       manifest.text[:300])
    entries = manifest.json()
    equal("GBR's manifest lists the one release", [e["info"] for e in entries.values()], ["Heron C2 infrastructure"])
    uuid_ = list(entries)[0]
    entry = entries[uuid_]
    ok("manifest entry: Orgc, date, timestamp and a tlp tag",
       entry["Orgc"]["name"] == "USA" and len(entry["date"]) == 10 and int(entry["timestamp"]) > 0
       and any(t["name"] == "tlp:green" for t in entry["Tag"]), json.dumps(entry))
    body = node.get("/misp/feed/%s.json" % uuid_, "gbr")
    ok("GBR reads the event file", body.status_code == 200, body.text[:300])
    event = Loaded()
    event.load(body.json())
    equal("pymisp loads it: uuid and info", (event.uuid, event.info), (uuid_, "Heron C2 infrastructure"))
    values = {(a.type, a.value) for a in event.attributes}
    for pair in (("ip-dst", "203.0.113.10"), ("domain", "heron-c2.example.com"), ("url", "https://heron-c2.example.com/gate.php"),
                 ("sha256", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), ("phone-number", "+442079460958")):
        ok("the event carries %s %s" % pair, pair in values or any(t == pair[0] and pair[1] in v for t, v in values), str(sorted(values))[:600])
    ok("the TLP:RED portion (the report's source) is not in the feed", not any("198.51.100.66" in v for _, v in values), str(sorted(values))[:600])
    equal("distribution 0: the recipient's MISP must not pass it on", str(event.distribution), "0")
    ok("the event is tagged with the banner", any(t.name.startswith("tearline:banner=") for t in event.tags), str(event.tags))
    hashes = node.get("/misp/feed/hashes.csv", "gbr")
    lines = [l for l in hashes.text.splitlines() if l]
    want = {hashlib.md5(a.value.encode()).hexdigest() + "," + uuid_ for a in event.attributes}
    equal("hashes.csv: md5 of every attribute value with its event", set(lines), want)
    # FRA has no release: an empty feed, and GBR's event does not exist for it.
    equal("FRA's manifest is empty", node.get("/misp/feed/manifest.json", "fra").json(), {})
    equal("FRA cannot read GBR's event (404)", node.get("/misp/feed/%s.json" % uuid_, "fra").status_code, 404)
    equal("an unknown event is 404", node.get("/misp/feed/%s.json" % "00000000-0000-4000-8000-000000000000", "gbr").status_code, 404)
    equal("a file that is not an event is 404", node.get("/misp/feed/passwd", "gbr").status_code, 404)


def check_progress(node, work):
    """Progress on a terminal (run under script(1), which gives the command a pseudo-terminal), nothing on a pipe."""
    path = os.path.join(work, "events.json")
    p = node.cli("import", "misp", path, "--org", "GBR")
    equal("no progress when standard error is not a terminal", p.stderr, "")
    if not shutil.which("script"):
        print("      script(1) not found: the terminal check is skipped")
        return
    cmd = " ".join([node.tearline, "import", "misp", path, "--org", "GBR", "--db", node.db])
    t = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, text=True, timeout=300)
    ok("on a terminal: counts, rate and the end", t.returncode == 0 and "events 5/5 (100%)" in t.stdout and "/s" in t.stdout
       and "done in" in t.stdout, t.stdout[-600:])


def check_refusals(node, work, events):
    before = node.cli("audit", "verify").stdout.strip()
    bad = os.path.join(work, "bad.json")
    with open(bad, "w") as f:
        f.write("[" + events[0].to_json() + ', {"Event": {"uuid": "%s", "Attribute": []}}]' % uuid.uuid4())
    p = node.cli("import", "misp", bad, "--org", "USA", expect_ok=False)
    ok("an event without info is refused, with a clear message", p.returncode != 0 and "info" in p.stderr and "Traceback" not in p.stderr, p.stderr[-400:])
    broken = os.path.join(work, "feed-broken")
    write_feed(events[:2], broken)
    os.remove(os.path.join(broken, events[1].uuid + ".json"))
    p = node.cli("import", "misp", broken, "--org", "USA", expect_ok=False)
    ok("a feed whose manifest names a missing file is refused", p.returncode != 0 and "missing" in p.stderr, p.stderr[-400:])
    notjson = os.path.join(work, "notjson.json")
    with open(notjson, "w") as f:
        f.write("{not json")
    p = node.cli("import", "misp", notjson, "--org", "USA", expect_ok=False)
    ok("a file that is not JSON is refused", p.returncode != 0 and "JSON" in p.stderr, p.stderr[-400:])
    p = node.cli("import", "misp", os.path.join(work, "events.json"), "--org", "NOWHERE", expect_ok=False)
    ok("an unknown organisation is refused", p.returncode != 0 and "NOWHERE" in p.stderr, p.stderr[-400:])
    after = node.cli("audit", "verify").stdout.strip()
    # why without the timing: "(0.01 s)" and "(0.02 s)" are the same log.
    untimed = lambda text: re.sub(r"\s*\([0-9.]+ s\)$", "", text)
    equal("nothing was written by the refused imports (the audit log did not grow)", untimed(after), untimed(before))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tearline", required=True)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="misp-test-")
    started = time.time()
    nodes = []
    try:
        events = make_events()
        write_file(events, os.path.join(work, "events.json"))
        write_feed(events, os.path.join(work, "feed"))
        for label, source in (("JSON file", os.path.join(work, "events.json")), ("feed directory", os.path.join(work, "feed"))):
            node = Node(args.tearline, work, "misp-" + label.split()[0].lower())
            nodes.append(node)
            node.setup()
            check_import(node, source, label)
            node.start()
            check_reports(node, with_groups=label != "feed directory")
            if label == "JSON file":
                check_feed(node)
            node.stop()
        check_progress(nodes[0], work)
        check_refusals(nodes[0], work, events)
        print("\nall %d checks passed in %.1f s" % (checks, time.time() - started))
        return 0
    except Failed as e:
        print("\nFAILED: %s" % e, file=sys.stderr)
        return 1
    finally:
        for node in nodes:
            node.stop()
        if args.keep:
            print("work directory: %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
