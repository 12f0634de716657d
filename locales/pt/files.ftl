## flash.files

flash-files-uploaded = Files uploaded.
flash-files-folder_created = Folder created.
flash-files-renamed = Renamed.
flash-files-moved = Moved.
flash-files-deleted = Moved to the trash. You can restore it from the trash for 30 days.
flash-files-restored = Restored to where it was.

## files

files-error_name = This name is not allowed: no / \ : * ? " < > |, no control or invisible characters, not . or .., not ending with a dot or a space.
files-error_exists = A file or folder with this name already exists here (names differing only in capitals count as the same).
files-error_not_folder = This is not a folder.
files-error_quota = There is not enough space left in your quota for this.
files-error_incomplete = The upload was interrupted. Nothing was saved; please send the file again.
files-error_no_file = Choose at least one file to send.
files-error_space_root = A whole space cannot be renamed, moved or deleted.
files-error_other_space = You can only move to a folder of the same space. For another space, download the file and upload it there.
files-error_into_itself = A folder cannot be moved into itself.
files-error_restore_exists = Cannot restore: a file or folder now has this name in that place. Rename or move it, then try again.
files-title = My documents
files-my_documents = My documents
files-quota_label = Space used
files-usage = Your personal space: { $used } used of { $quota }.
files-kind_personal = Personal space
files-kind_class = Class
files-kind_staff = Staff room
files-can_write = read and write
files-can_read = read only
files-open_trash = Trash
files-breadcrumbs = Path
files-read_only = You can view and download these documents, but not change them.
files-upload_label = Upload files (several at once if you like)
files-upload = Upload
files-new_folder = New folder
files-create = Create
files-up = Parent folder
files-empty = This folder is empty.
files-actions = Actions
files-new_name = New name
files-rename = Rename
files-move_to = Move to folder
files-move = Move
files-delete = Move to trash
files-download = Download
files-trash_title = Trash
files-trash_intro = Deleted items stay here for { $days } days, then are erased for good. They do not count in your quota.
files-trash_empty = The trash is empty.
files-deleted_on = deleted on { $date }
files-restore = Restore
