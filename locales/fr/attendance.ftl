## flash.attendance

flash-attendance-saved = L'appel est enregistré.
flash-attendance-decided = La décision est enregistrée.
flash-attendance-justified = Merci : votre justification est transmise à l'établissement.

## attendance

attendance-title = Absences
attendance-review_link = Absences et justificatifs
attendance-waiting =
    { $n ->
        [one] { $n } justificatif des familles à examiner
       *[other] { $n } justificatifs des familles à examiner
    }
attendance-take_title = Faire l'appel
attendance-class = Classe
attendance-date = Date
attendance-slot = Début du cours
attendance-subject = Matière
attendance-optional = (facultatif)
attendance-take_hint = Tout le monde est présent tant que vous ne le marquez pas. Rouvrir un appel déjà fait permet de le corriger.
attendance-open = Ouvrir l'appel
attendance-recent = Derniers appels
attendance-counts =
    { $absent ->
        [one] { $absent } absent
       *[other] { $absent } absents
    }, { $late } en retard
attendance-none_taken = Aucun appel pour l'instant.
attendance-export_title = Bilan du mois (tableur)
attendance-month = Mois
attendance-export_hint = Un fichier CSV que LibreOffice ou Excel ouvre tel quel : une ligne par élève, absences, justifiées ou non, retards.
attendance-export = Télécharger le bilan
attendance-no_classes = Vous n'avez aucune classe pour laquelle faire l'appel.
attendance-register_title = Appel
attendance-taken_by = Fait par { $who } le { $when }
attendance-edited_on = corrigé le { $when }
attendance-sheet_hint = Tout le monde est présent par défaut : touchez Absent ou En retard pour les autres, puis enregistrez.
attendance-present = Présent
attendance-absent = Absent
attendance-late = En retard
attendance-minutes_late = Minutes de retard
attendance-no_pupils = Cette classe n'a pas encore d'élèves.
attendance-save = Enregistrer l'appel
attendance-totals =
    { $absences ->
        [one] { $absences } absence, dont { $not_justified ->
            [one] { $not_justified } pas encore justifiée
           *[other] { $not_justified } pas encore justifiées
        }
       *[other] { $absences } absences, dont { $not_justified ->
            [one] { $not_justified } pas encore justifiée
           *[other] { $not_justified } pas encore justifiées
        }
    } ; { $late ->
        [one] { $late } retard
       *[other] { $late } retards
    }, { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    } en tout.
attendance-late_by = Retard de { $n } min
attendance-reason = Motif
attendance-sent_by = Envoyé par { $who } le { $when }
attendance-justify = Justifier cette absence auprès de l'établissement
attendance-justify_again = Remplacer votre justification
attendance-send = Envoyer la justification
attendance-none = Aucune absence ni aucun retard.
attendance-no_child = Aucun enfant n'est encore lié à votre compte. Le secrétariat peut le faire.
attendance-absences_title = Absences et justificatifs
attendance-all_classes = Toutes les classes
attendance-show = Afficher
attendance-show_pending = En attente de décision
attendance-show_all = Tout
attendance-filter = Afficher
attendance-no_note = Pas encore de justification de la famille.
attendance-decision = Décision
attendance-record = Enregistrer
attendance-none_pending = Rien n'attend de décision.
attendance-dashboard_unexplained =
    { $n ->
        [one] { $n } absence de vos enfants à justifier
       *[other] { $n } absences de vos enfants à justifier
    }
attendance-dashboard_waiting =
    { $n ->
        [one] { $n } justificatif à examiner
       *[other] { $n } justificatifs à examiner
    }
attendance-error_not_found = Ceci n'existe pas, ou vous ne pouvez pas le voir.
attendance-error_denied = Vous ne pouvez pas faire cela ici.
attendance-error_date = Une date s'écrit année-mois-jour, comme 2026-05-04, et doit exister.
attendance-error_year = L'année doit être comprise entre 2000 et 2099.
attendance-error_future = L'appel se fait le jour du cours ou après, pas avant.
attendance-error_time = Le début du cours s'écrit heures:minutes, comme 08:30.
attendance-error_month = Un mois s'écrit année-mois, comme 2026-05.
attendance-error_unknown_pupil = Un des élèves n'est pas dans cette classe. Rien n'a été enregistré : rouvrez l'appel.
attendance-error_mark = Chaque élève est présent, absent ou en retard. Rien n'a été enregistré.
attendance-error_minutes = Les minutes de retard sont un nombre entier de 1 à 240. Rien n'a été enregistré.
attendance-error_subject_long = La matière est trop longue (80 caractères au plus).
attendance-error_note_empty = Écrivez d'abord la justification.
attendance-error_note_long = La justification est trop longue (2 000 caractères au plus).
attendance-error_reason_long = Le motif est trop long (500 caractères au plus).
attendance-error_status = Choisissez en attente, justifiée ou non justifiée.
attendance-error_decided = L'établissement a déjà statué sur cette absence ; contactez-le pour la modifier.
attendance-csv_class = Classe
attendance-csv_pupil = Élève
attendance-csv_absences = Absences (cours)
attendance-csv_half_days = Absences (demi-journées)
attendance-csv_justified = Justifiées
attendance-csv_unjustified = Non justifiées
attendance-csv_pending = En attente
attendance-csv_late = Retards
attendance-csv_minutes = Minutes de retard
attendance-csv_last = Dernière absence
attendance-file_prefix = absences

## attendance.status

attendance-status-pending = En attente
attendance-status-justified = Justifiée
attendance-status-unjustified = Non justifiée
