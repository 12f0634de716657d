## The offline library (issue #18): library_admin

library_admin-title = Bibliothèque hors ligne
library_admin-intro = Les encyclopédies, dictionnaires et livres (fichiers ZIM de Kiwix) que l'école consulte sans internet. Choisissez qui lit chacun ; élèves et parents ne voient une collection qu'une fois que vous la leur ouvrez.
library_admin-installed =
    { $n ->
        [0] Aucune collection installée
        [one] Une collection installée
       *[other] { $n } collections installées
    }
library_admin-none = Ajoutez une collection par l'un des trois moyens décrits en bas de cette page.
library_admin-missing = Fichier absent : ajoutez-le à nouveau.
library_admin-missing_hint = Les sauvegardes gardent la liste des collections mais pas leurs fichiers. Remettez le fichier (ligne de commande, disque USB ou dossier Library du partage des personnels) : son public est conservé. Attendu dans { $file }.
library_admin-language = Langue
library_admin-articles = Articles
library_admin-size = Taille
library_admin-date = Date
library_admin-creator = Auteur
library_admin-source = Ajoutée depuis
library_admin-source-cli = ligne de commande
library_admin-source-webdav = partage des personnels
library_admin-source-usb = disque USB
library_admin-index = Recherche en texte intégral
library_admin-index-pending = en attente d'indexation (titres seulement d'ici là)
library_admin-index-building = indexation : { $done } articles sur { $total } (titres seulement d'ici là)
library_admin-index-ready = prête
library_admin-index-failed = l'indexation a échoué (titres seulement)
library_admin-audience = Qui la lit
library_admin-audience-school = Toute l'école
library_admin-audience-staff = Personnels seulement
library_admin-audience-classes = Classes choisies
library_admin-classes = Classes de cette année
library_admin-audience_hint = Les personnels lisent toujours toutes les collections. « Classes choisies » : les élèves de ces classes et leurs parents.
library_admin-save_audience = Enregistrer
library_admin-remove = Retirer…
library_admin-refused_title = Fichiers trouvés et refusés
library_admin-file = Fichier
library_admin-found_in = Trouvé dans
library_admin-reason = Raison
library_admin-seen = Vu le
library_admin-refused_hint = Un fichier refusé reste dans la liste jusqu'à ce qu'il soit réparé, remplacé ou supprimé.
library_admin-refused_none = Aucun fichier refusé.
library_admin-refused-unreadable = Le fichier ne peut pas être lu (erreur du disque ou de droits).
library_admin-refused-not_zim = Ce n'est pas une collection Kiwix (fichier ZIM).
library_admin-refused-split_name = La première partie d'une collection découpée doit finir par .zimaa.
library_admin-refused-version = Cette version du format ZIM n'est pas prise en charge (les versions 5 et 6 le sont).
library_admin-refused-compression = La collection utilise une ancienne compression non prise en charge : téléchargez-en une copie plus récente.
library_admin-refused-too_large = Une partie de la collection est plus grande que ce que le serveur accepte.
library_admin-refused-corrupt = Le fichier est abîmé ou incomplet : copiez-le de nouveau.
library_admin-refused-already = Cette collection est déjà installée.
library_admin-refused-place = Le fichier n'a pas pu être placé dans la bibliothèque (le disque est-il plein ?).
library_admin-refused-removed = Un administrateur a retiré cette collection : les recherches de fichiers la laissent de côté.
library_admin-refused-other = Refusé.
library_admin-readmit = La rajouter
library_admin-not_removed = Ce fichier n'est pas une collection retirée.
library_admin-detail = Détail
library_admin-scan_title = Recherche de nouveaux fichiers
library_admin-scanning = Une recherche est en cours (une copie depuis un disque USB peut être longue).
library_admin-last_scan =
    Dernière recherche : { $at }, { $n ->
        [0] rien d'ajouté
        [one] une collection ajoutée
       *[other] { $n } collections ajoutées
    }.
library_admin-waiting = En cours de copie, ajoutés à une prochaine recherche :
library_admin-scan_now = Chercher maintenant
library_admin-how_title = Comment ajouter une collection
library_admin-how_staff = Copiez le fichier .zim dans un dossier nommé Library à la racine du partage des personnels (WebDAV ou Documents). Il est ajouté en quelques minutes, sans être copié une seconde fois.
library_admin-how_usb = Branchez un disque USB avec un dossier library (ou kiwix) à sa racine : le boîtier le monte, en lecture seule, et copie ses fichiers sur le serveur en quelques secondes ; débranchez-le quand cette page les affiche. (Sur un serveur installé à la main, montez le disque sous /media ou /mnt.)
library_admin-how_cli = Ou, par SSH :
library_admin-how_audience = Une collection trouvée dans un dossier ou sur un disque est d'abord réservée aux personnels : ouvrez-la ici à l'école ou à des classes.
library_admin-remove_title = Retirer une collection
library_admin-remove_confirm = Retirer « { $title } » de la bibliothèque ? Son fichier ({ $size }) et son index de recherche sont supprimés du serveur.
library_admin-remove_twins = Le même fichier dans le partage des personnels est supprimé aussi (sinon aucune place ne serait libérée et la prochaine recherche l'ajouterait de nouveau) :
library_admin-remove_hint = Les liens vers ses articles dans le cahier de textes, le forum ou la messagerie ne fonctionneront plus.
library_admin-remove_yes = Retirer
library_admin-cancel = Annuler
library_admin-bad_audience = Choisissez qui lit la collection : toute l'école, les personnels, ou au moins une classe de cette année.

## flash.library_admin

flash-library_admin-audience_saved = Le public est enregistré.
flash-library_admin-no_class = Cochez au moins une classe pour « Classes choisies » ; rien n'a été modifié.
flash-library_admin-removed = La collection a été retirée.
flash-library_admin-scanned = Recherche terminée.
flash-library_admin-scan_running = La recherche continue en arrière-plan ; rechargez cette page dans un moment.

## audit_action

audit_action-manage_library = Collection de la bibliothèque modifiée
