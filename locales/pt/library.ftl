## The offline library (issue #18): library

library-title = Biblioteca
library-intro = Enciclopédias, dicionários e livros, para ler sem internet.
library-search_all = Pesquisar em toda a biblioteca
library-search_in = Pesquisar em { $title }
library-search_button = Pesquisar
library-language = Língua: { $lang }
library-articles = { $n ->
    [one] { $n } artigo
   *[other] { $n } artigos
}
library-empty = Ainda não há nenhuma coleção para ler.
library-empty_admin = As coleções (ficheiros ZIM do Kiwix: Wikipédia, Vikidia, Wikcionário…) acrescentam-se na administração.
library-admin_link = Gerir a biblioteca
library-no_main_title = Esta coleção não tem página inicial
library-no_main = Pesquise um artigo na coleção.
library-problem_title = Coleção ilegível
library-problem = Esta coleção não pode ser lida de momento. Avise o administrador da escola.
library-problem_detail = Mensagem do leitor: { $detail }
library-bad_path = Este endereço de artigo não é válido.
library-bar_portal = Portal
library-bar_placeholder = Pesquisar um artigo
