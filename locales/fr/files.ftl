## flash.files

flash-files-uploaded = Fichiers envoyés.
flash-files-folder_created = Dossier créé.
flash-files-renamed = Renommé.
flash-files-moved = Déplacé.
flash-files-deleted = Mis à la corbeille. Vous pouvez le restaurer depuis la corbeille pendant 30 jours.
flash-files-restored = Restauré à son emplacement d'origine.

## files

files-error_name = Ce nom n'est pas autorisé : pas de / \ : * ? " < > |, pas de caractères de contrôle ou invisibles, ni . ni .., et pas de point ou d'espace à la fin.
files-error_exists = Un fichier ou un dossier porte déjà ce nom ici (les noms qui ne diffèrent que par les majuscules comptent comme identiques).
files-error_not_folder = Ce n'est pas un dossier.
files-error_quota = Il ne reste pas assez de place dans votre quota pour cela.
files-error_incomplete = L'envoi a été interrompu. Rien n'a été enregistré ; envoyez le fichier à nouveau.
files-error_no_file = Choisissez au moins un fichier à envoyer.
files-error_space_root = On ne peut pas renommer, déplacer ni supprimer un espace entier.
files-error_other_space = On ne peut déplacer que vers un dossier du même espace. Pour un autre espace, téléchargez puis envoyez le fichier.
files-error_into_itself = On ne peut pas déplacer un dossier dans lui-même.
files-error_restore_exists = Impossible de restaurer : un fichier ou un dossier porte maintenant ce nom à cet endroit. Renommez-le ou déplacez-le, puis réessayez.
files-title = Mes documents
files-my_documents = Mes documents
files-quota_label = Espace utilisé
files-usage = Votre espace personnel : { $used } utilisés sur { $quota }.
files-kind_personal = Espace personnel
files-kind_class = Classe
files-kind_staff = Salle des professeurs
files-can_write = lecture et écriture
files-can_read = lecture seule
files-open_trash = Corbeille
files-breadcrumbs = Chemin
files-read_only = Vous pouvez consulter et télécharger ces documents, mais pas les modifier.
files-upload_label = Envoyer des fichiers (plusieurs à la fois possible)
files-upload = Envoyer
files-new_folder = Nouveau dossier
files-create = Créer
files-up = Dossier parent
files-empty = Ce dossier est vide.
files-actions = Actions
files-new_name = Nouveau nom
files-rename = Renommer
files-move_to = Déplacer vers le dossier
files-move = Déplacer
files-delete = Mettre à la corbeille
files-download = Télécharger
files-trash_title = Corbeille
files-trash_intro = Les éléments supprimés restent ici { $days } jours, puis sont effacés définitivement. Ils ne comptent pas dans votre quota.
files-trash_empty = La corbeille est vide.
files-deleted_on = supprimé le { $date }
files-restore = Restaurer
