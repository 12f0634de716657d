"""The offline library scenario of the browser test (issue #18), on a phone: a pupil opens the
library from the dashboard, is offered titles as she types, searches it, opens an article, follows a link inside it, and goes
back to the portal through the bar on top of the article; then a teacher links an article
from the homework book with the picker (no JavaScript needed: its search button brings the
form back with what it found), and a pupil of the class follows the link from the entry.

Run from run.py, which starts the server with the libzim-written test collection installed
(`cartable library add`, for everyone) and the homework scenario's class."""

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from run import (HOMEWORK_CLASS, HOMEWORK_PASSWORD, browser, click_and_wait, expect, fill, login,
                 logout, shot)

PHONE = (412, 915)


def no_sideways_scroll(d, what):
    wide = d.execute_script("return document.documentElement.scrollWidth")
    window = d.execute_script("return window.innerWidth")
    expect(wide <= window + 1, f"{what}: the page is {wide} px wide in a {window} px window")


def library_scenario(base):
    # A pupil, on a phone: the dashboard's tile, a search, an article, a link inside it.
    p = browser(*PHONE)
    try:
        login(p, base, "h.chloe", HOMEWORK_PASSWORD)
        click_and_wait(p, p.find_element(By.ID, "library-tile"))
        expect("Petite encyclopédie de test" in p.page_source, "the collection is listed")
        no_sideways_scroll(p, "/library")
        shot(p, "50-library-phone")
        box = p.find_element(By.CSS_SELECTOR, "#library-search-all input[name=q]")
        # Suggestions as one types (static/suggest.js fills a datalist from /library/suggest).
        box.send_keys("garc")
        WebDriverWait(p, 10).until(lambda d: d.execute_script(
            "return [...document.querySelectorAll('#library-search-all datalist option')]"
            ".some(o => o.value === 'Garçon')"))
        box.clear()
        box.send_keys("ecole")  # no accent typed: the search folds them
        click_and_wait(p, p.find_element(By.CSS_SELECTOR, "#library-search-all button"))
        expect("/library/search" in p.current_url, f"the search page, not {p.current_url}")
        no_sideways_scroll(p, "the search page")
        shot(p, "51-library-search-phone")
        click_and_wait(p, p.find_element(By.PARTIAL_LINK_TEXT, "École primaire"))
        expect(p.find_element(By.TAG_NAME, "h1").text == "École primaire",
               f"the article, not {p.current_url}")
        expect(p.find_elements(By.ID, "cartable-bar"), "the bar on top of the article")
        shot(p, "52-library-article-phone")
        # A relative link inside the article, resolved under /library/<collection>/.
        click_and_wait(p, p.find_element(By.CSS_SELECTOR, "body > p a[href='Garçon']"))
        expect(p.find_element(By.TAG_NAME, "h1").text == "Garçon", f"the linked article, not {p.current_url}")
        expect("/library/cartable_test_fr/Gar" in p.current_url, p.current_url)
        # Back to the portal through the bar.
        click_and_wait(p, p.find_element(By.CSS_SELECTOR, "#cartable-bar a[href='/']"))
        expect(p.find_elements(By.ID, "library-tile"), f"the dashboard, not {p.current_url}")
    finally:
        p.quit()

    # The teacher writes in the homework book and links an article with the picker.
    t = browser(*PHONE)
    try:
        login(t, base, "h.prof", HOMEWORK_PASSWORD)
        t.get(base + "/book/new")
        if t.find_elements(By.LINK_TEXT, HOMEWORK_CLASS):
            click_and_wait(t, t.find_element(By.LINK_TEXT, HOMEWORK_CLASS))
        fill(t, "subject", "Français")
        fill(t, "work", "Lire l'article et relever trois mots.")
        today = time.strftime("%Y-%m-%d", time.gmtime())
        due = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 3 * 24 * 3600))
        t.execute_script("document.querySelector('input[name=lesson_day]').value = arguments[0]", today)
        t.execute_script("document.querySelector('input[name=due_day]').value = arguments[0]", due)
        fill(t, "article_q", "Garç")
        click_and_wait(t, t.find_element(By.ID, "find-article"))
        found = t.find_elements(By.CSS_SELECTOR, ".found-article input[name=article]")
        expect(found, "the picker found Garçon")
        expect(t.find_element(By.NAME, "work").get_attribute("value").startswith("Lire l'article"),
               "the form kept what was typed")
        t.execute_script("arguments[0].scrollIntoView()", found[0])
        found[0].click()
        no_sideways_scroll(t, "the book's form with the picker")
        shot(t, "53-book-picker-phone")
        click_and_wait(t, t.find_element(By.ID, "save-entry"))
        expect(t.find_elements(By.CSS_SELECTOR, "#articles a"), f"the entry lists the article, not {t.current_url}")
        entry = t.current_url.split("?")[0]
        logout(t)
    finally:
        t.quit()

    # A pupil of the class follows the link from the entry.
    p = browser(*PHONE)
    try:
        login(p, base, "h.amina", HOMEWORK_PASSWORD)
        p.get(entry)
        click_and_wait(p, p.find_element(By.CSS_SELECTOR, "#articles a"))
        expect(p.find_element(By.TAG_NAME, "h1").text == "Garçon", f"the article, not {p.current_url}")
        shot(p, "54-book-article-phone")
    finally:
        p.quit()
