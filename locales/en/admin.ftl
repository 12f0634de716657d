## admin

admin-title = Administration
admin-users = Accounts
admin-classes = Classes
admin-import = Import a class list
admin-audit = Audit log
admin-settings = School settings

## flash.admin

flash-admin-link_added = The link was added.
flash-admin-link_removed = The link was removed.
flash-admin-class_created = The class was created.
flash-admin-member_added = Added to the class.
flash-admin-member_removed = Removed from the class.
flash-admin-settings_restart = Saved. The new host names reach the security certificate when the server next restarts.

## admin_users

admin_users-new_title = New account
admin_users-search = Name or username
admin_users-role = Role
admin_users-all_roles = All roles
admin_users-find = Find
admin_users-name = Name
admin_users-username = Username
admin_users-status = Status
admin_users-status_disabled = disabled
admin_users-status_no_password = no password yet
admin_users-status_must_change = temporary password
admin_users-none_found = No account matches.
admin_users-previous = ← Previous page
admin_users-next = Next page →
admin_users-first_name = First name
admin_users-last_name = Last name
admin_users-username_hint = Leave empty to make one from the names (first.last). Lowercase letters without accents, digits, dots, dashes or underscores.
admin_users-language = Language
admin_users-class = Class
admin_users-no_class = No class
admin_users-class_hint = Only for a pupil (the class they are in) or a teacher (a class they teach).
admin_users-password_hint = A one-time password is made and shown once on the next page; it must be changed at the first login.
admin_users-create = Create the account
admin_users-error_role = Choose a role from the list.
admin_users-error_class_role = Only pupils and teachers belong to a class: choose “No class” for this role.
admin_users-error_language = Choose a language from the list.
admin_users-error_own_account = You cannot disable your own account or change your own role. Ask another administrator.
admin_users-error_unknown_username = There is no account with this username.
admin_users-created_at = created
admin_users-edit_title = Account details
admin_users-disabled = Account disabled (cannot log in)
admin_users-disabled_hint = Disabling an account logs it out everywhere at once. Nothing is deleted.
admin_users-self_hint = This is your own account: you cannot disable it or change its role.
admin_users-password_title = Password
admin_users-reset_hint = Makes a new one-time password and shows it once. The old password stops working, the account is logged out everywhere, and a new password must be chosen at the next login.
admin_users-reset_button = Reset password
admin_users-reset_not_allowed = You may not reset this account's password.
admin_users-no_classes = In no class.
admin_users-parents = Parents
admin_users-children = Children
admin_users-unlink = Remove the link
admin_users-no_links = No links yet.
admin_users-add_parent = Add a parent (their username)
admin_users-add_child = Add a child (their username)
admin_users-link = Link
admin_users-created_title = Account created
admin_users-reset_title = New password
admin_users-shown_once = Write down or print this password now: it is shown only this once. It must be changed at the first login.
admin_users-sessions_ended = The old password no longer works, and the account was logged out everywhere.
admin_users-done = Done

## admin_classes

admin_classes-my_classes = My classes
admin_classes-none_taught = You teach no class yet.
admin_classes-as_pupil = pupil
admin_classes-as_teacher = teacher
admin_classes-name = Class
admin_classes-school_year = School year
admin_classes-none = No class yet.
admin_classes-new_title = New class
admin_classes-create = Create the class
admin_classes-actions = Actions
admin_classes-remove = Remove from the class
admin_classes-no_pupils = No pupil in this class yet.
admin_classes-no_teachers = No teacher for this class yet.
admin_classes-add_title = Add a pupil or a teacher
admin_classes-add = Add
admin_classes-add_hint = A pupil's account joins the class; a teacher's account teaches it.
admin_classes-new_pupil = Or create a new pupil in this class.
admin_classes-error_year = A school year is written as two years in a row, like 2026-2027.

## slips

slips-title = Login slips · { $class }
slips-form_title = Login slips
slips-warning = Printing the slips gives each pupil a new password: their current password stops working, and they choose their own at the next login.
slips-only_some = Only for some pupils
slips-pick_hint = Tick the pupils who need a slip (none ticked: every pupil of the class).
slips-button = Print login slips
slips-no_pupils = No pupil to print a slip for.
slips-shown_once = { $n } new passwords: they are shown only on this page. Print it now.
slips-print_hint = Print this page (Ctrl+P) and cut along the dotted lines: only the slips are printed.
slips-address = Address
slips-username = Username
slips-password = Password
slips-instruction = Go to this address, log in with this username and password, then choose your own password.
slips-error_none = There is no pupil to print a slip for (disabled accounts get none).
slips-error_changed = The class changed meanwhile (a pupil left it or was disabled). No password was changed: try again.

## audit

audit-when = When
audit-who = Who
audit-what = Action
audit-target = Concerns
audit-detail = Detail
audit-empty = Nothing recorded yet.
audit-newer = ← Newer
audit-older = Older →

## audit_action

audit_action-create_account = Account created
audit_action-edit_account = Account changed
audit_action-reset_password = Password reset
audit_action-disable_account = Account disabled
audit_action-enable_account = Account enabled
audit_action-manage_classes = Classes changed
audit_action-print_slips = Login slips printed
audit_action-manage_parent_links = Family link changed
audit_action-import_accounts = Class list imported
audit_action-edit_settings = Settings changed
audit_action-manage_mail_queue = Mail queue changed
audit_action-moderate_forum = Forum moderated
audit_action-manage_forum_categories = Forum category added
audit_action-delete_news = News item deleted
audit_action-delete_event = Agenda event deleted
audit_action-delete_book_entry = Homework book entry deleted
audit_action-review_absences = Absence reviewed

## settings_page

settings_page-quota_dropbox = Each pupil's hand-ins for one assignment
settings_page-quotas = Storage quotas
settings_page-quotas_hint = In MiB (1024 MiB = 1 GiB), the same for the portal and for network drives. Files in the trash do not count.
settings_page-quota_invalid = A quota must be a whole number of MiB, at most 1048576.
settings_page-blog_images = Photos in blogs
settings_page-image_px = Longest side of a photo, in pixels
settings_page-image_px_hint = Larger photos are made smaller when they are uploaded, so that pages stay light on a phone.
settings_page-image_px_invalid = The longest side is a whole number of pixels, from 100 to 12000.
settings_page-quota_admin = Administrators (each)
settings_page-quota_staff = Office staff (each)
settings_page-quota_teacher = Teachers (each)
settings_page-quota_pupil = Pupils (each)
settings_page-quota_parent = Parents (each)
settings_page-quota_shared = Each class space, and the staff room
settings_page-school_name = School name
settings_page-host_names = Host names
settings_page-host_names_hint = The names (or addresses) people type to reach the portal, separated by commas; the first is printed on login slips. A change reaches the security certificate when the server next restarts.
settings_page-mail_domain = Mail domain
settings_page-default_language = Default language
settings_page-language_auto = Each browser's language
settings_page-school_year = School year
settings_page-school_year_hint = Like 2026-2027. New classes are made for this year.
settings_page-error_school_name = The school name must have 1 to 100 characters.
settings_page-error_host_name = “{ $value }” is neither a host name (letters, digits, dashes, dots) nor an IP address.
settings_page-error_no_host_name = Give at least one host name.
settings_page-error_mail_domain = The mail domain must be a domain name, like ecole.example.fr.
settings_page-error_language = Choose a language from the list.
settings_page-error_school_year = A school year is written as two years in a row, like 2026-2027.

## system_page

system_page-title = System
system_page-version = Version
system_page-uptime = Running for
system_page-uptime_value = { $days } days, { $hours } hours
system_page-disk = Disk free / total
system_page-memory = Memory available / total
system_page-accounts = Active accounts
system_page-queue = Mail waiting to leave
system_page-queue_value =
    { $n ->
        [one] { $n } message
       *[other] { $n } messages
    }, the oldest since { $when }
system_page-queue_empty = none
system_page-certificate = Server certificate valid until
system_page-backup = Last backup
system_page-update = Last update
system_page-none = none yet
system_page-backup_overdue = The last backup dates from { $when }: more than 3 days ago. Plug in the USB disk labelled CARTABLE-BK, or ask your maintainer.
system_page-backup_never = No backup has been made yet. Plug in a USB disk labelled CARTABLE-BK: the nightly backup goes there.
system_page-rolled_back = The update to version { $to } ({ $when }) failed its checks and was undone by itself: version { $from } is running, with the data as it was.
system_page-integrity = Database check
system_page-integrity_never = not run yet: it runs after each start
system_page-integrity_running = running since { $when }
system_page-integrity_ok = no damage found ({ $when })
system_page-integrity_problem = DAMAGE FOUND ({ $when })
system_page-integrity_interrupted = cut short ({ $when }): the server stopped first; it runs again at the next start
system_page-integrity_alert = The database check of { $when } found damage. Cartable keeps serving, but ask your maintainer now to restore the last backup made before that date (cartable restore), and keep the older backups: the ones made from now on carry the damage. What was found:
system_page-hint = Maintainers see the same with `cartable status` over SSH.
