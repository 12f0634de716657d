## flash.apps_admin

flash-apps_admin-saved = Application enregistrée.
flash-apps_admin-removed = Application supprimée.

## apps

apps-error_not_found = Cette application n'existe pas.
apps-error_denied = Vous ne pouvez pas faire cela avec les applications.
apps-error_name = Donnez à l'application un nom de 1 à 80 caractères.
apps-error_protocol = Choisissez comment l'application connecte les personnes : OpenID Connect, CAS ou derrière le portail.
apps-error_preset = Modèle inconnu.
apps-error_slug = Le nom court ne peut contenir que des minuscules, des chiffres et des tirets (40 au plus).
apps-error_slug_taken = Une autre application a déjà ce nom court.
apps-error_launch_url = L'adresse de lancement doit être une adresse complète en http:// ou https://.
apps-error_logout_url = L'adresse de déconnexion doit être une adresse complète en http:// ou https://.
apps-error_backchannel_url = L'adresse de déconnexion back-channel doit être une adresse complète en http:// ou https://.
apps-error_internal_url = Une application derrière le portail a besoin de son adresse interne en http:// ou https://.
apps-error_redirect_uri = Chaque URI de redirection doit être une adresse complète en http:// ou https://, sans #.
apps-error_post_logout_uri = Chaque adresse après déconnexion doit être une adresse complète en http:// ou https://, sans #.
apps-error_service = Chaque adresse de service CAS doit être une adresse complète en http:// ou https://, sans #.
apps-error_no_redirect_uri = Une application OpenID Connect a besoin d'au moins une URI de redirection.
apps-error_no_service = Une application CAS a besoin d'au moins une adresse de service.
apps-error_class = Une des classes choisies n'existe pas.
apps-error_no_secret = Seules les applications OpenID Connect ont un secret client.

## oidc

oidc-error_bad_request = Cette demande de connexion venue d'une application est mal formée. Revenez à l'application et réessayez.
oidc-error_repeated = Cette demande de connexion venue d'une application répète un paramètre. Prévenez l'administrateur de l'application.
oidc-error_unknown_client = Cette application n'est pas enregistrée dans Cartable. Prévenez l'administrateur de l'établissement.
oidc-error_redirect_uri = Cette application demande à vous renvoyer vers une adresse qui n'est pas enregistrée pour elle. Prévenez l'administrateur de l'établissement.
oidc-error_app_disabled = Cette application est désactivée pour le moment. Demandez à l'administrateur de l'établissement.
oidc-error_not_allowed = Votre compte ne peut pas utiliser cette application. Si vous pensez que c'est une erreur, demandez à l'administrateur de l'établissement.
oidc-error_hint = Cette demande de déconnexion porte un jeton que Cartable n'a pas émis, ou nomme une autre application.
oidc-error_post_logout_uri = Cette application demande à vous renvoyer, après la déconnexion, vers une adresse qui n'est pas enregistrée pour elle. Vous êtes toujours connecté.
oidc-logout_title = Se déconnecter
oidc-logout_question = Une application demande à vous déconnecter de Cartable. Se déconnecter maintenant ?
oidc-logout_question_app = { $app } demande à vous déconnecter de Cartable. Se déconnecter maintenant ?
oidc-logout_confirm = Se déconnecter
oidc-logout_cancel = Rester connecté

## cas

cas-error_title = Connexion impossible à cette application
cas-error_service = Cartable ne connaît pas l'application qui vous a envoyé ici : il ne lui transmettra pas votre connexion. Si vous avez suivi un lien, signalez au secrétariat où vous l'avez trouvé.
cas-not_allowed = Votre compte ne peut pas utiliser { $app }. Si vous pensez que c'est une erreur, adressez-vous au secrétariat.
cas-busy = Trop de connexions en ce moment. Attendez une minute et réessayez.
cas-back_home = Retour au portail
cas-logged_out_title = Déconnexion effectuée
cas-logged_out = Votre session Cartable est terminée, ainsi que celles des applications qu'elle avait ouvertes.
cas-lingering = Ces applications gardent leur propre session : déconnectez-vous aussi de chacune, surtout sur un ordinateur partagé.
cas-login_again = Se reconnecter

## apps_admin

apps_admin-title = Applications
apps_admin-intro = Les applications qui connectent les personnes avec leur compte Cartable (OpenID Connect ou CAS), ou que le portail leur ouvre. La page d'accueil de chacun montre celles qu'il peut utiliser.
apps_admin-add = Ajouter une application
apps_admin-none = Aucune application pour l'instant.
apps_admin-name = Nom
apps_admin-slug = Nom court (identifiant client)
apps_admin-slug_hint = Lettres minuscules, chiffres et tirets ; tiré du nom s'il est laissé vide. Il ne change plus ensuite.
apps_admin-icon = Icône (un emoji ou quelques lettres)
apps_admin-protocol = Mode de connexion
apps_admin-who = Qui peut l'utiliser
apps_admin-nobody = personne pour l'instant
apps_admin-disabled_tag = désactivée
apps_admin-preset = Modèle
apps_admin-preset_generic = Autre application
apps_admin-base = Adresse de l'application
apps_admin-fill = Remplir les valeurs habituelles
apps_admin-preset_hint = Choisissez l'application et tapez son adresse, puis remplissez : les adresses habituelles ci-dessous sont remplies, à vérifier.
apps_admin-launch_url = Adresse de lancement (où mène sa tuile)
apps_admin-redirect_uris = URI de redirection (OpenID Connect), une par ligne
apps_admin-post_logout_uris = Adresses permises après la déconnexion, une par ligne
apps_admin-cas_services = Adresses de service CAS (préfixes), une par ligne
apps_admin-uris_hint = Des adresses complètes en http:// ou https://. Les URI de redirection doivent correspondre exactement.
apps_admin-logout_url = Adresse de déconnexion de l'application
apps_admin-backchannel_logout_url = Adresse de déconnexion en arrière-plan (back-channel)
apps_admin-internal_url = Adresse interne (derrière le portail seulement)
apps_admin-internal_hint = Pour une application derrière le portail : l'adresse sur le réseau de l'école vers laquelle le portail transmet, par exemple http://127.0.0.1:8080/.
apps_admin-roles = Rôles autorisés
apps_admin-classes = Seulement ces classes
apps_admin-classes_hint = Aucune cochée : toutes les classes. Cochées : seulement les élèves, enseignants et parents de ces classes.
apps_admin-claims = Ce que l'application apprend
apps_admin-public = Client public : pas de secret, PKCE obligatoire (applis sur téléphone, pages uniques)
apps_admin-disabled = Désactivée : personne ne peut l'utiliser
apps_admin-new_title = Nouvelle application
apps_admin-create = Ajouter l'application
apps_admin-edit_title = Réglages
apps_admin-secret_title = Le secret client
apps_admin-secret_once = Copiez-le dans l'application maintenant : il n'est montré que cette fois et ne pourra plus être affiché.
apps_admin-secret_hidden = conservé haché, plus jamais affiché
apps_admin-public_no_secret = aucun (client public)
apps_admin-secret_new = Créer un nouveau secret client
apps_admin-secret_hint = L'ancien secret cesse aussitôt de fonctionner : collez le nouveau dans l'application tout de suite.
apps_admin-ca_link = Faire confiance à l'autorité de certification (AC) de l'école
apps_admin-remove_title = Supprimer
apps_admin-remove_hint = L'application ne pourra plus connecter personne par Cartable.
apps_admin-remove = Supprimer l'application
apps_admin-error_base = Tapez l'adresse complète de l'application (http:// ou https://) pour remplir les valeurs du modèle.
apps_admin-my_apps = Mes applications
apps_admin-proxy_down = Cette application ne répond pas pour le moment. Réessayez plus tard, ou prévenez l'administrateur de l'école.

## apps_admin.protocols

apps_admin-protocols-oidc = OpenID Connect
apps_admin-protocols-cas = CAS
apps_admin-protocols-proxy = Derrière le portail (sans connexion propre)

## apps_admin.profiles

apps_admin-profiles-standard = Standard (noms OpenID Connect, rôles et groupes)
apps_admin-profiles-ent_fr = Standard et les noms de l'ENT français (ENTPersonProfils, ENTClasse…)

## apps_admin.pastes

apps_admin-pastes-title = À saisir dans l'application
apps_admin-pastes-issuer = Émetteur (issuer)
apps_admin-pastes-discovery_url = Adresse de découverte
apps_admin-pastes-client_id = Identifiant client
apps_admin-pastes-client_secret = Secret client
apps_admin-pastes-cas_base_url = Adresse du serveur CAS
apps_admin-pastes-address = Son adresse sur le portail
apps_admin-pastes-ca_certificate = L'autorité de certification de l'école
