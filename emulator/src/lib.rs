//! A local Microsoft Graph workbook API over a folder of `.xlsx` files, formulas computed by
//! [IronCalc](https://www.ironcalc.com), for testing Excel-through-Graph code offline.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let emu = graph_workbook_emulator::Emulator::start("tests/workbooks").await?;
//! let base_url = format!("{}/v1.0", emu.url()); // the client's base URL
//! # let _ = base_url;
//! emu.stop().await;
//! # Ok(())
//! # }
//! ```
//!
//! Routing comes from the project's spec/ operation files (the same ones the client is
//! generated from); an operation of the spec the emulator does not implement answers `501`
//! with a Graph error naming the operation id. What IronCalc's .xlsx has no place for is
//! stored beside the workbook: tables in `.<name>.tables.json`, named items' comment and
//! visibility in `.<name>.names.json`, worksheet protection in `.<name>.protection.json`.

#![warn(missing_docs)]

pub mod address;
pub mod book;
pub mod drive;
pub mod error;
pub mod faults;
mod format;
pub mod functions;
mod protection;
pub mod routes;
mod server;
mod shift;

use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub use error::GraphError;
pub use faults::{FaultKind, Faults};

/// How to run an emulator.
#[derive(Debug, Clone)]
pub struct Options {
    /// The folder of `.xlsx` files served (the drive's root).
    pub dir: PathBuf,
    /// Address to bind; port 0 picks a free one. Default `127.0.0.1:0`.
    pub bind: SocketAddr,
    /// A session expires after this long without a request. Default 5 minutes (Graph's).
    pub session_ttl: Duration,
    /// Request bodies (and uploads) over this many bytes get `413`. Default 4 MiB.
    pub body_limit: usize,
    /// Seeded fault injection (429/503/504), off by default.
    pub faults: Option<Faults>,
}

impl Options {
    /// Defaults for `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Options {
        Options {
            dir: dir.into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 0)),
            session_ttl: Duration::from_secs(300),
            body_limit: 4 << 20,
            faults: None,
        }
    }
}

/// A running emulator; dropped, it stops.
pub struct Emulator {
    url: String,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<io::Result<()>>>,
}

impl Emulator {
    /// Serves `dir` on 127.0.0.1, a free port, with the default options.
    pub async fn start(dir: impl AsRef<Path>) -> io::Result<Emulator> {
        Self::start_with(Options::new(dir.as_ref())).await
    }

    /// Serves with `options`.
    pub async fn start_with(options: Options) -> io::Result<Emulator> {
        let (url, shutdown, task) = server::spawn(options).await?;
        Ok(Emulator {
            url,
            shutdown: Some(shutdown),
            task: Some(task),
        })
    }

    /// `http://127.0.0.1:PORT` (append `/v1.0` or `/beta` for the client's base URL).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Stops accepting requests, lets the ones in flight finish, and waits.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Runs until `signal` completes (the binary passes Ctrl-C/SIGTERM); prints nothing.
pub async fn serve_until(
    options: Options,
    on_listen: impl FnOnce(SocketAddr),
    signal: impl std::future::Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    server::serve(options, on_listen, signal).await
}

/// Writes a new workbook with one empty `Sheet1` to `path` (atomically), for tests and the
/// quickstart.
pub fn create_workbook(path: &Path) -> io::Result<()> {
    let book = book::Book::new_empty().map_err(io::Error::other)?;
    let bytes = book.to_xlsx().map_err(io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    drive::write_atomic(path, &bytes)
}

/// The v1.0 operation ids the emulator implements (the others answer 501).
pub fn implemented_operations() -> &'static [&'static str] {
    server::IMPLEMENTED
}
