"""`dus serve --users FILE` in headless Chromium: every page needs sign-in, a wrong password
is refused and slowed down, a reader sees pages but cannot change anything, and an
editor's update is recorded under the editor's name. Run by ServeTests."""
import json
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, dus, database = sys.argv[1:4]
netloc = urllib.parse.urlsplit(base).netloc
# Python's requests go to 127.0.0.1 with the server's host name in the Host header.
direct = "http://127.0.0.1:" + netloc.rsplit(":", 1)[1]


def check(condition, what):
    if not condition:
        raise SystemExit(f"FAILED: {what}")
    print(f"ok: {what}")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tempfile.mkdtemp(prefix='dus-chromium-')}"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def sign_in(driver, name, password):
    driver.find_element(By.NAME, "name").send_keys(name)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form.sign-in button").click()


driver = browser()
try:
    driver.get(base + "/actions?overdue=1")
    check(driver.current_url.startswith(base + "/sign-in"), f"a page sends the browser to sign in ({driver.current_url})")
    started = time.monotonic()
    sign_in(driver, "ed", "not the password")
    # The click may return before the answer comes: wait for the refusal itself.
    problem = WebDriverWait(driver, 60).until(lambda d: d.find_elements(By.CSS_SELECTOR, "p.problem"))[0].text
    waited = time.monotonic() - started
    check("do not match" in problem, "a wrong password is refused")
    check(waited >= 1.0, f"and the answer is slowed down ({waited:.1f} s)")
    # Giving up on a slow answer does not help: a guess abandoned after half a second
    # still makes the name wait, and an attempt before then is refused unchecked.
    def attempt(password, timeout):
        class Stay(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args):
                return None
        request = urllib.request.Request(direct + "/sign-in", method="POST",
                                         data=urllib.parse.urlencode({"name": "ed", "password": password, "next": "/"}).encode())
        request.add_header("Host", netloc)
        try:
            return urllib.request.build_opener(Stay).open(request, timeout=timeout).status
        except urllib.error.HTTPError as error:
            return error.code
        except OSError:
            return "gave up"

    check(attempt("guess 2", 0.5) == "gave up", "a client gives up on a slow wrong guess")
    code = attempt("correct horse battery", 60)
    check(code in (429, 503), f"even the right password is refused while the name must wait or another is checked ({code})")
    time.sleep(4.5)
    sign_in(driver, "rita", "reader password 1")
    WebDriverWait(driver, 60).until(lambda d: "/sign-in" not in d.current_url)
    check(driver.current_url == base + "/actions?overdue=1", f"signing in returns to the page asked for ({driver.current_url})")
    check("Signed in as rita (reader)" in driver.find_element(By.TAG_NAME, "header").text, "the header says who is signed in")
    check(driver.find_elements(By.CSS_SELECTOR, "form[action$='/update']") == [], "a reader is shown no form to change an action")
    address = driver.find_element(By.CSS_SELECTOR, "article.action.overdue h3 a").text
    cookie = driver.get_cookie("dus_session")
    check(cookie["httpOnly"] and cookie["sameSite"] == "Strict", f"the session cookie is HttpOnly and SameSite=Strict ({cookie})")
    # A reader's own session and token cannot post either.
    token = driver.find_element(By.CSS_SELECTOR, "form.who input[name=csrf]").get_attribute("value")
    request = urllib.request.Request(direct + f"/actions/{address}/update", method="POST",
                                     data=urllib.parse.urlencode({"csrf": token, "note": "reader's note", "date": "2026-11-20"}).encode())
    request.add_header("Cookie", f"dus_session={cookie['value']}")
    request.add_header("Host", netloc)
    try:
        urllib.request.urlopen(request)
        code = 200
    except urllib.error.HTTPError as error:
        code = error.code
    check(code == 403, f"a reader's POST is refused ({code})")
    driver.find_element(By.CSS_SELECTOR, "form.who button").click()
    WebDriverWait(driver, 60).until(lambda d: "/sign-in" in d.current_url)
    check(driver.current_url.startswith(base + "/sign-in"), "signing out ends the session")
    driver.get(base + "/")
    check(driver.current_url.startswith(base + "/sign-in"), "and the pages need signing in again")

    # A "next" that browsers would read as another site leads home instead.
    driver.get(base + "/sign-in?next=/%09/evil.example")
    sign_in(driver, "ed", "correct horse battery")
    WebDriverWait(driver, 60).until(lambda d: "/sign-in" not in d.current_url)
    check(driver.current_url == base + "/", f"a next page off this server is not followed ({driver.current_url})")
    driver.get(base + "/actions?overdue=1")
    article = driver.find_element(By.CSS_SELECTOR, "article.action.overdue")
    address = article.find_element(By.CSS_SELECTOR, "h3 a").text
    article.find_element(By.TAG_NAME, "summary").click()
    form = article.find_element(By.CSS_SELECTOR, "form[action$='/update']")
    form.find_element(By.NAME, "note").send_keys("Chased by the editor.")
    form.find_element(By.CSS_SELECTOR, "button").click()
    WebDriverWait(driver, 60).until(lambda d: "#" in d.current_url)
    history = json.loads(subprocess.run([dus, "history", "--db", database, address.split("/")[0], "--format", "json"],
                                        check=True, capture_output=True, text=True).stdout)
    last = history["entries"][-1]
    check(last["event"] == "action updated" and last["by"] == "ed", f"the editor's update is recorded as ed ({last['event']}, {last['by']})")
finally:
    driver.quit()
