//! Errors of every call. A Graph error body becomes [`Error::Graph`]; transport and decode
//! failures are separate variants; session misuse is caught before any request is sent.

use std::time::Duration;

/// The result of every call: [`Error`] unless stated otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The `error` object of a Graph error response, plus the response metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GraphError {
    /// The HTTP status of the response.
    pub status: u16,
    /// `error.code`, e.g. `itemNotFound`, `InvalidArgument`.
    pub code: String,
    /// `error.message`.
    pub message: String,
    /// The innermost `error.innerError.code` (Excel puts the specific code there, e.g.
    /// `tooManyRequestsUncategorized`, `rangeExceedsLimit`).
    pub inner_code: Option<String>,
    /// `request-id` (header or `innerError.request-id`).
    pub request_id: Option<String>,
    /// `date` (header or `innerError.date`).
    pub date: Option<String>,
}

/// Why a call failed. [`Error::status`] and [`Error::graph`] give the details common to the
/// variants; throttling and transient faults were already retried by the client's
/// [`RetryPolicy`](crate::retry::RetryPolicy) before an error reaches you.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Graph answered with a non-success status and (usually) an error body.
    Graph(Box<GraphError>),
    /// The workbook session expired or was closed on the server; recreate it.
    SessionExpired(Box<GraphError>),
    /// A call was made through a session this client already closed.
    SessionClosed,
    /// Connection, TLS or protocol failure before a complete response arrived.
    Transport(reqwest::Error),
    /// The request did not complete within the configured timeout.
    Timeout {
        /// The attempt timeout that passed.
        after: Duration,
    },
    /// The response body did not match the expected type. `excerpt` holds the start of it.
    Decode {
        /// The HTTP status of the response.
        status: u16,
        /// What the decoder reported.
        message: String,
        /// The start of the body ([`DECODE_EXCERPT_CHARS`] characters).
        excerpt: String,
    },
    /// A caller-side mistake caught before sending (bad A1 address, empty name, >20 batch
    /// requests, ...).
    InvalidInput(String),
    /// A long-running operation reported `failed`, or its deadline passed.
    Operation {
        /// The operation's last status (`failed`, or the one seen when the deadline passed).
        status: String,
        /// The operation's error message, or what the deadline was.
        message: String,
    },
    /// The token provider could not produce a token.
    Auth(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Graph(e) | Error::SessionExpired(e) => {
                write!(f, "Graph error {} {}: {}", e.status, e.code, e.message)?;
                if let Some(inner) = &e.inner_code {
                    write!(f, " ({inner})")?;
                }
                if let Some(id) = &e.request_id {
                    write!(f, " [request-id {id}]")?;
                }
                Ok(())
            }
            Error::SessionClosed => f.write_str("the workbook session was closed by this client"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Timeout { after } => write!(f, "request timed out after {after:?}"),
            Error::Decode {
                status,
                message,
                excerpt,
            } => {
                write!(
                    f,
                    "cannot decode response (status {status}): {message}; body starts {excerpt:?}"
                )
            }
            Error::InvalidInput(m) => write!(f, "invalid input: {m}"),
            Error::Operation { status, message } => {
                write!(f, "long-running operation {status}: {message}")
            }
            Error::Auth(m) => write!(f, "token provider failed: {m}"),
        }
    }
}

impl Error {
    /// A [`Error::Decode`] for a response whose body could not be decoded; keeps the first
    /// [`DECODE_EXCERPT_CHARS`] characters of the body (lossy UTF-8).
    pub fn decode(status: u16, message: impl std::fmt::Display, body: &[u8]) -> Error {
        Error::Decode {
            status,
            message: message.to_string(),
            excerpt: excerpt(body),
        }
    }

    /// The Graph error details of [`Error::Graph`] and [`Error::SessionExpired`].
    pub fn graph(&self) -> Option<&GraphError> {
        match self {
            Error::Graph(e) | Error::SessionExpired(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status, when a response arrived.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Graph(e) | Error::SessionExpired(e) => Some(e.status),
            Error::Decode { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// How many characters of a body [`Error::Decode`] and body-less [`GraphError`]s keep.
pub const DECODE_EXCERPT_CHARS: usize = 200;

/// The start of a body as text, at most [`DECODE_EXCERPT_CHARS`] characters.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(DECODE_EXCERPT_CHARS).collect();
    if text.chars().nth(DECODE_EXCERPT_CHARS).is_some() {
        out.push('…');
    }
    out
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            _ => None,
        }
    }
}
