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
use crate::error::Result;
use crate::request::Request;

/// OData query options on any [`Call`]. They are plain query pairs: the documented operations
/// that accept them are the collection/`GET` operations whose docs page says "This method
/// supports the OData Query Parameters"; Graph ignores or rejects them elsewhere.
pub trait QueryOptions: Sized {
    /// Adds one query pair (name and value not yet encoded).
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
    /// The items of this page.
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    /// `@odata.nextLink`: the absolute URL of the next page, if any.
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
                        .map(|link| client.request_for_link(link, &req));
                    (Ok(page.value), next)
                }
                Err(e) => (Err(e), None),
            })
        }
    })
    .boxed()
}

#[cfg(test)]
mod tests {
    use super::*;

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
