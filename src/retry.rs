//! Retry policy for throttling (429) and transient faults (503, 504, connection resets before
//! any response).
//!
//! The policy is on by default. It is pure data plus an injectable [`Sleeper`], so the exact
//! schedule of delays can be tested without wall-clock sleeps (either with a recording sleeper or
//! with tokio's paused clock, which the default [`TokioSleeper`] honours).
//!
//! Rules:
//! - at most [`RetryPolicy::max_attempts`] sends per call (first attempt included);
//! - the delay before retry `n` (1-based) is `Retry-After` when the response carries one (seconds
//!   or HTTP-date), else `base_delay * 2^(n-1)` capped at `max_delay`, then jittered down by up to
//!   `jitter` (a fraction);
//! - if the sum of delays would exceed `max_total_delay`, the call stops and returns the last
//!   response's error instead of sleeping;
//! - only 429, 503, 504 and transport errors that happened before any response byte are retried;
//!   timeouts are not retried unless [`RetryPolicy::retry_timeouts`] is set and the method is
//!   idempotent (GET, PUT, DELETE), because the server may have acted on the request;
//! - a non-retryable response ends the call at once: it is never sent again.
//!
//! ```
//! use std::time::Duration;
//! use graph_workbook::{retry::RetryPolicy, Client};
//! let client = Client::builder()
//!     .bearer("token")
//!     .retry_policy(
//!         RetryPolicy::default()
//!             .max_attempts(3)
//!             .base_delay(Duration::from_millis(500))
//!             .max_total_delay(Duration::from_secs(30)),
//!     )
//!     .build()?;
//! let no_retries = Client::builder().bearer("token").retry_policy(RetryPolicy::disabled()).build()?;
//! # let _ = (client, no_retries);
//! # Ok::<(), graph_workbook::Error>(())
//! ```

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};
use crate::request::Method;

/// Where the retry loop waits and reads the time. Injectable for tests.
pub trait Sleeper: Send + Sync + 'static {
    /// Waits for `delay`.
    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>>;
    /// Wall-clock "now", used to turn an HTTP-date `Retry-After` into a delay.
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// The default sleeper: `tokio::time::sleep`, so `tokio::time::pause()` makes it instant and
/// exact in tests.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokioSleeper;

impl Sleeper for TokioSleeper {
    fn sleep(&self, delay: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        Box::pin(tokio::time::sleep(delay))
    }
}

/// How a call is retried. Cheap to clone (the sleeper and jitter source are shared).
#[derive(Clone)]
pub struct RetryPolicy {
    /// Total sends per call, first attempt included. `1` disables retries.
    pub max_attempts: u32,
    /// Backoff before the first retry when the response has no `Retry-After`.
    pub base_delay: Duration,
    /// Cap for one computed backoff delay (a server's `Retry-After` is not capped by this).
    pub max_delay: Duration,
    /// Cap for the sum of all delays of one call.
    pub max_total_delay: Duration,
    /// Fraction (0.0..=1.0) by which a computed backoff is randomly shortened. `0.0` makes
    /// the schedule exact. Never applied to `Retry-After`.
    pub jitter: f64,
    /// Honour `Retry-After` (seconds or HTTP-date). On by default.
    pub honor_retry_after: bool,
    /// Retry client-side timeouts of idempotent requests (GET, PUT, DELETE). Off by default.
    pub retry_timeouts: bool,
    sleeper: Arc<dyn Sleeper>,
    rng: Arc<Mutex<fastrand::Rng>>,
}

impl fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_attempts", &self.max_attempts)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .field("max_total_delay", &self.max_total_delay)
            .field("jitter", &self.jitter)
            .field("honor_retry_after", &self.honor_retry_after)
            .field("retry_timeouts", &self.retry_timeouts)
            .finish_non_exhaustive()
    }
}

impl Default for RetryPolicy {
    /// 5 attempts, 1 s base backoff doubling up to 30 s, 20% jitter, at most 120 s of delay in
    /// total per call.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(30),
            max_total_delay: Duration::from_secs(120),
            jitter: 0.2,
            honor_retry_after: true,
            retry_timeouts: false,
            sleeper: Arc::new(TokioSleeper),
            rng: Arc::new(Mutex::new(fastrand::Rng::new())),
        }
    }
}

/// Why an attempt may be retried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RetryReason {
    /// 429, 503 or 504.
    Status(u16),
    /// Connection failed or was reset before any response arrived.
    Connection,
    /// Client-side timeout (only with `retry_timeouts`, idempotent methods).
    Timeout,
}

impl fmt::Display for RetryReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RetryReason::Status(s) => write!(f, "status {s}"),
            RetryReason::Connection => f.write_str("connection error before response"),
            RetryReason::Timeout => f.write_str("timeout"),
        }
    }
}

/// What one attempt produced, as far as the retry loop cares.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AttemptInfo {
    /// HTTP status, if a response arrived.
    pub status: Option<u16>,
    /// `request-id` response header, for tracing.
    pub request_id: Option<String>,
    /// Set when the attempt may be retried.
    pub retry: Option<RetryReason>,
    /// Raw `Retry-After` header value, if any.
    pub retry_after: Option<String>,
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn disabled() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// At most this many sends per call, the first included (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }
    /// The delay before the first retry when no `Retry-After` is given; doubled for each further retry.
    pub fn base_delay(mut self, d: Duration) -> Self {
        self.base_delay = d;
        self
    }
    /// The cap of one computed delay.
    pub fn max_delay(mut self, d: Duration) -> Self {
        self.max_delay = d;
        self
    }
    /// The cap of the sum of all delays of one call; a retry that would pass it is not made.
    pub fn max_total_delay(mut self, d: Duration) -> Self {
        self.max_total_delay = d;
        self
    }
    /// Jitter fraction, clamped to 0.0..=1.0.
    pub fn jitter(mut self, fraction: f64) -> Self {
        self.jitter = if fraction.is_nan() {
            0.0
        } else {
            fraction.clamp(0.0, 1.0)
        };
        self
    }
    /// Whether a `Retry-After` header decides the delay (default true).
    pub fn honor_retry_after(mut self, yes: bool) -> Self {
        self.honor_retry_after = yes;
        self
    }
    /// Whether timed-out idempotent requests (GET, PUT, DELETE) are retried (default false).
    pub fn retry_timeouts(mut self, yes: bool) -> Self {
        self.retry_timeouts = yes;
        self
    }
    /// Replace the sleeper (tests: a recording or instant sleeper).
    pub fn sleeper(mut self, sleeper: Arc<dyn Sleeper>) -> Self {
        self.sleeper = sleeper;
        self
    }
    /// Make the jitter deterministic.
    pub fn seed(mut self, seed: u64) -> Self {
        self.rng = Arc::new(Mutex::new(fastrand::Rng::with_seed(seed)));
        self
    }

    /// Wait with this policy's sleeper (for retry loops outside [`RetryPolicy::run`], such as
    /// `$batch` sub-requests).
    pub async fn sleep(&self, delay: Duration) {
        self.sleeper.sleep(delay).await
    }

    /// Whether a call may be sent more than once.
    pub fn is_enabled(&self) -> bool {
        self.max_attempts > 1
    }

    /// Whether a response status is retryable.
    pub fn retryable_status(status: u16) -> bool {
        matches!(status, 429 | 503 | 504)
    }

    /// Whether an error from one attempt (no response received) may be retried.
    pub fn retry_reason_for_error(&self, err: &Error, method: Method) -> Option<RetryReason> {
        match err {
            Error::Transport(e) => {
                // Body/decode errors happen after a response started: the server acted.
                if e.is_timeout() {
                    self.timeout_reason(method)
                } else if e.is_body() || e.is_decode() || e.is_builder() || e.is_redirect() {
                    None
                } else {
                    Some(RetryReason::Connection)
                }
            }
            Error::Timeout { .. } => self.timeout_reason(method),
            _ => None,
        }
    }

    fn timeout_reason(&self, method: Method) -> Option<RetryReason> {
        let idempotent = matches!(method, Method::Get | Method::Put | Method::Delete);
        (self.retry_timeouts && idempotent).then_some(RetryReason::Timeout)
    }

    /// The computed backoff before retry number `retry` (1-based), before jitter.
    pub fn backoff(&self, retry: u32) -> Duration {
        let shift = retry.saturating_sub(1).min(31);
        let d = self.base_delay.saturating_mul(1u32 << shift);
        d.min(self.max_delay)
    }

    /// The delay before retry number `retry` (1-based): `Retry-After` if present and honoured,
    /// else the jittered backoff.
    pub fn delay_for(&self, retry: u32, retry_after: Option<&str>) -> Duration {
        if self.honor_retry_after {
            if let Some(d) = retry_after.and_then(|v| parse_retry_after(v, self.sleeper.now())) {
                return d;
            }
        }
        let d = self.backoff(retry);
        if self.jitter <= 0.0 {
            return d;
        }
        let r = self.rng.lock().map(|mut g| g.f64()).unwrap_or(0.0);
        d.mul_f64(1.0 - self.jitter * r)
    }

    /// Run one logical call: `send(attempt)` (1-based) performs one attempt, building the body
    /// afresh; `classify` says whether its result may be retried. Returns the last result.
    ///
    /// Emits a `graph.request` span (method, path template, operation, attempt, status,
    /// request_id) and a `warn` event per retry. Never logs headers, tokens or bodies.
    pub async fn run<T, F, Fut, C>(
        &self,
        method: Method,
        template: &str,
        operation: &str,
        mut send: F,
        classify: C,
    ) -> Result<T>
    where
        F: FnMut(u32) -> Fut,
        Fut: Future<Output = Result<T>>,
        C: Fn(&Result<T>) -> AttemptInfo,
    {
        use tracing::Instrument;
        let span = tracing::info_span!(
            "graph.request",
            method = method.as_str(),
            template = template,
            operation = operation,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
        );
        let max = self.max_attempts.max(1);
        let mut total = Duration::ZERO;
        let mut attempt = 1u32;
        loop {
            // Without a subscriber interested in the span, skip the instrumentation wrapper
            // (it would enter and leave a disabled span on every poll).
            let result = if span.is_disabled() {
                send(attempt).await
            } else {
                span.record("attempt", attempt);
                send(attempt).instrument(span.clone()).await
            };
            let info = classify(&result);
            if !span.is_disabled() {
                if let Some(s) = info.status {
                    span.record("status", s);
                }
                if let Some(id) = &info.request_id {
                    span.record("request_id", id.as_str());
                }
            }
            let Some(reason) = info.retry else {
                return result;
            };
            if attempt >= max {
                span.in_scope(|| {
                    tracing::warn!(attempt, max_attempts = max, reason = %reason, "giving up: attempts exhausted")
                });
                return result;
            }
            let delay = self.delay_for(attempt, info.retry_after.as_deref());
            if total + delay > self.max_total_delay {
                span.in_scope(|| {
                    tracing::warn!(
                        attempt,
                        delay_ms = delay.as_millis() as u64,
                        total_delay_ms = total.as_millis() as u64,
                        reason = %reason,
                        "giving up: total retry delay cap reached"
                    )
                });
                return result;
            }
            span.in_scope(|| {
                tracing::warn!(
                    attempt,
                    next_attempt = attempt + 1,
                    delay_ms = delay.as_millis() as u64,
                    reason = %reason,
                    retry_after = info.retry_after.as_deref(),
                    "retrying"
                )
            });
            drop(result);
            self.sleeper.sleep(delay).await;
            total += delay;
            attempt += 1;
        }
    }
}

/// Parse a `Retry-After` value: delta-seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past gives zero. Garbage gives `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly large values saturate; the total-delay cap then stops the call.
        return Some(Duration::from_secs(v.parse::<u64>().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact() -> RetryPolicy {
        RetryPolicy::default()
            .base_delay(Duration::from_millis(100))
            .max_delay(Duration::from_millis(1000))
            .jitter(0.0)
    }

    #[test]
    fn retry_after_seconds() {
        let now = SystemTime::now();
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
        assert_eq!(
            parse_retry_after("99999999999999999999999", now),
            Some(Duration::from_secs(u64::MAX))
        );
        assert_eq!(parse_retry_after("-3", now), None);
        assert_eq!(parse_retry_after("1.5", now), None);
        assert_eq!(parse_retry_after("", now), None);
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn retry_after_http_date() {
        let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        // In the past: retry at once.
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(Duration::ZERO)
        );
        // Obsolete RFC 850 form is accepted by httpdate too.
        assert_eq!(
            parse_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            parse_retry_after("Wed, 32 Oct 2015 07:28:30 GMT", now),
            None
        );
    }

    #[test]
    fn exponential_backoff_exact() {
        let p = exact();
        let ds: Vec<_> = (1..=6).map(|n| p.delay_for(n, None).as_millis()).collect();
        assert_eq!(ds, vec![100, 200, 400, 800, 1000, 1000]);
        // Huge retry numbers do not overflow.
        assert_eq!(p.backoff(u32::MAX), Duration::from_millis(1000));
    }

    #[test]
    fn retry_after_overrides_backoff_and_is_not_capped_by_max_delay() {
        let p = exact();
        assert_eq!(p.delay_for(1, Some("3")), Duration::from_secs(3));
        assert_eq!(p.delay_for(1, Some("garbage")), Duration::from_millis(100));
        let p = p.honor_retry_after(false);
        assert_eq!(p.delay_for(1, Some("3")), Duration::from_millis(100));
    }

    #[test]
    fn jitter_stays_within_bounds_and_is_seeded() {
        let p = exact().jitter(0.5).seed(42);
        let q = exact().jitter(0.5).seed(42);
        for n in 1..=20 {
            let d = p.delay_for(n, None);
            let full = p.backoff(n);
            assert!(d <= full && d >= full / 2, "{d:?} vs {full:?}");
            assert_eq!(d, q.delay_for(n, None));
        }
        // Jitter never touches Retry-After.
        assert_eq!(p.delay_for(1, Some("2")), Duration::from_secs(2));
    }

    #[test]
    fn statuses() {
        for s in [429, 503, 504] {
            assert!(RetryPolicy::retryable_status(s));
        }
        for s in [
            200, 201, 202, 204, 400, 401, 403, 404, 409, 413, 500, 501, 502,
        ] {
            assert!(!RetryPolicy::retryable_status(s), "{s}");
        }
    }

    #[test]
    fn timeouts_only_for_idempotent_when_enabled() {
        let t = Error::Timeout {
            after: Duration::from_secs(1),
        };
        let p = exact();
        assert_eq!(p.retry_reason_for_error(&t, Method::Get), None);
        let p = p.retry_timeouts(true);
        assert_eq!(
            p.retry_reason_for_error(&t, Method::Get),
            Some(RetryReason::Timeout)
        );
        assert_eq!(p.retry_reason_for_error(&t, Method::Post), None);
        assert_eq!(p.retry_reason_for_error(&t, Method::Patch), None);
        assert_eq!(
            p.retry_reason_for_error(&Error::SessionClosed, Method::Get),
            None
        );
    }
}
