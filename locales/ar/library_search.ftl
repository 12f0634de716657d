## The offline library (issue #18): library_search
