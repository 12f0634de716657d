## flash.homework

flash-homework-created = Le dépôt est ouvert.
flash-homework-closed = Le dépôt est fermé.
flash-homework-reopened = Le dépôt est rouvert.
flash-homework-handed_in = Fichiers déposés.
flash-homework-withdrawn = Fichier retiré.

## homework

homework-title = Devoirs
homework-due = à rendre le { $date }
homework-open = ouvert
homework-closed = fermé
homework-status_on_time = rendu
homework-status_late = en retard
homework-status_missing = pas encore rendu
homework-none = Aucun devoir pour l'instant.
homework-new_title = Donner un devoir
homework-class = Classe
homework-title_label = Titre
homework-instructions = Consignes
homework-due_label = À rendre le (date et heure)
homework-due_hint = Après cette date, les dépôts restent possibles mais sont marqués en retard, tant que vous ne fermez pas le dépôt.
homework-create = Ouvrir le dépôt
homework-roster = Élèves
homework-summary = Rendus à l'heure : { $on_time } · en retard : { $late } · pas encore : { $missing }
homework-zip = Tout télécharger (zip)
homework-close = Fermer le dépôt
homework-reopen = Rouvrir le dépôt
homework-closed_hint = Le dépôt est fermé : les élèves ne peuvent plus rien déposer ni retirer.
homework-late_hint = La date est passée : les dépôts sont encore acceptés, marqués en retard.
homework-last_at = dernier dépôt le { $date }
homework-no_pupils = Cette classe n'a pas encore d'élèves.
homework-my_work = Mon travail
homework-nothing_yet = Vous n'avez encore rien déposé.
homework-late_warning = La date est passée : votre dépôt sera marqué en retard.
homework-hand_in_label = Déposer des fichiers (plusieurs à la fois si vous voulez)
homework-hand_in = Déposer
homework-withdraw = Retirer
homework-error_closed = Le professeur a fermé ce dépôt : il n'accepte plus de fichiers.
homework-error_title = Donnez un titre au devoir.
homework-error_title_long = Le titre est trop long (120 caractères au plus).
homework-error_instructions_long = Les consignes sont trop longues (10 000 caractères au plus).
homework-error_due = Indiquez une date et une heure valides.
homework-error_due_past = La date de remise est déjà passée.
homework-error_due_far = La date de remise est trop lointaine (plus d'un an).
homework-error_class = Choisissez une de vos classes.
