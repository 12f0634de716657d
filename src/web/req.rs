//! One web request as handlers see it: who is asking, in which language, and helpers to
//! read forms (with their CSRF check) and render pages in the shared shell.

use super::error::WebError;
use super::{Response, full};
use crate::app::App;
use crate::auth::{self, Action, Allowed, Principal, Session};
use bytes::Bytes;
use http_body_util::{BodyExt, Limited};
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, StatusCode, Uri};
use minijinja::{Value, context};
use serde::de::DeserializeOwned;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};

/// The largest urlencoded form accepted; forms are small, so anything bigger is an attack or a
/// mistake.
pub const FORM_LIMIT: usize = 64 * 1024;
/// Up to this many bytes of a refused body are read and dropped before answering.
const DRAIN_LIMIT: u64 = 2 * 1024 * 1024;
/// The cookie that carries a visitor's CSRF token before there is a session (the login form).
pub const PRE_SESSION_COOKIE: &str = "cartable_csrf";
/// The cookie that keeps a visitor's language choice before login.
pub const LANG_COOKIE: &str = "cartable_lang";

/// How the connection reached us.
#[derive(Debug, Clone, Copy)]
pub struct Conn {
    pub peer: SocketAddr,
    pub https: bool,
}

pub struct Req {
    pub app: App,
    pub method: Method,
    pub uri: Uri,
    pub headers: HeaderMap,
    pub body: Option<hyper::body::Incoming>,
    pub params: Vec<(String, String)>,
    pub conn: Conn,
    pub principal: Option<Arc<Principal>>,
    pub session: Option<Arc<Session>>,
    pub lang: &'static str,
    /// The pre-session CSRF token from the visitor's cookie, if any.
    pub pre_csrf: Option<String>,
    /// Cookies the response must set (a new pre-session token, say).
    pub set_cookies: Vec<String>,
}

impl Req {
    /// The logged-in principal, or a redirect to the login page.
    pub fn principal(&self) -> Result<&Arc<Principal>, WebError> {
        self.principal.as_ref().ok_or(WebError::LoginRequired)
    }

    /// Asks the one policy whether the logged-in principal may do `action`.
    pub fn allow(&self, action: &Action<'_>) -> Result<Allowed, WebError> {
        Ok(auth::authorize(self.principal()?, action)?)
    }

    /// A path parameter from the route (`/admin/users/{id}`), parsed.
    pub fn param<T: std::str::FromStr>(&self, name: &str) -> Result<T, WebError> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .and_then(|(_, v)| v.parse().ok())
            .ok_or(WebError::NotFound)
    }

    /// The query string, decoded into `T`; a malformed one is a bad request.
    pub fn query<T: DeserializeOwned>(&self) -> Result<T, WebError> {
        serde_urlencoded::from_str(self.uri.query().unwrap_or(""))
            .map_err(|_| WebError::BadRequest("error.bad_query"))
    }

    /// The portal's address as this request reached it (`https://host`), for links that leave
    /// the page: feeds, calendar subscriptions.
    pub fn origin(&self) -> String {
        let host = self.header(header::HOST).unwrap_or("localhost");
        let scheme = if self.conn.https { "https" } else { "http" };
        format!("{scheme}://{host}")
    }

    pub fn header(&self, name: header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The CSRF token forms on this page must carry.
    pub fn csrf_token(&mut self) -> String {
        if let Some(s) = &self.session {
            return s.csrf.clone();
        }
        if let Some(t) = &self.pre_csrf {
            return t.clone();
        }
        let t = crate::random_token(24);
        self.set_cookies
            .push(super::cookie(PRE_SESSION_COOKIE, &t, self.conn.https, None));
        self.pre_csrf = Some(t.clone());
        t
    }

    /// Rejects a state-changing request whose `Origin` (or, lacking it, `Referer`) names
    /// another site. Requests with neither pass: old browsers and scripts send none, and the
    /// CSRF token still guards them.
    pub(crate) fn check_origin(&self) -> Result<(), WebError> {
        let host = self.header(header::HOST).unwrap_or("");
        let source = self
            .header(header::ORIGIN)
            .or_else(|| self.header(header::REFERER));
        let Some(source) = source else { return Ok(()) };
        let authority = source
            .parse::<Uri>()
            .ok()
            .and_then(|u| u.authority().map(|a| a.as_str().to_owned()));
        match authority {
            Some(a) if a.eq_ignore_ascii_case(host) => Ok(()),
            _ => {
                log::warn!(
                    "refused a {} to {} from origin {source:?} (host {host:?})",
                    self.method,
                    self.uri.path()
                );
                Err(WebError::Csrf)
            }
        }
    }

    pub(crate) fn check_csrf(&self, sent: Option<&str>) -> Result<(), WebError> {
        let expected = match (&self.session, &self.pre_csrf) {
            (Some(s), _) => Some(s.csrf.as_str()),
            (None, Some(t)) => Some(t.as_str()),
            (None, None) => None,
        };
        match (expected, sent) {
            (Some(e), Some(s)) if crate::constant_time_eq(e.as_bytes(), s.as_bytes()) => Ok(()),
            _ => Err(WebError::Csrf),
        }
    }

    /// Reads the whole body, refusing more than `limit` bytes.
    pub async fn body_bytes(&mut self, limit: usize) -> Result<Bytes, WebError> {
        if let Some(len) = self
            .header(header::CONTENT_LENGTH)
            .and_then(|l| l.parse::<u64>().ok())
            && len > limit as u64
        {
            // Read and drop a moderate excess, so that the client, still sending, gets our
            // answer rather than a reset connection; a huge one just gets the connection closed.
            if len <= DRAIN_LIMIT
                && let Some(body) = self.body.take()
            {
                let _ = Limited::new(body, DRAIN_LIMIT as usize).collect().await;
            }
            return Err(WebError::TooLarge(limit as u64));
        }
        let body = self
            .body
            .take()
            .ok_or(WebError::BadRequest("error.bad_form"))?;
        match Limited::new(body, limit).collect().await {
            Ok(c) => Ok(c.to_bytes()),
            Err(e) if e.is::<http_body_util::LengthLimitError>() => {
                Err(WebError::TooLarge(limit as u64))
            }
            Err(_) => Err(WebError::BadRequest("error.bad_form")),
        }
    }

    /// Reads an urlencoded body that another program sent (an application's server at the
    /// token endpoint, an application's page posting to end_session), without the Origin and
    /// CSRF checks a form of ours needs: for endpoints that authenticate the caller otherwise
    /// (a client secret, PKCE, a bearer token) or change nothing unconfirmed. Pairs come in
    /// order, repeats kept, so the caller can refuse a repeated parameter.
    pub async fn api_form(&mut self, limit: usize) -> Result<Vec<(String, String)>, WebError> {
        if let Some(ct) = self.header(header::CONTENT_TYPE) {
            let essence = ct.split(';').next().unwrap_or("").trim();
            if !essence.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
                return Err(WebError::BadRequest("error.bad_form"));
            }
        }
        let bytes = self.body_bytes(limit).await?;
        serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::BadRequest("error.bad_form"))
    }

    /// Reads an urlencoded form into `T` after checking its origin and CSRF token.
    pub async fn form<T: DeserializeOwned>(&mut self) -> Result<T, WebError> {
        self.form_limited(FORM_LIMIT).await
    }

    /// [`Req::form`] for a form whose text may be longer than [`FORM_LIMIT`] once encoded (a
    /// forum post: each character may take up to 12 bytes as `%XX%XX%XX%XX`).
    pub async fn form_limited<T: DeserializeOwned>(&mut self, limit: usize) -> Result<T, WebError> {
        self.check_origin()?;
        let bytes = self.body_bytes(limit).await?;
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
            .map_err(|_| WebError::BadRequest("error.bad_form"))?;
        self.check_csrf(
            pairs
                .iter()
                .find(|(k, _)| k == "csrf")
                .map(|(_, v)| v.as_str()),
        )?;
        serde_urlencoded::from_bytes(&bytes).map_err(|_| WebError::BadRequest("error.bad_form"))
    }

    /// Reads a multipart form (a file upload) of at most `limit` bytes in all, after checking
    /// its origin and CSRF token. Text fields and files are returned by name.
    pub async fn multipart(&mut self, limit: usize) -> Result<Multipart, WebError> {
        self.check_origin()?;
        let boundary = self
            .header(header::CONTENT_TYPE)
            .and_then(|ct| multer::parse_boundary(ct).ok())
            .ok_or(WebError::BadRequest("error.bad_form"))?;
        let bytes = self.body_bytes(limit).await?;
        let stream = futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(bytes) });
        let mut mp = multer::Multipart::new(stream, boundary);
        let mut out = Multipart::default();
        while let Some(field) = mp
            .next_field()
            .await
            .map_err(|_| WebError::BadRequest("error.bad_form"))?
        {
            let name = field.name().unwrap_or("").to_owned();
            let file_name = field.file_name().map(str::to_owned);
            let data = field
                .bytes()
                .await
                .map_err(|_| WebError::BadRequest("error.bad_form"))?;
            match file_name {
                Some(f) => out.files.push((name, f, data)),
                None => out
                    .fields
                    .push((name, String::from_utf8_lossy(&data).into_owned())),
            }
        }
        self.check_csrf(out.field("csrf"))?;
        Ok(out)
    }

    /// Starts reading a multipart form part by part, for uploads too large to hold in memory.
    /// The whole body is capped at `limit` bytes. The `csrf` field must come before any file
    /// (forms put their hidden input first): a file part met before a valid token is refused.
    pub fn multipart_stream(&mut self, limit: u64) -> Result<MultipartStream, WebError> {
        self.check_origin()?;
        let boundary = self
            .header(header::CONTENT_TYPE)
            .and_then(|ct| multer::parse_boundary(ct).ok())
            .ok_or(WebError::BadRequest("error.bad_form"))?;
        if self
            .header(header::CONTENT_LENGTH)
            .and_then(|l| l.parse::<u64>().ok())
            .is_some_and(|len| len > limit)
        {
            return Err(WebError::TooLarge(limit));
        }
        let body = self
            .body
            .take()
            .ok_or(WebError::BadRequest("error.bad_form"))?;
        let constraints =
            multer::Constraints::new().size_limit(multer::SizeLimit::new().whole_stream(limit));
        let fed = Arc::new(Fed::default());
        let stream = Guarded {
            inner: body.into_data_stream(),
            rest: Bytes::new(),
            fed: fed.clone(),
            handed: false,
        };
        let mp = multer::Multipart::with_constraints(stream, boundary, constraints);
        let expected = match (&self.session, &self.pre_csrf) {
            (Some(s), _) => Some(s.csrf.clone()),
            (None, Some(t)) => Some(t.clone()),
            (None, None) => None,
        };
        Ok(MultipartStream {
            mp,
            expected,
            csrf_ok: false,
            limit,
            fed,
        })
    }

    /// Renders `template` inside the page shell with `ctx`, status 200.
    pub fn render(&mut self, template: &str, ctx: Value) -> Result<Response, WebError> {
        self.render_status(StatusCode::OK, template, ctx)
    }

    pub fn render_status(
        &mut self,
        status: StatusCode,
        template: &str,
        ctx: Value,
    ) -> Result<Response, WebError> {
        let base = self.base_context();
        let html = self
            .app
            .templates
            .render_body(template, context! { ..ctx, ..base })?;
        let mut resp = Response::new(full(html));
        *resp.status_mut() = status;
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html; charset=utf-8"),
        );
        self.apply_cookies(&mut resp);
        Ok(resp)
    }

    /// What every page knows: language, school, who is logged in, the CSRF token, the menu.
    fn base_context(&mut self) -> Value {
        let csrf = self.csrf_token();
        let settings = self.app.settings();
        let me = self.principal.as_deref();
        let can_admin = me.is_some_and(|p| auth::authorize(p, &Action::AdminArea).is_ok());
        let msg = self
            .uri
            .query()
            .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
            .and_then(|q| {
                q.into_iter()
                    .find(|(k, _)| k == "msg")
                    .map(|(_, v)| format!("flash.{v}"))
            })
            .filter(|k| self.app.i18n.has(k));
        context! {
            lang => self.lang,
            dir => crate::i18n::dir(self.lang),
            languages => crate::i18n::LANGUAGES,
            school => settings.school_name.clone(),
            me => me,
            can_admin => can_admin,
            csrf => csrf,
            path => self.uri.path(),
            msg => msg,
            version => crate::VERSION,
        }
    }

    /// Adds the cookies this request decided to set to `resp`.
    pub fn apply_cookies(&mut self, resp: &mut Response) {
        for c in self.set_cookies.drain(..) {
            if let Ok(v) = HeaderValue::from_str(&c) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
        }
    }

    /// A message in the request's language.
    pub fn t(&self, key: &str) -> String {
        self.app.i18n.get(self.lang, key).to_owned()
    }
}

#[derive(Default)]
pub struct Multipart {
    pub fields: Vec<(String, String)>,
    /// (field name, file name, content)
    pub files: Vec<(String, String, Bytes)>,
}

impl Multipart {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A multipart body read as it arrives; see [`Req::multipart_stream`].
pub struct MultipartStream {
    mp: multer::Multipart<'static>,
    expected: Option<String>,
    csrf_ok: bool,
    limit: u64,
    fed: Arc<Fed>,
}

/// The most bytes multer may take in without handing anything back: the preamble before the
/// first boundary, a part's headers, the framing between parts. multer holds these in memory
/// until it finds their end, so a part whose headers never ended was held whole, up to the
/// upload's 4 GiB cap. Browsers send a few hundred bytes.
pub const FRAMING_LIMIT: u64 = 64 * 1024;
/// The body is handed to multer this much at a time, so that what it holds (and scans again
/// for a boundary) stays small.
const STEP: usize = 16 * 1024;

/// What the guard and the reader share: bytes handed to multer since it last gave something
/// back, and how many it may take so (more while draining a refused body).
struct Fed {
    since_output: AtomicU64,
    limit: AtomicU64,
}

impl Default for Fed {
    fn default() -> Self {
        Fed {
            since_output: AtomicU64::new(0),
            limit: AtomicU64::new(FRAMING_LIMIT),
        }
    }
}

impl Fed {
    fn output(&self) {
        self.since_output.store(0, Ordering::Relaxed);
    }
}

/// The request body as multer reads it: in steps of at most [`STEP`] bytes, one per poll
/// (multer otherwise takes all that is ready), refused past the limit without output.
struct Guarded {
    inner: http_body_util::BodyDataStream<hyper::body::Incoming>,
    rest: Bytes,
    fed: Arc<Fed>,
    /// A step was handed out at the last poll: this one yields, so that multer looks at it.
    handed: bool,
}

/// Framing longer than [`FRAMING_LIMIT`].
#[derive(Debug)]
struct FramingTooLong;

impl std::fmt::Display for FramingTooLong {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "multipart framing over {FRAMING_LIMIT} bytes")
    }
}

impl std::error::Error for FramingTooLong {}

type StreamError = Box<dyn std::error::Error + Send + Sync>;

impl futures_util::Stream for Guarded {
    type Item = Result<Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.handed {
            this.handed = false;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        if this.fed.since_output.load(Ordering::Relaxed) > this.fed.limit.load(Ordering::Relaxed) {
            return Poll::Ready(Some(Err(Box::new(FramingTooLong))));
        }
        if this.rest.is_empty() {
            match futures_util::ready!(Pin::new(&mut this.inner).poll_next(cx)) {
                None => return Poll::Ready(None),
                Some(Err(e)) => return Poll::Ready(Some(Err(Box::new(e)))),
                Some(Ok(b)) => this.rest = b,
            }
        }
        let step = this.rest.split_to(this.rest.len().min(STEP));
        this.fed
            .since_output
            .fetch_add(step.len() as u64, Ordering::Relaxed);
        this.handed = true;
        Poll::Ready(Some(Ok(step)))
    }
}

/// One part of a streamed multipart form.
pub enum Part {
    /// A text field, at most [`FORM_LIMIT`] bytes.
    Text(String, String),
    /// A file: read its bytes with [`FilePart::chunk`] before asking for the next part.
    File(Box<FilePart>),
}

pub struct FilePart {
    pub field: String,
    /// The name the browser sent (only the last component of a path some browsers send).
    pub file_name: String,
    inner: multer::Field<'static>,
    limit: u64,
    fed: Arc<Fed>,
}

impl FilePart {
    /// The next piece of the file, or `None` at its end. A body cut short or over the cap is
    /// an error: the caller drops what it wrote.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, WebError> {
        let c = self
            .inner
            .chunk()
            .await
            .map_err(|e| multipart_error(e, self.limit))?;
        self.fed.output();
        Ok(c)
    }
}

fn multipart_error(e: multer::Error, limit: u64) -> WebError {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => {
            WebError::TooLarge(limit)
        }
        multer::Error::StreamReadFailed(e) if e.is::<FramingTooLong>() => {
            WebError::BadRequest("error.bad_form")
        }
        _ => WebError::BadRequest("files.error_incomplete"),
    }
}

impl MultipartStream {
    /// The next part, checking the CSRF token as it passes.
    pub async fn next(&mut self) -> Result<Option<Part>, WebError> {
        let limit = self.limit;
        let Some(mut field) = self
            .mp
            .next_field()
            .await
            .map_err(|e| multipart_error(e, limit))?
        else {
            return Ok(None);
        };
        self.fed.output();
        let name = field.name().unwrap_or("").to_owned();
        if let Some(file_name) = field.file_name() {
            if !self.csrf_ok {
                return Err(WebError::Csrf);
            }
            let file_name = file_name
                .rsplit(['/', '\\'])
                .next()
                .unwrap_or("")
                .to_owned();
            return Ok(Some(Part::File(Box::new(FilePart {
                field: name,
                file_name,
                inner: field,
                limit,
                fed: self.fed.clone(),
            }))));
        }
        let mut text = Vec::new();
        while let Some(c) = field.chunk().await.map_err(|e| multipart_error(e, limit))? {
            self.fed.output();
            if text.len() + c.len() > FORM_LIMIT {
                return Err(WebError::TooLarge(FORM_LIMIT as u64));
            }
            text.extend_from_slice(&c);
        }
        let text = String::from_utf8(text).map_err(|_| WebError::BadRequest("error.bad_form"))?;
        if name == "csrf" {
            match &self.expected {
                Some(e) if crate::constant_time_eq(e.as_bytes(), text.as_bytes()) => {
                    self.csrf_ok = true
                }
                _ => return Err(WebError::Csrf),
            }
        }
        Ok(Some(Part::Text(name, text)))
    }

    /// Reads and drops what is left of the body, up to `max` bytes, stopping at the first
    /// error: after a refusal, so that a client still sending can read the answer.
    pub async fn drain(&mut self, max: u64) {
        // The rest of a part left unread passes as framing; `max` bounds it too.
        self.fed.limit.store(max, Ordering::Relaxed);
        let mut seen = 0u64;
        while let Ok(Some(mut field)) = self.mp.next_field().await {
            while let Ok(Some(c)) = field.chunk().await {
                seen += c.len() as u64;
                if seen > max {
                    return;
                }
            }
        }
    }

    /// Whether a valid `csrf` field has been read.
    pub fn csrf_checked(&self) -> bool {
        self.csrf_ok
    }
}

/// `page?next=...`: a page (the login, the password change) that sends the person on to
/// `next` once done.
pub fn with_next(page: &str, next: &str) -> String {
    let q = serde_urlencoded::to_string([("next", next)]).unwrap_or_default();
    format!("{page}?{q}")
}

/// A `303 See Other` to a path on this site.
pub fn redirect(location: &str) -> Response {
    let mut resp = Response::new(super::empty());
    *resp.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

/// `next` if it is a path on this site, else `/`: never an open redirect.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.contains(['\r', '\n']) =>
        {
            n.to_owned()
        }
        _ => "/".to_owned(),
    }
}
