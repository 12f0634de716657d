## The offline library (issue #18): library_admin
