//! One writer per workbook: the client runs the writes to one workbook (one drive item and
//! workbook session) one at a time, in the order they were started, and lets reads run
//! concurrently.
//!
//! Excel answers overlapping writes to one workbook with `409 editModeCannotAcquireLock` or
//! `429 EditModeCannotAcquireLockTooManyRequests`; serializing them on the client side avoids
//! the round trips, and the retry policy still retries those codes like a 429 when another
//! process holds the lock (see [`crate::codes::ExcelErrorCode::is_lock_throttling`]).
//!
//! A write is any request that is not a `GET` (`PATCH`, `POST`, `PUT`, `DELETE`) and whose
//! path contains a `/workbook` segment. The queue is a fair (FIFO) lock per workbook key: a
//! write waits for the writes started before it, including their retries, so writes to one
//! workbook are never reordered or interleaved. `$batch` requests are not serialized (their
//! path has no workbook).
//!
//! ```
//! use graph_workbook::{writer::WriteSerialization, Client};
//! let client = Client::builder()
//!     .bearer("token")
//!     .write_serialization(WriteSerialization::Off) // e.g. when a proxy already serializes
//!     .build()?;
//! # let _ = client;
//! # Ok::<(), graph_workbook::Error>(())
//! ```

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::client::SESSION_HEADER;
use crate::request::{Method, Request};

/// Idle queues kept for reuse (enough for a few workbooks written in turn).
const MAX_SPARE: usize = 8;

/// How a client orders the writes to one workbook.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WriteSerialization {
    /// One write at a time per drive item and workbook session, in start order (default).
    #[default]
    PerWorkbook,
    /// One write at a time per drive item, whatever the session.
    PerDriveItem,
    /// No client-side ordering: writes are sent as soon as they are started.
    Off,
}

/// The per-workbook write queues of one client (shared by its clones).
#[derive(Debug, Default)]
pub(crate) struct WriteLocks {
    mode: WriteSerialization,
    locks: Mutex<Queues>,
}

type Queue = Arc<tokio::sync::Mutex<()>>;

/// The queues of the workbooks with a write running or waiting, and a few idle ones to reuse.
#[derive(Debug, Default)]
struct Queues {
    // An entry lives while a write to its workbook runs or waits (removed by the last one).
    // Keyed by a hash of [`workbook_key`], so that a write allocates no key: two workbooks
    // whose keys collide would only share a queue.
    active: HashMap<u64, Queue>,
    // Released queues (unlocked, held by nobody), so that a write allocates no queue either.
    spare: Vec<Queue>,
}

/// Held while one write runs; releases the workbook's queue (and drops its entry when no
/// other write waits) on drop.
pub(crate) struct WriteTurn<'a> {
    locks: &'a WriteLocks,
    key: u64,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl Drop for WriteTurn<'_> {
    fn drop(&mut self) {
        self.guard.take();
        if let Ok(mut q) = self.locks.locks.lock() {
            // Only the map holds it: nobody runs or waits, the entry can go.
            if q.active
                .get(&self.key)
                .is_some_and(|l| Arc::strong_count(l) == 1)
            {
                if let Some(idle) = q.active.remove(&self.key) {
                    if q.spare.len() < MAX_SPARE {
                        q.spare.push(idle);
                    }
                }
            }
        }
    }
}

impl WriteLocks {
    pub(crate) fn new(mode: WriteSerialization) -> Self {
        WriteLocks {
            mode,
            locks: Mutex::default(),
        }
    }

    /// Waits for this request's turn when it is a write to a workbook; `None` for reads, for
    /// requests outside a workbook, and when serialization is off.
    pub(crate) async fn turn(&self, req: &Request) -> Option<WriteTurn<'_>> {
        if req.method == Method::Get || self.mode == WriteSerialization::Off {
            return None;
        }
        let key = queue_key(req, self.mode)?;
        let lock = {
            let mut q = self.locks.lock().ok()?;
            let Queues { active, spare } = &mut *q;
            active
                .entry(key)
                .or_insert_with(|| spare.pop().unwrap_or_default())
                .clone()
        };
        let guard = lock.lock_owned().await;
        Some(WriteTurn {
            locks: self,
            key,
            guard: Some(guard),
        })
    }

    /// Workbooks with a write running or waiting.
    #[cfg(test)]
    pub(crate) fn active(&self) -> usize {
        self.locks.lock().map(|q| q.active.len()).unwrap_or(0)
    }
}

/// The queue key of a request: its path up to the workbook segment, plus the session id
/// (in [`WriteSerialization::PerWorkbook`] mode). `None` outside a workbook.
///
/// For a path-addressed item (`/root:/{path}:`) the workbook segment follows the `:` that ends
/// the item path (OneDrive names cannot contain `:`); otherwise it is the first `/workbook`
/// path segment (ids and the fixed segments before it are never `workbook`).
pub fn workbook_key(req: &Request, mode: WriteSerialization) -> Option<String> {
    let path = req.path.as_str();
    let end = workbook_end(path)?;
    let mut key = path[..end].to_ascii_lowercase();
    if mode == WriteSerialization::PerWorkbook {
        if let Some((_, id)) = req
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(SESSION_HEADER))
        {
            key.push(' ');
            key.push_str(id);
        }
    }
    Some(key)
}

/// A hash of [`workbook_key`], computed without building it.
fn queue_key(req: &Request, mode: WriteSerialization) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let end = workbook_end(&req.path)?;
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for b in req.path[..end].bytes() {
        b.to_ascii_lowercase().hash(&mut h);
    }
    if mode == WriteSerialization::PerWorkbook {
        if let Some((_, id)) = req
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(SESSION_HEADER))
        {
            b' '.hash(&mut h);
            id.hash(&mut h);
        }
    }
    Some(h.finish())
}

/// End of the `/workbook` segment of a request path (see [`workbook_key`]).
pub(crate) fn workbook_end(path: &str) -> Option<usize> {
    Some(match path.find("/root:/") {
        // A path-addressed item: its path runs to the next `:` (OneDrive names cannot
        // contain one), and `/workbook` follows.
        Some(i) => {
            let from = i + "/root:/".len();
            let colon = from + path[from..].find(':')?;
            colon
                + segment_end(&path[colon..], ":/workbook").filter(|e| *e == ":/workbook".len())?
        }
        None => segment_end(path, "/workbook")?,
    })
}

/// End of the first occurrence of `needle` in `path` that ends a segment.
fn segment_end(path: &str, needle: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = path[from..].find(needle) {
        let end = from + i + needle.len();
        if matches!(path.as_bytes().get(end), None | Some(b'/')) {
            return Some(end);
        }
        from = end;
    }
    None
}

// Compile-time proof that the handles can be shared between tasks and threads.
const _: fn() = || {
    fn shared<T: Clone + Send + Sync + 'static>() {}
    shared::<crate::client::Client>();
    shared::<crate::node::Node>();
    shared::<crate::v1::WorkbookNode>();
    shared::<crate::v1::WorksheetNode>();
    shared::<crate::v1::RangeNode>();
    shared::<crate::call::Call<crate::v1::WorkbookRange>>();
    shared::<crate::session::Session<crate::v1::WorkbookNode>>();
    #[cfg(feature = "tables")]
    shared::<crate::v1::TableNode>();
};

#[cfg(test)]
mod tests {
    use super::*;

    fn req(method: Method, path: &str, session: Option<&str>) -> Request {
        Request {
            method,
            path: path.into(),
            query: vec![],
            headers: session
                .map(|s| vec![(SESSION_HEADER.to_string(), s.to_string())])
                .unwrap_or_default(),
            body: None,
            operation: "t",
            template: "/t",
        }
    }

    #[test]
    fn queue_key_follows_the_workbook_key() {
        let per = WriteSerialization::PerWorkbook;
        let cases = [
            ("/me/drive/items/01AB/workbook/worksheets/a/range", None),
            ("/me/drive/items/01ab/workbook/tables", None),
            ("/me/drive/items/01AB/workbook/tables", Some("s1")),
            ("/me/drive/items/01AB/workbook/names", Some("s2")),
            ("/me/drive/items/02AB/workbook/names", None),
            ("/me/drive/root:/a.xlsx:/workbook/names", None),
        ];
        for (p1, s1) in cases {
            for (p2, s2) in cases {
                let (a, b) = (req(Method::Post, p1, s1), req(Method::Post, p2, s2));
                assert_eq!(
                    workbook_key(&a, per) == workbook_key(&b, per),
                    queue_key(&a, per) == queue_key(&b, per),
                    "{p1} {s1:?} / {p2} {s2:?}"
                );
            }
        }
        assert_eq!(queue_key(&req(Method::Post, "/me/drive", None), per), None);
    }

    #[test]
    fn key_is_the_drive_item_and_session() {
        let k = |p: &str, s: Option<&str>, m| workbook_key(&req(Method::Patch, p, s), m);
        let per = WriteSerialization::PerWorkbook;
        assert_eq!(
            k(
                "/me/drive/items/01AB/workbook/worksheets/workbook/range",
                None,
                per
            )
            .as_deref(),
            Some("/me/drive/items/01ab/workbook")
        );
        assert_eq!(
            k(
                "/me/drive/root:/workbook/a.xlsx:/workbook/tables",
                Some("s1"),
                per
            )
            .as_deref(),
            Some("/me/drive/root:/workbook/a.xlsx:/workbook s1")
        );
        assert_eq!(
            k(
                "/me/drive/items/X/workbook",
                Some("s1"),
                WriteSerialization::PerDriveItem
            )
            .as_deref(),
            Some("/me/drive/items/x/workbook")
        );
        assert_eq!(
            k(
                "/drives/d/root:/b.xlsx:/workbook/worksheets/workbook",
                None,
                per
            )
            .as_deref(),
            Some("/drives/d/root:/b.xlsx:/workbook")
        );
        assert_eq!(
            k("/me/drive/root:/workbook/a.xlsx:/tables", None, per),
            None
        );
        assert_eq!(k("/me/drive/items/X/workbooks", None, per), None);
        assert_eq!(k("/$batch", None, per), None);
    }

    #[tokio::test]
    async fn writes_to_one_workbook_take_turns_reads_do_not() {
        let locks = WriteLocks::new(WriteSerialization::PerWorkbook);
        let w = req(Method::Post, "/d/items/1/workbook/x", None);
        let first = locks.turn(&w).await.expect("a write gets a turn");
        assert!(locks.turn(&req(Method::Get, &w.path, None)).await.is_none());
        // Another workbook is not blocked.
        let other = locks
            .turn(&req(Method::Patch, "/d/items/2/workbook", None))
            .await;
        assert!(other.is_some());
        let wait = std::time::Duration::from_millis(20);
        assert!(tokio::time::timeout(wait, locks.turn(&w)).await.is_err());
        drop(first);
        assert!(locks.turn(&w).await.is_some());
        drop(other);
        assert_eq!(locks.active(), 0, "entries are dropped with the last turn");
    }
}
