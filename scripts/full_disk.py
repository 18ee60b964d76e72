#!/usr/bin/env python3
"""A full disk, for real (issue 17, storage faults): a 4 MiB tmpfs holds the database.

    python scripts/full_disk.py --tearline BIN --workdir DIR

Needs root (it mounts a tmpfs). It starts `tearline serve` with its database on the tmpfs,
makes an organisation and an analyst, then writes reports until the disk is full, and checks:
- the refusal is 503 with Retry-After and the problem type `storage-full`, never 500;
- /readyz answers 503 naming storage-full, /healthz stays 200 and shows it;
- reads of reports written before still answer 200 or 503 storage-full (never 500);
- after room is made (the tmpfs grown), a write succeeds and /readyz is ready again;
- every acknowledged write reads back, and `tearline audit verify` passes.
Prints one ok/FAIL line per check; exits 1 when any check failed.
"""
import argparse
import os
import subprocess
import sys
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sigterm_drain import free_port  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tearline", required=True)
    p.add_argument("--workdir", required=True)
    args = p.parse_args()
    failed = []

    def ok(name, condition, detail=""):
        print(("ok    %s" if condition else "FAIL  %s") % (name + ("" if condition or not detail else ": " + detail)), flush=True)
        if not condition:
            failed.append(name)

    disk = os.path.join(args.workdir, "disk")
    os.makedirs(disk, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", disk], check=True)
    process = None
    try:
        db = os.path.join(disk, "t.db")
        key = os.path.join(args.workdir, "t.key")
        port = free_port()
        log = open(os.path.join(args.workdir, "server.log"), "ab")
        process = subprocess.Popen([args.tearline, "serve", "--db", db, "--key-file", key, "--port", str(port),
                                    "--throttle-reads", "1000000"], stdout=log, stderr=subprocess.STDOUT)
        base = "http://127.0.0.1:%d" % port
        for _ in range(200):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.1)
        admin = {"Authorization": "Bearer " + open(db + ".admin-token").read().strip()}
        requests.post(base + "/v1/organizations", headers=admin, json={"id": "DSK", "name": "Disk test", "kind": "state"}, timeout=10)
        r = requests.post(base + "/v1/organizations/DSK/members", headers=admin, timeout=10,
                          json={"name": "disk-analyst", "roles": ["analyst"], "clearance": "SECRET", "compartments": [], "topics": ["counter-terrorism"]})
        headers = {"Authorization": "Bearer " + r.json()["token"]}
        session = requests.Session()
        acknowledged, refusal, others = [], None, []
        for n in range(5000):
            body = {"title": "disk %d" % n, "titleMarking": "(U)", "sourceGrade": "B2", "topics": ["counter-terrorism"],
                    "portions": [{"marking": "(S)", "text": ("Filling the disk, report %d. " % n) * 60}]}
            r = session.post(base + "/v1/reports", headers=headers, json=body, timeout=30)
            if r.status_code == 201:
                acknowledged.append(r.json()["id"])
            else:
                refusal = r
                break
        ok("the disk filled after %d writes" % len(acknowledged), refusal is not None)
        if refusal is not None:
            problem = refusal.json() if refusal.headers.get("Content-Type", "").startswith("application/problem+json") else {}
            ok("a write on a full disk is 503 storage-full with Retry-After",
               refusal.status_code == 503 and problem.get("type", "").endswith("/storage-full") and refusal.headers.get("Retry-After"),
               "%d %s" % (refusal.status_code, refusal.text[:200]))
            ready = session.get(base + "/readyz", timeout=10)
            ok("readiness is refused and names the full disk", ready.status_code == 503 and "storage-full" in ready.text, ready.text[:200])
            health = session.get(base + "/healthz", timeout=10)
            ok("liveness stays up and shows the fault", health.status_code == 200 and "storage-full" in health.text, health.text[:200])
            codes = set()
            for report in acknowledged[:30]:
                codes.add(session.get(base + "/v1/reports/" + report, headers=headers, timeout=30).status_code)
            ok("audited reads on a full disk answer 200 or 503, never 500", codes <= {200, 503}, str(codes))
        subprocess.run(["mount", "-o", "remount,size=64m", disk], check=True)
        r = session.post(base + "/v1/reports", headers=headers, timeout=30, json={
            "title": "after", "titleMarking": "(U)", "sourceGrade": "B2", "topics": ["counter-terrorism"],
            "portions": [{"marking": "(S)", "text": "Room again."}]})
        ok("with room again a write succeeds", r.status_code == 201, r.text[:200])
        if r.status_code == 201:
            acknowledged.append(r.json()["id"])
        ready = session.get(base + "/readyz", timeout=10)
        ok("readiness returns", ready.status_code == 200, ready.text[:200])
        missing = [a for a in acknowledged if session.get(base + "/v1/reports/" + a, headers=headers, timeout=30).status_code != 200]
        ok("every acknowledged write reads back (%d)" % len(acknowledged), not missing, str(missing[:5]))
        process.terminate()
        ok("the server exits 0 on SIGTERM", process.wait(timeout=60) == 0)
        process = None
        verify = subprocess.run([args.tearline, "audit", "verify", "--db", db, "--key-file", key], capture_output=True, text=True)
        ok("audit verify passes", verify.returncode == 0, (verify.stdout + verify.stderr)[:300])
    finally:
        if process is not None:
            process.kill()
            process.wait()
        subprocess.run(["umount", disk])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
