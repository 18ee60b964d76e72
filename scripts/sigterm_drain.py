#!/usr/bin/env python3
"""SIGTERM under load, and backup under load (issue 17), played against a real `tearline serve`.

    python scripts/sigterm_drain.py --tearline BIN --workdir DIR [--database-url URL --key-file FILE] [--backup]

It starts the server (SQLite in DIR unless --database-url), makes an organisation and an
analyst, and runs writer threads that create reports and read them back. After a few seconds of
load it sends SIGTERM, keeps the load going, and checks:
- the server exits 0 within the stated bound (--shutdown-timeout plus 10 s);
- `/readyz` answered 503 (draining) or the listener was closed once the signal was sent;
- `tearline audit verify` passes: the chain is intact and the signed head covers every entry;
- after a restart, every acknowledged write (201 with an id) reads back (200).
With --backup (SQLite): `tearline backup` runs in the middle of the load; `tearline restore`
is refused while the server runs; after the shutdown the backup is restored, `audit verify`
passes on it, and every write acknowledged before the backup began reads back.
Prints one ok/FAIL line per check; exits 1 when any check failed. Needs: requests.
"""
import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time

import requests


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Run:
    def __init__(self, args):
        self.args = args
        self.failed = []
        self.lock = threading.Lock()
        self.acknowledged = []
        self.answers = {}
        self.stop = threading.Event()

    def ok(self, name, condition, detail=""):
        print(("ok    %s" if condition else "FAIL  %s") % (name + ("" if condition or not detail else ": " + detail)), flush=True)
        if not condition:
            self.failed.append(name)
        return condition

    def store_args(self):
        if self.args.database_url:
            return ["--database-url", self.args.database_url, "--key-file", self.args.key_file]
        return ["--db", os.path.join(self.args.workdir, "t.db")]

    def start(self, port, log):
        command = [self.args.tearline, "serve", *self.store_args(), "--port", str(port), "--log-format", "json",
                   "--throttle-reads", "1000000", "--throttle-search-results", "1000000", "--throttle-exports", "1000000",
                   "--throttle-denials", "1000000", "--shutdown-timeout", str(self.args.shutdown_timeout)]
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        base = "http://127.0.0.1:%d" % port
        for _ in range(200):
            try:
                if requests.get(base + "/healthz", timeout=1).status_code == 200:
                    return process, base
            except requests.RequestException:
                pass
            if process.poll() is not None:
                break
            time.sleep(0.1)
        raise SystemExit("the server did not start; see its log")

    def admin_token(self):
        path = (self.args.key_file + ".admin-token") if self.args.database_url else os.path.join(self.args.workdir, "t.db.admin-token")
        for _ in range(50):
            if os.path.exists(path):
                with open(path) as f:
                    return f.read().strip()
            time.sleep(0.1)
        raise SystemExit("no admin token at " + path)

    def setup(self, base):
        admin = {"Authorization": "Bearer " + self.admin_token()}
        org = "SIG%d" % (os.getpid() % 100000)
        r = requests.post(base + "/v1/organizations", headers=admin, json={"id": org, "name": "Drain test", "kind": "state"}, timeout=10)
        self.ok("setup: organisation created (201)", r.status_code == 201, r.text[:200])
        r = requests.post(base + "/v1/organizations/%s/members" % org, headers=admin, timeout=10,
                          json={"name": "drain-analyst", "roles": ["analyst"], "clearance": "SECRET", "compartments": [],
                                "topics": ["counter-terrorism"]})
        self.ok("setup: analyst created (201)", r.status_code == 201, r.text[:200])
        self.token = r.json()["token"]

    def worker(self, base, index):
        session = requests.Session()
        headers = {"Authorization": "Bearer " + self.token}
        n = 0
        while not self.stop.is_set():
            n += 1
            body = {"title": "drain w%d n%d" % (index, n), "titleMarking": "(U)", "sourceGrade": "B2", "topics": ["counter-terrorism"],
                    "portions": [{"marking": "(S)", "text": "Written while the node shuts down, w%d n%d." % (index, n)}]}
            try:
                r = session.post(base + "/v1/reports", headers=headers, json=body, timeout=60)
                with self.lock:
                    self.answers[r.status_code] = self.answers.get(r.status_code, 0) + 1
                if r.status_code == 201:
                    report = r.json()["id"]
                    with self.lock:
                        self.acknowledged.append(report)
                    session.get(base + "/v1/reports/" + report, headers=headers, timeout=60)
            except requests.RequestException:
                with self.lock:
                    self.answers["connection refused or closed"] = self.answers.get("connection refused or closed", 0) + 1
                time.sleep(0.05)

    def main(self):
        os.makedirs(self.args.workdir, exist_ok=True)
        log = open(os.path.join(self.args.workdir, "server.log"), "ab")
        port = free_port()
        process, base = self.start(port, log)
        self.setup(base)
        threads = [threading.Thread(target=self.worker, args=(base, i), daemon=True) for i in range(self.args.writers)]
        for t in threads:
            t.start()
        backup = None
        if self.args.backup:
            time.sleep(self.args.load / 2)
            with self.lock:
                backed = list(self.acknowledged)
            path = os.path.join(self.args.workdir, "backup.db")
            run = subprocess.run([self.args.tearline, "backup", *self.store_args(), "--to", path], capture_output=True, text=True)
            self.ok("backup under load succeeds", run.returncode == 0, (run.stdout + run.stderr).strip()[:300])
            print("      " + run.stdout.strip(), flush=True)
            refused = subprocess.run([self.args.tearline, "restore", *self.store_args(), "--from", path], capture_output=True, text=True)
            self.ok("restore is refused while the server runs", refused.returncode != 0 and "in use" in refused.stderr, refused.stderr.strip()[:300])
            backup = (path, backed)
            time.sleep(self.args.load / 2)
        else:
            time.sleep(self.args.load)
        with self.lock:
            before = len(self.acknowledged)
        self.ok("load: writes acknowledged before the signal", before > 0, str(self.answers))
        signalled = time.monotonic()
        process.send_signal(signal.SIGTERM)
        ready_refused = None
        while time.monotonic() - signalled < 2 and ready_refused is None:
            try:
                r = requests.get(base + "/readyz", timeout=2)
                if r.status_code == 503:
                    ready_refused = "503 draining"
            except requests.RequestException:
                ready_refused = "listener closed"
            time.sleep(0.02)
        self.ok("readiness is refused once SIGTERM is sent", ready_refused is not None, "readyz still 200 two seconds after the signal")
        bound = self.args.shutdown_timeout + 10
        try:
            code = process.wait(timeout=bound)
        except subprocess.TimeoutExpired:
            process.kill()
            code = None
        took = time.monotonic() - signalled
        self.stop.set()
        for t in threads:
            t.join(timeout=70)
        self.ok("the server exits 0 within %d s of SIGTERM" % bound, code == 0, "exit %s after %.1f s" % (code, took))
        print("      stopped in %.2f s; answers: %s; acknowledged writes: %d" % (took, self.answers, len(self.acknowledged)), flush=True)
        verify = subprocess.run([self.args.tearline, "audit", "verify", *self.store_args()], capture_output=True, text=True)
        self.ok("audit verify passes: intact, and the signed head covers every entry", verify.returncode == 0,
                (verify.stdout + verify.stderr).strip()[:300])
        print("      " + verify.stdout.strip(), flush=True)
        if backup:
            path, backed = backup
            run = subprocess.run([self.args.tearline, "restore", *self.store_args(), "--from", path], capture_output=True, text=True)
            self.ok("restore from the backup succeeds", run.returncode == 0, (run.stdout + run.stderr).strip()[:300])
            verify = subprocess.run([self.args.tearline, "audit", "verify", *self.store_args()], capture_output=True, text=True)
            self.ok("audit verify passes on the restored database", verify.returncode == 0, (verify.stdout + verify.stderr).strip()[:300])
            self.acknowledged = backed
        process, base = self.start(free_port(), log)
        try:
            headers = {"Authorization": "Bearer " + self.token}
            session = requests.Session()
            missing = [r for r in self.acknowledged if session.get(base + "/v1/reports/" + r, headers=headers, timeout=30).status_code != 200]
            self.ok("every acknowledged write reads back after the restart (%d)" % len(self.acknowledged), not missing, str(missing[:5]))
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
        return 1 if self.failed else 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tearline", required=True)
    p.add_argument("--workdir", required=True)
    p.add_argument("--database-url")
    p.add_argument("--key-file")
    p.add_argument("--writers", type=int, default=8)
    p.add_argument("--load", type=float, default=3.0, help="seconds of load before SIGTERM")
    p.add_argument("--shutdown-timeout", type=int, default=20)
    p.add_argument("--backup", action="store_true", help="also back up under load, then restore (SQLite)")
    sys.exit(Run(p.parse_args()).main())


if __name__ == "__main__":
    main()
