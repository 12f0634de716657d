"""The attendance scenario of the browser test: a teacher on a phone takes a register with
two pupils absent, a parent justifies one absence, the office reviews it. Run from run.py,
which starts the server and makes the accounts."""

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from run import (ATTENDANCE_CLASS, ATTENDANCE_PASSWORD, NEWS_PASSWORD, browser, click_and_wait,
                 expect, fill, login, logout, shot, submit)


def attendance_scenario(base):
    # The office links the news scenario's parent to Awa too: she now has two children.
    o = browser()
    try:
        login(o, base, "a.office", ATTENDANCE_PASSWORD)
        o.get(base + "/admin/users?q=n.parent")
        click_and_wait(o, o.find_element(By.LINK_TEXT, "Fatou Ndiaye"))
        user = o.current_url[len(base):]
        # Amina (5e C) is hers already when the news scenario has run; linking again is harmless.
        for username in ["h.amina", "a.awa"]:
            fill(o, "username", username)
            submit(o, user + "/links")
        expect("Awa Camara" in o.page_source and "Amina Diallo" in o.page_source,
               "the parent is linked to Awa and Amina")
    except Exception:
        o.quit()
        raise

    # The teacher, on a phone, takes the register: Awa and Binta absent, Cyril there.
    t = browser(390, 844)
    try:
        login(t, base, "a.prof", ATTENDANCE_PASSWORD)
        click_and_wait(t, t.find_element(By.ID, "attendance-tile"))
        expect(Select(t.find_element(By.NAME, "class")).first_selected_option.text == ATTENDANCE_CLASS,
               "the teacher's class is offered")
        fill(t, "subject", "Histoire")
        click_and_wait(t, t.find_element(By.ID, "open-register"))
        pupils = t.find_elements(By.CSS_SELECTOR, "fieldset.pupil")
        expect(len(pupils) == 3, f"three pupils on the register, not {len(pupils)}")
        expect(all(p.find_element(By.CSS_SELECTOR, "input[value=present]").is_selected() for p in pupils),
               "everyone is present by default")
        for name in ["Awa Camara", "Binta Sylla"]:
            line = t.find_element(By.XPATH, f"//fieldset[contains(@class, 'pupil')][legend[contains(., '{name}')]]")
            # Scrolled to the middle, as a thumb would: the sticky save bar covers the bottom.
            t.execute_script("arguments[0].scrollIntoView({block: 'center'})", line)
            line.find_element(By.CSS_SELECTOR, "label.absent").click()
            expect(line.find_element(By.CSS_SELECTOR, "input[value=absent]").is_selected(), f"{name} is marked absent")
        button = t.find_element(By.CSS_SELECTOR, "label.absent span")
        expect(button.size["height"] >= 44, f"the buttons are large enough to tap: {button.size}")
        wide = t.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        expect(not wide, "the register fits the phone's width")
        shot(t, "28-attendance-register-phone")
        click_and_wait(t, t.find_element(By.ID, "save-register"))
        expect("The register is saved." in t.page_source, "the teacher is told it is saved")
        absent = [p.find_element(By.TAG_NAME, "legend").text for p in t.find_elements(By.CSS_SELECTOR, "fieldset.pupil")
                  if p.find_element(By.CSS_SELECTOR, "input[value=absent]").is_selected()]
        expect(sorted(absent) == ["Awa Camara", "Binta Sylla"], f"two absent, as saved: {absent}")
        expect("Taken by Paul Mensah" in t.find_element(By.ID, "taken").text, "the register says who took it")
        shot(t, "29-attendance-register-saved-phone")
        logout(t)
    finally:
        t.quit()

    # The parent, on a phone, is told, picks Awa among her two children, sees the absence
    # and justifies it.
    note = "Awa avait rendez-vous chez le médecin ; certificat dans le carnet."
    p = browser(390, 844)
    try:
        login(p, base, "n.parent", NEWS_PASSWORD)
        notice = p.find_element(By.ID, "attendance-notice")
        expect("1 absence" in notice.text, f"the dashboard tells of the absence: {notice.text!r}")
        click_and_wait(p, notice.find_element(By.TAG_NAME, "a"))
        # The notice leads to Awa, the absent child; the switch offers her sister too.
        switch = p.find_element(By.ID, "child-switch")
        expect("Amina Diallo" in switch.text and "Awa Camara" in switch.text, f"two children: {switch.text!r}")
        current = switch.find_element(By.CSS_SELECTOR, "a[aria-current=page]").text
        expect(current == "Awa Camara", f"the notice leads to the absent child, not {current!r}")
        click_and_wait(p, switch.find_element(By.LINK_TEXT, "Amina Diallo"))
        expect(p.find_elements(By.ID, "no-marks"), "Amina has no absence")
        click_and_wait(p, p.find_element(By.ID, "child-switch").find_element(By.LINK_TEXT, "Awa Camara"))
        marks = p.find_elements(By.CSS_SELECTOR, "article.mark")
        expect(len(marks) == 1 and "Absent" in marks[0].text and "Histoire" in marks[0].text,
               f"Awa's absence is there: {[m.text for m in marks]}")
        marks[0].find_element(By.NAME, "note").send_keys(note)
        click_and_wait(p, marks[0].find_element(By.CSS_SELECTOR, "form.justify button"))
        expect("your justification is sent" in p.page_source, "the parent is thanked")
        mark = p.find_element(By.CSS_SELECTOR, "article.mark")
        expect(note in mark.find_element(By.CSS_SELECTOR, ".family-note").text, "the justification is shown")
        wide = p.execute_script("return document.documentElement.scrollWidth > window.innerWidth")
        expect(not wide, "the record fits the phone's width")
        shot(p, "30-attendance-parent-justified-phone")
        logout(p)
    finally:
        p.quit()

    # The office sees it waiting, reads it and records the absence as justified.
    try:
        o.get(base + "/")
        tile = o.find_element(By.ID, "attendance-tile").text
        expect("1 justification to review" in tile, f"the office is told: {tile!r}")
        click_and_wait(o, o.find_element(By.ID, "attendance-tile"))
        first = o.find_element(By.CSS_SELECTOR, "#absences article.mark")
        expect("Awa Camara" in first.text and note in first.text and "Fatou Ndiaye" in first.text,
               f"the justification comes first: {first.text!r}")
        expect(len(o.find_elements(By.CSS_SELECTOR, "#absences article.mark")) == 2, "Binta's absence waits too")
        first.find_element(By.NAME, "reason").send_keys("Rendez-vous médical")
        first.find_element(By.CSS_SELECTOR, "input[name=status][value=justified]").click()
        shot(o, "31-attendance-office-review")
        click_and_wait(o, first.find_element(By.CSS_SELECTOR, "form.decide button"))
        expect("The decision is recorded." in o.page_source, "the office is told")
        left = o.find_elements(By.CSS_SELECTOR, "#absences article.mark")
        expect(len(left) == 1 and "Binta Sylla" in left[0].text, "only Binta's absence still waits")
        logout(o)
    finally:
        o.quit()
