//! The offline library: Kiwix ZIM collections (encyclopaedias, dictionaries, books) read in
//! process and served behind the one login (issue #18).
//!
//! Only the reader exists so far: [`zim`] opens a collection, finds its entries by path or by
//! title and reads their bytes through a bounded cache of decompressed clusters. The registry of
//! installed collections, their audiences, the pages and the full-text index come next.

pub mod zim;
