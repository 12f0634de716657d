## common

common-save = Enregistrer
common-cancel = Annuler
# A size in bytes: $n is already written with the decimal mark below.
common-size = { $n } { $unit ->
        [kb] Ko
        [mb] Mo
        [gb] Go
        [tb] To
       *[b] o
    }
# Between the items of a list: "6e A, 5e B".
common-list_separator = {", "}
common-decimal_mark = ,

## nav

nav-label = Menu principal
nav-dashboard = Accueil
nav-admin = Administration
nav-logout = Se déconnecter
nav-languages = Langues
nav-ca = Faire confiance au certificat de ce serveur

## role

role-admin = Administrateur
role-staff = Vie scolaire et secrétariat
role-teacher = Enseignant
role-pupil = Élève
role-parent = Parent

## role_plural

role_plural-admin = Administrateurs
role_plural-staff = Personnels
role_plural-teacher = Enseignants
role_plural-pupil = Élèves
role_plural-parent = Parents

## login

login-title = Connexion
login-username = Identifiant
login-password = Mot de passe
login-submit = Se connecter
login-forgot = Mot de passe oublié ? Demandez-en un nouveau à votre professeur ou au secrétariat.

## password

password-title = Changer votre mot de passe
password-forced = Bienvenue ! Avant de commencer, choisissez votre propre mot de passe pour remplacer celui qui vous a été donné.
password-current = Mot de passe actuel
password-new = Nouveau mot de passe
password-confirm = Nouveau mot de passe (encore)
password-rules = Au moins 8 caractères, et pas votre identifiant. Une petite phrase est facile à retenir.
password-submit = Changer le mot de passe

## dashboard

dashboard-title = Accueil
dashboard-hello = Bonjour, { $name }
dashboard-services = Services
dashboard-profile = Mon compte
dashboard-my_classes = Ma classe
dashboard-teachers = Enseignants
dashboard-teaching = Mes classes
dashboard-pupil_count = { $n } élèves
dashboard-children = Mes enfants
dashboard-school = L'établissement

## profile

profile-title = Mon compte
profile-username = Identifiant
profile-name = Nom
profile-role = Rôle
profile-change_password = Changer mon mot de passe
profile-language = Langue
profile-language_default = La langue de l'établissement

## ca

ca-title = Faire confiance à ce serveur
ca-why = Le serveur de l'établissement utilise son propre certificat de sécurité. Installez-le une fois sur chaque ordinateur ou téléphone : le navigateur se connectera alors de façon sécurisée, sans avertissement.
ca-download = Télécharger le certificat
ca-windows = Ouvrez le fichier téléchargé, choisissez « Installer le certificat », puis « Ordinateur local », et placez-le dans « Autorités de certification racines de confiance ».
ca-macos = Ouvrez le fichier téléchargé : le Trousseau d'accès l'ajoute. Double-cliquez dessus dans le trousseau « Système », ouvrez « Se fier » et choisissez « Toujours approuver ».
ca-linux = Copiez le fichier dans /usr/local/share/ca-certificates/cartable.crt et lancez « sudo update-ca-certificates ». Dans Firefox : Paramètres, Certificats, Importer.
ca-android = Ouvrez Paramètres, Sécurité, Chiffrement et identifiants, Installer un certificat, Certificat CA, et choisissez le fichier téléchargé.
ca-ios = Ouvrez le fichier téléchargé et installez le profil dans Réglages. Puis allez dans Réglages, Général, Informations, Réglages des certificats et activez la confiance totale.

## flash

flash-saved = Enregistré.
flash-password_changed = Votre mot de passe a été changé.

## error

error-title = Quelque chose ne va pas
error-back_home = Retour à l'accueil
error-login_required = Veuillez d'abord vous connecter.
error-forbidden = Vous n'avez pas le droit de voir cette page ou de faire cela.
error-not_found = Cette page n'existe pas.
error-method_not_allowed = Cette adresse n'accepte pas ce type de requête.
error-csrf = Ce formulaire a expiré ou ne vient pas de ce site. Revenez en arrière, rechargez la page et réessayez.
error-too_large = Ce que vous avez envoyé est trop gros (la limite est de { $limit } Kio).
error-internal = Une erreur s'est produite sur le serveur. Rien n'a été modifié. Réessayez ; si cela se reproduit, prévenez le secrétariat.
error-bad_form = Le formulaire n'est pas correctement rempli. Vérifiez-le et réessayez.
error-bad_query = Cette adresse n'est pas valide.
error-login_invalid = Identifiant inconnu ou mot de passe incorrect.
error-login_throttled = Trop d'essais manqués. Attendez { $minutes } minutes puis réessayez.
error-login_throttled_short = Trop d'essais manqués. Attendez quelques minutes puis réessayez.
error-password_current_wrong = Votre mot de passe actuel n'est pas le bon.
error-password_mismatch = Les deux nouveaux mots de passe ne sont pas identiques.
error-password_unchanged = Le nouveau mot de passe doit être différent de l'actuel.
error-password_too_short = Le mot de passe doit faire au moins 8 caractères.
error-password_too_long = Le mot de passe est trop long (200 caractères au plus).
error-password_contains_username = Le mot de passe ne doit pas contenir votre identifiant.
error-username_taken = Cet identifiant est déjà pris.
error-username_invalid = Un identifiant fait de 2 à 32 caractères : lettres minuscules sans accents, chiffres, points, tirets ou soulignés.
error-name_missing = Un nom est obligatoire.
error-name_too_long = Ce nom est trop long.
error-class_exists = Une classe de ce nom existe déjà pour cette année scolaire.
error-wrong_role = Ce compte n'a pas le bon rôle pour cela.

## clock

clock-unsynced = L'horloge du système n'est pas synchronisée : les connexions aux autres applications peuvent échouer si l'heure est fausse. Vérifiez l'heure réseau (NTP) du boîtier.
clock-unknown = On ne sait pas si l'horloge du système est synchronisée.
clock-synced = synchronisée
clock-behind = L'horloge du système est en retard sur le dernier événement enregistré : l'heure est fausse, et les connexions aux autres applications échoueront tant qu'elle n'est pas réglée.
clock-label = Horloge
