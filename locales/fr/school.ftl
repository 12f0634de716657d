## flash.news

flash-news-published = L'actualité est publiée.
flash-news-edited = L'actualité est modifiée.
flash-news-deleted = L'actualité est supprimée.
flash-news-acknowledged = Merci : l'établissement sait que vous l'avez lu.

## flash.agenda

flash-agenda-created = L'événement est dans l'agenda.
flash-agenda-edited = L'événement est modifié.
flash-agenda-deleted = L'événement est supprimé.

## school

school-error_not_found = Cet élément n'existe pas, ou vous ne pouvez pas le voir.
school-error_denied = Vous ne pouvez pas faire cela ici.
school-error_title_empty = Donnez-lui un titre.
school-error_title_long = Le titre est trop long (150 caractères au plus).
school-error_body_empty = Écrivez d'abord le texte.
school-error_body_long = Le texte est trop long (20 000 caractères au plus).
school-error_audience = Choisissez à qui il s'adresse.
school-error_no_class = Choisissez au moins une classe.
school-error_unknown_class = L'une des classes choisies n'existe plus. Choisissez à nouveau.
school-children_label = Pour quel enfant ?
school-all_children = Tous mes enfants
school-audience_legend = Pour qui ?
school-classes_legend = Classes
school-classes_hint = Cochez les classes s'il s'agit de certaines classes, ou de leurs parents.
school-field_title = Titre

## school.audience

school-audience-school = Tout l'établissement
school-audience-staff = Personnel
school-audience-classes = { $classes }
school-audience-parents = Tous les parents
school-audience-class_parents = Parents de { $classes }

## school.audience_choice

school-audience_choice-school = Tout l'établissement
school-audience_choice-staff = Le personnel (enseignants et vie scolaire)
school-audience_choice-parents = Tous les parents
school-audience_choice-classes = Certaines classes (élèves, enseignants et parents)
school-audience_choice-class_parents = Seulement les parents de certaines classes

## news

news-title = Actualités
news-write = Écrire une actualité
news-none = Aucune actualité pour l'instant.
news-newer = ← Plus récentes
news-older = Plus anciennes →
news-must_read_mark = À lire
news-gone = (ancien compte)
news-ack = J'ai lu
news-ack_hint = L'établissement demande à chaque personne concernée de confirmer qu'elle a lu ce message.
news-acked_on = Vous avez confirmé l'avoir lu le { $when }.
news-edited_on = modifié le { $when }
news-for = Pour : { $who }
news-edit = Modifier
news-delete = Supprimer…
news-delete_warning = L'actualité et la liste de qui l'a lue seront supprimées définitivement.
news-delete_confirm = Supprimer définitivement
news-tracking_title = Qui l'a lu
news-read_count = { $read } sur { $total } ont confirmé l'avoir lu.
news-read_by = L'ont lu
news-nobody_yet = Personne pour l'instant.
news-not_yet = Pas encore ({ $n })
news-everyone_read = Tout le monde l'a lu.
news-new_title = Écrire une actualité
news-edit_title = Modifier l'actualité
news-must_read = À lire obligatoirement : chaque personne concernée confirme l'avoir lu
news-must_read_hint = Vous verrez qui a confirmé, et qui pas encore.
news-body = Texte
news-markdown_help = Mise en forme : **gras**, *italique*, une ligne commençant par - pour une liste, [texte](https://…) pour un lien.
news-publish = Publier

## agenda

agenda-title = Agenda
agenda-new = Nouvel événement
agenda-upcoming = À venir
agenda-none = Rien de prévu pour l'instant.
agenda-next_events = Prochains événements
agenda-all_day = Toute la journée
agenda-prev_month = Mois précédent
agenda-next_month = Mois suivant
agenda-feed_title = L'agenda dans le calendrier de votre téléphone
agenda-feed_intro = L'application de calendrier de votre téléphone ou de votre ordinateur peut afficher ces événements et les tenir à jour. Créez votre lien personnel, puis ajoutez-le au calendrier comme abonnement, ou touchez « S'abonner sur cet appareil ».
agenda-feed_once = Voici votre lien de calendrier personnel. Copiez-le maintenant : pour votre sécurité, il n'est montré que cette fois. Quiconque l'a voit votre agenda : gardez-le pour vous.
agenda-feed_address = Votre lien de calendrier
agenda-feed_open = Ouvrir le lien
agenda-subscribe = S'abonner sur cet appareil
agenda-feed_made = Vous avez créé un lien de calendrier le { $when }. Si vous l'avez perdu, ou si quelqu'un d'autre peut l'avoir, créez-en un nouveau : l'ancien ne marchera plus.
agenda-feed_reset = Créer un nouveau lien (l'ancien ne marchera plus)
agenda-feed_make = Créer mon lien de calendrier
agenda-when = Quand
agenda-place = Lieu
agenda-for = Pour
agenda-by = Prévu par
agenda-ics = Ajouter à mon calendrier (fichier .ics)
agenda-edit = Modifier
agenda-delete = Supprimer…
agenda-delete_confirm = Supprimer l'événement définitivement
agenda-new_title = Nouvel événement
agenda-edit_title = Modifier l'événement
agenda-kind_label = Type
agenda-start_date = Date
agenda-start_time = De (heure)
agenda-end_date = Jusqu'au (date, si un autre jour)
agenda-end_time = Jusqu'à (heure)
agenda-dates_hint = Les dates s'écrivent 2026-05-04 et les heures 08:30, à l'heure de l'établissement. Pour une journée entière, laissez les heures vides et cochez « Toute la journée ».
agenda-description = Détails
agenda-create = Ajouter à l'agenda
agenda-error_kind = Choisissez le type d'événement.
agenda-error_date = Une date s'écrit année-mois-jour, comme 2026-05-04, et doit exister.
agenda-error_time = Une heure s'écrit heures:minutes, comme 08:30. Indiquez une heure de début, ou cochez « Toute la journée ».
agenda-error_year = L'année doit être comprise entre 2000 et 2099.
agenda-error_end_before_start = La fin est avant le début.
agenda-error_too_long = Un événement dure un an au plus.
agenda-error_place_long = Le lieu est trop long (200 caractères au plus).
agenda-error_description_long = Les détails sont trop longs (5 000 caractères au plus).
agenda-error_month = Un mois s'écrit année-mois, comme 2026-05.

## agenda.kind

agenda-kind-trip = Sortie
agenda-kind-exam = Examen
agenda-kind-meeting = Réunion
agenda-kind-other = Événement

## agenda.weekday

agenda-weekday-1 = lun.
agenda-weekday-2 = mar.
agenda-weekday-3 = mer.
agenda-weekday-4 = jeu.
agenda-weekday-5 = ven.
agenda-weekday-6 = sam.
agenda-weekday-7 = dim.

## agenda.month

agenda-month-1 = janvier
agenda-month-2 = février
agenda-month-3 = mars
agenda-month-4 = avril
agenda-month-5 = mai
agenda-month-6 = juin
agenda-month-7 = juillet
agenda-month-8 = août
agenda-month-9 = septembre
agenda-month-10 = octobre
agenda-month-11 = novembre
agenda-month-12 = décembre

## date: how a day and a month are written; the words come from agenda.weekday and agenda.month

date-day = { $weekday } { $day } { $month } { $year }
date-month_year = { $month } { $year }
# A day and a time: "lun. 4 mai 2026, 08:00".
date-day_time = { $day }, { $time }
# From one date or time to another.
date-range = { $from } – { $to }
