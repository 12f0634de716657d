## flash.forum

flash-forum-edited = Message changed.
flash-forum-post_deleted = Message deleted.
flash-forum-reported = Thank you: the moderators have been told.
flash-forum-pinned = The topic is pinned.
flash-forum-unpinned = The topic is no longer pinned.
flash-forum-locked = The topic is locked.
flash-forum-unlocked = The topic is open again.
flash-forum-topic_hidden = The topic is hidden from readers.
flash-forum-topic_shown = The topic is visible again.
flash-forum-moved = The topic has been moved.
flash-forum-topic_deleted = The topic has been deleted.
flash-forum-post_hidden = The message is hidden from readers.
flash-forum-post_shown = The message is visible again.
flash-forum-post_removed = The message has been deleted.
flash-forum-report_dismissed = The report is closed.
flash-forum-muted = The pupil is muted in this category.
flash-forum-unmuted = The mute is lifted.
flash-forum-category_created = The category has been added.

## forum

forum-title = Forum
forum-cat_school = Whole school
forum-cat_staff = Staff room
forum-error_not_found = This topic or message does not exist, or you cannot see it.
forum-error_denied = You are not allowed to do this in the forum.
forum-error_title_empty = Give your topic a title.
forum-error_title_long = The title is too long (150 characters at most).
forum-error_body_empty = Write a message first.
forum-error_body_long = The message is too long (20,000 characters at most). Shorten it, or split it into several messages.
forum-error_locked = This topic is locked: no one can reply any more.
forum-error_muted = A moderator has muted you in this category until { $until }. You can still read it.
forum-error_too_fast = You are posting too fast. Wait { $secs } seconds, then send again: your text is kept below.
forum-error_too_late = The time to delete this message has passed. You can still edit it, or ask a moderator.
forum-error_category_name = A category's name has 1 to 80 characters.
forum-error_no_roles = Tick at least one role that will see this category.
forum-error_mute_target = No pupil has this username. Only pupils can be muted.
forum-mail_mention_subject = { $actor } mentioned you in “{ $topic }”
forum-mail_mention_body =
    { $actor } mentioned you in the forum topic “{ $topic }”.

    Read it: { $link }

    (Sent by the school portal's forum.)
forum-mail_reply_subject = New reply to “{ $topic }”
forum-mail_reply_body =
    { $actor } replied to your forum topic “{ $topic }”.

    Read it: { $link }

    (Sent by the school portal's forum.)
forum-notices = For you
forum-notice_mention = { $actor } mentioned you in “{ $topic }”
forum-notice_reply = { $actor } replied to your topic “{ $topic }”
forum-notices_count =
    { $n ->
        [one] { $n } new
       *[other] { $n } new
    }
forum-search = Search
forum-search_label = Search the forum
forum-search_title = Search the forum
forum-no_hits = No message matches this search.
forum-moderation = Reported messages
forum-topics =
    { $n ->
        [one] { $n } topic
       *[other] { $n } topics
    }
forum-unread_topics = { $n } unread
forum-last_post = last message { $when }
forum-new_topic = New topic
forum-muted_notice = A moderator has muted you here until { $until }: you can read, but not write.
forum-pinned_mark = Pinned
forum-locked_mark = Locked
forum-hidden_mark = Hidden
forum-hidden_post_mark = Hidden from readers
forum-new = new
forum-unread_posts = { $n } unread
forum-gone = (former account)
forum-replies =
    { $n ->
        [one] { $n } reply
       *[other] { $n } replies
    }
forum-no_topics = No topic here yet.
forum-newer = ← More recent
forum-older = Older →
forum-mute_title = Mute a pupil
forum-mute_hint = A muted pupil still reads this category but cannot write in it until the time is up.
forum-mute_username = Pupil's username
forum-mute_duration = For
forum-mute_hour = 1 hour
forum-mute_day = 1 day
forum-mute_week = 1 week
forum-mute_lift = Lift the mute
forum-mute = Apply
forum-topic_title = Title
forum-body = Message
forum-markdown_help = Formatting: **bold**, *italics*, `code`, a line starting with - for a list, > to quote, [text](https://…) for a link; @username lets someone know.
forum-send = Send
forum-preview = Preview
forum-preview_title = Preview (not sent yet)
forum-edit_title = Edit your message
forum-edit_hint = The earlier text stays visible in the message's history.
forum-locked_notice = This topic is locked: no one can reply any more.
forum-locked_moderator = This topic is locked: only moderators can still write.
forum-history_title = Earlier versions
forum-history_intro = A message by { $author }, newest version first.
forum-version_current = Current version
forum-version_of = Version of { $when }
forum-history_none = This message has not been edited.
forum-reported_by = Reported by { $who }, { $when }
forum-dismiss = Nothing wrong
forum-show = Show
forum-hide = Hide
forum-delete = Delete
forum-no_reports = No message is waiting for a moderator.
forum-new_posts = New since your last visit
forum-edited_mark = edited
forum-post_deleted_line = This message was deleted.
forum-post_hidden_line = This message was hidden by a moderator.
forum-quote = Quote
forum-edit = Edit
forum-delete_own = Delete
forum-report = Report
forum-report_reason = Why? (optional)
forum-report_send = Tell the moderators
forum-report_title = Report a message
forum-report_intro = The moderators will see this message and your reason. Its author is not told who reported it.
forum-report_cancel = Back to the topic
forum-reply = Reply
forum-moderate_topic = Moderation
forum-pin = Pin
forum-unpin = Unpin
forum-lock = Lock
forum-unlock = Unlock
forum-hide_topic = Hide the topic
forum-show_topic = Show the topic
forum-move_to = Move to
forum-move = Move
forum-delete_topic = Delete the topic…
forum-delete_topic_warning = The topic and all its messages will be deleted for good.
forum-delete_topic_confirm = Delete for good
forum-pages = Pages
forum-prev_page = ← Previous page
forum-next_page = Next page →
forum-page_of = Page { $n } of { $total }
forum-admin_title = Forum categories
forum-admin_intro = The whole school, the staff room and each class have their own category already. Add one here for the people you choose (parents only, say).
forum-admin_custom = Added categories
forum-admin_none = None yet.
forum-admin_add = Add a category
forum-category_name = Name
forum-category_description = Description
forum-category_roles = Who sees it
forum-admin_roles_hint = Administrators see every category.
forum-admin_create = Add the category
