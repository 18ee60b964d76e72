#!/usr/bin/env python3
"""PostgreSQL restarted under load (issue 14, faults), played over HTTP.

Started by scripts/pg_outage.sh, which runs the cluster and the Tearline instances:

    python scripts/pg_outage.py --instance http://127.0.0.1:PA --instance http://127.0.0.1:PB \
        --pid PID_A --pid PID_B --admin-token TOKEN \
        --restart "bash scripts/pg-cluster.sh restart DIR PORT 6"

It makes an organisation and an analyst, then runs writer threads against every instance: each
creates a report (POST /v1/reports) and reads it back on the next instance (GET
/v1/reports/ID), with a client timeout of 40 s (the server gives up on the database after at
most 30 s). After a few seconds of load it runs --restart (pg_ctl stop -m fast, a pause,
pg_ctl start) and keeps the load going for --after seconds once the database is back. Then:
- every answer was a success or a 503 with Retry-After: never a 500, never a client timeout,
  never a refused or reset connection;
- every instance process is alive and answers /healthz;
- on every instance, a write and a read succeed again within --bound seconds of the restart's
  end, without restarting Tearline;
- every acknowledged write (201 with an id) reads back (200), on every instance.
Writes answered 503 that were committed anyway are counted and shown (allowed: they were never
acknowledged). Prints one ok/FAIL line per check; exits 1 when any check failed.
Needs: requests.
"""
import argparse
import collections
import os
import shlex
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid

import requests

CLIENT_TIMEOUT = 40.0


class Checks:
    def __init__(self):
        self.failed = []

    def ok(self, name, condition, detail=""):
        if condition:
            print("ok    %s" % name, flush=True)
        else:
            message = "%s%s" % (name, (": " + detail) if detail else "")
            print("FAIL  %s" % message, flush=True)
            self.failed.append(message)
        return condition

    def note(self, text):
        print("      %s" % text, flush=True)


def short(value, limit=300):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


class Answer:
    """One request as the client saw it: when, where, what came back (or which exception)."""

    __slots__ = ("worker", "node", "method", "path", "start", "end", "code", "retry_after", "text", "error")

    def __init__(self, worker, node, method, path, start):
        self.worker, self.node, self.method, self.path, self.start = worker, node, method, path, start
        self.end = None
        self.code = None
        self.retry_after = None
        self.text = ""
        self.error = None

    def describe(self, t0):
        what = ("%d retry-after=%s %s" % (self.code, self.retry_after, short(self.text, 160))) if self.code is not None else self.error
        return "t=%.2f..%.2f s %s %s %s %s" % (self.start - t0, (self.end or self.start) - t0, self.node, self.method, self.path, what)


class Run:
    def __init__(self, args):
        self.args = args
        self.c = Checks()
        self.nodes = [n.rstrip("/") for n in args.instance]
        self.names = {n: "ABCDEFGH"[i] for i, n in enumerate(self.nodes)}
        self.admin = args.admin_token
        self.token = None
        self.lock = threading.Lock()
        self.answers = []
        self.acknowledged = {}          # report id -> (title, node)
        self.titles_not_acked = {}      # title -> answer, for POSTs not answered 201
        self.stop = threading.Event()
        self.t0 = time.monotonic()
        self.run_id = uuid.uuid4().hex[:6]
        self.recovered = {}             # node -> (write after, read after, probe number) seconds from PostgreSQL's return

    # --- HTTP

    def call(self, session, worker, node, method, path, token, body=None, timeout=CLIENT_TIMEOUT):
        answer = Answer(worker, self.names[node], method, path, time.monotonic())
        resp = None
        try:
            resp = session.request(method, node + path, json=body, timeout=timeout,
                                   headers={"Authorization": "Bearer " + token})
            answer.code = resp.status_code
            answer.retry_after = resp.headers.get("Retry-After")
            answer.text = resp.text
        except requests.exceptions.Timeout as e:
            answer.error = "client timeout after %.0f s (%s)" % (timeout, type(e).__name__)
        except requests.exceptions.ConnectionError as e:
            answer.error = "connection error: %s" % short(str(e), 200)
        except requests.exceptions.RequestException as e:
            answer.error = "%s: %s" % (type(e).__name__, short(str(e), 200))
        answer.end = time.monotonic()
        with self.lock:
            self.answers.append(answer)
        return answer, resp

    def setup(self):
        s = requests.Session()
        org = "O" + self.run_id.upper()
        a, _ = self.call(s, "setup", self.nodes[0], "POST", "/v1/organizations", self.admin,
                         {"id": org, "name": "Outage test " + self.run_id, "kind": "state"})
        if not self.c.ok("setup: organisation %s created (201)" % org, a.code == 201, a.describe(self.t0)):
            return False
        a, resp = self.call(s, "setup", self.nodes[-1], "POST", "/v1/organizations/%s/members" % org, self.admin,
                            {"name": "outage-analyst", "roles": ["analyst"], "clearance": "SECRET", "compartments": [],
                             "topics": ["counter-terrorism"]})
        token = resp.json().get("token") if a.code == 201 else None
        if not self.c.ok("setup: analyst created (201, with a token)", bool(token), a.describe(self.t0)):
            return False
        self.token = token
        with self.lock:
            self.answers.clear()  # the checks judge the load only
        return True

    # --- the load

    @staticmethod
    def report(title):
        return {"title": title, "titleMarking": "(U)", "sourceGrade": "B2", "topics": ["counter-terrorism"],
                "portions": [{"marking": "(S)", "text": "Load report %s, written while the database restarts." % title}]}

    def probe(self, node, up, results):
        """From PostgreSQL's return: a write and its read on `node`, each with a short client
        timeout, again and again until both succeed or the bound has passed (a worker of the
        load may be stuck in a hung request; the probe is not)."""
        session = requests.Session()
        name = self.names[node]
        n = 0
        while time.monotonic() < up + self.args.bound:
            n += 1
            title = "outage %s probe %s n%d" % (self.run_id, name, n)
            timeout = self.args.probe_timeout
            a, resp = self.call(session, "probe-" + name, node, "POST", "/v1/reports", self.token, self.report(title), timeout=timeout)
            if a.code == 201:
                report = resp.json().get("id")
                with self.lock:
                    self.acknowledged[report] = (title, name)
                r, _ = self.call(session, "probe-" + name, node, "GET", "/v1/reports/%s" % report, self.token, timeout=timeout)
                if r.code == 200:
                    results[node] = (a.end - up, r.end - up, n)
                    return
            else:
                with self.lock:
                    self.titles_not_acked[title] = a
            time.sleep(0.25)
        results[node] = None

    def worker(self, index):
        session = requests.Session()
        node = self.nodes[index % len(self.nodes)]
        other = self.nodes[(index + 1) % len(self.nodes)]
        n = 0
        while not self.stop.is_set():
            n += 1
            title = "outage %s w%d n%d" % (self.run_id, index, n)
            body = self.report(title)
            a, resp = self.call(session, "w%d" % index, node, "POST", "/v1/reports", self.token, body)
            report = None
            if a.code == 201:
                try:
                    report = resp.json().get("id")
                except ValueError:
                    report = None
            if report:
                with self.lock:
                    self.acknowledged[report] = (title, a.node)
                self.call(session, "w%d" % index, other, "GET", "/v1/reports/%s" % report, self.token)
            else:
                with self.lock:
                    self.titles_not_acked[title] = a
                if a.code == 503 and a.retry_after:
                    try:  # a polite client: wait as told, but not so long the outage goes unobserved
                        time.sleep(min(float(a.retry_after), 1.0))
                    except ValueError:
                        time.sleep(0.5)
                elif a.code is None:
                    time.sleep(0.2)
            time.sleep(0.01)

    def restart(self):
        print("      restarting PostgreSQL: %s" % self.args.restart, flush=True)
        started = time.monotonic()
        proc = subprocess.run(shlex.split(self.args.restart), capture_output=True, text=True)
        ended = time.monotonic()
        return started, ended, proc

    def play(self):
        c, t0 = self.c, self.t0
        threads = [threading.Thread(target=self.worker, args=(i,), daemon=True) for i in range(self.args.threads)]
        for t in threads:
            t.start()
        time.sleep(self.args.before)
        before = len(self.acknowledged)
        down_start, up, proc = self.restart()
        c.ok("the restart command ran (pg_ctl stop -m fast, %.1f s down, pg_ctl start): took %.1f s"
             % (self.args.down, up - down_start), proc.returncode == 0, short(proc.stdout + proc.stderr))
        c.note("load: %d writes acknowledged before the restart; PostgreSQL down from t=%.2f s, back at t=%.2f s"
               % (before, down_start - t0, up - t0))
        self.recovered = {}
        probes = [threading.Thread(target=self.probe, args=(node, up, self.recovered), daemon=True) for node in self.nodes]
        for t in probes:
            t.start()
        time.sleep(self.args.after)
        for t in probes:
            t.join(self.args.probe_timeout * 2 + 5)
        self.stop.set()
        for t in threads:
            t.join(CLIENT_TIMEOUT + 5)
        hung = [t for t in threads if t.is_alive()]
        c.ok("every load thread finished (no request hung past the client timeout)", not hung, "%d threads still waiting" % len(hung))
        return down_start, up

    # --- the checks

    def judge(self, down_start, up):
        c, t0 = self.c, self.t0
        with self.lock:
            answers = list(self.answers)
        if self.args.answers_file:
            with open(self.args.answers_file, "w") as f:
                f.write("# PostgreSQL down t=%.3f s, back t=%.3f s (seconds since the load started)\n" % (down_start - t0, up - t0))
                for a in sorted(answers, key=lambda a: a.start):
                    f.write("%s\t%s\n" % (a.worker, a.describe(t0)))
        by = collections.Counter()
        for a in answers:
            key = (a.code if a.code is not None else (a.error or "?").split(":")[0])
            by[(a.method, key)] += 1
        c.note("answers: %d in all; %s" % (len(answers), ", ".join("%s %s: %d" % (m, k, n) for (m, k), n in sorted(by.items(), key=str))))
        during = [a for a in answers if a.end >= down_start and a.start <= up]
        c.note("answers overlapping the outage (t=%.2f..%.2f s): %d, of which %d are 503"
               % (down_start - t0, up - t0, len(during), sum(1 for a in during if a.code == 503)))
        slowest = max(answers, key=lambda a: a.end - a.start) if answers else None
        if slowest:
            c.note("slowest answer: %.2f s (%s)" % (slowest.end - slowest.start, slowest.describe(t0)))

        def show(bad):
            return "%d: %s" % (len(bad), " | ".join(a.describe(t0) for a in bad[:6]))

        timeouts = [a for a in answers if a.error and a.error.startswith("client timeout") and not a.worker.startswith("probe")]
        c.ok("no request of the load hung (no client timeout at %.0f s)" % CLIENT_TIMEOUT, not timeouts, show(timeouts))
        probe_timeouts = [a for a in answers if a.error and a.error.startswith("client timeout") and a.worker.startswith("probe")]
        if probe_timeouts:
            c.note("recovery probes that got no answer within %.0f s: %s" % (self.args.probe_timeout, show(probe_timeouts)))
        refused = [a for a in answers if a.error and not a.error.startswith("client timeout")]
        c.ok("no connection refused, reset or dropped by Tearline", not refused, show(refused))
        five_hundred = [a for a in answers if a.code is not None and a.code >= 500 and a.code != 503]
        c.ok("never a 5xx other than 503", not five_hundred, show(five_hundred))
        no_retry = [a for a in answers if a.code == 503 and not a.retry_after]
        c.ok("every 503 carries Retry-After", not no_retry, show(no_retry))
        unexpected = [a for a in answers if a.code is not None and a.code not in (200, 201, 503)]
        c.ok("every answer is a success (200/201) or a 503", not unexpected, show(unexpected))
        unavailable = [a for a in answers if a.code == 503]
        outside = [a for a in unavailable if a.end < down_start or a.start > up + self.args.bound]
        c.ok("503s only around the outage", not outside, show(outside))
        if unavailable:
            c.note("503s: first answered at t=%.2f s, last at t=%.2f s; Retry-After values %s"
                   % (min(a.end for a in unavailable) - t0, max(a.end for a in unavailable) - t0,
                      sorted(collections.Counter(a.retry_after for a in unavailable).items())))
            slow503 = max(unavailable, key=lambda a: a.end - a.start)
            c.note("slowest 503: %.2f s" % (slow503.end - slow503.start))
        else:
            c.note("no 503 at all: no request reached the database while it was down?")

        # Alive, and /healthz.
        for pid, node in zip(self.args.pid, self.nodes):
            alive = True
            try:
                os.kill(pid, 0)
            except OSError:
                alive = False
            c.ok("instance %s (pid %d) is still running" % (self.names[node], pid), alive)
            try:
                h = requests.get(node + "/healthz", timeout=10)
                c.ok("instance %s answers /healthz" % self.names[node], h.status_code == 200, "%d %s" % (h.status_code, short(h.text)))
            except requests.exceptions.RequestException as e:
                c.ok("instance %s answers /healthz" % self.names[node], False, str(e))

        # Recovery: a probe per instance writes and reads from PostgreSQL's return on.
        for node in self.nodes:
            name = self.names[node]
            got = self.recovered.get(node)
            c.ok("instance %s: a write and its read succeed again within %.0f s of PostgreSQL's return (%s), without restarting Tearline"
                 % (name, self.args.bound, ("write after %.2f s, read after %.2f s, probe %d" % got) if got else "not within the bound"),
                 got is not None and got[1] <= self.args.bound)
            for method, label in (("POST", "write"), ("GET", "read")):
                wins = [a for a in answers if a.node == name and a.method == method and a.code in (200, 201) and a.start >= up
                        and not a.worker.startswith("probe")]
                first = min((a.end for a in wins), default=None)
                c.note("instance %s: the load's first %s that succeeded after the restart: %s"
                       % (name, label, "after %.2f s" % (first - up) if first is not None else "none"))
            # Nothing but successes in the last few seconds of the load: the instance is back for good.
            tail = [a for a in answers if a.node == name and a.start >= up + self.args.bound]
            bad_tail = [a for a in tail if a.code not in (200, 201)]
            if tail:
                c.ok("instance %s: every request %.0f s or more after the restart succeeded (%d requests)"
                     % (name, self.args.bound, len(tail)), not bad_tail, show(bad_tail))

        # Every acknowledged write reads back, on every instance. An instance that leaves three
        # read-backs unanswered is given up on (each costs a client timeout); the others go on, so
        # a lost write (a definite answer other than 200) is told apart from an instance that hangs.
        session = requests.Session()
        wrong, unanswered = [], collections.Counter()
        given_up = set()
        read_anywhere = 0
        for report, (title, where) in sorted(self.acknowledged.items()):
            found = False
            for node in self.nodes:
                if node in given_up:
                    continue
                a, resp = self.call(session, "check", node, "GET", "/v1/reports/%s" % report, self.token)
                got = None
                if a.code == 200:
                    try:
                        got = resp.json().get("title")
                    except ValueError:
                        pass
                if got == title:
                    found = True
                elif a.code is None:
                    unanswered[node] += 1
                    if unanswered[node] >= 3:
                        given_up.add(node)
                        c.note("read-back: instance %s gave no answer 3 times (last: %s); not asked again" % (self.names[node], a.describe(t0)))
                else:
                    wrong.append("%s (written on %s): %s" % (report, where, a.describe(t0)))
            read_anywhere += found
        c.ok("no acknowledged write is lost: none of the %d reads back as anything but itself (a 404 would be a loss)"
             % len(self.acknowledged), not wrong and len(self.acknowledged) > 0, "%d: %s" % (len(wrong), "; ".join(wrong[:6])))
        c.ok("every acknowledged write reads back on every instance", not given_up and read_anywhere == len(self.acknowledged),
             "%d of %d read back on some instance; instances that stopped answering reads: %s"
             % (read_anywhere, len(self.acknowledged), ", ".join(self.names[n] for n in self.nodes if n in given_up) or "none"))

        # Writes answered otherwise than 201 that were committed all the same (allowed; shown).
        titles, cursor = [], None
        while True:
            lister = next((n for n in self.nodes if n not in given_up), self.nodes[0])
            a, r = self.call(session, "check", lister, "GET", "/v1/reports?limit=200" + ("&cursor=" + urllib.parse.quote(cursor, safe="") if cursor else ""), self.token)
            if a.code != 200:
                c.note("listing reports: %s" % a.describe(t0))
                break
            body = r.json()
            titles += [i.get("title") for i in body.get("items", [])]
            cursor = body.get("next")
            if not cursor:
                break
        acked_titles = {t for t, _ in self.acknowledged.values()}
        ghosts = [t for t in titles if t in self.titles_not_acked]
        dupes = [t for t, n in collections.Counter(titles).items() if n > 1]
        c.note("the organisation holds %d reports: %d acknowledged, %d written although their answer was not a 201 (%s)"
               % (len(titles), sum(1 for t in titles if t in acked_titles), len(ghosts),
                  "; ".join(self.titles_not_acked[t].describe(t0) for t in ghosts[:4]) or "none"))
        c.ok("no report stored twice", not dupes, short(dupes))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--instance", action="append", required=True, help="base URL of a tearline serve (repeatable)")
    p.add_argument("--pid", action="append", type=int, required=True, help="its process id, in the same order")
    p.add_argument("--admin-token", required=True)
    p.add_argument("--restart", required=True, help="command that stops PostgreSQL, waits, and starts it again")
    p.add_argument("--down", type=float, default=6.0, help="seconds the restart keeps PostgreSQL down (for the output)")
    p.add_argument("--threads", type=int, default=8)
    p.add_argument("--before", type=float, default=4.0, help="seconds of load before the restart")
    p.add_argument("--after", type=float, default=20.0, help="seconds of load after PostgreSQL is back")
    p.add_argument("--answers-file", help="write every request of the load here, one line each, in order")
    p.add_argument("--probe-timeout", type=float, default=5.0, help="client timeout of each recovery probe request")
    p.add_argument("--bound", type=float, default=15.0, help="seconds within which each instance must serve again")
    args = p.parse_args()
    if len(args.pid) != len(args.instance):
        p.error("one --pid per --instance")
    run = Run(args)
    if run.setup():
        down_start, up = run.play()
        run.judge(down_start, up)
    if run.c.failed:
        print("pg outage: %d check(s) failed" % len(run.c.failed), flush=True)
        return 1
    print("pg outage: all checks passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
