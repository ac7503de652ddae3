//! Excel-specific error codes that Graph returns in `error.code` or (more specifically) in
//! `error.innerError.code`. Comparison is ASCII case-insensitive: Graph is not consistent
//! about the first letter (`InvalidSession` vs `invalidSessionReCreatable`).

use crate::error::GraphError;

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $wire:literal ),* $(,)?) => {
        /// A known Excel/Graph error code; unknown codes are kept in [`ExcelErrorCode::Other`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ExcelErrorCode {
            $( $(#[$doc])* #[doc = concat!("\n\nWire code: `", $wire, "`.")] $variant, )*
            /// A code this crate does not know (kept verbatim).
            Other(String),
        }

        impl ExcelErrorCode {
            /// Every known code as it appears on the wire.
            pub const ALL: &'static [&'static str] = &[$($wire),*];

            /// Reads a wire code (ASCII case-insensitive); an unknown one is kept in
            /// [`ExcelErrorCode::Other`].
            pub fn parse(code: &str) -> ExcelErrorCode {
                $( if code.eq_ignore_ascii_case($wire) { return ExcelErrorCode::$variant; } )*
                ExcelErrorCode::Other(code.to_string())
            }

            /// The code as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $( ExcelErrorCode::$variant => $wire, )*
                    ExcelErrorCode::Other(s) => s,
                }
            }
        }

        /// The wire names as constants, for matching on strings.
        pub mod wire {
            $( #[allow(non_upper_case_globals)] #[doc = concat!("`", $wire, "`")] pub const $variant: &str = $wire; )*
        }
    };
}

codes! {
    /// 429 inner code: Excel throttled the request (often without `Retry-After`).
    TooManyRequestsUncategorized = "tooManyRequestsUncategorized",
    /// 429 top-level code.
    TooManyRequests = "tooManyRequests",
    /// 429: too many concurrent requests for this workbook/user.
    ActivityLimitReached = "activityLimitReached",
    /// 503 inner code.
    ServiceUnavailableUncategorized = "serviceUnavailableUncategorized",
    /// 503 top-level code.
    ServiceUnavailable = "serviceUnavailable",
    /// 504 top-level code.
    GatewayTimeout = "gatewayTimeout",
    /// 500 inner code.
    InternalServerErrorUncategorized = "internalServerErrorUncategorized",
    InternalServerError = "internalServerError",
    GeneralException = "generalException",
    /// The range is larger than Excel accepts in one request (split it).
    RangeExceedsLimit = "rangeExceedsLimit",
    /// The request body or response is too large.
    PayloadTooLarge = "payloadTooLarge",
    InvalidArgument = "invalidArgument",
    InvalidRequest = "invalidRequest",
    InvalidReference = "invalidReference",
    InvalidOperation = "invalidOperation",
    ItemNotFound = "itemNotFound",
    ItemAlreadyExists = "itemAlreadyExists",
    AccessDenied = "accessDenied",
    Unauthenticated = "unauthenticated",
    NotImplemented = "notImplemented",
    UnsupportedOperation = "unsupportedOperation",
    UnsupportedWorkbook = "unsupportedWorkbook",
    /// 409: another session holds the edit lock.
    EditModeCannotAcquireLock = "editModeCannotAcquireLock",
    /// 429: too many requests are waiting for the workbook's edit lock.
    EditModeCannotAcquireLockTooManyRequests = "editModeCannotAcquireLockTooManyRequests",
    InsertDeleteConflict = "insertDeleteConflict",
    /// The session is gone but a new one can be created.
    InvalidSessionReCreatable = "invalidSessionReCreatable",
    /// The session is gone and cannot be recreated (e.g. the file changed).
    InvalidSessionNotRecreatable = "invalidSessionNotRecreatable",
    /// The session is used by another request/user in a conflicting way.
    InvalidSessionAccessConflict = "invalidSessionAccessConflict",
    /// Top-level code some endpoints use for an unknown/expired session.
    InvalidSession = "invalidSession",
    SessionNotFound = "sessionNotFound",
}

impl ExcelErrorCode {
    /// Codes after which a new session is needed (surfaced as `Error::SessionExpired`).
    pub fn is_session_expired(&self) -> bool {
        matches!(
            self,
            ExcelErrorCode::InvalidSessionReCreatable
                | ExcelErrorCode::InvalidSessionNotRecreatable
                | ExcelErrorCode::InvalidSession
                | ExcelErrorCode::SessionNotFound
        )
    }

    /// The workbook's edit lock is held elsewhere (edit-mode throttling): retried with backoff
    /// like a 429 (see [`is_lock_throttled`]).
    pub fn is_lock_throttling(&self) -> bool {
        matches!(
            self,
            ExcelErrorCode::EditModeCannotAcquireLock
                | ExcelErrorCode::EditModeCannotAcquireLockTooManyRequests
        )
    }

    /// Throttling / transient codes (the status decides retries; this is for callers).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ExcelErrorCode::TooManyRequestsUncategorized
                | ExcelErrorCode::TooManyRequests
                | ExcelErrorCode::ActivityLimitReached
                | ExcelErrorCode::ServiceUnavailableUncategorized
                | ExcelErrorCode::ServiceUnavailable
                | ExcelErrorCode::GatewayTimeout
        )
    }
}

/// Whether an error response (status and body) reports Excel's edit lock as held elsewhere
/// ([`ExcelErrorCode::is_lock_throttling`] in `code` or an inner code), which the retry
/// policy retries like a 429. Only 409, 423 and 429 bodies are looked at.
pub fn is_lock_throttled(status: u16, body: &[u8]) -> bool {
    if !matches!(status, 409 | 423 | 429) || body.len() > 64 * 1024 {
        return false;
    }
    // The codes sit at different depths (`error.code`, `error.innerError.code`, ...): a scan of
    // the body's strings finds them without decoding the whole error shape.
    ExcelErrorCode::ALL
        .iter()
        .filter(|w| ExcelErrorCode::parse(w).is_lock_throttling())
        .any(|w| contains_quoted_ci(body, w))
}

/// Whether `body` contains `"word"` (ASCII case-insensitive).
fn contains_quoted_ci(body: &[u8], word: &str) -> bool {
    let w = word.as_bytes();
    body.windows(w.len() + 2).any(|win| {
        win[0] == b'"' && win[w.len() + 1] == b'"' && win[1..=w.len()].eq_ignore_ascii_case(w)
    })
}

impl GraphError {
    /// The most specific Excel code: the inner code when present and non-empty, else `code`.
    pub fn excel_code(&self) -> ExcelErrorCode {
        match self.inner_code.as_deref() {
            Some(inner) if !inner.is_empty() => ExcelErrorCode::parse(inner),
            _ => ExcelErrorCode::parse(&self.code),
        }
    }

    /// True when either the top-level or the inner code says the session is gone.
    pub fn is_session_expired(&self) -> bool {
        ExcelErrorCode::parse(&self.code).is_session_expired()
            || self
                .inner_code
                .as_deref()
                .is_some_and(|c| ExcelErrorCode::parse(c).is_session_expired())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ge(code: &str, inner: Option<&str>) -> GraphError {
        GraphError {
            status: 429,
            code: code.into(),
            message: String::new(),
            inner_code: inner.map(Into::into),
            request_id: None,
            date: None,
        }
    }

    #[test]
    fn parse_round_trips_and_is_case_insensitive() {
        for w in ExcelErrorCode::ALL {
            let c = ExcelErrorCode::parse(w);
            assert!(!matches!(c, ExcelErrorCode::Other(_)), "{w}");
            assert_eq!(c.as_str(), *w);
            assert_eq!(ExcelErrorCode::parse(&w.to_ascii_uppercase()), c);
        }
        assert_eq!(
            ExcelErrorCode::parse("brandNew"),
            ExcelErrorCode::Other("brandNew".into())
        );
        assert_eq!(wire::RangeExceedsLimit, "rangeExceedsLimit");
    }

    #[test]
    fn inner_code_wins() {
        let e = ge("tooManyRequests", Some("tooManyRequestsUncategorized"));
        assert_eq!(e.excel_code(), ExcelErrorCode::TooManyRequestsUncategorized);
        assert!(e.excel_code().is_transient());
        assert_eq!(
            ge("badRequest", Some("")).excel_code(),
            ExcelErrorCode::Other("badRequest".into())
        );
        assert_eq!(
            ge("rangeExceedsLimit", None).excel_code(),
            ExcelErrorCode::RangeExceedsLimit
        );
    }

    #[test]
    fn lock_codes_are_throttling() {
        let body =
            br#"{"error":{"code":"conflict","innerError":{"code":"EditModeCannotAcquireLock"}}}"#;
        assert!(is_lock_throttled(409, body));
        assert!(is_lock_throttled(
            429,
            br#"{"error":{"code":"editModeCannotAcquireLockTooManyRequests"}}"#
        ));
        assert!(!is_lock_throttled(400, body), "only 409/423/429");
        assert!(!is_lock_throttled(
            409,
            br#"{"error":{"code":"itemAlreadyExists"}}"#
        ));
        assert!(!is_lock_throttled(
            409,
            br#"{"error":{"message":"editModeCannotAcquireLockX"}}"#
        ));
    }

    #[test]
    fn session_expiry() {
        assert!(ge("InvalidSession", None).is_session_expired());
        assert!(ge("badRequest", Some("invalidSessionReCreatable")).is_session_expired());
        assert!(!ge("badRequest", Some("invalidArgument")).is_session_expired());
        assert!(!ge("badRequest", Some("invalidSessionAccessConflict")).is_session_expired());
    }
}
