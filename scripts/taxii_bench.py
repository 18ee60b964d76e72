#!/usr/bin/env python3
"""The same TAXII 2.1 client workload against medallion 3.0.0 (memory backend) and Tearline.

    python scripts/taxii_bench.py [--objects 10000] [--envelope 100] [--page 100] [--gets 1000]
                                  [--tearline-bin .build-release/release/tearline] [--skip-medallion] [--skip-tearline]

Both servers run on loopback, started here, each with one empty writable collection and one
user with HTTP Basic auth:
  - medallion: `medallion --host 127.0.0.1 --port P config.json` (Flask's development server, as
    medallion's own CLI runs it), memory backend with a generated data file;
  - Tearline: `tearline serve --db TMP --port P` (throttles raised so that the workload is not
    throttled), set up with the admin CLI: one organisation, one member with a login and
    password, one community collection the organisation reads and writes.

Steps (each timed; one keep-alive HTTP/1.1 connection per server, http.client, Basic auth):
  1. POST the objects (STIX 2.1 indicators marked TLP:GREEN) in envelopes of --envelope, waiting
     for each status to be final (GET …/status/<id>/ until `complete`);
  2. page through them all, `limit=--page` and `next=<token>` while `more` is true;
  3. GET --gets objects by id (…/objects/<id>/).
Counts are checked (every object posted successfully, all paged exactly once, every GET found);
exits 1 if any is wrong. medallion closes the connection after every response (its development
server does no keep-alive); http.client reconnects, and the connection count is printed.

scripts/taxii-bench.sh makes the venv, builds the release binary and runs this.
"""
import argparse
import base64
import datetime as dt
import http.client
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

TAXII = "application/taxii+json;version=2.1"
TLP_GREEN = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb"  # TLP 2.0
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


class Failure(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CountingConnection(http.client.HTTPConnection):
    connects = 0

    def connect(self):
        CountingConnection.connects += 1
        self.connects_here = getattr(self, "connects_here", 0) + 1
        super().connect()


class Client:
    """One HTTP/1.1 connection (re-opened only when the server closes it), Basic auth, TAXII 2.1."""

    def __init__(self, port, user, password):
        self.conn = CountingConnection("127.0.0.1", port, timeout=3600)
        self.auth = "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()
        self.requests = 0

    @property
    def connections(self):
        return getattr(self.conn, "connects_here", 0)

    def call(self, method, path, body=None):
        headers = {"Authorization": self.auth, "Accept": TAXII}
        if body is not None:
            headers["Content-Type"] = TAXII
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A keep-alive connection the server closed while idle; only safe to repeat a GET.
                self.conn.close()
                if attempt == 2 or method != "GET":
                    raise
        self.requests += 1
        if resp.status >= 400:
            raise Failure("%s %s -> %d %s" % (method, path, resp.status, data[:500].decode(errors="replace")))
        return resp.status, (json.loads(data) if data else {})

    def close(self):
        self.conn.close()


def make_indicators(n, seed=7):
    rnd = random.Random(seed)
    base = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    out = []
    for i in range(n):
        t = (base + dt.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        ip = "10.%d.%d.%d" % (i // 65536 % 256, i // 256 % 256, i % 256)
        out.append({
            "type": "indicator", "spec_version": "2.1", "id": "indicator--%s" % uuid.UUID(int=rnd.getrandbits(128), version=4),
            "created": t, "modified": t, "name": "Bench indicator %d" % i, "description": "Address %s seen in bench traffic" % ip,
            "indicator_types": ["malicious-activity"], "pattern": "[ipv4-addr:value = '%s']" % ip, "pattern_type": "stix",
            "valid_from": t, "object_marking_refs": [TLP_GREEN],
        })
    return out


# ----------------------------------------------------------------------------- servers

class Medallion:
    name = "medallion"

    def __init__(self, exe, workdir, page):
        self.exe, self.workdir, self.page = exe, workdir, page
        self.user, self.password = "bench", "bench-password"
        self.root, self.collection = "bench", str(uuid.uuid4())

    def start(self):
        port = free_port()
        base = "http://127.0.0.1:%d" % port
        data = {
            "/discovery": {"title": "medallion bench", "description": "benchmark", "default": base + "/bench/", "api_roots": [base + "/bench/"]},
            "bench": {
                "information": {"title": "Bench", "description": "benchmark root", "versions": [TAXII], "max_content_length": 104857600},
                "status": [],
                "collections": [{"id": self.collection, "title": "Bench", "description": "empty writable collection",
                                 "can_read": True, "can_write": True, "media_types": ["application/stix+json;version=2.1"],
                                 "objects": [], "manifest": []}],
            },
        }
        data_path = os.path.join(self.workdir, "medallion-data.json")
        with open(data_path, "w") as f:
            json.dump(data, f)
        config = {
            # session_timeout: medallion drops a `next` token this many seconds after the first page was asked for
            # (default 30), which paging 10,000 objects outlasts.
            "backend": {"module": "medallion.backends.memory_backend", "module_class": "MemoryBackend", "filename": data_path,
                        "session_timeout": 86400, "check_interval": 60},
            "users": {self.user: self.password},
            "taxii": {"max_page_size": max(self.page, 100)},
        }
        config_path = os.path.join(self.workdir, "medallion-config.json")
        with open(config_path, "w") as f:
            json.dump(config, f)
        self.log = open(os.path.join(self.workdir, "medallion.log"), "w")
        self.proc = subprocess.Popen([self.exe, "--host", "127.0.0.1", "--port", str(port), "--log-level", "ERROR", config_path],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.port = port
        wait_up(self, "/taxii2/")

    def stop(self):
        stop(self.proc)


class Tearline:
    name = "tearline"

    def __init__(self, exe, workdir):
        self.exe, self.workdir = exe, workdir
        self.user, self.password = "bench", "bench-password-0"
        self.root = "tearline"
        self.db = os.path.join(workdir, "tearline.db")

    def cli(self, *argv, stdin=None):
        cmd = [self.exe] + list(argv) + ["--db", self.db]
        p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            raise Failure("setup failed: %s\n%s" % (" ".join(cmd), (p.stdout + p.stderr)[-2000:]))
        return json.loads(p.stdout)

    def start(self):
        self.cli("admin", "org-create", "--id", "BCH", "--name", "Bench", "--kind", "agency")
        member = self.cli("admin", "member-create", "--org", "BCH", "--name", "bench", "--roles", "analyst", "--clearance", "SECRET")
        self.cli("admin", "member-password", "--member", member["member"]["id"], "--login", self.user, stdin=self.password + "\n")
        coll = self.cli("admin", "collection-create", "--title", "Bench", "--description", "empty writable collection",
                        "--readers", "BCH", "--writers", "BCH", "--default-marking", "TLP:GREEN")
        self.collection = coll["id"]
        port = free_port()
        big = "1000000000"
        self.log = open(os.path.join(self.workdir, "tearline.log"), "w")
        self.proc = subprocess.Popen([self.exe, "serve", "--db", self.db, "--host", "127.0.0.1", "--port", str(port),
                                      "--throttle-reads", big, "--throttle-search-results", big, "--throttle-denials", big],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        self.port = port
        wait_up(self, "/taxii2/")

    def stop(self):
        stop(self.proc)


def wait_up(server, path):
    auth = "Basic " + base64.b64encode(("%s:%s" % (server.user, server.password)).encode()).decode()
    deadline = time.time() + 60
    while time.time() < deadline:
        if server.proc.poll() is not None:
            raise Failure("%s exited (%s); see %s" % (server.name, server.proc.returncode, server.log.name))
        try:
            c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
            c.request("GET", path, headers={"Authorization": auth, "Accept": TAXII})
            r = c.getresponse()
            r.read()
            c.close()
            if r.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise Failure("%s did not answer on port %d" % (server.name, server.port))


def stop(proc):
    if proc and proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ----------------------------------------------------------------------------- workload

def run_workload(server, objects, envelopes, args):
    client = Client(server.port, server.user, server.password)
    coll = "/%s/collections/%s/" % (server.root, server.collection)
    status_root = "/%s/status/" % server.root
    results = {}

    # 1. POST, waiting for each status to be final.
    t0 = time.perf_counter()
    requests0, ok, polls = client.requests, 0, 0
    for body, count in envelopes:
        code, status = client.call("POST", coll + "objects/", body)
        while status.get("status") != "complete":
            polls += 1
            time.sleep(0.01)
            code, status = client.call("GET", status_root + status["id"] + "/")
        if status.get("success_count") != count or status.get("failure_count"):
            raise Failure("%s: an envelope of %d gave success_count %s, failures %s" % (
                server.name, count, status.get("success_count"), json.dumps(status.get("failures", []))[:500]))
        ok += status["success_count"]
    t1 = time.perf_counter()
    results["post"] = (t1 - t0, ok, client.requests - requests0)
    if ok != len(objects):
        raise Failure("%s: %d of %d objects added" % (server.name, ok, len(objects)))
    print("  %-9s 1 POST   %7.2f s  %9.0f objects/s  %8.1f requests/s  (%d envelopes, %d status polls)" % (
        server.name, t1 - t0, ok / (t1 - t0), (client.requests - requests0) / (t1 - t0), len(envelopes), polls), flush=True)

    # 2. Page through everything: limit and next while more.
    t0 = time.perf_counter()
    requests0 = client.requests
    seen, total, token, pages = set(), 0, None, 0
    while True:
        path = coll + "objects/?limit=%d" % args.page + ("&next=%s" % token if token else "")
        code, env = client.call("GET", path)
        pages += 1
        objs = env.get("objects", [])
        total += len(objs)
        seen.update(o["id"] for o in objs)
        if not env.get("more"):
            break
        token = env.get("next")
        if not token:
            raise Failure("%s: more=true without next" % server.name)
        if pages > 10 * len(objects) + 10:
            raise Failure("%s: paging does not end" % server.name)
    t1 = time.perf_counter()
    results["page"] = (t1 - t0, total, client.requests - requests0)
    if total != len(objects) or len(seen) != len(objects):
        raise Failure("%s: paging returned %d objects, %d distinct, want %d" % (server.name, total, len(seen), len(objects)))
    print("  %-9s 2 PAGE   %7.2f s  %9.0f objects/s  %8.1f requests/s  (%d pages of %d)" % (
        server.name, t1 - t0, total / (t1 - t0), (client.requests - requests0) / (t1 - t0), pages, args.page), flush=True)

    # 3. GET objects by id.
    ids = [o["id"] for o in random.Random(11).sample(objects, min(args.gets, len(objects)))]
    t0 = time.perf_counter()
    requests0, found = client.requests, 0
    for oid in ids:
        code, env = client.call("GET", coll + "objects/%s/" % oid)
        objs = env.get("objects", [])
        if len(objs) == 1 and objs[0].get("id") == oid:
            found += 1
    t1 = time.perf_counter()
    results["get"] = (t1 - t0, found, client.requests - requests0)
    if found != len(ids):
        raise Failure("%s: %d of %d objects found by id" % (server.name, found, len(ids)))
    print("  %-9s 3 GET    %7.2f s  %9.0f objects/s  %8.1f requests/s" % (
        server.name, t1 - t0, found / (t1 - t0), (client.requests - requests0) / (t1 - t0)), flush=True)
    print("  %-9s %d requests over %d TCP connection(s)" % (server.name, client.requests, client.connections), flush=True)
    client.close()
    return results


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--objects", type=int, default=10000)
    ap.add_argument("--envelope", type=int, default=100)
    ap.add_argument("--page", type=int, default=100)
    ap.add_argument("--gets", type=int, default=1000)
    ap.add_argument("--skip-medallion", action="store_true")
    ap.add_argument("--skip-tearline", action="store_true", help="measure medallion only")
    ap.add_argument("--tearline-bin", default=os.path.join(REPO, ".build-release", "release", "tearline"))
    ap.add_argument("--medallion-bin", default=None, help="default: `medallion` next to this Python, else on PATH")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (databases, logs)")
    args = ap.parse_args()
    if args.objects < 1 or args.envelope < 1 or args.page < 1 or args.gets < 0:
        ap.error("sizes must be positive")

    print("TAXII bench: %s, os.cpu_count()=%s, python %s" % (
        dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%SZ"), os.cpu_count(), sys.version.split()[0]))
    print("workload: %d indicators (TLP:GREEN) in envelopes of %d; page by %d; %d GETs by id" % (
        args.objects, args.envelope, args.page, args.gets), flush=True)

    objects = make_indicators(args.objects)
    envelopes = []
    for i in range(0, len(objects), args.envelope):
        chunk = objects[i:i + args.envelope]
        envelopes.append((json.dumps({"objects": chunk}).encode(), len(chunk)))

    servers = []
    workdir = tempfile.mkdtemp(prefix="taxii-bench-")
    try:
        if not args.skip_medallion:
            exe = args.medallion_bin or os.path.join(os.path.dirname(sys.executable), "medallion")
            if not os.path.exists(exe):
                exe = shutil.which("medallion")
            if not exe:
                raise Failure("medallion not found (pip install medallion==3.0.0, or --medallion-bin)")
            servers.append(Medallion(exe, workdir, args.page))
        if not args.skip_tearline:
            if not os.path.exists(args.tearline_bin):
                raise Failure("no tearline binary at %s (swift build -c release --scratch-path .build-release --product tearline)" % args.tearline_bin)
            servers.append(Tearline(args.tearline_bin, workdir))
        if not servers:
            ap.error("nothing to measure")
        results = {}
        for server in servers:
            server.start()
            print("%s on 127.0.0.1:%d (pid %d)" % (server.name, server.port, server.proc.pid), flush=True)
            try:
                results[server.name] = run_workload(server, objects, envelopes, args)
            finally:
                server.stop()
        if len(results) == 2:
            print("tearline/medallion (throughput ratio = medallion seconds / tearline seconds):")
            for step, label in (("post", "1 POST"), ("page", "2 PAGE"), ("get", "3 GET")):
                m, t = results["medallion"][step][0], results["tearline"][step][0]
                print("  %-7s %8.1f x" % (label, m / t if t > 0 else float("inf")))
        return 0
    except Failure as e:
        print("FAILED: %s" % e, file=sys.stderr)
        return 1
    finally:
        for s in servers:
            if getattr(s, "proc", None):
                stop(s.proc)
        if args.keep:
            print("kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
