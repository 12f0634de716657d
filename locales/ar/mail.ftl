## flash.mail

flash-mail-sent = Message sent.
flash-mail-deleted = Message deleted.

## flash.mail_admin

flash-mail_admin-retrying = The queue is being tried now; reload the page in a moment.
flash-mail_admin-deleted = The message was deleted from the queue.

## mail

mail-bounce_subject = Undelivered: { $subject }
mail-bounce_text = This is the school's mail server. Your message could not be delivered to { $recipient }, and it will not be tried again. The reason the other server gave is below; the headers of your message follow.
mail-error_bad_address = This is not a valid address.
mail-error_unknown = No one at this school has this address.
mail-error_list_not_allowed = Only the class's teachers and the office may write to a class list.
mail-error_relay_denied = Sign in to send mail outside the school.
mail-error_outside_not_allowed = Your account may not send mail outside the school.
mail-error_no_relay = This school cannot send mail outside yet (no relay is set up).
mail-title = Mail
mail-inbox = Inbox
mail-sent = Sent
mail-write = Write a message
mail-unread = unread
mail-unread_count =
    { $n ->
        [one] { $n } unread
       *[other] { $n } unread
    }
mail-has_attachments = Attachments
mail-no_subject = (no subject)
mail-to_prefix = To:
mail-empty_inbox = No messages yet.
mail-empty_sent = You have not sent any message yet.
mail-newer = ← Newer
mail-older = Older →
mail-from = From
mail-to = To
mail-cc = Cc
mail-date = Date
mail-attachments = Attachments
mail-reply = Reply
mail-delete = Delete
mail-back_inbox = Back to the inbox
mail-back_sent = Back to sent messages
mail-compose_title = New message
mail-recipient_n = Recipient { $n }
mail-to_hint = Start typing a name or an address and pick it from the suggestions. One recipient per box, or several in one box separated by commas. Empty boxes are ignored.
mail-subject = Subject
mail-body = Message
mail-attach_label = Attach files (several at once if you like)
mail-attach_hint = The whole message, attachments included, may not be larger than { $size }. Attached files grow by about a third when sent.
mail-send = Send
mail-quote_header = On { $date }, { $name } wrote:
mail-class_list = Class { $class }: the whole class (pupils and teachers)
mail-error_no_recipients = Add at least one recipient.
mail-error_too_big = This message is too large: { $size } at most, attachments included. Nothing was sent.
mail-error_too_many = Too many recipients: { $count } at most per message. Write to a class list, or send several messages.
mail-error_subject_long = The subject is too long (250 characters at most).
mail-error_address = Recipient concerned: { $address }
mail-attach_again = Attachments are not kept when a message is refused: choose the files again before sending.

## mail_settings

mail_settings-error_relay_host = The relay host must be a DNS name or an IP address.
mail_settings-error_relay_port = The relay port must be between 1 and 65535.
mail_settings-error_max_size = The largest message must be between 64 KiB and 100 MiB.
mail_settings-error_retry = Retry delays must be at least one second, the first no longer than the longest, and giving up later than the first retry.

## mail_admin

mail_admin-title = Mail
mail_admin-queue = Mail waiting to leave the school
mail_admin-queue_count =
    { $n ->
        [one] { $n } message waiting for the relay.
       *[other] { $n } messages waiting for the relay.
    }
mail_admin-queue_empty = No mail is waiting: everything sent outside the school has left.
mail_admin-retry_all = Try them all now
mail_admin-retry = Try now
mail_admin-delete = Delete
mail_admin-queued_at = Since
mail_admin-from_to = From → to
mail_admin-subject = Subject
mail_admin-attempts = Tries
mail_admin-next = next try { $when }
mail_admin-last_error = Last answer
mail_admin-settings = Mail rules and relay
mail_admin-domain_hint = Every account's address is name@{ $domain } (the domain is set on the settings page); a class's list is classe+class@{ $domain }.
mail_admin-class_lists = Who may write to a class's list
mail_admin-class_lists_teachers = Its teachers and the office
mail_admin-class_lists_members = Its teachers, the office and its pupils
mail_admin-pupils_outside = Pupils may send mail outside the school
mail_admin-max_size = Largest message (MiB)
mail_admin-relay = Relay for mail outside the school
mail_admin-relay_hint = Mail for other domains leaves through this server (your internet provider's, usually). Left empty, mail cannot leave the school.
mail_admin-relay_host = Relay server
mail_admin-relay_port = Port
mail_admin-relay_tls = Security
mail_admin-tls_starttls = STARTTLS (usually port 587)
mail_admin-tls_tls = TLS (usually port 465)
mail_admin-tls_none = None (only a relay on the school's own network)
mail_admin-relay_user = User name (if the relay asks for one)
mail_admin-relay_password = Password
mail_admin-password_kept = unchanged
mail_admin-clear_password = Remove the saved password
mail_admin-retries = When the link is down
mail_admin-retry_first = First retry after (minutes)
mail_admin-retry_max = Longest wait between retries (minutes)
mail_admin-give_up = Give up and tell the sender after (days)
mail_admin-error_number = Enter whole numbers, and choose from the lists.
