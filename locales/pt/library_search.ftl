## The offline library (issue #18): library_search

library_search-title = Pesquisar na biblioteca
library_search-library = Biblioteca
library_search-label = Pesquisar
library_search-in = Em
library_search-all = Todas as coleções
library_search-button = Pesquisar
library_search-hint = Escreva uma palavra, ou o início de um título.
library_search-no_collections = Ainda não tem acesso a nenhuma coleção.
library_search-titles = Títulos
library_search-fulltext = No texto dos artigos
# The number is written before this word, outside the message.
library_search-results = { $n ->
    [one] resultado
   *[other] resultados
}
library_search-none = Nenhum artigo contém estas palavras.
library_search-preparing = A pesquisa no texto de { $title } está a ser preparada ({ $done } de { $total } artigos): por agora, só os títulos são pesquisados.
library_search-unavailable = A pesquisa no texto de { $title } não está disponível: só os títulos são pesquisados.
library_search-pages = Páginas de resultados
library_search-prev = Página anterior
library_search-next = Página seguinte
library_search-page = Página { $n }
