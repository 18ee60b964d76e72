#!/usr/bin/env python3
"""Import throughput (STIX, medallion, MISP) and TAXII reads side by side with medallion 3.0.0.

    swift build -c release --product tearline
    python scripts/import_bench.py --tearline .build/release/tearline [--events 10000] [--sizes 2000,10000]

Imports (each into a fresh database, timed end to end as a user runs them, process start included):
- MISP: --events generated events of 10 attributes each (ip-dst, domain, url, sha256, email-src,
  filename, text…; a quarter with a file object), as a JSON file; events/s and attributes/s.
- STIX: a bundle of --events indicators with TLP markings; objects/s.
- medallion: a medallion data file of --events objects in one collection; objects/s.

TAXII side by side, for each collection size in --sizes: medallion 3.0.0 (its own `medallion`
server, memory backend) and `tearline serve` on the same data (imported with `tearline import
medallion`), read by one Python client (requests, keep-alive) as a TAXII client would:
- every page of GET objects/ (limit 100);
- GET objects/{id}/ for 200 random ids.
Reports requests/s for each server and the ratio. Tearline runs with its per-member throttle
windows raised (a member reading 10,000 objects within an hour is throttled by default). Both servers run on this machine; the client
is the same for both, so the ratio, not the absolute rate, is the figure to compare.
"""
import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid

import functools

import requests

print = functools.partial(print, flush=True)

TAXII = "application/taxii+json;version=2.1"
TLP = ["marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da",
       "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def misp_events(n):
    events = []
    for i in range(n):
        attrs = [
            {"type": "ip-dst", "category": "Network activity", "value": "10.%d.%d.%d" % (i // 65536 % 256, i // 256 % 256, i % 256), "to_ids": True},
            {"type": "domain", "category": "Network activity", "value": "c2-%d.example.com" % i},
            {"type": "url", "category": "Network activity", "value": "https://c2-%d.example.com/gate" % i},
            {"type": "sha256", "category": "Payload delivery", "value": "%064x" % (i * 7919 + 1)},
            {"type": "email-src", "category": "Payload delivery", "value": "actor%d@phish.example" % i},
            {"type": "filename", "category": "Payload delivery", "value": "invoice-%d.pdf.exe" % i},
            {"type": "text", "category": "Other", "value": "Observed in campaign %d" % (i % 50)},
            {"type": "hostname", "category": "Network activity", "value": "mail.c2-%d.example.com" % i},
            {"type": "md5", "category": "Payload delivery", "value": "%032x" % (i * 104729 + 3)},
            {"type": "phone-number", "category": "Person", "value": "+1 202 555 %04d" % (i % 10000)},
        ]
        event = {"uuid": str(uuid.UUID(int=i + 1)), "info": "Generated event %d" % i, "date": "2026-12-01", "threat_level_id": "2",
                 "analysis": "2", "distribution": "3", "Tag": [{"name": ["tlp:green", "tlp:amber", "tlp:clear"][i % 3]}], "Attribute": attrs}
        if i % 4 == 0:
            event["Object"] = [{"name": "file", "Attribute": [
                {"type": "filename", "object_relation": "filename", "value": "drop-%d.dll" % i},
                {"type": "sha1", "object_relation": "sha1", "value": "%040x" % (i * 31 + 5)}]}]
        events.append({"Event": event})
    return events


def stix_objects(n, base_time="2026-12-01T00:00:00.000Z"):
    out = []
    for i in range(n):
        out.append({"type": "indicator", "spec_version": "2.1", "id": "indicator--%s" % uuid.UUID(int=i + 1),
                    "created": base_time, "modified": base_time, "name": "Bad IP %d" % i,
                    "pattern": "[ipv4-addr:value = '10.%d.%d.%d']" % (i // 65536 % 256, i // 256 % 256, i % 256),
                    "pattern_type": "stix", "valid_from": base_time, "object_marking_refs": [TLP[i % 3]]})
    return out


def medallion_data(objects, fixtures):
    with open(os.path.join(fixtures, "default_data.json")) as f:
        data = json.load(f)
    coll = [c for c in data["trustgroup1"]["collections"] if c["id"] == "365fed99-08fa-fdcd-a1b3-fb247eb41d01"][0]
    coll["objects"] = objects
    coll["manifest"] = [{"id": o["id"], "date_added": "2026-12-01T00:00:%02d.%06dZ" % (i // 1000000 % 60, i % 1000000), "version": o["modified"],
                         "media_type": "application/stix+json;version=2.1"} for i, o in enumerate(objects)]
    return data


def run(cmd, **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        raise SystemExit("%s failed: %s" % (" ".join(cmd[:4]), (p.stdout + p.stderr)[-1500:]))
    return p


def timed_import(tearline, work, name, argv, setup_orgs=("USA",)):
    db = os.path.join(work, name + ".db")
    for org in setup_orgs:
        run([tearline, "admin", "org-create", "--id", org, "--name", org, "--kind", "state", "--db", db])
    started = time.perf_counter()
    p = run([tearline] + argv + ["--db", db])
    return time.perf_counter() - started, json.loads(p.stdout), db


def wait_up(url, auth=None):
    for _ in range(600):
        try:
            if requests.get(url, auth=auth, headers={"Accept": TAXII}, timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    raise SystemExit("server at %s did not start" % url)


def read_collection(base, auth, ids):
    """Every page of objects/ (limit 100), then 200 random single objects: requests and seconds."""
    s = requests.Session()
    s.auth = auth
    s.headers["Accept"] = TAXII
    url = base + "/trustgroup1/collections/365fed99-08fa-fdcd-a1b3-fb247eb41d01/"
    requests_made = 0
    started = time.perf_counter()
    params = {"limit": 100}
    seen = 0
    while True:
        r = s.get(url + "objects/", params=params)
        r.raise_for_status()
        body = r.json()
        requests_made += 1
        seen += len(body.get("objects", []))
        if not body.get("more"):
            break
        params = {"limit": 100, "next": body["next"]}
    pages = time.perf_counter() - started
    rng = random.Random(7)
    picks = [rng.choice(ids) for _ in range(200)]
    started = time.perf_counter()
    for oid in picks:
        s.get(url + "objects/%s/" % oid).raise_for_status()
    singles = time.perf_counter() - started
    return {"objects": seen, "pages": requests_made, "pages_s": pages, "singles_s": singles}


def taxii_side_by_side(tearline, work, size, fixtures, medallion_exe):
    objects = stix_objects(size)
    data = medallion_data(objects, fixtures)
    mport = free_port()
    mbase = "http://127.0.0.1:%d" % mport
    data["/discovery"]["default"] = mbase + "/trustgroup1/"
    data["/discovery"]["api_roots"] = [mbase + "/api1/", mbase + "/api2/", mbase + "/trustgroup1/"]
    dpath = os.path.join(work, "med-%d.json" % size)
    with open(dpath, "w") as f:
        json.dump(data, f)
    with open(os.path.join(fixtures, "config.json")) as f:
        config = json.load(f)
    config["backend"]["filename"] = dpath
    cpath = os.path.join(work, "med-config-%d.json" % size)
    with open(cpath, "w") as f:
        json.dump(config, f)
    auth = ("admin", "Password0")
    med = subprocess.Popen([medallion_exe, "--host", "127.0.0.1", "--port", str(mport), cpath], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tl = None
    try:
        wait_up(mbase + "/taxii2/", auth)
        m = read_collection(mbase, auth, [o["id"] for o in objects])
        _, _, db = timed_import(tearline, work, "taxii-%d" % size, ["import", "medallion", "--config", cpath, "--data", dpath, "--org", "USA"])
        tport = free_port()
        tbase = "http://127.0.0.1:%d" % tport
        # why the windows: a member reading 10,000 objects an hour would be throttled (insider protection, 3,000 results an
        # hour by default); a node serving a bulk TAXII consumer raises them, as here.
        tl = subprocess.Popen([tearline, "serve", "--db", db, "--port", str(tport), "--throttle-search-results", "100000000",
                               "--throttle-reads", "100000000"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_up(tbase + "/taxii2/", auth)
        t = read_collection(tbase, auth, [o["id"] for o in objects])
    finally:
        med.terminate()
        if tl:
            tl.terminate()
    return m, t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tearline", required=True)
    ap.add_argument("--events", type=int, default=10000)
    ap.add_argument("--sizes", default="2000,10000")
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    fixtures = os.path.join(here, "..", "Tests", "TearlineServerTests", "Fixtures", "medallion")
    medallion_exe = os.path.join(os.path.dirname(sys.executable), "medallion")
    work = tempfile.mkdtemp(prefix="import-bench-")
    print("cores: %d" % os.cpu_count())
    try:
        n = args.events
        events = misp_events(n)
        path = os.path.join(work, "events.json")
        with open(path, "w") as f:
            json.dump(events, f)
        seconds, result, _ = timed_import(args.tearline, work, "misp", ["import", "misp", path, "--org", "USA"])
        s = result["summary"]
        print("MISP import: %d events, %d attributes, %d entities in %.2f s: %.0f events/s, %.0f attributes/s"
              % (s["events"], s["attributes"], s["entities"], seconds, s["events"] / seconds, s["attributes"] / seconds))

        bundle = {"type": "bundle", "id": "bundle--%s" % uuid.uuid4(), "objects": stix_objects(n)}
        path = os.path.join(work, "bundle.json")
        with open(path, "w") as f:
            json.dump(bundle, f)
        seconds, result, _ = timed_import(args.tearline, work, "stix", ["import", "stix", path, "--org", "USA"])
        print("STIX import: %d objects in %.2f s: %.0f objects/s" % (result.get("stored", n), seconds, n / seconds))

        data = medallion_data(stix_objects(n), fixtures)
        dpath = os.path.join(work, "medallion.json")
        with open(dpath, "w") as f:
            json.dump(data, f)
        seconds, result, _ = timed_import(args.tearline, work, "medallion",
                                          ["import", "medallion", "--config", os.path.join(fixtures, "config.json"), "--data", dpath, "--org", "USA"])
        total = result["objects"]
        print("medallion import: %d objects (with medallion's own 8) and 3 users in %.2f s: %.0f objects/s (scrypt for 3 passwords included)"
              % (total, seconds, total / seconds))

        if os.path.exists(medallion_exe):
            for size in [int(x) for x in args.sizes.split(",") if x]:
                m, t = taxii_side_by_side(args.tearline, work, size, fixtures, medallion_exe)
                print("TAXII at %d objects: all pages of objects/ (limit 100, %d requests): medallion %.2f s, Tearline %.2f s (%.1fx); "
                      "200 single objects: medallion %.0f req/s, Tearline %.0f req/s (%.1fx)"
                      % (size, t["pages"], m["pages_s"], t["pages_s"], m["pages_s"] / t["pages_s"],
                         200 / m["singles_s"], 200 / t["singles_s"], m["singles_s"] / t["singles_s"]))
        else:
            print("medallion is not installed next to %s: no side-by-side (pip install medallion==3.0.0)" % sys.executable)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
