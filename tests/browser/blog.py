"""The blogs scenario of the browser test (issue #19), on phones: a pupil writes a post with a
photo (a 2400 px PNG, kept at the admin's 1600 px) on her class's blog and submits it; the
class's teacher finds it waiting and approves it; a parent of the pupil reads it, sees the photo
and comments; the teacher approves the comment; the office publishes on the school's blog, opens
it to the public, and a visitor without an account reads it at /site.

Run from run.py, with the homework scenario's class (5e C: Jeanne Martin teaches Amina Diallo)
and the news scenario's office and parent (who that scenario links to Amina; linked here if
it has not run: `BROWSER_ONLY=blog`). No account of its own: another parent would change who
the news scenario's item to all parents is for."""

import os
import struct
import zlib

from selenium.webdriver.common.by import By

from run import (ADMIN_PASSWORD, HOMEWORK_PASSWORD, NEWS_PASSWORD, browser, click_and_wait, expect,
                 fill, login, logout, shot, submit)

PHONE = (412, 915)
TITLE = "Le jardin de la classe"
SCHOOL_TITLE = "Portes ouvertes samedi"


def png(path, width, height):
    """A PNG of `width` x `height` in two colours, written with the standard library only."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    row = b"\x00" + bytes([30, 140, 60]) * (width // 2) + bytes([240, 200, 40]) * (width - width // 2)
    raw = row * height
    data = (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)


def no_sideways_scroll(d, what):
    wide = d.execute_script("return document.documentElement.scrollWidth")
    window = d.execute_script("return window.innerWidth")
    expect(wide <= window + 1, f"{what}: the page is {wide} px wide in a {window} px window")


def image_loaded(d, css):
    return d.execute_script(
        "const i = document.querySelector(arguments[0]);"
        "return i ? [i.complete, i.naturalWidth, i.naturalHeight] : null", css)


def blog_scenario(base, tmp):
    # The parent is Amina's (the news scenario links them; alone, the admin does here).
    a = browser()
    try:
        login(a, base, "direction", ADMIN_PASSWORD)
        a.get(base + "/admin/users?q=n.parent")
        click_and_wait(a, a.find_element(By.LINK_TEXT, "Fatou Ndiaye"))
        if "Amina Diallo" not in a.page_source:
            fill(a, "username", "h.amina")
            submit(a, a.current_url[len(base):] + "/links")
        expect("Amina Diallo" in a.page_source, "the parent is Amina's")
    finally:
        a.quit()

    photo = os.path.join(tmp, "jardin.png")
    png(photo, 2400, 1200)
    # The pupil, on her phone, writes on her class's blog and submits it.
    p = browser(*PHONE)
    try:
        login(p, base, "h.amina", HOMEWORK_PASSWORD)
        click_and_wait(p, p.find_element(By.ID, "blogs-tile"))
        expect("5e C" in p.page_source, "her class's blog is listed")
        no_sideways_scroll(p, "/blogs")
        click_and_wait(p, p.find_element(By.PARTIAL_LINK_TEXT, "Write a post"))
        fill(p, "title", TITLE)
        fill(p, "body", "Nous avons planté des **tomates** et des *oignons*.")
        p.find_element(By.CSS_SELECTOR, "input[type=file][name=files]").send_keys(photo)
        expect(p.find_elements(By.ID, "approval-hint"), "she is told a teacher reads it first")
        shot(p, "60-blog-write-phone")
        click_and_wait(p, p.find_element(By.ID, "submit"))
        expect("a teacher will read it" in p.page_source, "she is told it is submitted")
        expect(p.find_element(By.ID, "state").text == "waiting for approval", "the post waits")
        loaded = image_loaded(p, ".blog-files img")
        expect(loaded and loaded[0] and loaded[1] == 1600 and loaded[2] == 800,
               f"the photo is shown, scaled to 1600 x 800: {loaded}")
        no_sideways_scroll(p, "the post")
        shot(p, "61-blog-submitted-phone")
        post = p.current_url.split("?")[0]
        logout(p)
    finally:
        p.quit()

    # The teacher finds it waiting, and approves it.
    t = browser(*PHONE)
    try:
        login(t, base, "h.prof", HOMEWORK_PASSWORD)
        expect("waiting for you" in t.find_element(By.ID, "blogs-tile").text, "the dashboard says a post waits")
        click_and_wait(t, t.find_element(By.ID, "blogs-tile"))
        click_and_wait(t, t.find_element(By.CSS_SELECTOR, "#waiting li.waiting-post a"))
        click_and_wait(t, t.find_element(By.ID, "approve"))
        expect("approved and published" in t.page_source, "the teacher is told it is published")
        logout(t)
    finally:
        t.quit()

    # The parent reads it on her phone, sees the photo, and comments.
    m = browser(*PHONE)
    try:
        login(m, base, "n.parent", NEWS_PASSWORD)
        latest = m.find_element(By.ID, "blog-latest")
        expect(TITLE in latest.text, "the dashboard shows the new post")
        click_and_wait(m, latest.find_element(By.PARTIAL_LINK_TEXT, TITLE))
        loaded = image_loaded(m, ".blog-files img")
        expect(loaded and loaded[0] and loaded[1] == 1600, f"the parent sees the photo: {loaded}")
        expect(m.find_element(By.CSS_SELECTOR, ".post-body strong").text == "tomates", "the Markdown is shown")
        fill(m, "body", "Bravo les enfants ! Et merci pour la photo.")
        click_and_wait(m, m.find_element(By.ID, "send-comment"))
        expect("once a teacher has read it" in m.page_source, "she is told her comment waits")
        no_sideways_scroll(m, "the post with its comment")
        shot(m, "62-blog-parent-comment-phone")
        logout(m)
    finally:
        m.quit()

    # The teacher approves the comment.
    t = browser(*PHONE)
    try:
        login(t, base, "h.prof", HOMEWORK_PASSWORD)
        t.get(base + "/blogs")
        click_and_wait(t, t.find_element(By.CSS_SELECTOR, "#waiting li.waiting-comment a"))
        no_sideways_scroll(t, "the post with a comment waiting")
        shot(t, "63-blog-teacher-comment-phone")
        click_and_wait(t, t.find_element(By.CSS_SELECTOR, "#comments button[id^=approve-c]"))
        expect("The comment is published." in t.page_source, "the comment is published")
        logout(t)
    finally:
        t.quit()
    p = browser(*PHONE)
    try:
        login(p, base, "h.amina", HOMEWORK_PASSWORD)
        p.get(post)
        expect("Bravo les enfants" in p.find_element(By.ID, "comments").text, "the pupil reads the comment")
        logout(p)
    finally:
        p.quit()

    # The office writes on the school's blog and opens it to the public.
    o = browser()
    try:
        login(o, base, "n.office", NEWS_PASSWORD)
        o.get(base + "/blogs")
        school = o.find_element(By.CSS_SELECTOR, "#blogs article.blog-card a")
        click_and_wait(o, school)
        click_and_wait(o, o.find_element(By.ID, "settings"))
        o.find_element(By.CSS_SELECTOR, "input[name=audience][value=public]").click()
        click_and_wait(o, o.find_element(By.CSS_SELECTOR, "#blog-settings button"))
        expect("The settings are saved." in o.page_source, "the school's blog is public")
        click_and_wait(o, o.find_element(By.ID, "write-post"))
        fill(o, "title", SCHOOL_TITLE)
        fill(o, "body", "Venez découvrir l'école samedi de 9 h à 12 h.")
        click_and_wait(o, o.find_element(By.ID, "submit"))
        expect("The post is published." in o.page_source, "the office publishes at once")
        logout(o)
    finally:
        o.quit()

    # A visitor without an account, on a phone, reads it.
    v = browser(*PHONE)
    try:
        v.get(base + "/site")
        expect(SCHOOL_TITLE in v.page_source, "the public page lists the school's post")
        expect(TITLE not in v.page_source, "the class's blog stays private")
        click_and_wait(v, v.find_element(By.PARTIAL_LINK_TEXT, SCHOOL_TITLE))
        expect("Venez découvrir" in v.find_element(By.CSS_SELECTOR, ".post-body").text, "the visitor reads it")
        expect("/login" not in v.current_url, "no login asked")
        no_sideways_scroll(v, "the public post")
        shot(v, "64-blog-public-phone")
        v.get(post)
        expect("/login" in v.current_url, f"the class's post asks for a login, not {v.current_url}")
    finally:
        v.quit()
