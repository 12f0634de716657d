## flash.homework

flash-homework-created = The drop box is open.
flash-homework-closed = The drop box is closed.
flash-homework-reopened = The drop box is open again.
flash-homework-handed_in = Files handed in.
flash-homework-withdrawn = File withdrawn.

## homework

homework-title = Homework
homework-due = due { $date }
homework-open = open
homework-closed = closed
homework-status_on_time = handed in
homework-status_late = late
homework-status_missing = not handed in yet
homework-none = No homework for now.
homework-new_title = Set homework
homework-class = Class
homework-title_label = Title
homework-instructions = Instructions
homework-due_label = Due (date and time)
homework-due_hint = After this date, hand-ins are still accepted but marked late, unless you close the drop box.
homework-create = Open the drop box
homework-roster = Pupils
homework-summary = On time: { $on_time } · late: { $late } · not yet: { $missing }
homework-zip = Download everything (zip)
homework-close = Close the drop box
homework-reopen = Reopen the drop box
homework-closed_hint = The drop box is closed: pupils can no longer hand in or withdraw anything.
homework-late_hint = The due date has passed: hand-ins are still accepted, marked late.
homework-last_at = last handed in { $date }
homework-no_pupils = This class has no pupils yet.
homework-my_work = My work
homework-nothing_yet = You have not handed anything in yet.
homework-late_warning = The due date has passed: your hand-in will be marked late.
homework-hand_in_label = Hand in files (several at once if you like)
homework-hand_in = Hand in
homework-withdraw = Withdraw
homework-error_closed = The teacher has closed this drop box: it takes no more files.
homework-error_title = Give the homework a title.
homework-error_title_long = The title is too long (120 characters at most).
homework-error_instructions_long = The instructions are too long (10,000 characters at most).
homework-error_due = Enter a valid date and time.
homework-error_due_past = The due date has already passed.
homework-error_due_far = The due date is too far ahead (more than a year).
homework-error_class = Choose one of your classes.
