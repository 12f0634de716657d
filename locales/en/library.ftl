## The offline library (issue #18): library

library-title = Library
library-intro = Encyclopaedias, dictionaries and books, to read without the internet.
library-search_all = Search the whole library
library-search_in = Search { $title }
library-search_button = Search
library-language = Language: { $lang }
library-articles = { $n ->
    [one] { $n } article
   *[other] { $n } articles
}
library-empty = No collection to read yet.
library-empty_admin = Collections (Kiwix ZIM files: Wikipedia, Vikidia, Wiktionary…) are added from the administration.
library-admin_link = Manage the library
library-no_main_title = This collection has no front page
library-no_main = Search for an article in the collection.
library-problem_title = Collection unreadable
library-problem = This collection cannot be read at the moment. Please tell the school's administrator.
library-problem_detail = The reader's message: { $detail }
library-bad_path = This article address is not valid.
library-bar_portal = Portal
library-bar_placeholder = Search for an article
