## flash.apps_admin

flash-apps_admin-saved = Application saved.
flash-apps_admin-removed = Application removed.

## apps

apps-error_not_found = This application does not exist.
apps-error_denied = You may not do that with applications.
apps-error_name = Give the application a name of 1 to 80 characters.
apps-error_protocol = Choose how the application logs people in: OpenID Connect, CAS, or behind the portal.
apps-error_preset = Unknown preset.
apps-error_slug = The short name may hold only lowercase letters, digits and hyphens (at most 40).
apps-error_slug_taken = Another application already has this short name.
apps-error_launch_url = The launch address must be a full http:// or https:// address.
apps-error_logout_url = The logout address must be a full http:// or https:// address.
apps-error_backchannel_url = The back-channel logout address must be a full http:// or https:// address.
apps-error_internal_url = An application behind the portal needs its internal http:// or https:// address.
apps-error_redirect_uri = Each redirect URI must be a full http:// or https:// address, without #.
apps-error_post_logout_uri = Each address after logout must be a full http:// or https:// address, without #.
apps-error_service = Each CAS service address must be a full http:// or https:// address, without #.
apps-error_no_redirect_uri = An OpenID Connect application needs at least one redirect URI.
apps-error_no_service = A CAS application needs at least one service address.
apps-error_class = One of the chosen classes does not exist.
apps-error_no_secret = Only OpenID Connect applications have a client secret.

## oidc

oidc-error_bad_request = This login request from an application is malformed. Go back to the application and try again.
oidc-error_repeated = This login request from an application repeats a parameter. Tell the application's administrator.
oidc-error_unknown_client = This application is not registered with Cartable. Tell the school's administrator.
oidc-error_redirect_uri = This application asked to send you to an address that is not registered for it. Tell the school's administrator.
oidc-error_app_disabled = This application is switched off for now. Ask the school's administrator.
oidc-error_not_allowed = Your account may not use this application. If you think it should, ask the school's administrator.
oidc-error_hint = This logout request carries a token Cartable did not issue, or names another application.
oidc-error_post_logout_uri = This application asked to send you, after logging out, to an address that is not registered for it. You are still logged in.
oidc-logout_title = Log out
oidc-logout_question = An application asks to log you out of Cartable. Log out now?
oidc-logout_question_app = { $app } asks to log you out of Cartable. Log out now?
oidc-logout_confirm = Log out
oidc-logout_cancel = Stay logged in

## cas

cas-error_title = Cannot log in to this application
cas-error_service = Cartable does not know the application that sent you here, so it will not send your login to it. If you followed a link, tell the school office where you found it.
cas-not_allowed = Your account may not use { $app }. If you think it should, ask the school office.
cas-busy = Too many logins at this moment. Wait a minute and try again.
cas-back_home = Back to the portal
cas-logged_out_title = You are logged out
cas-logged_out = You are logged out of Cartable and of the applications it logged you in to.
cas-lingering = These applications keep their own session: log out of each of them too, above all on a shared computer.
cas-login_again = Log in again

## apps_admin

apps_admin-title = Applications
apps_admin-intro = Applications that log people in with their Cartable account (OpenID Connect or CAS), or that the portal opens for them. Each person's home page shows the ones they may use.
apps_admin-add = Add an application
apps_admin-none = No application yet.
apps_admin-name = Name
apps_admin-slug = Short name (client id)
apps_admin-slug_hint = Lowercase letters, digits and hyphens; made from the name when left empty. It never changes.
apps_admin-icon = Icon (an emoji or a few letters)
apps_admin-protocol = How it logs people in
apps_admin-who = Who may use it
apps_admin-nobody = nobody yet
apps_admin-disabled_tag = disabled
apps_admin-preset = Preset
apps_admin-preset_generic = Other application
apps_admin-base = The application's address
apps_admin-fill = Fill in the usual values
apps_admin-preset_hint = Choose the application and type its address, then fill in: the usual addresses below are filled for you to check.
apps_admin-launch_url = Launch address (where its tile leads)
apps_admin-redirect_uris = Redirect URIs (OpenID Connect), one per line
apps_admin-post_logout_uris = Addresses allowed after logout, one per line
apps_admin-cas_services = CAS service addresses (prefixes), one per line
apps_admin-uris_hint = Full http:// or https:// addresses. Redirect URIs must match exactly.
apps_admin-logout_url = The application's logout address
apps_admin-backchannel_logout_url = Back-channel logout address
apps_admin-internal_url = Internal address (behind the portal only)
apps_admin-internal_hint = For an application behind the portal: the address on the school network the portal forwards to, such as http://127.0.0.1:8080/.
apps_admin-roles = Roles that may use it
apps_admin-classes = Only these classes
apps_admin-classes_hint = None ticked: every class. Ticked: only these classes' pupils, teachers and parents.
apps_admin-claims = What the application learns
apps_admin-public = Public client: no secret, PKCE required (apps on phones, single pages)
apps_admin-disabled = Disabled: nobody may use it
apps_admin-new_title = New application
apps_admin-create = Add the application
apps_admin-edit_title = Settings
apps_admin-secret_title = The client secret
apps_admin-secret_once = Copy it into the application now: it is shown this once only and cannot be shown again.
apps_admin-secret_hidden = kept hashed, never shown again
apps_admin-public_no_secret = none (public client)
apps_admin-secret_new = Make a new client secret
apps_admin-secret_hint = The old secret stops working at once: paste the new one into the application straight away.
apps_admin-ca_link = Trusting the school's certificate authority (CA)
apps_admin-remove_title = Remove
apps_admin-remove_hint = The application can no longer log anyone in through Cartable.
apps_admin-remove = Remove the application
apps_admin-error_base = Type the application's full address (http:// or https://) to fill in the preset's values.
apps_admin-my_apps = My applications
apps_admin-proxy_down = This application does not answer at the moment. Try again later, or tell the school's administrator.

## apps_admin.protocols

apps_admin-protocols-oidc = OpenID Connect
apps_admin-protocols-cas = CAS
apps_admin-protocols-proxy = Behind the portal (no login of its own)

## apps_admin.profiles

apps_admin-profiles-standard = Standard (OpenID Connect names, roles and groups)
apps_admin-profiles-ent_fr = Standard and the French ENT names (ENTPersonProfils, ENTClasse…)

## apps_admin.pastes

apps_admin-pastes-title = What to enter in the application
apps_admin-pastes-issuer = Issuer
apps_admin-pastes-discovery_url = Discovery address
apps_admin-pastes-client_id = Client id
apps_admin-pastes-client_secret = Client secret
apps_admin-pastes-cas_base_url = CAS server address
apps_admin-pastes-address = Its address on the portal
apps_admin-pastes-ca_certificate = The school's certificate authority
