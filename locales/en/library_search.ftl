## The offline library (issue #18): library_search

library_search-title = Search the library
library_search-library = Library
library_search-label = Search for
library_search-in = In
library_search-all = All collections
library_search-button = Search
library_search-hint = Type a word, or the beginning of a title.
library_search-no_collections = No collection is open to you yet.
library_search-titles = Titles
library_search-fulltext = In the articles' text
# The number is written before this word, outside the message.
library_search-results = { $n ->
    [one] result
   *[other] results
}
library_search-none = No article holds these words.
library_search-preparing = Full-text search in { $title } is being prepared ({ $done } of { $total } articles): only titles are searched for now.
library_search-unavailable = Full-text search in { $title } is unavailable: only titles are searched.
library_search-pages = Result pages
library_search-prev = Previous page
library_search-next = Next page
library_search-page = Page { $n }
