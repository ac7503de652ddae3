//! Bearer tokens. The client asks its [`TokenProvider`] for a token on every request (every
//! attempt, once retries exist), so a provider that refreshes or caches tokens works without
//! rebuilding the client.

use std::fmt;
use std::future::Future;
use std::pin::Pin;

use crate::{Error, Result};

/// A boxed, `Send` future, as returned by [`TokenProvider::token`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Produces the bearer token for a request.
///
/// Implement it for your own credential source (MSAL, a managed identity, a cache), or use
/// [`StaticToken`] / [`token_fn`]. Errors should be [`Error::Auth`].
pub trait TokenProvider: Send + Sync + 'static {
    /// The access token (without the `Bearer ` prefix) to send with the next request.
    fn token(&self) -> BoxFuture<'_, Result<String>>;

    /// A token that never changes, if this provider has one: the client then formats its
    /// `Authorization` header once instead of awaiting [`TokenProvider::token`] per request.
    /// Providers that refresh keep the default (`None`).
    fn fixed_token(&self) -> Option<&str> {
        None
    }
}

/// A fixed token. `Debug` does not show it.
#[derive(Clone)]
pub struct StaticToken(String);

impl StaticToken {
    /// A provider that always returns `token`.
    pub fn new(token: impl Into<String>) -> Self {
        StaticToken(token.into())
    }
}

impl fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

impl TokenProvider for StaticToken {
    fn token(&self) -> BoxFuture<'_, Result<String>> {
        let t = self.0.clone();
        Box::pin(async move { Ok(t) })
    }

    fn fixed_token(&self) -> Option<&str> {
        Some(&self.0)
    }
}

/// A provider from an async closure, called once per request:
///
/// ```
/// # use graph_workbook::auth::token_fn;
/// let provider = token_fn(|| async {
///     // fetch or refresh here
///     Ok::<_, std::io::Error>("eyJ0eXAi...".to_string())
/// });
/// ```
///
/// The closure's error is turned into [`Error::Auth`] with its message.
pub fn token_fn<F, Fut, E>(f: F) -> FnTokenProvider<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = std::result::Result<String, E>> + Send + 'static,
    E: fmt::Display,
{
    FnTokenProvider(f)
}

/// See [`token_fn`].
pub struct FnTokenProvider<F>(F);

impl<F> fmt::Debug for FnTokenProvider<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FnTokenProvider")
    }
}

impl<F, Fut, E> TokenProvider for FnTokenProvider<F>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: Future<Output = std::result::Result<String, E>> + Send + 'static,
    E: fmt::Display,
{
    fn token(&self) -> BoxFuture<'_, Result<String>> {
        let fut = (self.0)();
        Box::pin(async move { fut.await.map_err(|e| Error::Auth(e.to_string())) })
    }
}

impl<T: TokenProvider + ?Sized> TokenProvider for std::sync::Arc<T> {
    fn token(&self) -> BoxFuture<'_, Result<String>> {
        (**self).token()
    }

    fn fixed_token(&self) -> Option<&str> {
        (**self).fixed_token()
    }
}
