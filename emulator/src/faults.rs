//! Seeded fault injection, like Dev Proxy's: a fraction of requests gets 429 (with or
//! without `Retry-After`), 503 or 504 instead of an answer.

use std::str::FromStr;

use crate::error::GraphError;

/// One kind of injected failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// 429 `TooManyRequests` with `Retry-After`.
    ThrottleRetryAfter,
    /// 429 without `Retry-After`.
    Throttle,
    /// 503 `ServiceUnavailable`.
    Unavailable,
    /// 504 `GatewayTimeout`.
    GatewayTimeout,
}

/// Fault injection settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Fraction of requests that fail, 0.0..=1.0.
    pub rate: f64,
    /// Seed of the generator: the same seed and request sequence fail the same way.
    pub seed: u64,
    /// Kinds to pick from (uniformly).
    pub kinds: Vec<FaultKind>,
    /// `Retry-After` seconds for [`FaultKind::ThrottleRetryAfter`].
    pub retry_after_secs: u64,
}

impl Default for Faults {
    fn default() -> Self {
        Faults {
            rate: 0.1,
            seed: 1,
            kinds: vec![
                FaultKind::ThrottleRetryAfter,
                FaultKind::Throttle,
                FaultKind::Unavailable,
                FaultKind::GatewayTimeout,
            ],
            retry_after_secs: 1,
        }
    }
}

impl FromStr for Faults {
    type Err = String;

    /// `rate=0.2,seed=7,kinds=429+429-retry-after+503+504,retry-after=1` (every key
    /// optional; a bare number is the rate).
    fn from_str(s: &str) -> Result<Faults, String> {
        let mut f = Faults::default();
        for part in s.split(',').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or(("rate", part));
            match k {
                "rate" => {
                    f.rate = v
                        .parse()
                        .ok()
                        .filter(|r: &f64| (0.0..=1.0).contains(r))
                        .ok_or(format!("--faults: rate {v:?} is not a number in 0..=1"))?
                }
                "seed" => {
                    f.seed = v
                        .parse()
                        .map_err(|_| format!("--faults: seed {v:?} is not an integer"))?
                }
                "retry-after" => {
                    f.retry_after_secs = v
                        .parse()
                        .map_err(|_| format!("--faults: retry-after {v:?} is not an integer"))?
                }
                "kinds" => {
                    f.kinds = v
                        .split('+')
                        .map(|k| match k {
                            "429" => Ok(FaultKind::Throttle),
                            "429-retry-after" => Ok(FaultKind::ThrottleRetryAfter),
                            "503" => Ok(FaultKind::Unavailable),
                            "504" => Ok(FaultKind::GatewayTimeout),
                            other => Err(format!(
                                "--faults: unknown kind {other:?} (429, 429-retry-after, 503, 504)"
                            )),
                        })
                        .collect::<Result<_, _>>()?;
                    if f.kinds.is_empty() {
                        return Err("--faults: kinds is empty".into());
                    }
                }
                other => {
                    return Err(format!(
                        "--faults: unknown key {other:?} (rate, seed, kinds, retry-after)"
                    ))
                }
            }
        }
        Ok(f)
    }
}

/// The running generator.
pub struct Injector {
    faults: Faults,
    rng: fastrand::Rng,
}

impl Injector {
    /// A generator seeded from `faults.seed`.
    pub fn new(faults: Faults) -> Injector {
        let rng = fastrand::Rng::with_seed(faults.seed);
        Injector { faults, rng }
    }

    /// The fault for the next request, if any.
    pub fn next_fault(&mut self) -> Option<GraphError> {
        let hit = self.rng.f64() < self.faults.rate;
        if !hit || self.faults.kinds.is_empty() {
            return None;
        }
        let kind = self.faults.kinds[self.rng.usize(..self.faults.kinds.len())];
        Some(match kind {
            FaultKind::ThrottleRetryAfter => {
                let mut e = GraphError::new(
                    429,
                    "TooManyRequests",
                    "Injected throttling (emulator --faults).",
                );
                e.retry_after = Some(self.faults.retry_after_secs);
                e
            }
            FaultKind::Throttle => GraphError::new(
                429,
                "TooManyRequests",
                "Injected throttling (emulator --faults).",
            ),
            FaultKind::Unavailable => GraphError::new(
                503,
                "ServiceUnavailable",
                "Injected failure (emulator --faults).",
            ),
            FaultKind::GatewayTimeout => GraphError::new(
                504,
                "GatewayTimeout",
                "Injected failure (emulator --faults).",
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_seeded_sequence() {
        let f: Faults = "rate=0.5,seed=9,kinds=429+503,retry-after=2"
            .parse()
            .unwrap();
        assert_eq!(f.kinds, vec![FaultKind::Throttle, FaultKind::Unavailable]);
        assert_eq!(f.retry_after_secs, 2);
        assert!("rate=2".parse::<Faults>().is_err());
        assert!("kinds=418".parse::<Faults>().is_err());
        let seq = |f: &Faults| {
            let mut i = Injector::new(f.clone());
            (0..200)
                .map(|_| i.next_fault().map(|e| e.status))
                .collect::<Vec<_>>()
        };
        let a = seq(&f);
        assert_eq!(a, seq(&f), "same seed, same faults");
        let hits = a.iter().filter(|x| x.is_some()).count();
        assert!((60..140).contains(&hits), "{hits}");
        assert!(a.iter().flatten().all(|s| *s == 429 || *s == 503));
    }
}
