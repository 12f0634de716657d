## flash.forum

flash-forum-edited = Message modifié.
flash-forum-post_deleted = Message supprimé.
flash-forum-reported = Merci : les modérateurs sont prévenus.
flash-forum-pinned = Le sujet est épinglé.
flash-forum-unpinned = Le sujet n'est plus épinglé.
flash-forum-locked = Le sujet est verrouillé.
flash-forum-unlocked = Le sujet est de nouveau ouvert.
flash-forum-topic_hidden = Le sujet est masqué aux lecteurs.
flash-forum-topic_shown = Le sujet est de nouveau visible.
flash-forum-moved = Le sujet a été déplacé.
flash-forum-topic_deleted = Le sujet a été supprimé.
flash-forum-post_hidden = Le message est masqué aux lecteurs.
flash-forum-post_shown = Le message est de nouveau visible.
flash-forum-post_removed = Le message a été supprimé.
flash-forum-report_dismissed = Le signalement est clos.
flash-forum-muted = L'élève est rendu muet dans cette catégorie.
flash-forum-unmuted = La sanction est levée.
flash-forum-category_created = La catégorie a été ajoutée.

## forum

forum-title = Forum
forum-cat_school = Toute l'école
forum-cat_staff = Salle des profs
forum-error_not_found = Ce sujet ou ce message n'existe pas, ou vous ne pouvez pas le voir.
forum-error_denied = Vous n'avez pas le droit de faire cela dans le forum.
forum-error_title_empty = Donnez un titre à votre sujet.
forum-error_title_long = Le titre est trop long (150 caractères au plus).
forum-error_body_empty = Écrivez d'abord un message.
forum-error_body_long = Le message est trop long (20 000 caractères au plus). Raccourcissez-le, ou partagez-le en plusieurs messages.
forum-error_locked = Ce sujet est verrouillé : plus personne ne peut y répondre.
forum-error_muted = Un modérateur vous a rendu muet dans cette catégorie jusqu'au { $until }. Vous pouvez toujours la lire.
forum-error_too_fast = Vous écrivez trop vite. Attendez { $secs } secondes, puis envoyez à nouveau : votre texte est gardé ci-dessous.
forum-error_too_late = Le délai pour supprimer ce message est passé. Vous pouvez encore le modifier, ou demander à un modérateur.
forum-error_category_name = Le nom d'une catégorie a de 1 à 80 caractères.
forum-error_no_roles = Cochez au moins un rôle qui verra cette catégorie.
forum-error_mute_target = Aucun élève n'a cet identifiant. Seuls les élèves peuvent être rendus muets.
forum-mail_mention_subject = { $actor } vous a cité dans « { $topic } »
forum-mail_mention_body =
    { $actor } vous a cité dans le sujet du forum « { $topic } ».

    Pour le lire : { $link }

    (Envoyé par le forum du portail de l'établissement.)
forum-mail_reply_subject = Nouvelle réponse à « { $topic } »
forum-mail_reply_body =
    { $actor } a répondu à votre sujet du forum « { $topic } ».

    Pour le lire : { $link }

    (Envoyé par le forum du portail de l'établissement.)
forum-notices = Pour vous
forum-notice_mention = { $actor } vous a cité dans « { $topic } »
forum-notice_reply = { $actor } a répondu à votre sujet « { $topic } »
forum-notices_count =
    { $n ->
        [one] { $n } nouveau
       *[other] { $n } nouveaux
    }
forum-search = Rechercher
forum-search_label = Rechercher dans le forum
forum-search_title = Rechercher dans le forum
forum-no_hits = Aucun message ne correspond à cette recherche.
forum-moderation = Messages signalés
forum-topics =
    { $n ->
        [one] { $n } sujet
       *[other] { $n } sujets
    }
forum-unread_topics = { $n } non lus
forum-last_post = dernier message le { $when }
forum-new_topic = Nouveau sujet
forum-muted_notice = Un modérateur vous a rendu muet ici jusqu'au { $until } : vous pouvez lire, mais pas écrire.
forum-pinned_mark = Épinglé
forum-locked_mark = Verrouillé
forum-hidden_mark = Masqué
forum-hidden_post_mark = Masqué aux lecteurs
forum-new = nouveau
forum-unread_posts = { $n } non lus
forum-gone = (ancien compte)
forum-replies =
    { $n ->
        [one] { $n } réponse
       *[other] { $n } réponses
    }
forum-no_topics = Pas encore de sujet ici.
forum-newer = ← Plus récents
forum-older = Plus anciens →
forum-mute_title = Rendre un élève muet
forum-mute_hint = Un élève rendu muet lit toujours cette catégorie, mais ne peut plus y écrire jusqu'à la fin du délai.
forum-mute_username = Identifiant de l'élève
forum-mute_duration = Pendant
forum-mute_hour = 1 heure
forum-mute_day = 1 jour
forum-mute_week = 1 semaine
forum-mute_lift = Lever la sanction
forum-mute = Appliquer
forum-topic_title = Titre
forum-body = Message
forum-markdown_help = Mise en forme : **gras**, *italique*, `code`, une ligne commençant par - pour une liste, > pour citer, [texte](https://…) pour un lien ; @identifiant prévient quelqu'un.
forum-send = Envoyer
forum-preview = Aperçu
forum-preview_title = Aperçu (pas encore envoyé)
forum-edit_title = Modifier votre message
forum-edit_hint = Le texte précédent reste visible dans l'historique du message.
forum-locked_notice = Ce sujet est verrouillé : plus personne ne peut y répondre.
forum-locked_moderator = Ce sujet est verrouillé : seuls les modérateurs peuvent encore écrire.
forum-history_title = Versions précédentes
forum-history_intro = Un message de { $author }, de la version la plus récente à la plus ancienne.
forum-version_current = Version actuelle
forum-version_of = Version du { $when }
forum-history_none = Ce message n'a pas été modifié.
forum-reported_by = Signalé par { $who }, le { $when }
forum-dismiss = Rien à redire
forum-show = Afficher
forum-hide = Masquer
forum-delete = Supprimer
forum-no_reports = Aucun message n'attend de modérateur.
forum-new_posts = Nouveau depuis votre dernière visite
forum-edited_mark = modifié
forum-post_deleted_line = Ce message a été supprimé.
forum-post_hidden_line = Ce message a été masqué par un modérateur.
forum-quote = Citer
forum-edit = Modifier
forum-delete_own = Supprimer
forum-report = Signaler
forum-report_reason = Pourquoi ? (facultatif)
forum-report_send = Prévenir les modérateurs
forum-report_title = Signaler un message
forum-report_intro = Les modérateurs verront ce message et votre raison. Son auteur ne saura pas qui l'a signalé.
forum-report_cancel = Retour au sujet
forum-reply = Répondre
forum-moderate_topic = Modération
forum-pin = Épingler
forum-unpin = Désépingler
forum-lock = Verrouiller
forum-unlock = Déverrouiller
forum-hide_topic = Masquer le sujet
forum-show_topic = Afficher le sujet
forum-move_to = Déplacer vers
forum-move = Déplacer
forum-delete_topic = Supprimer le sujet…
forum-delete_topic_warning = Le sujet et tous ses messages seront supprimés définitivement.
forum-delete_topic_confirm = Supprimer définitivement
forum-pages = Pages
forum-prev_page = ← Page précédente
forum-next_page = Page suivante →
forum-page_of = Page { $n } sur { $total }
forum-admin_title = Catégories du forum
forum-admin_intro = Toute l'école, la salle des profs et chaque classe ont déjà leur catégorie. Ajoutez-en une ici pour les personnes de votre choix (les parents seulement, par exemple).
forum-admin_custom = Catégories ajoutées
forum-admin_none = Aucune pour l'instant.
forum-admin_add = Ajouter une catégorie
forum-category_name = Nom
forum-category_description = Description
forum-category_roles = Qui la voit
forum-admin_roles_hint = Les administrateurs voient toutes les catégories.
forum-admin_create = Ajouter la catégorie
