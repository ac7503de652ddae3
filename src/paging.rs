//! Collections: follow `@odata.nextLink` as an async stream, and the OData query options
//! (`$select`, `$top`, `$skip`, `$filter`, `$orderby`, `$expand`).
//!
//! ```no_run
//! # async fn f(call: graph_workbook::call::Call<Vec<serde_json::Value>>) -> graph_workbook::Result<()> {
//! use futures_util::TryStreamExt;
//! use graph_workbook::paging::{Paging, QueryOptions};
//! let items: Vec<serde_json::Value> = call.select(&["id", "name"]).top(50).items().try_collect().await?;
//! # Ok(()) }
//! ```
//!
//! Every page is one request through [`Client::execute`] (so it is retried and traced like any
//! call). A `nextLink` pointing to another origin than the client's base URL is refused: the
//! client would otherwise send its token there.

use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use crate::call::Call;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::{Method, Request};

/// OData query options on any [`Call`]. They are plain query pairs: the documented operations
/// that accept them are the collection/`GET` operations whose docs page says "This method
/// supports the OData Query Parameters"; Graph ignores or rejects them elsewhere.
pub trait QueryOptions: Sized {
    fn odata(self, name: &str, value: &str) -> Self;

    /// `$select=a,b`
    fn select(self, fields: &[&str]) -> Self {
        self.odata("$select", &fields.join(","))
    }
    /// `$expand=...`
    fn expand(self, expr: &str) -> Self {
        self.odata("$expand", expr)
    }
    /// `$filter=...` (an OData expression; quote strings as `'it''s'`).
    fn filter(self, expr: &str) -> Self {
        self.odata("$filter", expr)
    }
    /// `$orderby=name desc`
    fn orderby(self, expr: &str) -> Self {
        self.odata("$orderby", expr)
    }
    /// `$top=n`
    fn top(self, n: u64) -> Self {
        self.odata("$top", &n.to_string())
    }
    /// `$skip=n`
    fn skip(self, n: u64) -> Self {
        self.odata("$skip", &n.to_string())
    }
}

fn set_query(query: &mut Vec<(String, String)>, name: &str, value: &str) {
    // Setting an option twice replaces it: `$top=5&$top=10` is an OData error.
    query.retain(|(k, _)| !k.eq_ignore_ascii_case(name));
    query.push((name.to_owned(), value.to_owned()));
}

impl<T> QueryOptions for Call<T> {
    fn odata(self, name: &str, value: &str) -> Self {
        let client = self.client().clone();
        let shape = self.shape();
        let mut req = self.into_request();
        set_query(&mut req.query, name, value);
        Call::new(client, req, shape)
    }
}

impl QueryOptions for Request {
    fn odata(mut self, name: &str, value: &str) -> Self {
        set_query(&mut self.query, name, value);
        self
    }
}

/// One page of a collection.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(bound = "T: DeserializeOwned")]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
}

/// Paging on collection calls (`Call<Vec<T>>`).
pub trait Paging<T> {
    /// Pages, following `@odata.nextLink` until there is none.
    fn pages(self) -> impl Stream<Item = Result<Vec<T>>> + Send;
    /// Items of all pages, in order.
    fn items(self) -> impl Stream<Item = Result<T>> + Send;
}

impl<T: DeserializeOwned + Send + 'static> Paging<T> for Call<Vec<T>> {
    fn pages(self) -> impl Stream<Item = Result<Vec<T>>> + Send {
        let client = self.client().clone();
        pages(client, self.into_request())
    }
    fn items(self) -> impl Stream<Item = Result<T>> + Send {
        self.pages()
            .map_ok(|v| stream::iter(v.into_iter().map(Ok)))
            .try_flatten()
    }
}

/// Pages of the collection that `first` returns. Stops after the first error.
pub fn pages<T: DeserializeOwned + Send + 'static>(
    client: Client,
    first: Request,
) -> impl Stream<Item = Result<Vec<T>>> + Send {
    // State: the next request to send, or the error to yield after the page that led to it
    // (a bad nextLink must not swallow the items already received).
    stream::unfold(Some(Ok(first)), move |next: Option<Result<Request>>| {
        let client = client.clone();
        async move {
            let req = match next? {
                Ok(req) => req,
                Err(e) => return Some((Err(e), None)),
            };
            let page = async {
                let resp = client.execute(&req).await?;
                resp.json::<Page<T>>()
            }
            .await;
            Some(match page {
                Ok(page) => {
                    let next = page
                        .next_link
                        .as_deref()
                        .map(|link| request_for_link(&client, link, &req));
                    (Ok(page.value), next)
                }
                Err(e) => (Err(e), None),
            })
        }
    })
    .boxed()
}

/// A GET request for an absolute link Graph returned (`@odata.nextLink`, `Location`,
/// `resourceLocation`), relative to the client's base URL. Keeps the headers of `like`
/// (session, `Prefer`). Refuses links to another origin or outside the base path.
pub fn request_for_link(client: &Client, link: &str, like: &Request) -> Result<Request> {
    let base = client.base_url();
    let rest = strip_base(base, link).ok_or_else(|| {
        Error::InvalidInput(format!(
            "link {link:?} is not under the client's base URL {base:?}; not following it"
        ))
    })?;
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (rest, None),
    };
    let path = if path.starts_with('/') {
        path.to_string()
    } else {
        format!("/{path}")
    };
    let query = query
        .map(|q| {
            q.split('&')
                .filter(|s| !s.is_empty())
                .map(|kv| {
                    let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
                    (pct_decode(k), pct_decode(v))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Request {
        method: Method::Get,
        path,
        query,
        headers: like.headers.clone(),
        body: None,
        operation: like.operation,
        template: like.template,
    })
}

/// `link` minus `base` (scheme and host compared case-insensitively), or `None`.
fn strip_base<'a>(base: &str, link: &'a str) -> Option<&'a str> {
    if link.starts_with('/') {
        return Some(link);
    }
    let head = link.get(..base.len())?;
    if !head.eq_ignore_ascii_case(base) {
        return None;
    }
    let rest = &link[base.len()..];
    (rest.is_empty() || rest.starts_with('/') || rest.starts_with('?')).then_some(rest)
}

fn pct_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strip_base_rules() {
        let b = "https://graph.microsoft.com/v1.0";
        assert_eq!(
            strip_base(b, "https://graph.microsoft.com/v1.0/me/x?a=1"),
            Some("/me/x?a=1")
        );
        assert_eq!(
            strip_base(b, "HTTPS://GRAPH.microsoft.com/v1.0/me"),
            Some("/me")
        );
        assert_eq!(strip_base(b, "https://graph.microsoft.com/v1.0x/me"), None);
        assert_eq!(strip_base(b, "https://evil.example/v1.0/me"), None);
        assert_eq!(strip_base(b, "https://graph.microsoft.com/beta/me"), None);
        assert_eq!(strip_base(b, "/me/drive"), Some("/me/drive"));
    }

    #[test]
    fn set_query_replaces() {
        let mut q = vec![("$top".to_string(), "5".to_string())];
        set_query(&mut q, "$TOP", "10");
        set_query(&mut q, "$select", "a,b");
        assert_eq!(
            q,
            vec![
                ("$TOP".into(), "10".into()),
                ("$select".into(), "a,b".into())
            ]
        );
    }
}
