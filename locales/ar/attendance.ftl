## flash.attendance

flash-attendance-saved = The register is saved.
flash-attendance-decided = The decision is recorded.
flash-attendance-justified = Thank you: your justification is sent to the school.

## attendance

attendance-title = Attendance
attendance-review_link = Absences and justifications
attendance-waiting =
    { $n ->
        [one] { $n } justification
       *[other] { $n } justifications
    } from families to review
attendance-take_title = Take the register
attendance-class = Class
attendance-date = Date
attendance-slot = Lesson starts at
attendance-subject = Subject
attendance-optional = (optional)
attendance-take_hint = Everyone is present until you mark them. Opening a register already taken lets you correct it.
attendance-open = Open the register
attendance-recent = Registers taken lately
attendance-counts = { $absent } absent, { $late } late
attendance-none_taken = No register taken yet.
attendance-export_title = Monthly summary (spreadsheet)
attendance-month = Month
attendance-export_hint = A CSV file that LibreOffice or Excel opens as it is: one line per pupil, absences, justified or not, lateness.
attendance-export = Download the summary
attendance-no_classes = You have no class to take a register for.
attendance-register_title = Register
attendance-taken_by = Taken by { $who } on { $when }
attendance-edited_on = corrected on { $when }
attendance-sheet_hint = Everyone is present by default: tap Absent or Late for those who are not, then save.
attendance-present = Present
attendance-absent = Absent
attendance-late = Late
attendance-minutes_late = Minutes late
attendance-no_pupils = This class has no pupils yet.
attendance-save = Save the register
attendance-totals =
    { $absences ->
        [one] { $absences } absence
       *[other] { $absences } absences
    }, { $not_justified } not justified yet; { $late ->
        [one] { $late } late arrival
       *[other] { $late } late arrivals
    }, { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    } in all.
attendance-late_by = Late by { $n } min
attendance-reason = Reason
attendance-sent_by = Sent by { $who } on { $when }
attendance-justify = Explain this absence to the school
attendance-justify_again = Replace your explanation
attendance-send = Send the justification
attendance-none = No absence or lateness recorded.
attendance-no_child = No child is linked to your account yet. The school office can do it.
attendance-absences_title = Absences and justifications
attendance-all_classes = All classes
attendance-show = Show
attendance-show_pending = Waiting for a decision
attendance-show_all = All
attendance-filter = Show
attendance-no_note = No justification from the family yet.
attendance-decision = Decision
attendance-record = Record
attendance-none_pending = Nothing waits for a decision.
attendance-dashboard_unexplained =
    { $n ->
        [one] { $n } absence of your children to explain
       *[other] { $n } absences of your children to explain
    }
attendance-dashboard_waiting =
    { $n ->
        [one] { $n } justification to review
       *[other] { $n } justifications to review
    }
attendance-error_not_found = This does not exist, or you cannot see it.
attendance-error_denied = You may not do this here.
attendance-error_date = A date is written year-month-day, like 2026-05-04, and must exist.
attendance-error_year = The year must be between 2000 and 2099.
attendance-error_future = A register is taken on the day of the lesson or after, not before.
attendance-error_time = The lesson's start is written hours:minutes, like 08:30.
attendance-error_month = A month is written year-month, like 2026-05.
attendance-error_unknown_pupil = One of the pupils is not in this class. Nothing was saved: open the register again.
attendance-error_mark = Each pupil is present, absent or late. Nothing was saved.
attendance-error_minutes = Minutes late are a whole number from 1 to 240. Nothing was saved.
attendance-error_subject_long = The subject is too long (80 characters at most).
attendance-error_note_empty = Write the justification first.
attendance-error_note_long = The justification is too long (2,000 characters at most).
attendance-error_reason_long = The reason is too long (500 characters at most).
attendance-error_status = Choose pending, justified or not justified.
attendance-error_decided = The office has already decided on this absence; contact them to change it.
attendance-csv_class = Class
attendance-csv_pupil = Pupil
attendance-csv_absences = Absences (lessons)
attendance-csv_half_days = Absences (half-days)
attendance-csv_justified = Justified
attendance-csv_unjustified = Not justified
attendance-csv_pending = Pending
attendance-csv_late = Late arrivals
attendance-csv_minutes = Minutes late
attendance-csv_last = Last absence
attendance-file_prefix = attendance

## attendance.status

attendance-status-pending = Pending
attendance-status-justified = Justified
attendance-status-unjustified = Not justified
