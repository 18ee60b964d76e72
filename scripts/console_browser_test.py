#!/usr/bin/env python3
"""The console in a real browser (Debian's chromium and chromium-driver, Selenium from PyPI).

Against a running Tearline server:

    python scripts/console_browser_test.py --url http://127.0.0.1:PORT --tearline BIN --store --db DB
    python scripts/console_browser_test.py --url ... --tearline BIN --store --database-url URL --key-file KEY

Everything after --store is passed to `tearline admin` (the node-admin token is read once, or given
with --admin-token); the rest
of the setup (organisations, partnership, members, a password) goes over HTTP and `tearline admin
member-password`, then only the browser is used:

- a USA releaser signs in with login and password, composes a report (a bad marking first: it is
  shown next to its field), and reads it back under its banner;
- the release to GBR is made (over the API: the release page is not built yet);
- a GBR analyst signs in with an API token, finds it in the inbox, reads the tearline copy and
  does not see the NOFORN portion;
- a GBR analyst cannot open USA's report; signing out ends the session.

On every page: no inline script or style, a label for every input, the page usable with the
keyboard alone (every control reached with Tab), banners top and bottom where material is shown.
With --screenshots DIR, saves a PNG of each page there.
Prints one line per check; exits 1 on the first failure.
"""
import argparse
import json
import os
import subprocess
import sys
import time
import traceback

import requests
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select
from selenium.webdriver.support.ui import WebDriverWait


def check(condition, what):
    if not condition:
        print(f"FAIL {what}", flush=True)
        sys.exit(1)
    print(f"ok   {what}", flush=True)


class Node:
    """The HTTP setup, as the node administrator."""

    def __init__(self, url, tearline, store_args, admin_token=None):
        self.url = url
        self.tearline = tearline
        self.store_args = store_args
        # why optional: the node-admin token can be read only once; a second run passes it in.
        self.admin = admin_token or subprocess.run([tearline, "admin", "token", *store_args], check=True, capture_output=True, text=True).stdout.strip()

    def call(self, method, path, token, body=None, ok=(200, 201)):
        r = requests.request(method, self.url + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        if r.status_code not in ok:
            raise SystemExit(f"setup failed: {method} {path} -> {r.status_code} {r.text}")
        return r.json() if r.content else None

    def member(self, org, name, roles, clearance, topics, compartments=()):
        created = self.call("POST", f"/v1/organizations/{org}/members", self.admin,
                            {"name": name, "roles": roles, "clearance": clearance, "topics": topics, "compartments": list(compartments)})
        return created["member"]["id"], created["token"]

    def password(self, member_id, login, password):
        subprocess.run([self.tearline, "admin", "member-password", *self.store_args, "--member", member_id, "--login", login],
                       input=password + "\n", check=True, capture_output=True, text=True)


class Browser:
    def __init__(self, url, screenshots):
        options = Options()
        for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1200,900", "--disable-gpu"]:
            options.add_argument(arg)
        binary = next((p for p in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] if os.path.exists(p)), None)
        if binary:
            options.binary_location = binary
        driver_path = next((p for p in ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"] if os.path.exists(p)), None)
        self.driver = webdriver.Chrome(service=Service(driver_path) if driver_path else Service(), options=options)
        self.url = url
        self.screenshots = screenshots

    def open(self, path):
        self.driver.get(self.url + path)

    @property
    def path(self):
        return self.driver.current_url[len(self.url):] or "/"

    def html(self):
        return self.driver.page_source

    def text(self):
        return self.driver.find_element(By.TAG_NAME, "body").text

    def shot(self, name):
        if self.screenshots:
            os.makedirs(self.screenshots, exist_ok=True)
            self.driver.save_screenshot(os.path.join(self.screenshots, name + ".png"))

    def click(self, by, value):
        """Clicks what loads a new page, and waits until that page has replaced this one."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.find_element(by, value).click()
        self.wait_replaced(old)

    def wait_replaced(self, old):
        def replaced(_):
            try:
                old.tag_name
                return False
            except WebDriverException:  # stale, or (chromium, mid-navigation) no longer in the document
                return True
        WebDriverWait(self.driver, 15).until(replaced)
        WebDriverWait(self.driver, 15, ignored_exceptions=(WebDriverException,)).until(
            lambda d: d.execute_script("return document.readyState") == "complete")

    def fill(self, field_id, value):
        element = self.driver.find_element(By.ID, field_id)
        element.clear()
        element.send_keys(value)

    def page_checks(self, name, material):
        """What every page must hold: no inline script or style, labels, keyboard reach, banners."""
        d = self.driver
        inline_scripts = d.execute_script("return Array.from(document.scripts).filter(s => !s.src).length")
        check(inline_scripts == 0, f"{name}: no inline script")
        inline_styles = d.execute_script("return document.querySelectorAll('style, [style]').length")
        check(inline_styles == 0, f"{name}: no inline style")
        unlabelled = d.execute_script("""
            return Array.from(document.querySelectorAll('input, select, textarea'))
              .filter(e => e.type !== 'hidden')
              .filter(e => !(e.id && document.querySelector('label[for="' + e.id + '"]')))
              .map(e => e.name || e.outerHTML)""")
        check(unlabelled == [], f"{name}: every input has a label {unlabelled}")
        # A group of radio buttons is one Tab stop (the arrow keys move inside it).
        focusable = d.execute_script("""
            const all = Array.from(document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')).filter(e => !e.disabled);
            const radios = new Set(all.filter(e => e.type === 'radio').map(e => e.name));
            return all.filter(e => e.type !== 'radio').length + radios.size""")
        d.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        body = d.find_element(By.TAG_NAME, "body")
        reached = set()
        for _ in range(focusable + 3):
            body = d.switch_to.active_element
            body.send_keys(Keys.TAB)
            reached.add(d.execute_script(
                "const e = document.activeElement; return e ? (e.tagName + '|' + (e.id || e.name || e.getAttribute('href') || e.textContent)) : ''"))
        reached.discard("BODY|")
        check(len(reached) >= focusable, f"{name}: the keyboard reaches all {focusable} controls (reached {len(reached)})")
        banners = d.find_elements(By.CSS_SELECTOR, ".banner")
        if material:
            check(len(banners) == 2 and banners[0].text == banners[1].text, f"{name}: banner top and bottom ({banners[0].text if banners else 'none'})")
        else:
            check(len(banners) == 0, f"{name}: no banner on a page without material")

    def close(self):
        self.driver.quit()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--tearline", required=True)
    parser.add_argument("--screenshots")
    parser.add_argument("--admin-token", help="the node-admin token, when `tearline admin token` was already read")
    parser.add_argument("--store", nargs=argparse.REMAINDER, required=True, help="the store options of `tearline admin`")
    args = parser.parse_args()

    node = Node(args.url.rstrip("/"), args.tearline, args.store, args.admin_token)
    suffix = str(int(time.time() * 1000))[-6:]
    for org, name in [("USA", "United States"), ("GBR", "United Kingdom")]:
        node.call("POST", "/v1/organizations", node.admin, {"id": org, "name": name, "kind": "state"}, ok=(201, 409))
    node.call("POST", "/v1/partnerships", node.admin, {"organizations": ["USA", "GBR"], "kind": "peer", "trustLevel": "high"}, ok=(201, 409))
    releaser_id, releaser_token = node.member("USA", f"Ann Releaser {suffix}", ["analyst", "releaser"], "TOP SECRET", ["counter-terrorism"])
    node.password(releaser_id, f"ann{suffix}", "a long pass phrase for ann")
    _, analyst_token = node.member("GBR", f"Bob Analyst {suffix}", ["analyst"], "SECRET", ["counter-terrorism"])
    _, security_token = node.member("USA", f"Sue Security {suffix}", ["security"], "TOP SECRET", ["counter-terrorism"])

    b = Browser(node.url, args.screenshots)
    try:
        b.open("/inbox")
        check(b.path == "/sign-in", "without a session the console asks to sign in")
        b.page_checks("sign-in", material=False)
        b.shot("sign-in")

        # Story 1, the originator: sign in with login and password, using the keyboard only.
        login = b.driver.find_element(By.ID, "login")
        old = b.driver.find_element(By.TAG_NAME, "html")
        login.send_keys(f"ann{suffix}", Keys.TAB, "a long pass phrase for ann", Keys.ENTER)
        b.wait_replaced(old)
        check(b.path == "/inbox", f"the releaser signed in with login and password (keyboard only) [{b.path}: {b.text()[:300]}]")
        check(f"Ann Releaser {suffix}" in b.text(), "the header names who is signed in")
        cookie = b.driver.get_cookie("tearline-session")
        check(cookie is not None and cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", "the session cookie is HttpOnly and SameSite=Strict")
        b.page_checks("inbox (empty)", material=False)

        b.open("/compose")
        b.page_checks("compose", material=False)
        b.shot("compose")
        b.fill("title", "Courier network in Vienna")
        b.fill("titleMarking", "(U)")
        b.fill("sourceGrade", "B2")
        b.fill("topics", "counter-terrorism")
        b.fill("portion-1-marking", "(S//REL TO USA, GBR)")
        b.fill("portion-1-text", "Vasily PETROV met the courier at the Prater on 4 May.")
        b.fill("portion-2-marking", "(S//NF//Q-CLEARANCE)")
        b.fill("portion-2-text", "Our source NIGHTJAR, recruited in 2019, reported the meeting.")
        b.driver.find_element(By.ID, "portion-2-sm").click()
        b.fill("entities", "1 person Vasily PETROV")
        b.click(By.ID, "write-report")
        check(b.path == "/compose", "a bad marking keeps the form")
        error = b.driver.find_element(By.ID, "portion-2-marking-error").text
        check("Q-CLEARANCE" in error, f"the refused part is shown next to its field: {error}")
        check(b.driver.find_element(By.ID, "portion-2-marking").get_attribute("aria-invalid") == "true", "the field is marked invalid")
        check(b.driver.find_element(By.ID, "portion-1-text").get_attribute("value").startswith("Vasily PETROV"), "what was typed comes back")
        b.shot("compose-refused-marking")
        b.fill("portion-2-marking", "(S//NF)")
        b.click(By.ID, "write-report")
        check(b.path.startswith("/reports/rpt_"), f"the report was written [{b.path}]")
        report_id = b.path.split("/")[-1]
        check("NIGHTJAR" in b.text() and "Prater" in b.text(), "the releaser reads both portions")
        check(b.driver.find_element(By.CSS_SELECTOR, "#portion-2 .flag").text == "S&M", "the sources-and-methods flag")
        marks = [e.text for e in b.driver.find_elements(By.CSS_SELECTOR, ".portion .mark")]
        check(marks == ["(S//REL TO USA, GBR)", "(S//NF)"], f"every portion shows its mark {marks}")
        check(b.driver.find_element(By.CSS_SELECTOR, "mark.entity").text == "Vasily PETROV", "the entity is highlighted")
        top = b.driver.find_element(By.ID, "banner-top")
        check(top.text.startswith("SECRET") and "secret" in top.get_attribute("class"), f"the banner is SECRET, in red: {top.text}")
        check(b.driver.execute_script("return getComputedStyle(document.getElementById('banner-top')).backgroundColor") == "rgb(200, 16, 46)",
              "SECRET's conventional red")
        b.page_checks("report", material=True)
        b.shot("report")

        # The release: the original and the tearline copy side by side, then release.
        b.click(By.ID, "release-link")
        check(b.path == f"/reports/{report_id}/release", "the report page leads to its release page")
        b.page_checks("release (pick a partner)", material=False)
        b.click(By.ID, "preview")
        check(b.path.startswith(f"/reports/{report_id}/release?recipient=GBR"), "the preview for GBR")
        reasons = [e.get_attribute("data-reason") for e in b.driver.find_elements(By.CSS_SELECTOR, "#preview-table li[data-reason]")]
        check("noforn" in reasons and "sources-and-methods" in reasons, f"the withheld portion shows its reasons {reasons}")
        goes = b.driver.find_elements(By.CSS_SELECTOR, "#preview-table tr.goes")
        check(len(goes) == 2 and "Prater" in goes[1].text, "the title and the REL TO portion would go")
        b.page_checks("release preview", material=True)
        b.shot("release-preview")
        b.fill("terms", "Share your reporting on the courier")
        b.click(By.ID, "release")
        check(b.path.startswith("/releases/rel_"), "released: the release page opens")
        release_id = b.path.split("/")[-1]

        # A second report, discoverable to partners but not released: story 6 finds it through a pointer.
        b.open("/compose")
        b.fill("title", "Telephone of the courier")
        b.fill("titleMarking", "(U)")
        b.fill("sourceGrade", "C3")
        b.fill("topics", "counter-terrorism")
        b.fill("portion-1-marking", "(S//REL TO USA, GBR)")
        b.fill("portion-1-text", "The courier uses +44 20 7946 0958 when in Vienna.")
        Select(b.driver.find_element(By.ID, "discoverability")).select_by_value("all-partners")
        b.click(By.ID, "write-report")
        check(b.path.startswith("/reports/rpt_"), "a second report, discoverable to partners")

        # Sign out: the session ends.
        b.click(By.CSS_SELECTOR, ".who button[type=submit]")
        check(b.path == "/sign-in", "signing out returns to sign-in")
        b.open("/holdings")
        check(b.path == "/sign-in", "after signing out, pages ask to sign in again")

        # Story 1, the recipient: sign in with an API token.
        b.fill("token", analyst_token)
        b.click(By.ID, "sign-in")
        check(b.path == "/inbox", "the GBR analyst signed in with an API token")
        check("Courier network in Vienna" in b.text(), "the release is in the inbox")
        check("no feedback yet" in b.text(), "the originator's track record is shown")
        b.page_checks("inbox", material=True)
        b.shot("inbox")
        b.click(By.LINK_TEXT, "(U) Courier network in Vienna")
        check(b.path == f"/releases/{release_id}", "the release opens from the inbox")
        check("Prater" in b.text(), "the recipient reads the REL TO portion")
        check("NIGHTJAR" not in b.html(), "the NOFORN, sources-and-methods portion never reaches the recipient")
        b.page_checks("release", material=True)
        b.shot("release")

        # Story 4: passing the release on is refused; it becomes a consent request.
        b.fill("forward-recipient", "DEU")
        b.click(By.ID, "forward")
        check("third-party rule" in b.text(), "the forward is refused by the third-party rule")
        consent_id = b.driver.find_element(By.ID, "consent-request").text
        check(consent_id.startswith("csr_"), f"the refusal names the consent request it created ({consent_id})")
        b.page_checks("forward refused", material=False)
        b.shot("forward-refused")
        b.click(By.LINK_TEXT, "consent requests")
        check(consent_id in b.text() and "pending" in b.text(), "the consent request is listed, pending")
        b.page_checks("consent (recipient)", material=False)

        # Story 8: the recipient judges the release; the originator's track record moves.
        b.open(f"/releases/{release_id}")
        b.driver.find_element(By.ID, "verdict-confirmed").click()
        b.fill("feedback-note", "Matches our own reporting")
        b.click(By.ID, "give-feedback")
        check("1 judged" in b.driver.find_element(By.ID, "track-record").text, "the feedback moved the originator's track record")

        # Story 6: a pointer to what USA holds, and an access request with its justification.
        b.open("/search")
        b.page_checks("search", material=False)
        Select(b.driver.find_element(By.ID, "kind")).select_by_value("phone")
        b.fill("value", "+44 20 7946 0958")
        b.click(By.ID, "search")
        check("USA holds 1 report that mentions this" in b.text(), "the search finds a pointer to USA's holding")
        check("when in Vienna" not in b.html(), "a pointer carries no text")
        b.page_checks("search (pointer)", material=False)
        b.shot("search-pointer")
        b.fill("justification-1", "The number appears in our case against the courier")
        b.click(By.ID, "request-access-1")
        check(b.path == "/access" and "pending" in b.text(), "the access request is pending")
        b.page_checks("access requests (asker)", material=False)
        b.click(By.CSS_SELECTOR, ".who button[type=submit]")

        # The holder decides: the forward's consent request, and the access request.
        old = b.driver.find_element(By.TAG_NAME, "html")
        b.driver.find_element(By.ID, "login").send_keys(f"ann{suffix}", Keys.TAB, "a long pass phrase for ann", Keys.ENTER)
        b.wait_replaced(old)
        b.open("/consent")
        check(consent_id in b.text(), "the originator sees the consent request")
        b.page_checks("consent (originator)", material=False)
        b.shot("consent")
        b.click(By.ID, f"deny-{consent_id}")
        check("denied" in b.driver.find_element(By.ID, f"consent-{consent_id}").text, "the originator denied it")
        b.open("/access")
        check("The number appears in our case" in b.text(), "the holder reads the justification")
        b.page_checks("access requests (holder)", material=False)
        b.shot("access-requests")
        grant = b.driver.find_element(By.CSS_SELECTOR, "#access-incoming button[value=grant]").get_attribute("id")
        b.click(By.ID, grant)
        check("granted" in b.text(), "the holder granted the access request")

        # The partners page: the exchange, track records both ways, and the trust what-if.
        b.open("/partners")
        check("GBR" in b.driver.find_element(By.ID, "partners").text, "the partners table lists GBR")
        b.page_checks("partners", material=False)
        b.shot("partners")
        b.open("/holdings")
        check("Telephone of the courier" in b.text() and "Courier network in Vienna" in b.text(), "the holdings list both reports")
        b.page_checks("holdings", material=True)
        b.shot("holdings")
        b.open("/partners/GBR")
        Select(b.driver.find_element(By.ID, "trust")).select_by_value("low")
        b.click(By.ID, "what-if")
        result = b.driver.find_element(By.ID, "what-if-result").text
        check("would hide" in result, f"the trust what-if says what it would hide: {result}")
        check(len(b.driver.find_elements(By.CSS_SELECTOR, "svg.series-chart polyline")) == 2, "the exchange over time, drawn as SVG")
        b.page_checks("partner", material=False)
        b.shot("partner")
        b.click(By.CSS_SELECTOR, ".who button[type=submit]")

        b.fill("token", analyst_token)
        b.click(By.ID, "sign-in")
        b.open("/access")
        check("granted" in b.text(), "the asker sees the grant")
        b.click(By.CSS_SELECTOR, "#access-outgoing a")
        check("when in Vienna" in b.text(), "the asker reads what was released to it")
        b.page_checks("granted release", material=True)

        b.open(f"/reports/{report_id}")
        check("Not found" in b.text() and "Prater" not in b.html(), "the recipient cannot open the originator's report (404)")
        b.click(By.CSS_SELECTOR, ".who button[type=submit]")

        # The security officer: the audit trail, the chain verified, receipts for partners' handling.
        b.fill("token", security_token)
        b.click(By.ID, "sign-in")
        b.open("/security")
        check("release.read" in b.driver.find_element(By.ID, "audit").text, "the audit trail shows the reads")
        check("Prater" not in b.html() and "NIGHTJAR" not in b.html(), "the audit trail holds no report text")
        b.click(By.ID, "verify-chain")
        state = b.driver.find_element(By.ID, "chain-state").text
        check(state.startswith("Intact") or "in memory" in state, f"the chain's state: {state}")
        b.page_checks("security", material=False)
        b.shot("security")
        b.click(By.CSS_SELECTOR, ".who button[type=submit]")

        # The node administrator.
        b.fill("token", node.admin)
        b.click(By.ID, "sign-in")
        check(b.path == "/admin", "the node administrator lands on administration")
        check("GBR" in b.driver.find_element(By.ID, "organizations").text, "the organisations are listed")
        b.page_checks("administration", material=False)
        b.shot("admin")
        b.click(By.LINK_TEXT, "GBR")
        check(f"Bob Analyst {suffix}" in b.driver.find_element(By.ID, "members").text, "the organisation's members are listed")
        check(analyst_token not in b.html(), "a member's token is never shown again")
        b.page_checks("organisation", material=False)
        b.shot("organization")
    except WebDriverException as e:
        traceback.print_exc()
        print(f"FAIL browser: {e.msg}", flush=True)
        sys.exit(1)
    finally:
        b.close()
    print("console browser test passed")


if __name__ == "__main__":
    main()
