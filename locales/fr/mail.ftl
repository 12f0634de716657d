## flash.mail

flash-mail-sent = Message envoyé.
flash-mail-deleted = Message supprimé.

## flash.mail_admin

flash-mail_admin-retrying = La file d'attente est en cours d'envoi ; rechargez la page dans un instant.
flash-mail_admin-deleted = Le message a été supprimé de la file d'attente.

## mail

mail-bounce_subject = Non distribué : { $subject }
mail-bounce_text = Ceci est le serveur de messagerie de l'établissement. Votre message n'a pas pu être remis à { $recipient } et ne sera pas renvoyé. La raison donnée par l'autre serveur figure ci-dessous, suivie des en-têtes de votre message.
mail-error_bad_address = Cette adresse n'est pas valide.
mail-error_unknown = Personne dans l'établissement n'a cette adresse.
mail-error_list_not_allowed = Seuls les professeurs de la classe et le secrétariat peuvent écrire à la liste d'une classe.
mail-error_relay_denied = Connectez-vous pour écrire hors de l'établissement.
mail-error_outside_not_allowed = Votre compte ne peut pas écrire hors de l'établissement.
mail-error_no_relay = L'établissement ne peut pas encore envoyer de courriel à l'extérieur (aucun relais configuré).
mail-title = Messagerie
mail-inbox = Boîte de réception
mail-sent = Envoyés
mail-write = Écrire un message
mail-unread = non lu
mail-unread_count =
    { $n ->
        [one] { $n } non lu
       *[other] { $n } non lus
    }
mail-has_attachments = Pièces jointes
mail-no_subject = (sans objet)
mail-to_prefix = À :
mail-empty_inbox = Aucun message pour l'instant.
mail-empty_sent = Vous n'avez encore envoyé aucun message.
mail-newer = ← Plus récents
mail-older = Plus anciens →
mail-from = De
mail-to = À
mail-cc = Copie à
mail-date = Date
mail-attachments = Pièces jointes
mail-reply = Répondre
mail-delete = Supprimer
mail-back_inbox = Retour à la boîte de réception
mail-back_sent = Retour aux messages envoyés
mail-compose_title = Nouveau message
mail-recipient_n = Destinataire { $n }
mail-to_hint = Commencez à taper un nom ou une adresse et choisissez-la dans les suggestions. Un destinataire par case, ou plusieurs dans une case séparés par des virgules. Les cases vides sont ignorées.
mail-subject = Objet
mail-body = Message
mail-attach_label = Joindre des fichiers (plusieurs à la fois si vous voulez)
mail-attach_hint = Le message entier, pièces jointes comprises, ne peut pas dépasser { $size }. Les fichiers joints grossissent d'environ un tiers à l'envoi.
mail-send = Envoyer
mail-quote_header = Le { $date }, { $name } a écrit :
mail-class_list = Classe { $class } : toute la classe (élèves et professeurs)
mail-error_no_recipients = Ajoutez au moins un destinataire.
mail-error_too_big = Ce message est trop gros : { $size } au plus, pièces jointes comprises. Rien n'a été envoyé.
mail-error_too_many = Trop de destinataires : { $count } au plus par message. Écrivez à la liste d'une classe, ou envoyez plusieurs messages.
mail-error_subject_long = L'objet est trop long (250 caractères au plus).
mail-error_address = Destinataire concerné : { $address }
mail-attach_again = Les pièces jointes ne sont pas conservées quand un message est refusé : choisissez de nouveau les fichiers avant d'envoyer.

## mail_settings

mail_settings-error_relay_host = Le relais doit être un nom DNS ou une adresse IP.
mail_settings-error_relay_port = Le port du relais doit être compris entre 1 et 65535.
mail_settings-error_max_size = La taille maximale d'un message doit être comprise entre 64 Kio et 100 Mio.
mail_settings-error_retry = Les délais doivent être d'au moins une seconde, le premier pas plus long que le plus long, et l'abandon plus tardif que le premier essai.

## mail_admin

mail_admin-title = Courriel
mail_admin-queue = Courriels en attente de sortie
mail_admin-queue_count =
    { $n ->
        [one] { $n } message en attente du relais.
       *[other] { $n } messages en attente du relais.
    }
mail_admin-queue_empty = Aucun courriel en attente : tout ce qui a été envoyé à l'extérieur est parti.
mail_admin-retry_all = Tout réessayer maintenant
mail_admin-retry = Réessayer
mail_admin-delete = Supprimer
mail_admin-queued_at = Depuis
mail_admin-from_to = De → à
mail_admin-subject = Objet
mail_admin-attempts = Essais
mail_admin-next = prochain essai { $when }
mail_admin-last_error = Dernière réponse
mail_admin-settings = Règles du courriel et relais
mail_admin-domain_hint = L'adresse de chaque compte est nom@{ $domain } (le domaine se règle dans les paramètres) ; la liste d'une classe est classe+classe@{ $domain }.
mail_admin-class_lists = Qui peut écrire à la liste d'une classe
mail_admin-class_lists_teachers = Ses professeurs et le secrétariat
mail_admin-class_lists_members = Ses professeurs, le secrétariat et ses élèves
mail_admin-pupils_outside = Les élèves peuvent écrire hors de l'établissement
mail_admin-max_size = Taille maximale d'un message (Mio)
mail_admin-relay = Relais pour le courriel extérieur
mail_admin-relay_hint = Le courriel destiné à d'autres domaines part par ce serveur (en général celui de votre fournisseur d'accès). Laissé vide, aucun courriel ne peut sortir de l'établissement.
mail_admin-relay_host = Serveur relais
mail_admin-relay_port = Port
mail_admin-relay_tls = Sécurité
mail_admin-tls_starttls = STARTTLS (port 587 en général)
mail_admin-tls_tls = TLS (port 465 en général)
mail_admin-tls_none = Aucune (seulement pour un relais du réseau de l'établissement)
mail_admin-relay_user = Identifiant (si le relais en demande un)
mail_admin-relay_password = Mot de passe
mail_admin-password_kept = inchangé
mail_admin-clear_password = Effacer le mot de passe enregistré
mail_admin-retries = Quand la connexion est coupée
mail_admin-retry_first = Premier nouvel essai après (minutes)
mail_admin-retry_max = Attente maximale entre deux essais (minutes)
mail_admin-give_up = Abandonner et prévenir l'expéditeur après (jours)
mail_admin-error_number = Saisissez des nombres entiers et choisissez dans les listes.
