"""The right-to-left scenario of the browser test (issue #16): an Arabic-speaking teacher's
pages laid out right to left on a desktop and a phone, with French and Arabic text each in its
own direction. Run from run.py, which starts the server and makes the accounts."""

import os
import re
import time

from selenium.webdriver.common.by import By

from run import (ATTENDANCE_CLASS, ATTENDANCE_PASSWORD, RTL_PASSWORD, RTL_USER, browser,
                 click_and_wait, expect, fill, login, logout, shot, submit)


RTL_MAIL_SUBJECT = "Réunion des parents (jeudi)"
RTL_TOPIC = "سؤال عن تمرين الكسور (رقم 3)"
RTL_BODY = ("السلام عليكم،\n\nلم أفهم لماذا يصبح `6/8` مساويًا لـ `3/4`.\n\n"
            "- هل نقسم دائمًا على 2؟\n"
            "- Et en français : on simplifie par le PGCD (ici 2).")
RTL_FOLDER = "دروس الرياضيات"
RTL_FILES = ["ملخص الدرس.txt", "exercices (corrigés).txt"]


def direction(d, css):
    """The direction the browser gave the first element `css` matches."""
    return d.execute_script("return getComputedStyle(document.querySelector(arguments[0])).direction", css)


def rtl_page(d, name, size):
    """The page is in Arabic and laid out right to left: `<html dir="rtl" lang="ar">`, its
    heading's text ending at the right edge of the content, nothing wider than the window.
    Then its screenshot."""
    info = d.execute_script("""
      const h = document.documentElement, h1 = document.querySelector('main h1');
      const out = {dir: h.getAttribute('dir'), lang: h.getAttribute('lang'),
                   scrollWidth: h.scrollWidth, innerWidth: window.innerWidth};
      if (!h1) return out;
      const box = h1.getBoundingClientRect(), range = document.createRange();
      range.selectNodeContents(h1);
      const text = range.getBoundingClientRect();
      const main = document.querySelector('main'), ms = getComputedStyle(main);
      return Object.assign(out, {h1: h1.textContent, textLeft: text.left, textRight: text.right,
        boxLeft: box.left, boxRight: box.right,
        contentRight: main.getBoundingClientRect().right - parseFloat(ms.paddingRight)});""")
    where = f"{name} ({size})"
    expect(info["dir"] == "rtl" and info["lang"] == "ar", f"{where}: <html dir=rtl lang=ar>, not {info}")
    expect("h1" in info, f"{where}: the page has a heading")
    expect(info["scrollWidth"] <= info["innerWidth"], f"{where}: no horizontal scroll: {info}")
    expect(abs(info["textRight"] - info["boxRight"]) <= 2, f"{where}: the heading starts at the right: {info}")
    expect(-1 <= info["contentRight"] - info["boxRight"] <= 40,
           f"{where}: the heading sits at the content's right edge: {info}")
    shot(d, f"40-ar-{name}-{size}")


def rtl_scenario(base, tmp):
    # The class's teacher writes (in English, with a file) to his colleague, whose language is
    # Arabic; in his English pages her Arabic name keeps its own direction.
    t = browser()
    try:
        login(t, base, "a.prof", ATTENDANCE_PASSWORD)
        t.get(base + "/mail/compose")
        options = [o.get_attribute("value")
                   for o in t.find_elements(By.CSS_SELECTOR, "datalist#directory option")]
        expect(options, "the directory suggests addresses")
        to = RTL_USER[0] + "@" + options[0].split("@")[1]
        t.find_elements(By.NAME, "to")[0].send_keys(to)
        fill(t, "subject", RTL_MAIL_SUBJECT)
        fill(t, "body", "Bonjour Layla,\nla réunion est jeudi à 17 h (salle 12).\nPaul")
        agenda = os.path.join(tmp, "ordre du jour.txt")
        with open(agenda, "w", encoding="utf-8") as f:
            f.write("1. Bulletins\n2. Sortie au parc\n")
        t.find_element(By.CSS_SELECTOR, "#compose input[type=file]").send_keys(agenda)
        submit(t, "/mail/compose")
        expect("Message sent." in t.page_source, "the teacher's message to his colleague left")
        who = t.find_element(By.CSS_SELECTOR, "#messages li .who bdi")
        expect("ليلى بنعلي" in who.text, f"the sent folder names her: {who.text!r}")
        expect(direction(t, "#messages li .who bdi") == "rtl", "her Arabic name is right to left in an English page")
        logout(t)
    finally:
        t.quit()

    # She, on a desktop, files two documents in a new folder and asks the class's forum a
    # question in Arabic; her pages are right to left.
    d = browser()
    pages = {}
    try:
        login(d, base, RTL_USER[0], RTL_PASSWORD)
        pages["dashboard"] = base + "/"
        d.get(base + "/files")
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, "#spaces li.personal a"))
        d.find_element(By.CSS_SELECTOR, "#mkdir input[name=name]").send_keys(RTL_FOLDER)
        submit(d, "/files-action/mkdir")
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, "#listing li.dir a.name"))
        paths = []
        for name in RTL_FILES:
            path = os.path.join(tmp, name)
            with open(path, "w", encoding="utf-8") as f:
                f.write(f"{name}\n")
            paths.append(path)
        d.find_element(By.CSS_SELECTOR, "#upload input[type=file]").send_keys("\n".join(paths))
        submit(d, "/files-action/upload")
        names = [e.get_attribute("data-name") for e in d.find_elements(By.CSS_SELECTOR, "#listing li")]
        expect(sorted(names) == sorted(RTL_FILES), f"the folder holds her two files, not {names}")
        expect(RTL_FOLDER in d.find_element(By.TAG_NAME, "h1").text, "the folder's name heads the page")
        latin = "#listing li[data-name='exercices (corrigés).txt'] a.name bdi"
        expect(direction(d, latin) == "ltr", "a French file name stays left to right in an Arabic page")
        pages["files"] = d.current_url.split("?")[0]

        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'header nav a[href="/forum"]'))
        click_and_wait(d, d.find_element(By.PARTIAL_LINK_TEXT, ATTENDANCE_CLASS))
        click_and_wait(d, d.find_element(By.ID, "new-topic"))
        fill(d, "title", RTL_TOPIC)
        fill(d, "body", RTL_BODY)
        click_and_wait(d, d.find_element(By.CSS_SELECTOR, "#post-form button[value=post]"))
        expect(re.search(r"/forum/t/\d+$", d.current_url), f"the new topic, not {d.current_url}")
        expect(d.find_element(By.CSS_SELECTOR, "h1.topic-title").text == RTL_TOPIC, "the topic's title")
        expect(direction(d, "#posts .post-body") == "rtl", "an Arabic post reads right to left")
        pages["forum-topic"] = d.current_url

        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'header nav a[href="/mail"]'))
        rows = d.find_elements(By.CSS_SELECTOR, "#messages li.unread")
        expect(len(rows) == 1 and RTL_MAIL_SUBJECT in rows[0].text, "the colleague's message is in her inbox")
        expect(rows[0].find_elements(By.CSS_SELECTOR, ".clip"), "marked with its attachment")
        expect(direction(d, "#messages li .subject bdi") == "ltr",
               "a French subject stays left to right (its closing bracket at its end)")
        pages["mail-inbox"] = base + "/mail"
        click_and_wait(d, rows[0].find_element(By.TAG_NAME, "a"))
        expect("la réunion est jeudi" in d.find_element(By.ID, "text").text, "she reads the message")
        expect(direction(d, "#text") == "ltr", "a French message's text is left to right")
        pages["mail-message"] = d.current_url

        month = time.strftime("%Y-%m", time.localtime(time.time() + 3 * 24 * 3600))
        d.get(base + "/agenda?month=" + month)
        expect("Sortie au parc" in d.find_element(By.CSS_SELECTOR, "table.month-table").text,
               "the school's trip is in the month")
        first, last = d.execute_script(
            "const c = document.querySelectorAll('table.month-table thead th');"
            "return [c[0].getBoundingClientRect().left, c[c.length - 1].getBoundingClientRect().left];")
        expect(first > last, "the week runs from right to left")
        pages["agenda-month"] = d.current_url

        click_and_wait(d, d.find_element(By.CSS_SELECTOR, 'header nav a[href="/attendance"]'))
        fill(d, "subject", "رياضيات")
        # Another hour than the attendance scenario's register; a time field is typed
        # differently in every locale: set the value the form sends.
        d.execute_script("document.querySelector('input[name=slot]').value = '10:00'")
        click_and_wait(d, d.find_element(By.ID, "open-register"))
        expect(d.find_element(By.NAME, "subject").get_attribute("value") == "رياضيات", "a new register")
        expect(len(d.find_elements(By.CSS_SELECTOR, "fieldset.pupil")) == 3, "her class's three pupils")
        pages["attendance-register"] = d.current_url
        # The offline library (its test collection is French): the list and a search.
        pages["library"] = base + "/library"
        pages["library-search"] = base + "/library/search?q=ecole"
        pages["blogs"] = base + "/blogs"
        # An article keeps its own direction; the bar on top of it is hers.
        d.get(base + "/library/cartable_test_fr/Garçon")
        expect(direction(d, "#cartable-bar") == "rtl", "the article's bar is right to left")
        expect(d.execute_script("return document.documentElement.scrollWidth <= window.innerWidth"),
               "the article with its bar is no wider than the window")
        for name, url in pages.items():
            d.get(url)
            rtl_page(d, name, "desktop")
        logout(d)
    finally:
        d.quit()

    # The same pages on a phone.
    p = browser(412, 915)
    try:
        login(p, base, RTL_USER[0], RTL_PASSWORD)
        for name, url in pages.items():
            p.get(url)
            rtl_page(p, name, "phone")
        p.get(pages["attendance-register"])
        button = p.find_element(By.CSS_SELECTOR, "label.absent span")
        expect(button.size["height"] >= 44, f"the register's buttons are large enough to tap: {button.size}")
        logout(p)
    finally:
        p.quit()
