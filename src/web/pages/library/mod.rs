//! The offline library's pages (issue #18): the collections a person may read, their entries
//! under `/library/<collection>/<entry path>`, title suggestions and search.
//!
//! Every page asks `authorize` (`Action::ReadCollection`) with the collection's audience from
//! the registry; a collection someone may not read is a 404, like one that does not exist.
//! The reader is blocking file I/O and decompression: it runs in `spawn_blocking`.
//!
//! - `read`: `/library`, a collection's main page, its illustration;
//! - `entry`: an entry (paths, redirects, Range, validators, the top bar);
//! - `search`: `/library/suggest` (JSON, as one types) and `/library/search` (titles and
//!   full text, one collection or all).

mod entry;
mod read;
mod search;

use crate::web::router::Router;

pub fn routes(r: &mut Router) {
    r.get("/library", read::index);
    r.get("/library/search", search::search);
    r.get("/library/suggest", search::suggest);
    r.get("/library/illustration/{name}", read::illustration);
    r.get("/library/{name}", read::main_page);
    r.get("/library/{name}/", read::main_page);
    r.get("/library/{name}/{*path}", entry::entry);
}
