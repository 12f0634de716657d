## The offline library (issue #18): library_search

library_search-title = Chercher dans la bibliothèque
library_search-library = Bibliothèque
library_search-label = Rechercher
library_search-in = Dans
library_search-all = Toutes les collections
library_search-button = Chercher
library_search-hint = Tapez un mot, ou le début d'un titre.
library_search-no_collections = Aucune collection ne vous est ouverte pour l'instant.
library_search-titles = Titres
library_search-fulltext = Dans le texte des articles
# The number is written before this word, outside the message.
library_search-results = { $n ->
    [one] résultat
   *[other] résultats
}
library_search-none = Aucun article ne contient ces mots.
library_search-preparing = La recherche dans le texte de { $title } est en préparation ({ $done } articles sur { $total }) : pour l'instant, seuls les titres sont cherchés.
library_search-unavailable = La recherche dans le texte de { $title } n'est pas disponible : seuls les titres sont cherchés.
library_search-pages = Pages de résultats
library_search-prev = Page précédente
library_search-next = Page suivante
library_search-page = Page { $n }
