#!/usr/bin/env python3
"""Moving from medallion 3.0.0 to Tearline, checked with taxii2-client on both servers.

    python scripts/medallion_migration_test.py --tearline .build/debug/tearline

1. Runs medallion 3.0.0 (its own code, in this process, on a loopback port) on the data file
   medallion ships, and posts through taxii2-client: objects in several versions, SCOs, a
   marking definition. medallion's memory backend then writes its data file, statuses included.
2. `tearline admin org-create` and `tearline import medallion --config … --data … --org GBR`.
3. Starts `tearline serve` on that database and, as each medallion user with the same password,
   compares what taxii2-client reads from both servers: discovery (its default root), API roots,
   collections, objects (every page), manifests (every version, date_added), versions of every
   object, single objects with match[version]=first and all, and the status resources of the
   posts made to medallion.

Prints one line per check and exits 1 on the first difference.
Needs: pip install medallion==3.0.0 taxii2-client stix2 requests
"""
import argparse
import datetime as dt
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import requests
import stix2
from taxii2client.v21 import ApiRoot, Server, as_pages

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "Tests", "TearlineServerTests", "Fixtures", "medallion")
TAXII = "application/taxii+json;version=2.1"
WRITABLE = "365fed99-08fa-fdcd-a1b3-fb247eb41d01"
USERS = {"admin": "Password0", "user1": "Password1", "user2": "Password2"}


class Failed(Exception):
    pass


checks = 0


def ok(name, condition, detail=""):
    global checks
    checks += 1
    if not condition:
        print("FAIL  %s %s" % (name, detail), flush=True)
        raise Failed(name)
    print("ok    %s" % name, flush=True)


def equal(name, got, want):
    ok(name, got == want, "\n  got:  %s\n  want: %s" % (str(got)[:1500], str(want)[:1500]))


def ts(text):
    """A STIX/TAXII timestamp as microseconds, whatever its written precision."""
    if text is None:
        return None
    main, _, frac = text.rstrip("Z").partition(".")
    t = dt.datetime.strptime(main, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    return int(t.timestamp()) * 1_000_000 + int((frac + "000000")[:6])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_medallion(workdir):
    """medallion's Flask app with its memory backend, served by werkzeug in a thread."""
    import logging
    from werkzeug.serving import make_server
    import medallion

    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    port = free_port()
    base = "http://127.0.0.1:%d" % port
    with open(os.path.join(FIXTURES, "default_data.json")) as f:
        data = json.load(f)
    disc = data["/discovery"]
    disc["default"] = disc["default"].replace("http://localhost:5000", base)
    disc["api_roots"] = [u.replace("http://localhost:5000", base) for u in disc["api_roots"]]
    data_path = os.path.join(workdir, "medallion-data.json")
    with open(data_path, "w") as f:
        json.dump(data, f)
    with open(os.path.join(FIXTURES, "config.json")) as f:
        config = json.load(f)
    config["backend"]["filename"] = data_path
    config_path = os.path.join(workdir, "medallion-config.json")
    with open(config_path, "w") as f:
        json.dump(config, f)
    app = medallion.load_app(config_path)
    server = make_server("127.0.0.1", port, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return app, server, base, config_path


def post_to_medallion(base):
    """Objects in several versions, SCOs and a marking definition, in three envelopes."""
    api = ApiRoot(base + "/trustgroup1/", user="admin", password=USERS["admin"])
    coll = [c for c in api.collections if c.id == WRITABLE][0]
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    tlp_green = "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"
    first = []
    indicators = [stix2.v21.Indicator(name="Bad IP 198.51.100.%d" % n, pattern="[ipv4-addr:value = '198.51.100.%d']" % n, pattern_type="stix",
                                      valid_from=now, indicator_types=["malicious-activity"], object_marking_refs=[tlp_green])
                  for n in range(1, 6)]
    first += indicators
    first += [stix2.v21.IPv4Address(value="198.51.100.%d" % n) for n in range(1, 4)]
    first += [stix2.v21.Malware(name="Heron loader", is_family=True), stix2.v21.DomainName(value="heron.example")]
    statuses = []
    for envelope in (first,
                     [indicators[0].new_version(description="confirmed"), indicators[1].new_version(description="confirmed")],
                     [indicators[0].new_version(description="confirmed twice", modified=now + dt.timedelta(seconds=5))]):
        status = coll.add_objects({"objects": [json.loads(o.serialize()) for o in envelope]}, wait_for_completion=True)
        statuses.append(status.id)
        time.sleep(0.01)
    return statuses


def cli(tearline, db, *argv):
    p = subprocess.run([tearline] + list(argv) + ["--db", db], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise Failed("%s: %s" % (" ".join(argv[:2]), (p.stdout + p.stderr).strip()))
    return json.loads(p.stdout) if p.stdout.strip().startswith("{") else p.stdout


def every(fetch, **filters):
    items = []
    for page in as_pages(fetch, per_request=50, **filters):
        items += page.get("objects", [])
    return items


def compare(med_base, tl_base, statuses):
    for user, password in USERS.items():
        med = Server(med_base + "/taxii2/", user=user, password=password)
        tl = Server(tl_base + "/taxii2/", user=user, password=password)
        equal("%s: discovery default is the same root" % user, tl.default.url[len(tl_base):], med.default.url[len(med_base):])
        # Tearline lists the roots the caller has a collection in: medallion's empty roots are not shown (documented).
        shown = [r for r in med.api_roots if any(c.can_read or c.can_write for c in r.collections)]
        equal("%s: discovery lists medallion's roots that hold a collection for the user" % user,
              sorted(u.url[len(tl_base):] for u in tl.api_roots if not u.url.endswith("/tearline/")),
              sorted(u.url[len(med_base):] for u in shown))
        for med_root in shown:
            name = med_root.url[len(med_base):]
            tl_root = ApiRoot(tl_base + name, user=user, password=password)
            equal("%s %s: title" % (user, name), tl_root.title, med_root.title)
            # medallion lists a collection with neither permission; Tearline does not show it (documented).
            med_colls = {c.id: c for c in med_root.collections if c.can_read or c.can_write}
            tl_colls = {c.id: c for c in tl_root.collections}
            equal("%s %s: collections" % (user, name), sorted(tl_colls), sorted(med_colls))
            for cid, mc in med_colls.items():
                tc = tl_colls[cid]
                equal("%s %s: can_read/can_write" % (user, cid), (tc.can_read, tc.can_write), (mc.can_read, mc.can_write))
                if not mc.can_read:
                    continue
                mo, to = every(mc.get_objects), every(tc.get_objects)
                equal("%s %s: objects (latest versions)" % (user, cid), sorted(o["id"] for o in to), sorted(o["id"] for o in mo))
                equal("%s %s: objects are the same bodies" % (user, cid),
                      sorted(to, key=lambda o: o["id"]), sorted(mo, key=lambda o: o["id"]))
                mm = every(mc.get_manifest, version="all")
                tm = every(tc.get_manifest, version="all")
                key = lambda e: (e["id"], ts(e["version"]), ts(e["date_added"]))
                equal("%s %s: manifest, every version with its date_added" % (user, cid), sorted(map(key, tm)), sorted(map(key, mm)))
                for oid in sorted({o["id"] for o in mo}):
                    mv = sorted(ts(v) for v in mc.object_versions(oid).get("versions", []))
                    tv = sorted(ts(v) for v in tc.object_versions(oid).get("versions", []))
                    equal("%s %s: versions" % (user, oid), tv, mv)
                    for which in ("first", "all"):
                        got = tc.get_object(oid, version=which).get("objects", [])
                        want = mc.get_object(oid, version=which).get("objects", [])
                        equal("%s %s: object match[version]=%s" % (user, oid, which),
                              sorted(json.dumps(o, sort_keys=True) for o in got), sorted(json.dumps(o, sort_keys=True) for o in want))
        med_api = ApiRoot(med_base + "/trustgroup1/", user=user, password=password)
        tl_api = ApiRoot(tl_base + "/trustgroup1/", user=user, password=password)
        for sid in statuses:
            ms, tls = med_api.get_status(sid), tl_api.get_status(sid)
            equal("%s status %s: status and counts" % (user, sid),
                  (tls.status, tls.total_count, tls.success_count, tls.failure_count, tls.pending_count),
                  (ms.status, ms.total_count, ms.success_count, ms.failure_count, ms.pending_count))
            equal("%s status %s: successes" % (user, sid),
                  sorted((s["id"], ts(s["version"])) for s in tls.successes), sorted((s["id"], ts(s["version"])) for s in ms.successes))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tearline", required=True, help="the tearline executable")
    ap.add_argument("--keep", action="store_true", help="keep the work directory")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="medallion-migration-")
    server = proc = None
    started = time.time()
    try:
        app, server, med_base, config_path = start_medallion(work)
        print("medallion 3.0.0 at %s" % med_base, flush=True)
        statuses = post_to_medallion(med_base)
        data_path = os.path.join(work, "medallion-saved.json")
        app.medallion_backend.save_data_to_file(data_path)
        with open(data_path) as f:
            saved = json.load(f)
        ok("medallion saved its data file with the statuses of the posts",
           {s["id"] for s in saved["trustgroup1"]["status"]} >= set(statuses), str(statuses))

        db = os.path.join(work, "tearline.db")
        cli(args.tearline, db, "admin", "org-create", "--id", "GBR", "--name", "United Kingdom", "--kind", "state")
        result = cli(args.tearline, db, "import", "medallion", "--config", config_path, "--data", data_path, "--org", "GBR")
        ok("import medallion: every root, users and statuses",
           result.get("apiRoots") == ["api1", "api2", "trustgroup1"] and sorted(m["login"] for m in result.get("members", [])) == sorted(USERS)
           and result.get("statuses") == len(saved["trustgroup1"]["status"]) and result.get("defaultApiRoot") == "trustgroup1",
           json.dumps({k: v for k, v in result.items() if k != "members"}))

        port = free_port()
        tl_base = "http://127.0.0.1:%d" % port
        log = open(os.path.join(work, "tearline.log"), "w")
        proc = subprocess.Popen([args.tearline, "serve", "--db", db, "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
        for _ in range(100):
            try:
                if requests.get(tl_base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        compare(med_base, tl_base, statuses)
        print("\nall %d checks passed in %.1f s" % (checks, time.time() - started))
        return 0
    except Failed as e:
        print("\nFAILED: %s" % e, file=sys.stderr)
        return 1
    finally:
        if proc:
            proc.terminate()
            proc.wait(timeout=30)
        if server:
            server.shutdown()
        if args.keep:
            print("work directory: %s" % work)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
