## The offline library (issue #18): library_admin

library_admin-title = Offline library
library_admin-intro = The encyclopaedias, dictionaries and books (Kiwix ZIM files) the school reads without the internet. Choose who reads each one; pupils and parents see a collection only once you open it to them.
library_admin-installed =
    { $n ->
        [0] No collection installed
        [one] One collection installed
       *[other] { $n } collections installed
    }
library_admin-none = Add a collection in one of the three ways described at the bottom of this page.
library_admin-missing = File missing: re-add it.
library_admin-missing_hint = Backups keep the list of collections but not their files. Put the file back (command line, USB disk or the staff share's Library folder): its audience is kept. Expected at { $file }.
library_admin-language = Language
library_admin-articles = Articles
library_admin-size = Size
library_admin-date = Date
library_admin-creator = Creator
library_admin-source = Added from
library_admin-source-cli = command line
library_admin-source-webdav = staff share
library_admin-source-usb = USB disk
library_admin-index = Full-text search
library_admin-index-pending = waiting to be indexed (titles only until then)
library_admin-index-building = indexing: { $done } of { $total } articles (titles only until then)
library_admin-index-ready = ready
library_admin-index-failed = indexing failed (titles only)
library_admin-audience = Who reads it
library_admin-audience-school = Whole school
library_admin-audience-staff = Staff only
library_admin-audience-classes = Chosen classes
library_admin-classes = This year's classes
library_admin-audience_hint = Staff always read every collection. "Chosen classes" means those classes' pupils and their parents.
library_admin-save_audience = Save
library_admin-remove = Remove…
library_admin-refused_title = Files found and refused
library_admin-file = File
library_admin-found_in = Found in
library_admin-reason = Reason
library_admin-seen = Seen
library_admin-refused_hint = A refused file stays listed until it is fixed, replaced or deleted.
library_admin-refused_none = No file refused.
library_admin-refused-unreadable = The file cannot be read (a disk or permission error).
library_admin-refused-not_zim = This is not a Kiwix collection (ZIM file).
library_admin-refused-split_name = The first part of a split collection must end in .zimaa.
library_admin-refused-version = This version of the ZIM format is not supported (versions 5 and 6 are).
library_admin-refused-compression = The collection uses an old compression that is not supported: download a newer copy.
library_admin-refused-too_large = A part of the collection is larger than the server accepts.
library_admin-refused-corrupt = The file is damaged or incomplete: copy it again.
library_admin-refused-already = This collection is already installed.
library_admin-refused-place = The file could not be put in the library (is the disk full?).
library_admin-refused-removed = An admin removed this collection: scans leave it out.
library_admin-refused-other = Refused.
library_admin-readmit = Add it again
library_admin-not_removed = This file is not a removed collection.
library_admin-detail = Detail
library_admin-scan_title = Looking for new files
library_admin-scanning = A scan is running (a copy from a USB disk can take a long time).
library_admin-last_scan =
    Last scan: { $at }, { $n ->
        [0] nothing added
        [one] one collection added
       *[other] { $n } collections added
    }.
library_admin-waiting = Still being copied, added at a later scan:
library_admin-scan_now = Scan now
library_admin-how_title = How to add a collection
library_admin-how_staff = Copy the .zim file into a folder named Library at the top of the staff share (WebDAV or Documents). It is added within a few minutes without being copied a second time.
library_admin-how_usb = Plug in a USB disk with a folder named library (or kiwix) at its root: the box mounts it, read-only, and copies its files onto the server within seconds; pull it out once this page lists them. (On a server installed by hand, mount the disk under /media or /mnt.)
library_admin-how_cli = Or, over SSH:
library_admin-how_audience = A collection found in a folder or on a disk is first for the staff only: open it here to the school or to classes.
library_admin-remove_title = Remove a collection
library_admin-remove_confirm = Remove "{ $title }" from the library? Its file ({ $size }) and its search index are deleted from the server.
library_admin-remove_twins = The same file in the staff share is deleted too (otherwise no space would be freed and the next scan would add it again):
library_admin-remove_hint = Links to its articles in the homework book, the forum or mail will stop working.
library_admin-remove_yes = Remove
library_admin-cancel = Cancel
library_admin-bad_audience = Choose who reads the collection: the whole school, the staff, or at least one of this year's classes.

## flash.library_admin

flash-library_admin-audience_saved = The audience is saved.
flash-library_admin-no_class = Tick at least one class for "Chosen classes"; nothing was changed.
flash-library_admin-removed = The collection has been removed.
flash-library_admin-scanned = Scan finished.
flash-library_admin-scan_running = The scan goes on in the background; reload this page in a while.

## audit_action

audit_action-manage_library = Library collection changed
