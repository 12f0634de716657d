## flash.news

flash-news-published = The news item is published.
flash-news-edited = The news item is changed.
flash-news-deleted = The news item is deleted.
flash-news-acknowledged = Thank you: the school knows you have read it.

## flash.agenda

flash-agenda-created = The event is in the agenda.
flash-agenda-edited = The event is changed.
flash-agenda-deleted = The event is deleted.

## school

school-error_not_found = This item does not exist, or you cannot see it.
school-error_denied = You may not do this here.
school-error_title_empty = Give it a title.
school-error_title_long = The title is too long (150 characters at most).
school-error_body_empty = Write the text first.
school-error_body_long = The text is too long (20,000 characters at most).
school-error_audience = Choose who it is for.
school-error_no_class = Choose at least one class.
school-error_unknown_class = One of the classes chosen no longer exists. Choose again.
school-children_label = Whose?
school-all_children = All my children
school-audience_legend = For whom?
school-classes_legend = Classes
school-classes_hint = Tick the classes when it is for some classes, or for their parents.
school-field_title = Title

## school.audience

school-audience-school = Whole school
school-audience-staff = Staff
school-audience-classes = { $classes }
school-audience-parents = All parents
school-audience-class_parents = Parents of { $classes }

## school.audience_choice

school-audience_choice-school = The whole school
school-audience_choice-staff = The staff (teachers and office)
school-audience_choice-parents = All parents
school-audience_choice-classes = Some classes (pupils, teachers and parents)
school-audience_choice-class_parents = Only the parents of some classes

## news

news-title = News
news-write = Write news
news-none = No news for now.
news-newer = ← More recent
news-older = Older →
news-must_read_mark = Must read
news-gone = (former account)
news-ack = I have read it
news-ack_hint = The school asks everyone concerned to confirm they have read this.
news-acked_on = You confirmed you had read it on { $when }.
news-edited_on = changed { $when }
news-for = For: { $who }
news-edit = Edit
news-delete = Delete…
news-delete_warning = The news item and the record of who has read it will be deleted for good.
news-delete_confirm = Delete for good
news-tracking_title = Who has read it
news-read_count = { $read } of { $total } have confirmed reading it.
news-read_by = Have read it
news-nobody_yet = Nobody yet.
news-not_yet = Not yet ({ $n })
news-everyone_read = Everyone has read it.
news-new_title = Write news
news-edit_title = Edit the news item
news-must_read = Must read: each person concerned confirms they have read it
news-must_read_hint = You will see who has confirmed, and who not yet.
news-body = Text
news-markdown_help = Formatting: **bold**, *italics*, a line starting with - for a list, [text](https://…) for a link.
news-publish = Publish

## agenda

agenda-title = Agenda
agenda-new = New event
agenda-upcoming = Coming up
agenda-none = Nothing planned for now.
agenda-next_events = Next events
agenda-all_day = All day
agenda-prev_month = Previous month
agenda-next_month = Next month
agenda-feed_title = The agenda in your phone's calendar
agenda-feed_intro = Your calendar app (on a phone or a computer) can show these events and keep them up to date. Make your personal link, then add it to the calendar as a subscription, or tap “Subscribe on this device”.
agenda-feed_once = Here is your personal calendar link. Copy it now: for your safety it is shown only this once. Anyone who has it sees your agenda, so keep it to yourself.
agenda-feed_address = Your calendar link
agenda-feed_open = Open the link
agenda-subscribe = Subscribe on this device
agenda-feed_made = You made a calendar link on { $when }. If you have lost it, or someone else may have it, make a new one: the old one stops working.
agenda-feed_reset = Make a new link (the old one stops working)
agenda-feed_make = Make my calendar link
agenda-when = When
agenda-place = Place
agenda-for = For
agenda-by = Planned by
agenda-ics = Add to my calendar (.ics file)
agenda-edit = Edit
agenda-delete = Delete…
agenda-delete_confirm = Delete the event for good
agenda-new_title = New event
agenda-edit_title = Edit the event
agenda-kind_label = Kind
agenda-start_date = Date
agenda-start_time = From (time)
agenda-end_date = Until (date, if another day)
agenda-end_time = Until (time)
agenda-dates_hint = Dates are written 2026-05-04 and times 08:30, in the school's time. Leave the times empty and tick “All day” for a whole day.
agenda-description = Details
agenda-create = Add to the agenda
agenda-error_kind = Choose the kind of event.
agenda-error_date = A date is written year-month-day, like 2026-05-04, and must exist.
agenda-error_time = A time is written hours:minutes, like 08:30. Give a start time, or tick “All day”.
agenda-error_year = The year must be between 2000 and 2099.
agenda-error_end_before_start = The end comes before the start.
agenda-error_too_long = An event lasts a year at most.
agenda-error_place_long = The place is too long (200 characters at most).
agenda-error_description_long = The details are too long (5,000 characters at most).
agenda-error_month = A month is written year-month, like 2026-05.

## agenda.kind

agenda-kind-trip = Trip
agenda-kind-exam = Exam
agenda-kind-meeting = Meeting
agenda-kind-other = Event

## agenda.weekday

agenda-weekday-1 = Mon
agenda-weekday-2 = Tue
agenda-weekday-3 = Wed
agenda-weekday-4 = Thu
agenda-weekday-5 = Fri
agenda-weekday-6 = Sat
agenda-weekday-7 = Sun

## agenda.month

agenda-month-1 = January
agenda-month-2 = February
agenda-month-3 = March
agenda-month-4 = April
agenda-month-5 = May
agenda-month-6 = June
agenda-month-7 = July
agenda-month-8 = August
agenda-month-9 = September
agenda-month-10 = October
agenda-month-11 = November
agenda-month-12 = December

## date: how a day and a month are written; the words come from agenda.weekday and agenda.month

date-day = { $weekday } { $day } { $month } { $year }
date-month_year = { $month } { $year }
# A day and a time: "lun. 4 mai 2026, 08:00".
date-day_time = { $day }, { $time }
# From one date or time to another.
date-range = { $from } – { $to }
