## The offline library (issue #18): library

library-title = Bibliothèque
library-intro = Encyclopédies, dictionnaires et livres, à lire sans internet.
library-search_all = Chercher dans toute la bibliothèque
library-search_in = Chercher dans { $title }
library-search_button = Chercher
library-language = Langue : { $lang }
library-articles = { $n ->
    [one] { $n } article
   *[other] { $n } articles
}
library-empty = Aucune collection à lire pour l'instant.
library-empty_admin = Les collections (fichiers ZIM de Kiwix : Wikipédia, Vikidia, Wiktionnaire…) s'ajoutent depuis l'administration.
library-admin_link = Gérer la bibliothèque
library-no_main_title = Cette collection n'a pas de page d'accueil
library-no_main = Cherchez un article dans la collection.
library-problem_title = Collection illisible
library-problem = Cette collection ne peut pas être lue pour le moment. Prévenez l'administrateur de l'école.
library-problem_detail = Message du lecteur : { $detail }
library-bad_path = Cette adresse d'article n'est pas valide.
library-bar_portal = Portail
library-bar_placeholder = Chercher un article
