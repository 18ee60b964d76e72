#!/usr/bin/env python3
"""Two Tearline instances on one PostgreSQL database, played over HTTP as one node.

Started by scripts/two_instances.sh, which runs both servers on the same database and key file:

    python scripts/two_instances.py --a http://127.0.0.1:PA --b http://127.0.0.1:PB \
        --admin-token TOKEN --pid-a PID --throttle-reads N

It builds the world of Tests/TearlineServerTests/TestWorld.swift through the node-admin token,
splitting the calls between A and B, then plays stories 1, 2, 4 and 5 of DESIGN.md, alternating
instances on purpose: whatever is written on one is read on the other. Beside the stories it
checks what two instances must share: a revocation, a suspended member and the throttle take
effect on the other instance at its very next request; an entity search on B finds a report
written on A within one second. Last, it kills A (SIGKILL to --pid-a) while writes stream into
it, and checks on B that every write A acknowledged is there, and that B still serves.

--throttle-reads is the servers' --throttle-reads (distinct reads per window); both instances
must run with the same limits. Prints one line per check; each part goes on after a failed check
where it can, and the script exits 1 at the end when any check failed.
Needs: requests.
"""
import argparse
import os
import signal
import sys
import threading
import time
import uuid

import requests

PROBLEM_PREFIX = "https://tearline.dev/problems/"


# ----------------------------------------------------------------------------- reporting

class CheckFailed(Exception):
    """A check the rest of a part depends on failed: the part stops, the next one starts."""


class Checks:
    def __init__(self):
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
        return False

    def equal(self, name, got, want):
        return self.ok(name, got == want, "got %r, want %r" % (short(got), short(want)))

    def need(self, name, condition, detail=""):
        """A check the part cannot go on without."""
        if not self.ok(name, condition, detail):
            raise CheckFailed(name)

    def note(self, text):
        print("      %s" % text, flush=True)


def short(value, limit=600):
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


# ----------------------------------------------------------------------------- HTTP

class Reply:
    """One HTTP answer: status code, headers, text and, when there is one, the JSON body."""

    def __init__(self, resp):
        self.code = resp.status_code
        self.headers = resp.headers
        self.text = resp.text
        try:
            self.json = resp.json()
        except ValueError:
            self.json = None

    def get(self, key, default=None):
        return self.json.get(key, default) if isinstance(self.json, dict) else default

    @property
    def items(self):
        return self.get("items", []) or []

    @property
    def problem_type(self):
        uri = self.get("type") or ""
        return uri[len(PROBLEM_PREFIX):] if uri.startswith(PROBLEM_PREFIX) else uri

    @property
    def reasons(self):
        return self.get("reasons")

    @property
    def portion_indexes(self):
        return [p.get("index") for p in self.get("portions", []) or []]

    def __repr__(self):
        return "%d %s" % (self.code, short(self.text, 400))


class Instance:
    """One `tearline serve` process: a name for the output and its base URL."""

    def __init__(self, name, base):
        self.name, self.base = name, base.rstrip("/")
        self.http = requests.Session()

    def __repr__(self):
        return self.name


class World:
    """The node's people and partnerships, and requests to either instance as one of them."""

    def __init__(self, a, b, admin_token):
        self.a, self.b = a, b
        self.tokens = {"admin": admin_token}
        self.ids = {}
        self.partnerships = {}

    def send(self, node, method, path, who, body=None, session=None):
        headers = {"Authorization": "Bearer " + self.tokens[who]} if who else {}
        resp = (session or node.http).request(method, node.base + path, headers=headers, json=body, timeout=30)
        return Reply(resp)

    def get(self, node, path, who):
        return self.send(node, "GET", path, who)

    def post(self, node, path, who, body=None):
        return self.send(node, "POST", path, who, {} if body is None else body)

    def patch(self, node, path, who, body):
        return self.send(node, "PATCH", path, who, body)

    def partnership(self, x, y):
        return self.partnerships["-".join(sorted([x, y]))]


def portion(marking, text, sources_and_methods=None):
    p = {"marking": marking, "text": text}
    if sources_and_methods is not None:
        p["sourcesAndMethods"] = sources_and_methods
    return p


def report_body(portions, title="Test report", title_marking="(U)", source_grade="B2", topics=("counter-terrorism",), entities=None):
    body = {"title": title, "titleMarking": title_marking, "sourceGrade": source_grade, "topics": list(topics), "portions": portions}
    if entities is not None:
        body["entities"] = entities
    return body


# The people of TestWorld.swift that the stories need, and three more for the shared-state checks:
# name, organisation, roles, clearance, compartments, topics, seconded to.
PEOPLE = [
    ("usa-releaser", "USA", ["analyst", "releaser"], "TOP SECRET", ["HCS"], ["counter-terrorism", "soviet-union", "iran"], None),
    ("usa-senior", "USA", ["analyst", "releaser", "admin"], "TOP SECRET", ["HCS"], ["counter-terrorism", "soviet-union", "iran"], None),
    ("usa-security", "USA", ["security"], "TOP SECRET", [], ["counter-terrorism"], None),
    ("usa-liaison", "USA", ["liaison"], "SECRET", [], ["soviet-union"], "DEU"),
    ("usa-analyst", "USA", ["analyst"], "SECRET", [], ["counter-terrorism"], None),
    ("usa-analyst-economics", "USA", ["analyst"], "TOP SECRET", ["HCS"], ["economics"], None),
    ("gbr-analyst-secret", "GBR", ["analyst"], "SECRET", [], ["counter-terrorism"], None),
    ("gbr-analyst-confidential", "GBR", ["analyst"], "CONFIDENTIAL", [], ["counter-terrorism"], None),
    ("gbr-security", "GBR", ["security"], "SECRET", [], ["counter-terrorism"], None),
    ("deu-analyst", "DEU", ["analyst"], "SECRET", [], ["soviet-union"], None),
    ("deu-admin", "DEU", ["analyst", "admin"], "SECRET", [], ["soviet-union"], None),
    ("deu-security", "DEU", ["security"], "SECRET", [], ["soviet-union"], None),
    ("isr-releaser", "ISR", ["analyst", "releaser", "admin"], "TOP SECRET", [], ["iran"], None),
    ("isr-security", "ISR", ["security"], "TOP SECRET", [], ["iran"], None),
    ("rus-analyst", "RUS", ["analyst"], "TOP SECRET", [], ["iran"], None),
    ("rus-security", "RUS", ["security"], "TOP SECRET", [], ["iran"], None),
    # Their own windows and states, untouched by the stories: the two insiders of story 5, a
    # member to suspend, and the writer of the SIGKILL check (who reads back what it wrote).
    ("usa-insider", "USA", ["analyst"], "SECRET", [], ["counter-terrorism"], None),
    ("usa-insider-2", "USA", ["analyst"], "SECRET", [], ["counter-terrorism"], None),
    ("usa-contractor", "USA", ["analyst"], "SECRET", [], ["counter-terrorism"], None),
    ("usa-scribe", "USA", ["analyst"], "SECRET", [], ["counter-terrorism"], None),
]


# ----------------------------------------------------------------------------- the play

class Play:
    def __init__(self, args):
        self.args = args
        self.c = Checks()
        self.a = Instance("A", args.a)
        self.b = Instance("B", args.b)
        self.w = World(self.a, self.b, args.admin_token)
        self.run_id = uuid.uuid4().hex[:6]

    def other(self, node):
        return self.b if node is self.a else self.a

    def create_report(self, node, who, body, name):
        reply = self.w.post(node, "/v1/reports", who, body)
        self.c.need("%s: %s creates the report on %s (201)" % (name, who, node), reply.code == 201 and reply.get("id"), repr(reply))
        return reply

    def release(self, node, report, recipient, who="usa-releaser", approve_orcon=None):
        body = {"recipient": recipient}
        if approve_orcon is not None:
            body["approveOrcon"] = approve_orcon
        return self.w.post(node, "/v1/reports/%s/releases" % report, who, body)

    def audit(self, node, who, query):
        reply = self.w.get(node, "/v1/audit?" + query, who)
        self.c.need("audit log as %s on %s (200)" % (who, node), reply.code == 200, repr(reply))
        return reply.items

    # --- the world, built through the node-admin token on both instances

    def setup(self):
        w, c = self.w, self.c
        nodes = [self.a, self.b]
        for i, (org, name) in enumerate([("USA", "United States"), ("GBR", "United Kingdom"), ("DEU", "West Germany"),
                                         ("ISR", "Israel"), ("RUS", "Russia")]):
            reply = w.post(nodes[i % 2], "/v1/organizations", "admin", {"id": org, "name": name, "kind": "state"})
            c.need("setup: create organisation %s on %s (201)" % (org, nodes[i % 2]), reply.code == 201, repr(reply))
        for i, (name, org, roles, clearance, compartments, topics, seconded) in enumerate(PEOPLE):
            body = {"name": name, "roles": roles, "clearance": clearance, "compartments": compartments, "topics": topics}
            if seconded:
                body["secondedTo"] = seconded
            node = nodes[(i + 1) % 2]
            reply = w.post(node, "/v1/organizations/%s/members" % org, "admin", body)
            if reply.code != 201 or not reply.get("token"):
                c.need("setup: create member %s on %s (201)" % (name, node), False, repr(reply))
            w.tokens[name] = reply.get("token")
            w.ids[name] = reply.get("member", {}).get("id")
        c.ok("setup: %d members created, alternating A and B" % len(PEOPLE), all(w.ids.values()))
        for i, (x, y, kind, dominant, trust) in enumerate([("USA", "GBR", "peer", None, "high"),
                                                           ("USA", "DEU", "hierarchical", "USA", "low"),
                                                           ("ISR", "USA", "peer", None, "high")]):
            body = {"organizations": [x, y], "kind": kind, "trustLevel": trust}
            if dominant:
                body["dominant"] = dominant
            node = nodes[i % 2]
            reply = w.post(node, "/v1/partnerships", "admin", body)
            c.need("setup: partnership %s-%s (%s, %s) on %s (201)" % (x, y, kind, trust, node), reply.code == 201 and reply.get("id"), repr(reply))
            w.partnerships["-".join(sorted([x, y]))] = reply.get("id")
        # The organisations created on A and B are one list, seen from either.
        for node in nodes:
            orgs = w.get(node, "/v1/organizations", "admin")
            c.equal("setup: the node admin sees the five organisations on %s" % node,
                    sorted(o.get("id") for o in (orgs.json or [])) if isinstance(orgs.json, list) else orgs.json,
                    ["DEU", "GBR", "ISR", "RUS", "USA"])

    # --- story 1: USA-GBR, peers with high trust; a write on A is read on B; a revocation on A is a 404 on B

    COURIER = report_body(title="Courier network in the Gulf", portions=[
        portion("(S//REL TO USA, GBR)", "The courier network moves funds through three exchange houses."),
        portion("(C//REL TO USA, GBR)", "Two of the exchange houses share a director."),
        portion("(U)", "The network has been active since 2019."),
        portion("(S//NF)", "Reporting comes from a recruited employee of one exchange house.", True),
    ])

    def story_one(self):
        w, c, A, B = self.w, self.c, self.a, self.b
        created = self.create_report(A, "usa-releaser", self.COURIER, "story 1")
        c.equal("story 1: the banner is SECRET//NOFORN", created.get("banner"), "SECRET//NOFORN")
        report = created.get("id")
        # Written on A, read on B at once: by its author, and by a colleague with need-to-know.
        own = w.get(B, "/v1/reports/%s" % report, "usa-releaser")
        c.ok("story 1: the author reads on B the report just written on A, whole", own.code == 200 and own.portion_indexes == [0, 1, 2, 3], repr(own))
        colleague = w.get(B, "/v1/reports/%s" % report, "usa-analyst")
        c.ok("story 1: a colleague with need-to-know reads it on B at once", colleague.code == 200 and colleague.portion_indexes == [0, 1, 2, 3], repr(colleague))
        nosy = w.get(B, "/v1/reports/%s" % report, "usa-analyst-economics")
        c.ok("story 1: a colleague without the topic gets 404 on B", nosy.code == 404 and nosy.problem_type == "not-found", repr(nosy))
        verify = w.get(B, "/v1/reports/%s/verify" % report, "usa-releaser")
        c.ok("story 1: B verifies the signature A made", verify.code == 200 and verify.get("valid") is True, repr(verify))

        rel = self.release(A, report, "GBR")
        c.need("story 1: release to GBR on A (201)", rel.code == 201 and rel.get("id"), repr(rel))
        c.equal("story 1: the release carries portions 0, 1, 2", rel.get("portions"), [0, 1, 2])
        c.equal("story 1: the release banner", rel.get("banner"), "SECRET//REL TO USA, GBR")
        withheld = rel.get("withheld", [])
        c.equal("story 1: portion 3 withheld for sources-and-methods, noforn, not-rel-to",
                [(x.get("index"), x.get("reasons")) for x in withheld], [(3, ["sources-and-methods", "noforn", "not-rel-to"])])
        release = rel.get("id")

        # Released on A, read by the recipient on B.
        read = w.get(B, "/v1/releases/%s" % release, "gbr-analyst-secret")
        c.ok("story 1: the cleared GBR analyst reads on B the release made on A: portions 0, 1, 2",
             read.code == 200 and read.portion_indexes == [0, 1, 2] and read.get("banner") == "SECRET//REL TO USA, GBR", repr(read))
        c.ok("story 1: the sources-and-methods text never reaches GBR", "recruited employee" not in read.text)
        inbox = w.get(B, "/v1/releases", "gbr-analyst-secret")
        c.ok("story 1: the release is in GBR's inbox on B", inbox.code == 200 and [i.get("id") for i in inbox.items] == [release], repr(inbox))
        lower = w.get(A, "/v1/releases/%s" % release, "gbr-analyst-confidential")
        c.ok("story 1: the CONFIDENTIAL GBR analyst sees only portions 1, 2 (on A)",
             lower.code == 200 and lower.portion_indexes == [1, 2] and lower.get("withheldPortions") == 1
             and lower.get("banner") == "CONFIDENTIAL//REL TO USA, GBR" and "three exchange houses" not in lower.text, repr(lower))
        deu = w.get(B, "/v1/releases/%s" % release, "deu-analyst")
        c.ok("story 1: another partner (DEU) gets 404 for GBR's release", deu.code == 404 and deu.problem_type == "not-found", repr(deu))
        verify = w.get(A, "/v1/releases/%s/verify" % release, "gbr-analyst-secret")
        c.ok("story 1: GBR verifies the release on A", verify.code == 200 and verify.get("valid") is True, repr(verify))

        # Revoked on A: the very next request on B is a 404, with no pause between.
        revoke = w.post(A, "/v1/releases/%s/revoke" % release, "usa-releaser")
        c.need("story 1: USA revokes the release on A (200)", revoke.code == 200, repr(revoke))
        gone = w.get(B, "/v1/releases/%s" % release, "gbr-analyst-secret")
        c.ok("story 1: revoked on A, the release is 404 on B at the very next request",
             gone.code == 404 and gone.problem_type == "not-found", repr(gone))
        also = w.get(A, "/v1/releases/%s" % release, "gbr-analyst-confidential")
        c.ok("story 1: and 404 on A", also.code == 404, repr(also))

    # --- entity search: a report written on A is found on B within one second

    def entity_search(self):
        w, c, A, B = self.w, self.c, self.a, self.b
        person = "Vasily Petrov %s" % self.run_id
        body = report_body(title="A courier's contact", portions=[portion("(S)", "The courier met his contact at the port.")],
                           entities=[{"type": "person", "value": person, "portion": 0}])
        report = self.create_report(A, "usa-releaser", body, "search").get("id")
        written = time.monotonic()
        search = {"kind": "person", "value": person.upper()}
        found, tries, reply = None, 0, None
        while True:
            reply = w.post(B, "/v1/entities/search", "usa-analyst", search)
            tries += 1
            if reply.code == 200 and any(h.get("id") == report for h in reply.get("hits", [])):
                found = time.monotonic() - written
                break
            if time.monotonic() - written > 1.0:
                break
            time.sleep(0.02)
        c.ok("search: B finds the report written on A within 1 s (%s, %d tries)"
             % ("%.0f ms" % (found * 1000) if found is not None else "not found", tries), found is not None and found <= 1.0, repr(reply))
        if found is not None:
            hit = next(h for h in reply.get("hits") if h.get("id") == report)
            c.ok("search: the hit carries the mentioning portion", [p.get("index") for p in hit.get("portions", [])] == [0], short(hit))
        # Not discoverable beyond USA (the default): GBR learns nothing, not even a pointer.
        gbr = w.post(A, "/v1/entities/search", "gbr-analyst-secret", search)
        c.ok("search: GBR finds neither hit nor pointer (own-organisation discoverability)",
             gbr.code == 200 and gbr.get("hits") == [] and gbr.get("pointers") == [], repr(gbr))

    # --- a member suspended on A is refused on B at its very next request

    def member_suspension(self):
        w, c, A, B = self.w, self.c, self.a, self.b
        who, member = "usa-contractor", w.ids["usa-contractor"]
        before = w.get(B, "/v1/reports", who)
        c.need("suspension: the member works on B before (200)", before.code == 200, repr(before))
        suspended = w.patch(A, "/v1/members/%s" % member, "admin", {"status": "suspended"})
        c.need("suspension: the node admin suspends the member on A (200)", suspended.code == 200 and suspended.get("status") == "suspended", repr(suspended))
        refused = w.get(B, "/v1/reports", who)
        c.ok("suspension: the member's very next request on B is refused (403 member-suspended)",
             refused.code == 403 and refused.reasons == ["member-suspended"], repr(refused))
        me = w.get(A, "/v1/me", who)
        c.ok("suspension: GET /v1/me on A says restricted", me.code == 200 and me.get("restricted") is True, repr(me))
        back = w.patch(B, "/v1/members/%s" % member, "admin", {"status": "active"})
        c.need("suspension: reactivated on B (200)", back.code == 200 and back.get("status") == "active", repr(back))
        after = w.get(A, "/v1/reports", who)
        c.ok("suspension: reactivated on B, the member works on A at once", after.code == 200, repr(after))

    # --- story 2: USA-DEU, hierarchical, low trust; the liaison; USA suspends the partnership

    ORDER_OF_BATTLE = report_body(title="Soviet order of battle, Group of Forces", source_grade="B3", topics=["soviet-union"], portions=[
        portion("(S//REL TO USA, DEU)", "Two tank divisions rotate through the training area each spring."),
        portion("(C//REL TO USA, DEU)", "Rail movements rose by a third in March."),
        portion("(U)", "Open sources report new barracks near the border."),
    ])

    def story_two(self):
        w, c, A, B = self.w, self.c, self.a, self.b
        report = self.create_report(B, "usa-releaser", self.ORDER_OF_BATTLE, "story 2").get("id")
        rel = self.release(A, report, "DEU")
        c.need("story 2: release to DEU on A of the report written on B (201)", rel.code == 201 and rel.get("id"), repr(rel))
        c.equal("story 2: only material up to CONFIDENTIAL goes: portions 1, 2", rel.get("portions"), [1, 2])
        c.equal("story 2: portion 0 withheld for trust-ceiling",
                [(x.get("index"), x.get("reasons")) for x in rel.get("withheld", [])], [(0, ["trust-ceiling"])])
        release = rel.get("id")
        read = w.get(B, "/v1/releases/%s" % release, "deu-analyst")
        c.ok("story 2: the DEU analyst reads it on B: portions 1, 2, CONFIDENTIAL banner",
             read.code == 200 and read.portion_indexes == [1, 2] and read.get("banner") == "CONFIDENTIAL//REL TO USA, DEU"
             and "tank divisions" not in read.text, repr(read))

        # The liaison seconded to DEU sees, on A, the read DEU made on B.
        receipts = w.get(A, "/v1/receipts/DEU", "usa-liaison")
        events = receipts.get("events", []) or []
        c.ok("story 2: the USA liaison sees on A the DEU analyst's read made on B (member granularity)",
             receipts.code == 200 and receipts.get("granularity") == "member"
             and any(e.get("action") == "release.read" and e.get("actor") == w.ids["deu-analyst"] and e.get("object") == release
                     and e.get("decision") == "allow" for e in events), repr(receipts))
        denied = w.get(B, "/v1/receipts/USA", "deu-analyst")
        c.ok("story 2: DEU cannot read receipts (403 role-required)", denied.code == 403 and denied.reasons == ["role-required"], repr(denied))

        # USA withdraws support on A: DEU loses the release on B at once.
        pid = w.partnership("USA", "DEU")
        suspend = w.patch(A, "/v1/partnerships/%s" % pid, "usa-senior", {"status": "suspended"})
        c.need("story 2: USA suspends the partnership on A (200)", suspend.code == 200 and suspend.get("status") == "suspended", repr(suspend))
        gone = w.get(B, "/v1/releases/%s" % release, "deu-analyst")
        c.ok("story 2: suspended on A, the release is 404 for DEU on B at once", gone.code == 404 and gone.problem_type == "not-found", repr(gone))
        inbox = w.get(A, "/v1/releases", "deu-analyst")
        c.ok("story 2: DEU's inbox is empty on A", inbox.code == 200 and inbox.items == [], repr(inbox))
        reasons = [e.get("reasons") for e in self.audit(A, "deu-security", "action=release.read&object=%s" % release) if e.get("decision") == "deny"]
        c.ok("story 2: DEU's trail on A holds the refusal on B, reason partnership-suspended",
             bool(reasons) and "partnership-suspended" in (reasons[-1] or []), short(reasons))
        deu_tries = w.patch(B, "/v1/partnerships/%s" % pid, "deu-admin", {"status": "active"})
        c.ok("story 2: DEU cannot lift USA's suspension (403 imposed-by-partner)",
             deu_tries.code == 403 and deu_tries.reasons == ["imposed-by-partner"], repr(deu_tries))
        restore = w.patch(B, "/v1/partnerships/%s" % pid, "usa-senior", {"status": "active"})
        c.need("story 2: USA lifts it on B (200)", restore.code == 200 and restore.get("status") == "active", repr(restore))
        again = w.get(A, "/v1/releases/%s" % release, "deu-analyst")
        c.ok("story 2: DEU reads the release on A again", again.code == 200 and again.portion_indexes == [1, 2], repr(again))

    # --- story 4: the third-party rule

    PLANNING_CELL = report_body(title="Planning cell in a third country", source_grade="A2", topics=["iran"], portions=[
        portion("(S//OC/REL TO USA, ISR)", "A planning cell meets weekly in a rented villa."),
        portion("(C//OC/REL TO USA, ISR)", "The cell's communications use a commercial laptop model."),
    ])

    def story_four(self):
        w, c, A, B = self.w, self.c, self.a, self.b
        report = self.create_report(A, "isr-releaser", self.PLANNING_CELL, "story 4").get("id")
        refused = self.release(B, report, "USA", who="isr-releaser")
        c.ok("story 4: without ORCON approval the release is refused on B (403 orcon-not-approved)",
             refused.code == 403 and refused.problem_type == "release-denied" and refused.reasons == ["orcon-not-approved"], repr(refused))
        rel = self.release(A, report, "USA", who="isr-releaser", approve_orcon=True)
        c.need("story 4: ISR releases to USA with ORCON approval on A (201)", rel.code == 201 and rel.get("id"), repr(rel))
        c.equal("story 4: the release banner", rel.get("banner"), "SECRET//ORCON/REL TO USA, ISR")
        release = rel.get("id")
        read = w.get(B, "/v1/releases/%s" % release, "usa-senior")
        c.ok("story 4: the USA member reads it on B", read.code == 200 and read.portion_indexes == [0, 1], repr(read))

        forward = w.post(B, "/v1/releases/%s/forward" % release, "usa-senior", {"recipient": "RUS"})
        c.need("story 4: the forward to RUS on B is refused (403 third-party-rule) with a consent request",
               forward.code == 403 and forward.problem_type == "third-party-rule" and forward.reasons == ["third-party-rule"]
               and forward.get("consentRequestId"), repr(forward))
        consent = forward.get("consentRequestId")
        pending = w.get(A, "/v1/consent-requests", "isr-releaser")
        request = next((r for r in (pending.json or []) if isinstance(r, dict) and r.get("id") == consent), None) if isinstance(pending.json, list) else None
        c.ok("story 4: ISR sees on A the pending consent request made on B (USA to RUS)",
             request is not None and (request.get("status"), request.get("holder"), request.get("target"), request.get("originator"))
             == ("pending", "USA", "RUS", "ISR"), repr(pending))
        decided = w.post(A, "/v1/consent-requests/%s/decision" % consent, "isr-releaser", {"decision": "deny"})
        c.ok("story 4: ISR denies on A", decided.code == 200 and decided.get("status") == "denied" and not decided.get("resultingReleaseId"), repr(decided))
        again = w.post(B, "/v1/consent-requests/%s/decision" % consent, "isr-releaser", {"decision": "grant"})
        c.ok("story 4: decided on A, it cannot be decided again on B (409 already-decided)",
             again.code == 409 and again.problem_type == "already-decided", repr(again))
        rus = w.get(B, "/v1/releases", "rus-analyst")
        c.ok("story 4: RUS holds nothing", rus.code == 200 and rus.items == [], repr(rus))

        usa = self.audit(A, "usa-security", "action=release.forward")
        isr = self.audit(B, "isr-security", "action=release.forward")
        c.ok("story 4: the attempt stands in USA's trail (read on A), naming the USA member",
             len(usa) == 1 and usa[0].get("decision") == "deny" and usa[0].get("reasons") == ["third-party-rule"]
             and usa[0].get("actor") == w.ids["usa-senior"] and usa[0].get("object") == release, short(usa))
        c.ok("story 4: and in ISR's trail (read on B), without naming him",
             len(isr) == 1 and isr[0].get("decision") == "deny" and isr[0].get("reasons") == ["third-party-rule"] and not isr[0].get("actor"), short(isr))
        c.ok("story 4: RUS's trail holds nothing of it", self.audit(A, "rus-security", "action=release.forward") == [])

        # ISR lowers its trust in USA on B: on A the SECRET portion is gone at the next read.
        lowered = w.patch(B, "/v1/partnerships/%s" % w.partnership("ISR", "USA"), "isr-releaser", {"trustLevel": "low"})
        c.need("story 4: ISR lowers its trust in USA on B (200)", lowered.code == 200, repr(lowered))
        after = w.get(A, "/v1/releases/%s" % release, "usa-senior")
        c.ok("story 4: on A, USA now sees only the CONFIDENTIAL portion",
             after.code == 200 and after.portion_indexes == [1] and after.get("withheldPortions") == 1
             and after.get("banner") == "CONFIDENTIAL//ORCON/REL TO USA, ISR", repr(after))

    # --- story 5: the insider; the throttle counts reads on A and B together

    def story_five(self):
        w, c, A, B = self.w, self.c, self.a, self.b
        n = self.args.throttle_reads
        ids = []
        for i in range(n + 2):
            body = report_body(title="Bulk report %d" % i, portions=[portion("(S)", "BULK-CONTENT-%d courier movements near the border crossing." % i)])
            ids.append(self.create_report([A, B][i % 2], "usa-releaser", body, "story 5 (report %d)" % i).get("id"))
        # Two insiders read distinct reports, alternating instances: one starts on A, the other on
        # B, so that the read that crosses the limit lands once on each instance.
        for who, order in (("usa-insider", [A, B]), ("usa-insider-2", [B, A])):
            served, answers = [], []
            for i, report in enumerate(ids[:n]):
                node = order[i % 2]
                reply = w.get(node, "/v1/reports/%s" % report, who)
                answers.append((node.name, reply.code))
                if reply.code == 200 and ("BULK-CONTENT-%d " % i) in reply.text:
                    served.append(i)
            c.ok("story 5: %s reads %d distinct reports, alternating %s and %s" % (who, n, order[0], order[1]),
                 served == list(range(n)), short(answers))
            for i in (n, n + 1):
                node = order[i % 2]
                reply = w.get(node, "/v1/reports/%s" % ids[i], who)
                c.ok("story 5: %s's read %d (on %s) is refused: 429 member-throttled, Retry-After 3600, no content" % (who, i + 1, node),
                     reply.code == 429 and reply.problem_type == "member-throttled" and reply.reasons == ["member-throttled"]
                     and reply.headers.get("Retry-After") == "3600" and "BULK-CONTENT" not in reply.text, repr(reply))
        for node in (A, B):
            listing = w.get(node, "/v1/reports", "usa-insider")
            c.ok("story 5: other requests are refused too, on %s (429)" % node, listing.code == 429, repr(listing))
        me = w.get(B, "/v1/me", "usa-insider")
        c.ok("story 5: /v1/me on B says throttled", me.code == 200 and (me.get("member") or {}).get("throttled") is True, repr(me))

        # The security officer is alerted, once per insider, whichever instance it asks.
        for node in (A, B):
            alerts = w.get(node, "/v1/alerts", "usa-security")
            listed = alerts.json if alerts.code == 200 and isinstance(alerts.json, list) else []
            for who in ("usa-insider", "usa-insider-2"):
                mine = [x for x in listed if isinstance(x, dict) and x.get("member") == w.ids[who]]
                c.ok("story 5: USA security sees on %s one member-throttled alert for %s, limit=distinct-reads max=%d" % (node, who, n),
                     len(mine) == 1 and mine[0].get("kind") == "member-throttled"
                     and "limit=distinct-reads max=%d" % n in (mine[0].get("detail") or ""), repr(alerts))
        c.ok("story 5: a releaser is not alerted (403)", w.get(A, "/v1/alerts", "usa-releaser").code == 403)
        gbr = w.get(B, "/v1/alerts", "gbr-security")
        c.ok("story 5: GBR's security sees no alert", gbr.code == 200 and gbr.json == [], repr(gbr))
        # Every attempt is in the one log: n allowed reads, then the refusals.
        reads = self.audit(B, "usa-security", "member=%s&action=report.read&limit=200" % w.ids["usa-insider"])
        allowed = [e for e in reads if e.get("decision") == "allow"]
        refusals = [e for e in reads if e.get("decision") == "deny"]
        c.ok("story 5: the log holds %d allowed reads and the refusals, each for member-throttled" % n,
             len(allowed) == n and len(refusals) >= 2 and all(e.get("reasons") == ["member-throttled"] for e in refusals),
             "%d allowed, %d denied: %s" % (len(allowed), len(refusals), short([e.get("reasons") for e in refusals])))

        # USA security lifts the throttle on B; the insider reads again on A.
        lifted = w.post(B, "/v1/members/%s/lift-throttle" % w.ids["usa-insider"], "usa-security")
        c.ok("story 5: USA security lifts the throttle on B", lifted.code == 200 and lifted.get("throttled") is False, repr(lifted))
        again = w.get(A, "/v1/reports/%s" % ids[n], "usa-insider")
        c.ok("story 5: lifted on B, the insider reads on A again", again.code == 200, repr(again))
        still = w.get(A, "/v1/reports/%s" % ids[0], "usa-insider-2")
        c.ok("story 5: the other insider stays throttled on A (429)", still.code == 429, repr(still))

    # --- SIGKILL: A dies in the middle of writes; B holds every write A acknowledged

    def kill_a(self):
        w, c, A, B = self.w, self.c, self.a, self.b
        acknowledged, lock, stop = [], threading.Lock(), threading.Event()
        errors, in_flight = [], [0]

        def writer(k):
            session = requests.Session()
            i = 0
            while not stop.is_set():
                body = report_body(title="Stream %d-%d" % (k, i), portions=[portion("(S)", "STREAM-%d-%d movements at the crossing." % (k, i))])
                with lock:
                    in_flight[0] += 1
                try:
                    reply = w.send(A, "POST", "/v1/reports", "usa-scribe", body, session=session)
                except requests.RequestException:
                    return  # A is gone: this write had no answer, and may or may not be there
                with lock:  # one step: the kill sees a write either in flight or answered
                    in_flight[0] -= 1
                    if reply.code == 201 and reply.get("id"):
                        acknowledged.append((reply.get("id"), "Stream %d-%d" % (k, i)))
                    else:
                        errors.append(repr(reply))
                i += 1

        threads = [threading.Thread(target=writer, args=(k,), daemon=True) for k in range(4)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with lock:
                if len(acknowledged) >= 40 or errors:
                    break
            time.sleep(0.005)
        with lock:
            os.kill(self.args.pid_a, signal.SIGKILL)
            at_kill, pending = len(acknowledged), in_flight[0]
        stop.set()
        for t in threads:
            t.join(timeout=30)
        c.ok("kill -9: writes streamed into A until the kill (no error answer)", not errors, short(errors))
        # An answer A sent just before it died may still be read after the kill: it counts.
        c.ok("kill -9: A had acknowledged %d writes and had %d in flight when it was killed (%d acknowledged in all)"
             % (at_kill, pending, len(acknowledged)), at_kill > 0 and pending > 0)
        try:
            requests.get(A.base + "/healthz", timeout=2)
            c.ok("kill -9: A is dead", False, "A still answers")
        except requests.RequestException:
            c.ok("kill -9: A is dead", True)

        # On B: the writer lists its reports (summaries: no read counted against the throttle) …
        listed, cursor = {}, None
        for _ in range(100):
            reply = w.get(B, "/v1/reports?limit=200" + ("&cursor=" + cursor if cursor else ""), "usa-scribe")
            c.need("kill -9: B lists the writer's reports (200)", reply.code == 200, repr(reply))
            listed.update({x.get("id"): x.get("title") for x in reply.items})
            cursor = reply.get("next")
            if not cursor:
                break
        missing = [(rid, title) for rid, title in acknowledged if listed.get(rid) != title]
        c.ok("kill -9: every write A acknowledged (%d) is on B, with its title" % len(acknowledged),
             not missing, "missing or different: %s" % short(missing))
        # Each writer waits for an answer before its next write, so at most the writes in flight
        # at the kill can have landed unanswered.
        streamed = sum(1 for title in listed.values() if (title or "").startswith("Stream "))
        c.ok("kill -9: B holds %d of the writes: the %d acknowledged and %d more of the %d in flight"
             % (streamed, len(acknowledged), streamed - len(acknowledged), pending),
             len(acknowledged) <= streamed <= at_kill + pending)
        # … and reads the last acknowledged ones whole (fewer than the distinct-reads limit).
        last = acknowledged[-min(len(acknowledged), max(1, self.args.throttle_reads - 1)):]
        bad = []
        for rid, title in last:
            reply = w.get(B, "/v1/reports/%s" % rid, "usa-scribe")
            marker = "STREAM-%s " % title[len("Stream "):]
            if reply.code != 200 or marker not in reply.text:
                bad.append((rid, repr(reply)))
        c.ok("kill -9: the last %d acknowledged writes read whole on B" % len(last), not bad, short(bad))

        # B still serves, reads and writes.
        c.ok("kill -9: B answers /healthz", requests.get(B.base + "/healthz", timeout=5).status_code == 200)
        after = w.post(B, "/v1/reports", "usa-releaser", report_body(portions=[portion("(C)", "Written after A died.")]))
        c.ok("kill -9: B takes a write after A died", after.code == 201, repr(after))
        if after.code == 201:
            back = w.get(B, "/v1/reports/%s" % after.get("id"), "usa-releaser")
            c.ok("kill -9: and reads it back", back.code == 200 and "Written after A died." in back.text, repr(back))

    # --- the whole play

    def run(self):
        parts = [("setup", self.setup), ("story 1", self.story_one), ("search", self.entity_search),
                 ("suspension", self.member_suspension), ("story 2", self.story_two), ("story 4", self.story_four),
                 ("story 5", self.story_five), ("kill -9", self.kill_a)]
        for name, part in parts:
            try:
                part()
            except CheckFailed as e:
                self.c.note("%s stopped after: %s" % (name, e))
                if name == "setup":
                    break
            except Exception as e:  # a transport error or a malformed answer: the part failed
                self.c.ok("%s: ran to its end" % name, False, "%s: %s" % (type(e).__name__, e))
                if name == "setup":
                    break
        if self.c.failed:
            print("\n%d passed, %d FAILED:" % (self.c.passed, len(self.c.failed)))
            for f in self.c.failed:
                print("  - " + short(f, 300))
            return 1
        print("\nall %d checks passed" % self.c.passed)
        return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--a", required=True, help="base URL of instance A (it is killed at the end)")
    ap.add_argument("--b", required=True, help="base URL of instance B")
    ap.add_argument("--admin-token", required=True, help="the node-admin token (tearline admin token)")
    ap.add_argument("--pid-a", type=int, required=True, help="process id of instance A, for the SIGKILL check")
    ap.add_argument("--throttle-reads", type=int, required=True, help="the servers' --throttle-reads")
    return Play(ap.parse_args()).run()


if __name__ == "__main__":
    sys.exit(main())
