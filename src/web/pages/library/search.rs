//! Searching the library: title suggestions as one types, titles and full text.

use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;

pub async fn search(_req: Req) -> Result<Response, WebError> {
    Err(WebError::NotFound)
}

pub async fn suggest(_req: Req) -> Result<Response, WebError> {
    Err(WebError::NotFound)
}
