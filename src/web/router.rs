//! Method and path to handler, with `matchit` doing the path matching.

use super::Response;
use super::error::WebError;
use super::req::Req;
use hyper::Method;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<Response, WebError>> + Send>>;
pub type Handler = Arc<dyn Fn(Req) -> HandlerFuture + Send + Sync>;

#[derive(Default)]
pub struct Router {
    by_method: HashMap<Method, matchit::Router<Handler>>,
    patterns: Vec<(Method, String)>,
}

pub enum Found<'a> {
    Handler(&'a Handler, Vec<(String, String)>),
    WrongMethod,
    Nothing,
}

impl Router {
    pub fn add<F, Fut>(&mut self, method: Method, path: &str, f: F)
    where
        F: Fn(Req) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response, WebError>> + Send + 'static,
    {
        let h: Handler = Arc::new(move |req| Box::pin(f(req)));
        self.patterns.push((method.clone(), path.to_owned()));
        self.by_method
            .entry(method)
            .or_default()
            .insert(path, h)
            .unwrap_or_else(|e| panic!("route {path}: {e}"));
    }

    pub fn get<F, Fut>(&mut self, path: &str, f: F)
    where
        F: Fn(Req) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response, WebError>> + Send + 'static,
    {
        self.add(Method::GET, path, f)
    }

    pub fn post<F, Fut>(&mut self, path: &str, f: F)
    where
        F: Fn(Req) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Response, WebError>> + Send + 'static,
    {
        self.add(Method::POST, path, f)
    }

    pub fn find(&self, method: &Method, path: &str) -> Found<'_> {
        let method = if method == Method::HEAD {
            &Method::GET
        } else {
            method
        };
        if let Some(m) = self.by_method.get(method).and_then(|r| r.at(path).ok()) {
            let params = m
                .params
                .iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            return Found::Handler(m.value, params);
        }
        if self.by_method.values().any(|r| r.at(path).is_ok()) {
            Found::WrongMethod
        } else {
            Found::Nothing
        }
    }

    /// Every (method, path pattern) pair, for the authorization walk in the tests.
    pub fn patterns(&self) -> &[(Method, String)] {
        &self.patterns
    }
}
