## admin

admin-title = Administration
admin-users = Comptes
admin-classes = Classes
admin-import = Importer une liste de classe
admin-audit = Journal d'administration
admin-settings = Paramètres de l'établissement

## flash.admin

flash-admin-link_added = Le lien a été ajouté.
flash-admin-link_removed = Le lien a été retiré.
flash-admin-class_created = La classe a été créée.
flash-admin-member_added = Ajouté à la classe.
flash-admin-member_removed = Retiré de la classe.
flash-admin-settings_restart = Enregistré. Les nouveaux noms d'hôte n'atteindront le certificat de sécurité qu'au prochain redémarrage du serveur.

## admin_users

admin_users-new_title = Nouveau compte
admin_users-search = Nom ou identifiant
admin_users-role = Rôle
admin_users-all_roles = Tous les rôles
admin_users-find = Chercher
admin_users-name = Nom
admin_users-username = Identifiant
admin_users-status = État
admin_users-status_disabled = désactivé
admin_users-status_no_password = pas encore de mot de passe
admin_users-status_must_change = mot de passe provisoire
admin_users-none_found = Aucun compte ne correspond.
admin_users-previous = ← Page précédente
admin_users-next = Page suivante →
admin_users-first_name = Prénom
admin_users-last_name = Nom
admin_users-username_hint = Laissez vide pour le former à partir des noms (prénom.nom). Lettres minuscules sans accents, chiffres, points, tirets ou soulignés.
admin_users-language = Langue
admin_users-class = Classe
admin_users-no_class = Aucune classe
admin_users-class_hint = Seulement pour un élève (sa classe) ou un enseignant (une classe où il enseigne).
admin_users-password_hint = Un mot de passe provisoire est créé et affiché une seule fois sur la page suivante ; il devra être changé à la première connexion.
admin_users-create = Créer le compte
admin_users-error_role = Choisissez un rôle dans la liste.
admin_users-error_class_role = Seuls les élèves et les enseignants appartiennent à une classe : choisissez « Aucune classe » pour ce rôle.
admin_users-error_language = Choisissez une langue dans la liste.
admin_users-error_own_account = Vous ne pouvez ni désactiver votre propre compte ni changer votre propre rôle. Demandez à un autre administrateur.
admin_users-error_unknown_username = Aucun compte n'a cet identifiant.
admin_users-created_at = créé le
admin_users-edit_title = Informations du compte
admin_users-disabled = Compte désactivé (connexion impossible)
admin_users-disabled_hint = Désactiver un compte le déconnecte partout immédiatement. Rien n'est supprimé.
admin_users-self_hint = C'est votre propre compte : vous ne pouvez ni le désactiver ni changer son rôle.
admin_users-password_title = Mot de passe
admin_users-reset_hint = Crée un nouveau mot de passe provisoire, affiché une seule fois. L'ancien ne fonctionne plus, le compte est déconnecté partout, et un nouveau mot de passe devra être choisi à la prochaine connexion.
admin_users-reset_button = Réinitialiser le mot de passe
admin_users-reset_not_allowed = Vous n'avez pas le droit de réinitialiser le mot de passe de ce compte.
admin_users-no_classes = Dans aucune classe.
admin_users-parents = Parents
admin_users-children = Enfants
admin_users-unlink = Retirer le lien
admin_users-no_links = Aucun lien pour l'instant.
admin_users-add_parent = Ajouter un parent (son identifiant)
admin_users-add_child = Ajouter un enfant (son identifiant)
admin_users-link = Lier
admin_users-created_title = Compte créé
admin_users-reset_title = Nouveau mot de passe
admin_users-shown_once = Notez ou imprimez ce mot de passe maintenant : il n'est affiché que cette fois. Il devra être changé à la première connexion.
admin_users-sessions_ended = L'ancien mot de passe ne fonctionne plus et le compte a été déconnecté partout.
admin_users-done = Terminé

## admin_classes

admin_classes-my_classes = Mes classes
admin_classes-none_taught = Vous n'enseignez encore dans aucune classe.
admin_classes-as_pupil = élève
admin_classes-as_teacher = enseignant
admin_classes-name = Classe
admin_classes-school_year = Année scolaire
admin_classes-none = Aucune classe pour l'instant.
admin_classes-new_title = Nouvelle classe
admin_classes-create = Créer la classe
admin_classes-actions = Actions
admin_classes-remove = Retirer de la classe
admin_classes-no_pupils = Aucun élève dans cette classe pour l'instant.
admin_classes-no_teachers = Aucun enseignant pour cette classe pour l'instant.
admin_classes-add_title = Ajouter un élève ou un enseignant
admin_classes-add = Ajouter
admin_classes-add_hint = Le compte d'un élève rejoint la classe ; celui d'un enseignant y enseigne.
admin_classes-new_pupil = Ou créer un nouvel élève dans cette classe.
admin_classes-error_year = Une année scolaire s'écrit avec deux années qui se suivent, comme 2026-2027.

## slips

slips-title = Fiches de connexion · { $class }
slips-form_title = Fiches de connexion
slips-warning = Imprimer les fiches donne un nouveau mot de passe à chaque élève : son mot de passe actuel ne fonctionne plus, et il choisit le sien à la prochaine connexion.
slips-only_some = Seulement pour certains élèves
slips-pick_hint = Cochez les élèves qui ont besoin d'une fiche (aucun coché : tous les élèves de la classe).
slips-button = Imprimer les fiches de connexion
slips-no_pupils = Aucun élève pour qui imprimer une fiche.
slips-shown_once = { $n } nouveaux mots de passe : ils ne sont affichés que sur cette page. Imprimez-la maintenant.
slips-print_hint = Imprimez cette page (Ctrl+P) et découpez le long des pointillés : seules les fiches sont imprimées.
slips-address = Adresse
slips-username = Identifiant
slips-password = Mot de passe
slips-instruction = Allez à cette adresse, connectez-vous avec cet identifiant et ce mot de passe, puis choisissez votre propre mot de passe.
slips-error_none = Aucun élève pour qui imprimer une fiche (les comptes désactivés n'en reçoivent pas).
slips-error_changed = La classe a changé entre-temps (un élève l'a quittée ou a été désactivé). Aucun mot de passe n'a été changé : réessayez.

## audit

audit-when = Quand
audit-who = Qui
audit-what = Action
audit-target = Concerne
audit-detail = Détail
audit-empty = Rien d'enregistré pour l'instant.
audit-newer = ← Plus récent
audit-older = Plus ancien →

## audit_action

audit_action-manage_mail_queue = File d'attente du courriel modifiée
audit_action-create_account = Compte créé
audit_action-edit_account = Compte modifié
audit_action-reset_password = Mot de passe réinitialisé
audit_action-disable_account = Compte désactivé
audit_action-enable_account = Compte réactivé
audit_action-manage_classes = Classes modifiées
audit_action-print_slips = Fiches de connexion imprimées
audit_action-manage_parent_links = Lien familial modifié
audit_action-import_accounts = Liste de classe importée
audit_action-edit_settings = Paramètres modifiés
audit_action-moderate_forum = Forum modéré
audit_action-manage_forum_categories = Catégorie du forum ajoutée
audit_action-delete_news = Actualité supprimée
audit_action-delete_event = Événement de l'agenda supprimé
audit_action-delete_book_entry = Séance du cahier de textes supprimée
audit_action-review_absences = Absence examinée

## settings_page

settings_page-quota_dropbox = Les rendus de chaque élève pour un devoir
settings_page-quotas = Quotas de stockage
settings_page-quotas_hint = En Mio (1024 Mio = 1 Gio), les mêmes pour le portail et pour les lecteurs réseau. Les fichiers de la corbeille ne comptent pas.
settings_page-quota_invalid = Un quota est un nombre entier de Mio, au plus 1048576.
settings_page-blog_images = Photos des blogs
settings_page-image_px = Plus grand côté d'une photo, en pixels
settings_page-image_px_hint = Les photos plus grandes sont réduites à l'envoi, pour que les pages restent légères sur un téléphone.
settings_page-image_px_invalid = Le plus grand côté est un nombre entier de pixels, de 100 à 12000.
settings_page-quota_admin = Administrateurs (chacun)
settings_page-quota_staff = Personnels (chacun)
settings_page-quota_teacher = Enseignants (chacun)
settings_page-quota_pupil = Élèves (chacun)
settings_page-quota_parent = Parents (chacun)
settings_page-quota_shared = Chaque espace de classe, et la salle des profs
settings_page-school_name = Nom de l'établissement
settings_page-host_names = Noms d'hôte
settings_page-host_names_hint = Les noms (ou adresses) que l'on tape pour atteindre le portail, séparés par des virgules ; le premier est imprimé sur les fiches de connexion. Un changement n'atteint le certificat de sécurité qu'au prochain redémarrage du serveur.
settings_page-mail_domain = Domaine de messagerie
settings_page-default_language = Langue par défaut
settings_page-language_auto = La langue de chaque navigateur
settings_page-school_year = Année scolaire
settings_page-school_year_hint = Comme 2026-2027. Les nouvelles classes sont créées pour cette année.
settings_page-error_school_name = Le nom de l'établissement doit faire de 1 à 100 caractères.
settings_page-error_host_name = « { $value } » n'est ni un nom d'hôte (lettres, chiffres, tirets, points) ni une adresse IP.
settings_page-error_no_host_name = Indiquez au moins un nom d'hôte.
settings_page-error_mail_domain = Le domaine de messagerie doit être un nom de domaine, comme ecole.exemple.fr.
settings_page-error_language = Choisissez une langue dans la liste.
settings_page-error_school_year = Une année scolaire s'écrit avec deux années qui se suivent, comme 2026-2027.

## system_page

system_page-title = Système
system_page-version = Version
system_page-uptime = En marche depuis
system_page-uptime_value = { $days } jours, { $hours } heures
system_page-disk = Disque libre / total
system_page-memory = Mémoire disponible / totale
system_page-accounts = Comptes actifs
system_page-queue = Courriels en attente de sortie
system_page-queue_value =
    { $n ->
        [one] { $n } message
       *[other] { $n } messages
    }, le plus ancien depuis le { $when }
system_page-queue_empty = aucun
system_page-certificate = Certificat du serveur valable jusqu'au
system_page-backup = Dernière sauvegarde
system_page-update = Dernière mise à jour
system_page-none = aucune pour l'instant
system_page-backup_overdue = La dernière sauvegarde date du { $when }, il y a plus de 3 jours. Branchez le disque USB nommé CARTABLE-BK, ou prévenez votre mainteneur.
system_page-backup_never = Aucune sauvegarde n'a encore été faite. Branchez un disque USB nommé CARTABLE-BK : la sauvegarde de chaque nuit s'y fera.
system_page-rolled_back = La mise à jour vers la version { $to } ({ $when }) a échoué à ses vérifications et a été annulée d'elle-même : la version { $from } fonctionne, avec les données telles qu'elles étaient.
system_page-integrity = Vérification de la base
system_page-integrity_never = pas encore faite : elle a lieu après chaque démarrage
system_page-integrity_running = en cours depuis le { $when }
system_page-integrity_ok = aucun dommage trouvé ({ $when })
system_page-integrity_problem = DOMMAGES TROUVÉS ({ $when })
system_page-integrity_interrupted = interrompue ({ $when }) : le serveur s'est arrêté avant la fin ; elle aura lieu au prochain démarrage
system_page-integrity_alert = La vérification de la base du { $when } a trouvé des dommages. Cartable continue de fonctionner, mais demandez dès maintenant à votre mainteneur de restaurer la dernière sauvegarde faite avant cette date (cartable restore), et gardez les sauvegardes plus anciennes : celles faites à partir de maintenant contiennent les dommages. Ce qui a été trouvé :
system_page-hint = Les mainteneurs voient la même chose avec `cartable status` par SSH.
