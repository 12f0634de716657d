//! Reading a collection: the list, the main page, an entry, the illustration.

use crate::web::Response;
use crate::web::error::WebError;
use crate::web::req::Req;

pub async fn index(_req: Req) -> Result<Response, WebError> {
    Err(WebError::NotFound)
}

pub async fn illustration(_req: Req) -> Result<Response, WebError> {
    Err(WebError::NotFound)
}

pub async fn main_page(_req: Req) -> Result<Response, WebError> {
    Err(WebError::NotFound)
}

pub async fn entry(_req: Req) -> Result<Response, WebError> {
    Err(WebError::NotFound)
}
