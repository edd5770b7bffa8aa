"""Drives `dus serve` in headless Chromium (Selenium, Debian's chromium-driver) as a manager
would, and checks what the pages show and refuse. Run by ServeTests with the address the
server printed, the dus binary and its database; prints one line per check, or fails."""
import json
import re
import subprocess
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

address, dus, database, hostile, shots = sys.argv[1:6]
parts = urllib.parse.urlsplit(address)
base = f"{parts.scheme}://{parts.netloc}"
# Python does not know that a .localhost name is this computer (browsers and curl do):
# its requests go to 127.0.0.1 and name the host in the Host header.
direct = f"{parts.scheme}://127.0.0.1:{parts.port}"
key = urllib.parse.parse_qs(parts.query)["key"][0]


def wait_for(condition):
    """Waits for the page a click led to (a click may return before it comes)."""
    return WebDriverWait(driver, 60).until(condition)


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok: {what}")


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1000",
                 f"--user-data-dir={tempfile.mkdtemp(prefix='dus-chromium-')}"):
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
try:
    # The printed address lets the browser in, and the key leaves the address.
    driver.get(address)
    check(driver.current_url == base + "/", f"the key is taken out of the address ({driver.current_url})")
    check(driver.find_element(By.TAG_NAME, "h1").text == "Learning reviews", "the dashboard opens")
    check("overdue" in driver.find_element(By.CSS_SELECTOR, ".cards").text, "the dashboard shows overdue actions")
    if shots != "-":
        driver.save_screenshot(f"{shots}/serve-dashboard.png")

    # Search, open a hit, see the review.
    driver.find_element(By.LINK_TEXT, "Search").click()
    box = driver.find_element(By.NAME, "q")
    box.send_keys("naloxone release")
    box.submit()
    summary = wait_for(lambda d: d.find_elements(By.CSS_SELECTOR, "p.count"))[0].text
    check("match naloxone release" in summary, f"the search says what it found: {summary}")
    marks = driver.find_elements(By.CSS_SELECTOR, "section.hit mark")
    check(len(marks) > 0 and all(m.text.lower().startswith(("naloxone", "releas")) for m in marks), "matched words are marked")
    first = driver.find_element(By.CSS_SELECTOR, "section.hit h2 a")
    reference = first.text
    first.click()
    wait_for(lambda d: d.find_element(By.TAG_NAME, "h1").text == reference)
    check(driver.find_element(By.TAG_NAME, "h1").text == reference, f"a hit opens its review {reference}")
    check("History" in driver.page_source and "imported" in driver.page_source, "the review shows its history")
    check(" nil" not in driver.find_element(By.TAG_NAME, "main").text, "no absent value shows as nil")

    # Record an update through its form; it is in dus history with the actor.
    driver.get(base + "/actions?overdue=1")
    article = driver.find_element(By.CSS_SELECTOR, "article.action.overdue")
    address_text = article.find_element(By.CSS_SELECTOR, "h3 a").text
    article.find_element(By.TAG_NAME, "summary").click()
    form = article.find_element(By.CSS_SELECTOR, "form[action$='/update']")
    form.find_element(By.NAME, "note").send_keys("Asked the owner for a date; kits now held at the hostel.")
    form.find_element(By.CSS_SELECTOR, "button").click()
    wait_for(lambda d: "#" in d.current_url)
    check("/actions" in driver.current_url, f"the form returns to the list ({driver.current_url})")
    # The list kept for its pages is worked out again after the change.
    driver.get(base + "/actions?overdue=1")
    updated = [a for a in driver.find_elements(By.CSS_SELECTOR, "article.action") if a.find_element(By.CSS_SELECTOR, "h3 a").text == address_text]
    check(updated and "Asked the owner" in updated[0].text, "the list of actions shows the update at once")
    if shots != "-":
        driver.save_screenshot(f"{shots}/serve-actions.png")
    action_reference = address_text.split("/")[0]
    history = json.loads(subprocess.run([dus, "history", "--db", database, action_reference, "--format", "json"],
                                        check=True, capture_output=True, text=True).stdout)
    last = history["entries"][-1]
    check(last["event"] == "action updated", f"dus history has the update ({last['event']})")
    check(last["by"] == subprocess.run(["id", "-un"], capture_output=True, text=True).stdout.strip(),
          f"the actor is the server's user ({last['by']})")
    check(any("Asked the owner" in (change.get("new") or "") for change in last["changes"]), "the note is among the changes")

    # A refusal is shown next to the field, and nothing is written.
    driver.get(base + "/reviews/" + action_reference)
    article = driver.find_element(By.ID, "-".join(address_text.split("/")[1:]))
    article.find_element(By.TAG_NAME, "summary").click()
    form = article.find_element(By.CSS_SELECTOR, "form[action$='/update']")
    date = form.find_element(By.NAME, "date")
    date.clear()
    date.send_keys("2031-01-01")
    form.find_element(By.NAME, "note").send_keys("A note from the future.")
    form.find_element(By.CSS_SELECTOR, "button").click()
    problem = wait_for(lambda d: d.find_elements(By.CSS_SELECTOR, "article.action p.problem"))[0].text
    check("is in the future" in problem, f"a date in the future is refused next to the form: {problem}")
    after = json.loads(subprocess.run([dus, "history", "--db", database, action_reference, "--format", "json"],
                                      check=True, capture_output=True, text=True).stdout)
    check(len(after["entries"]) == len(history["entries"]), "the refused update wrote nothing")

    # Text from a review that looks like HTML is shown as text.
    driver.get(base + "/reviews/" + hostile)
    check("<script>alert('finding')</script>" in driver.find_element(By.TAG_NAME, "main").text, "a hostile finding is shown as text")
    check(len(driver.find_elements(By.TAG_NAME, "script")) == 0, "and no script element is on the page")
    if shots != "-":
        driver.get(base + "/reviews/" + action_reference)
        driver.save_screenshot(f"{shots}/serve-review.png")

    # The refused form's page answers 400 on purpose; anything else is a fault.
    # Patterns with slices and charts; an action plan; a bulletin prepared, previewed and
    # downloaded, each page with its own style sheet let in by its hash (no console error).
    driver.get(base + "/patterns?by=kind&period=2025")
    charts = driver.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    check(len(charts) == 2 and all(c.find_element(By.TAG_NAME, "title") for c in charts), f"patterns by kind draw a chart per kind ({len(charts)})")
    check("Risk factors" in driver.find_element(By.CSS_SELECTOR, "pre.report").text, "and show the report")
    driver.get(base + "/action-plan")
    driver.find_element(By.CSS_SELECTOR, "main ul li a[href^='/action-plan/']").click()
    wait_for(lambda d: d.find_elements(By.TAG_NAME, "table"))
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith("Action plan"), f"a review's action plan opens ({driver.title})")
    margin = driver.execute_script("return getComputedStyle(document.body).marginLeft")
    check(margin == "24px", f"with its own style sheet (body margin {margin}, not the browser's 8px)")
    driver.get(base + "/bulletins")
    driver.find_element(By.NAME, "period").send_keys("2025")
    driver.find_element(By.NAME, "issuer").send_keys("Example region <b> https://evil.example/login www.evil.example x@evil.example")
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    wait_for(lambda d: d.find_elements(By.PARTIAL_LINK_TEXT, "Preview"))
    driver.find_element(By.PARTIAL_LINK_TEXT, "Preview").click()
    wait_for(lambda d: d.find_elements(By.TAG_NAME, "h1"))
    check(driver.find_element(By.TAG_NAME, "h1").text.startswith("Learning bulletin"), "the bulletin's preview opens")
    check("Example region <b>" in driver.find_element(By.TAG_NAME, "body").text, "its issuer shown as text")
    check(driver.find_elements(By.CSS_SELECTOR, "a[href*='evil']") == [], "and the addresses in it not made links")
    margin = driver.execute_script("return getComputedStyle(document.querySelector('main') || document.body).maxWidth")
    check(margin not in (None, "none"), f"its own style sheet applies ({margin})")

    errors = [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"
              and not ("/update - Failed to load resource" in entry["message"] and "400" in entry["message"])]
    check(errors == [], f"the browser's console is quiet ({errors[:2]})")
finally:
    driver.quit()


def status(path, method="GET", data=None, cookie=True, host=None):
    request = urllib.request.Request(direct + path, data=data, method=method)
    if cookie:
        request.add_header("Cookie", f"dus_key={key}")
    request.add_header("Host", host or parts.netloc)
    try:
        with urllib.request.urlopen(request) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


code, headers = status("/")
check(code == 200, "the cookie lets a request in")
check(headers.get("Content-Security-Policy", "").startswith("default-src 'none'") and "script-src" not in headers["Content-Security-Policy"],
      "the CSP allows no script")
check(headers.get("X-Frame-Options") == "DENY" and headers.get("X-Content-Type-Options") == "nosniff", "no framing, no sniffing")
check(status("/", cookie=False)[0] == 403, "without the key a request is refused")
check(status("/", host=f"evil.example:{parts.port}")[0] == 421, "another Host (DNS rebinding) is refused")
check(status("/", host=f"127.0.0.1:{parts.port}")[0] == 421, "so is 127.0.0.1, whose cookies reach every port")
form = urllib.parse.urlencode({"note": "no token", "date": "2026-11-20"}).encode()
check(status("/actions/" + address_text + "/update", method="POST", data=form)[0] == 403, "a POST without the form's token is refused")
check(status("/reviews/NO-SUCH-1")[0] == 404, "an unknown reference answers 404")
check(status("/reviews?kind=bogus")[0] == 400, "a bad filter answers 400")
code, headers = status("/bulletins/bulletin.md?period=2025")
check(code == 200 and headers.get("Content-Disposition") == 'attachment; filename="bulletin-2025.md"', f"the bulletin's Markdown downloads ({headers.get('Content-Disposition')})")
check(status("/bulletins?period=2025-Q9")[0] == 400, "a bad period answers 400")
check(status("/reviews?page=9223372036854775807")[0] == 400, "a huge page number answers 400")
check(status("/actions?due-within=9223372036854775807")[0] == 400, "a huge due-within answers 400")
check(status("/")[0] == 200, "and the server still answers")
code, headers = status("/no-such-page")
check(code == 404 and headers.get("Content-Security-Policy", "").startswith("default-src 'none'"), "an unknown path answers 404 with the security headers")
check(status("/search?q=" + "+OR+".join(["a*"] * 40))[0] == 400, "a search of 40 words is refused")
check(status("/search?q=" + "%0A".join(["t"] * 40))[0] == 400, "and so are 40 words on lines of their own")


def post_from(origin):
    request = urllib.request.Request(direct + "/actions/" + address_text + "/update", method="POST",
                                     data=urllib.parse.urlencode({"note": "x", "csrf": "x"}).encode())
    request.add_header("Cookie", f"dus_key={key}")
    request.add_header("Host", parts.netloc)
    request.add_header("Origin", origin)
    try:
        return urllib.request.urlopen(request).status
    except urllib.error.HTTPError as error:
        return error.code


check(post_from("http://evil.example") == 403, "a form posted from another site is refused")


# A review imported by another program shows at once on the dashboard (what a page keeps
# is worked out again when the database changes).
def total():
    request = urllib.request.Request(direct + "/", headers={"Cookie": f"dus_key={key}", "Host": parts.netloc})
    page = urllib.request.urlopen(request).read().decode()
    return int(re.search(r'All</th><td class="n">(\d+)<', page).group(1))


before = total()
folder = tempfile.mkdtemp(prefix="dus-import-")
with open(f"{folder}/late.md", "w", encoding="utf-8") as handle:
    handle.write("---\nreference: LT-2026-0001\nkind: death\nstatus: draft\nclassification: suspected\nevent_date: 2026-02-01\n"
                 "region: Wales\nsupervision: licence\n---\n\n## Summary\n\nImported while the server ran.\n")
subprocess.run([dus, "import", "--db", database, f"{folder}/late.md"], check=True, capture_output=True)
check(total() == before + 1, f"a review imported by another program shows at once ({before} then {total()})")
