//! [`Call<T>`]: what every generated operation returns. It is a request-as-data value
//! ([`Call::request`], [`Call::into_request`]) that can also be sent ([`Call::send`], or
//! `.await` directly through [`IntoFuture`]), decoding the response into `T`:
//! - `()` for operations without content (the body, if any, is ignored);
//! - the JSON body for resources (unknown fields are ignored);
//! - the `value` field for collections and primitive results.
//!
//! A body that does not decode gives [`Error::Decode`] with an excerpt of the body.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::node::Shape;
use crate::request::Request;

/// A built, unsent request of a generated operation, typed by its decoded output.
pub struct Call<T> {
    client: Client,
    request: Request,
    shape: Shape,
    /// Why the call must not be sent (an invalid value given on the way), if so.
    invalid: Option<Arc<str>>,
    /// The operation's header list; an empty value marks one the caller must supply.
    required: &'static [(&'static str, &'static str)],
    _out: PhantomData<fn() -> T>,
}

impl<T> Clone for Call<T> {
    fn clone(&self) -> Self {
        Call {
            client: self.client.clone(),
            request: self.request.clone(),
            shape: self.shape,
            invalid: self.invalid.clone(),
            required: self.required,
            _out: PhantomData,
        }
    }
}

impl<T> std::fmt::Debug for Call<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Call")
            .field("request", &self.request)
            .field("shape", &self.shape)
            .finish()
    }
}

impl<T> Call<T> {
    pub(crate) fn new(client: Client, request: Request, shape: Shape) -> Self {
        Call {
            client,
            request,
            shape,
            invalid: None,
            required: &[],
            _out: PhantomData,
        }
    }

    /// The call with what [`Call::check`] verifies before sending.
    pub(crate) fn checked(
        mut self,
        invalid: Option<Arc<str>>,
        headers: &'static [(&'static str, &'static str)],
    ) -> Self {
        self.invalid = invalid;
        self.required = headers;
        self
    }

    /// What [`Call::send`] checks before anything goes out: the values given while navigating
    /// (range addresses, sheet names) were valid, and the headers the operation requires
    /// (`workbook-session-id` for `closeSession` and `refreshSession`) are present. A failed
    /// check is [`Error::InvalidInput`] naming the problem; [`Batch::add`](crate::batch::Batch::add)
    /// applies it too.
    pub fn check(&self) -> Result<()> {
        if let Some(why) = &self.invalid {
            return Err(Error::InvalidInput(format!(
                "{}: {why}",
                self.request.operation
            )));
        }
        for (name, value) in self.required {
            let present = self
                .request
                .headers
                .iter()
                .any(|(k, v)| k.eq_ignore_ascii_case(name) && !v.is_empty());
            if value.is_empty() && !present {
                return Err(Error::InvalidInput(format!(
                    "{}: the {name} header is required (call it through a Session, or add it with Call::header)",
                    self.request.operation
                )));
            }
        }
        Ok(())
    }

    /// The request this call sends.
    pub fn request(&self) -> &Request {
        &self.request
    }

    /// The request, for batching or inspection; nothing is sent.
    pub fn into_request(self) -> Request {
        self.request
    }

    /// How the response body becomes `T`.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// The client that sends this call.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Add or replace a request header (`Prefer`, `workbook-session-id`, ...).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.request
            .headers
            .retain(|(k, _)| !k.eq_ignore_ascii_case(name));
        self.request
            .headers
            .push((name.to_owned(), value.to_owned()));
        self
    }

    /// Add an OData query option (`$select`, `$top`, `$filter`, ...), not yet encoded.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        self.request.query.push((name.to_owned(), value.to_owned()));
        self
    }

    /// Change the output type, keeping the request (e.g. to decode into your own struct).
    pub fn with_output<U>(self) -> Call<U> {
        Call {
            client: self.client,
            request: self.request,
            shape: self.shape,
            invalid: self.invalid,
            required: self.required,
            _out: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Call<T> {
    /// Send the request and decode the response. Invalid input ([`Call::check`]) fails here
    /// without sending.
    pub async fn send(self) -> Result<T> {
        self.check()?;
        let response = self.client.execute(&self.request).await?;
        decode(self.shape, response.status, &response.body)
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for Call<T> {
    type Output = Result<T>;
    type IntoFuture = Pin<Box<dyn Future<Output = Result<T>> + Send>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Decodes a success body according to `shape` (what [`Call::send`] does after the response
/// arrived): for a [`Request`] sent through your own transport, pass [`Call::shape`], the
/// status and the body. A body that does not decode is [`Error::Decode`] with an excerpt.
pub fn decode<T: DeserializeOwned>(shape: Shape, status: u16, body: &[u8]) -> Result<T> {
    let fail = |e: serde_json::Error| Error::decode(status, e, body);
    match shape {
        Shape::Empty => {
            T::deserialize(serde::de::value::UnitDeserializer::<serde_json::Error>::new())
                .map_err(fail)
        }
        Shape::Json => serde_json::from_slice(body).map_err(fail),
        Shape::Value => {
            #[derive(serde::Deserialize)]
            struct Wrapped<T> {
                value: T,
            }
            serde_json::from_slice::<Wrapped<T>>(body)
                .map(|w| w.value)
                .map_err(fail)
        }
    }
}
