## common

common-save = Save
common-cancel = Cancel
# A size in bytes: $n is already written with the decimal mark below.
common-size = { $n } { $unit ->
        [kb] KB
        [mb] MB
        [gb] GB
        [tb] TB
       *[b] B
    }
# Between the items of a list: "6e A, 5e B".
common-list_separator = {", "}
common-decimal_mark = .

## nav

nav-label = Main menu
nav-dashboard = Home
nav-admin = Administration
nav-logout = Log out
nav-languages = Languages
nav-ca = Trust this server's certificate

## role

role-admin = Administrator
role-staff = School office
role-teacher = Teacher
role-pupil = Pupil
role-parent = Parent

## role_plural

role_plural-admin = Administrators
role_plural-staff = Office staff
role_plural-teacher = Teachers
role_plural-pupil = Pupils
role_plural-parent = Parents

## login

login-title = Log in
login-username = Username
login-password = Password
login-submit = Log in
login-forgot = Forgotten your password? Ask your teacher or the school office for a new one.

## password

password-title = Change your password
password-forced = Welcome! Before you start, choose your own password to replace the one you were given.
password-current = Current password
password-new = New password
password-confirm = New password again
password-rules = At least 8 characters, and not your username. A short sentence is easy to remember.
password-submit = Change password

## dashboard

dashboard-title = Home
dashboard-hello = Hello, { $name }
dashboard-services = Services
dashboard-profile = My account
dashboard-my_classes = My class
dashboard-teachers = Teachers
dashboard-teaching = Classes I teach
dashboard-pupil_count = { $n } pupils
dashboard-children = My children
dashboard-school = The school

## profile

profile-title = My account
profile-username = Username
profile-name = Name
profile-role = Role
profile-change_password = Change my password
profile-language = Language
profile-language_default = The school's language

## ca

ca-title = Trust this server
ca-why = The school's server uses its own security certificate. Install it once on each computer or phone, and your browser will connect securely without warnings.
ca-download = Download the certificate
ca-windows = Open the downloaded file, choose “Install certificate”, then “Local machine”, and place it in “Trusted Root Certification Authorities”.
ca-macos = Open the downloaded file: Keychain Access adds it. Double-click it in the “System” keychain, open “Trust” and choose “Always Trust”.
ca-linux = Copy the file to /usr/local/share/ca-certificates/cartable.crt and run “sudo update-ca-certificates”. In Firefox: Settings, Certificates, Import.
ca-android = Open Settings, Security, Encryption and credentials, Install a certificate, CA certificate, and pick the downloaded file.
ca-ios = Open the downloaded file and install the profile in Settings. Then go to Settings, General, About, Certificate Trust Settings and turn on full trust for it.

## flash

flash-saved = Saved.
flash-password_changed = Your password has been changed.

## error

error-title = Something is not right
error-back_home = Back to the home page
error-login_required = Please log in first.
error-forbidden = You are not allowed to see this page or do this.
error-not_found = This page does not exist.
error-method_not_allowed = This address does not accept this kind of request.
error-csrf = This form has expired or did not come from this site. Go back, reload the page and try again.
error-too_large = What you sent is too large (the limit is { $limit } KiB).
error-internal = Something went wrong on the server. Nothing was changed. Please try again; if it happens again, tell the school office.
error-bad_form = The form was not filled in correctly. Please check it and try again.
error-bad_query = This address is not valid.
error-login_invalid = Unknown username or wrong password.
error-login_throttled = Too many failed attempts. Please wait { $minutes } minutes and try again.
error-login_throttled_short = Too many failed attempts. Please wait a few minutes and try again.
error-password_current_wrong = Your current password is not right.
error-password_mismatch = The two new passwords are not the same.
error-password_unchanged = The new password must be different from the current one.
error-password_too_short = The password must have at least 8 characters.
error-password_too_long = The password is too long (200 characters at most).
error-password_contains_username = The password must not contain your username.
error-username_taken = This username is already taken.
error-username_invalid = A username has 2 to 32 characters: lowercase letters without accents, digits, dots, dashes or underscores.
error-name_missing = A name is required.
error-name_too_long = This name is too long.
error-class_exists = A class with this name already exists for this school year.
error-wrong_role = This account does not have the right role for that.

## clock

clock-unsynced = The system clock is not synchronised: logins to other applications may fail if the time is wrong. Check the box's network time (NTP).
clock-unknown = Whether the system clock is synchronised is unknown.
clock-synced = synchronised
clock-behind = The system clock is behind the last recorded event: the time is wrong, and logins to other applications will fail until it is set.
clock-label = Clock
