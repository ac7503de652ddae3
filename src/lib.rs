//! Typed bindings for the Microsoft Graph Excel **workbook** REST API: sessions, worksheets,
//! ranges, tables, charts, named items, pivot tables, comments and the Excel worksheet
//! functions, generated at build time from the Graph documentation.
//!
//! # Where things are
//!
//! - [`v1`]: the generated v1.0 API: one `*Node` type per place in the workbook (navigation,
//!   sends nothing), one method per documented operation (returns a [`Call`]), and the
//!   resource and parameter types (`WorkbookRange`, `RangeUpdate`, ...). `beta` (cargo
//!   feature `beta`) and `functions` (feature `functions`) are the same for the beta API
//!   and the Excel functions.
//! - The hand-written runtime the generated code calls: [`Client`] (transport, token, retry),
//!   [`Call`] and [`Request`] (request-as-data), [`Error`], [`session`], [`batch`],
//!   [`paging`], [`lro`] (long-running operations), [`retry`], [`Address`] and [`CellValue`]
//!   (A1 addresses and typed cells), [`escape`] (path and OData escaping), [`codes`] (Excel
//!   error codes).
//!
//! Every generated operation is documented with its method and path, required headers,
//! success status, permissions and a link to its docs page.
//!
//! # A workbook and a session
//!
//! A [`Client`] holds the token and the base URL; [`Client::workbook`] gives the workbook of a
//! drive item. A [`Session`](session::Session) makes every call through its workbook handle
//! carry `workbook-session-id`, refreshes it in the background if asked, and refuses calls
//! after it is closed.
//!
//! ```no_run
//! use graph_workbook::session::{Session, SessionOptions};
//! use graph_workbook::{Client, DriveItem};
//!
//! # async fn tour() -> graph_workbook::Result<()> {
//! let client = Client::new("access token")?;
//! let book = client.workbook(&DriveItem::me_path("Budget.xlsx"));
//! let session = Session::create(&book, SessionOptions::persistent()).await?;
//! let book = session.workbook(); // every call through `book` is in the session
//! let sheets = book.worksheets().list().await?;
//! println!("{} worksheets", sheets.len());
//! session.close().await?;
//! # Ok(()) }
//! ```
//!
//! # Reading and writing a range
//!
//! Navigation methods (`worksheet`, `range`, ...) only build the address; sheet names and
//! addresses are escaped for you. Cells are typed [`CellValue`]s; [`cells!`] builds a grid.
//!
//! ```no_run
//! use graph_workbook::v1::RangeUpdate;
//! use graph_workbook::{cells, Client, DriveItem};
//!
//! # async fn tour() -> graph_workbook::Result<()> {
//! let book = Client::new("access token")?.workbook(&DriveItem::me_item("01AB"));
//! let range = book.worksheet("Q1 '24").range("A1:B2");
//! range
//!     .update(&RangeUpdate {
//!         values: Some(cells![["Apples", 3], ["Pears", 4.5]]),
//!         ..Default::default()
//!     })
//!     .await?;
//! let read = range.get().await?;
//! for row in read.values.unwrap_or_default() {
//!     println!("{:?} {:?}", row[0].as_str(), row[1].as_f64());
//! }
//! # Ok(()) }
//! ```
//!
//! # A table
//!
//! ```no_run
//! # #[cfg(feature = "tables")]
//! # async fn tour(book: graph_workbook::v1::Workbook) -> graph_workbook::Result<()> {
//! use graph_workbook::cells;
//! use graph_workbook::v1::{TableCollectionAddParams, TableRowCollectionAddParams};
//!
//! let sheet = book.worksheet("Sheet1");
//! let table = sheet
//!     .tables()
//!     .add(&TableCollectionAddParams { address: Some("A1:B1".into()), ..TableCollectionAddParams::new(true) })
//!     .await?;
//! let rows = book.table(&table.id.unwrap_or_default()).rows();
//! rows.add(&TableRowCollectionAddParams {
//!     index: None,
//!     values: Some(cells![["Apples", 3], ["Pears", 4.5]]),
//! })
//! .await?;
//! println!("{} rows", rows.list().await?.len());
//! # Ok(()) }
//! ```
//!
//! # An Excel function
//!
//! The 366 worksheet functions are typed calls on `book.functions()`; arguments are numbers,
//! strings, cell values, arrays or range references ([`FnArg`](node::FnArg)).
//!
//! ```no_run
//! # #[cfg(feature = "functions")]
//! # async fn tour(book: graph_workbook::v1::Workbook) -> graph_workbook::Result<()> {
//! use graph_workbook::node::FnArg;
//!
//! let total = book.functions().sum(FnArg::range("Sheet1!B1:B2")).await?;
//! match (total.value, total.error) {
//!     (Some(v), None) => println!("sum = {v}"),
//!     (_, error) => println!("Excel error {error:?}"), // e.g. #VALUE!
//! }
//! # Ok(()) }
//! ```
//!
//! # Errors and retries
//!
//! Throttling (429) and transient faults (503, 504, a connection reset before any response)
//! are retried by the client's [`RetryPolicy`](retry::RetryPolicy), honouring `Retry-After`;
//! what still fails is an [`Error`]: [`Error::Graph`] with Graph's error code and request id,
//! [`Error::SessionExpired`], [`Error::Transport`], [`Error::Decode`], ... Nothing here needs
//! Graph: the port below is closed, so the call fails with a transport error.
//!
//! ```
//! # // A paused clock: the retries' backoff passes instantly.
//! # #[tokio::main(flavor = "current_thread", start_paused = true)]
//! # async fn main() -> graph_workbook::Result<()> {
//! use std::time::Duration;
//! use graph_workbook::codes::ExcelErrorCode;
//! use graph_workbook::retry::RetryPolicy;
//! use graph_workbook::{Client, DriveItem, Error};
//!
//! let client = Client::builder()
//!     .bearer("access token")
//!     .base_url("http://127.0.0.1:9/v1.0") // the discard port: nothing listens
//!     .retry_policy(RetryPolicy::default().max_attempts(3).max_total_delay(Duration::from_secs(30)))
//!     .build()?;
//! let book = client.workbook(&DriveItem::me_item("01AB"));
//! match book.worksheet("Sheet1").range("A1").get().await {
//!     Ok(range) => println!("{:?}", range.values),
//!     Err(Error::Graph(e)) if e.status == 404 => println!("no such sheet ({:?})", e.request_id),
//!     Err(Error::Graph(e)) if e.excel_code() == ExcelErrorCode::ItemNotFound => {}
//!     Err(Error::Transport(e)) => println!("network: {e}"),
//!     Err(other) => return Err(other),
//! }
//! # Ok(()) }
//! ```
//!
//! # `$batch`
//!
//! Up to 20 calls in one `POST /$batch`, each answer typed by its call:
//!
//! ```
//! # fn main() -> graph_workbook::Result<()> {
//! use graph_workbook::batch::Batch;
//! use graph_workbook::v1::RangeUpdate;
//! use graph_workbook::{cells, Client, DriveItem};
//!
//! let client = Client::new("access token")?;
//! let book = client.workbook(&DriveItem::me_item("01AB"));
//! let mut batch = Batch::new(&client);
//! let write = batch.add(book.worksheet("Sheet1").range("A1").update(&RangeUpdate {
//!     values: Some(cells![[42]]),
//!     ..Default::default()
//! }));
//! let read = batch.add(book.worksheet("Sheet1").range("A1").get());
//! batch.depends_on(&read, &write);
//! // Inspect it without sending, or send it:
//! // `let answers = batch.send().await?; let range = answers.get(&read)?;`
//! let request = batch.to_request()?;
//! assert_eq!(request.path, "/$batch");
//! # Ok(()) }
//! ```
//!
//! # Paging
//!
//! A collection call is a `Call<Vec<T>>`: `.await` gives the first page;
//! [`Paging::items`](paging::Paging::items) streams every item, following `@odata.nextLink`,
//! and [`QueryOptions`](paging::QueryOptions) adds `$select`, `$top`, `$filter`, ...
//!
//! ```no_run
//! # #[cfg(feature = "tables")]
//! # async fn tour(book: graph_workbook::v1::Workbook) -> graph_workbook::Result<()> {
//! use futures_util::TryStreamExt;
//! use graph_workbook::paging::{Paging, QueryOptions};
//!
//! let rows = book.table("Sales").rows().list().top(500).items();
//! let all: Vec<_> = rows.try_collect().await?;
//! println!("{} rows", all.len());
//! # Ok(()) }
//! ```
//!
//! # Request-as-data
//!
//! A [`Call`] is a built, unsent [`Request`]: method, encoded path, headers, JSON body, the
//! operation id and its documented path template. Inspect it, log it, batch it, or send it
//! through your own transport and decode with [`call::decode`]. Nothing below is sent.
//!
//! ```
//! # fn main() -> graph_workbook::Result<()> {
//! use graph_workbook::{Client, DriveItem, Method};
//!
//! let client = Client::new("access token")?;
//! let book = client.workbook(&DriveItem::me_item("01AB"));
//! let call = book.worksheet("Q1 '24").range("A1:B2").get();
//! let request = call.request();
//! assert_eq!(request.method, Method::Get);
//! assert_eq!(
//!     request.path,
//!     "/me/drive/items/01AB/workbook/worksheets/Q1%20%2724/range(address='A1:B2')"
//! );
//! assert_eq!(request.operation, "range.get");
//! assert_eq!(
//!     client.url(request)?.as_str(),
//!     "https://graph.microsoft.com/v1.0/me/drive/items/01AB/workbook/worksheets/Q1%20%2724/range(address='A1:B2')"
//! );
//! # Ok(()) }
//! ```
//!
//! # How it is built
//!
//! `build.rs` renders the generated modules from the reviewed `spec/` into `OUT_DIR`; the
//! repository's `ARCHITECTURE.md` describes the pipeline and `generated/` holds a reviewable
//! copy of the output.

#![warn(missing_docs)]

pub mod address;
pub mod auth;
pub mod batch;
pub mod call;
pub mod cell;
pub mod chunk;
pub mod client;
pub mod codes;
pub mod drive;
pub mod error;
pub mod escape;
pub mod lro;
pub mod node;
pub mod paging;
pub mod request;
pub mod retry;
pub mod session;
pub mod writer;

pub use address::Address;
pub use auth::{token_fn, StaticToken, TokenProvider};
pub use call::Call;
pub use cell::{CellValue, Cells};
pub use client::{Client, ClientBuilder, Response};
pub use drive::DriveItem;
pub use error::{Error, GraphError, Result};
pub use request::{Method, Request};

// The generated API (build.rs: spec/ -> OUT_DIR; reviewable copy in generated/).

/// The v1.0 API, generated from `spec/v1.0`: the node types (`WorkbookNode`,
/// `WorksheetNode`, `RangeNode`, `TableNode`, ...; navigation, never sends), one method per
/// documented operation (returns a [`Call`]), the resource types operations return
/// (`WorkbookRange`, `WorkbookTable`, ...) and the request bodies (`RangeUpdate`,
/// `TableCollectionAddParams`, ...). Start from [`Client::workbook`].
pub mod v1 {
    include!(concat!(env!("OUT_DIR"), "/v1_0.rs"));
}

/// The beta API, generated from `spec/beta` (cargo feature `beta`). Use a client whose base
/// URL is `https://graph.microsoft.com/beta` and start from `beta::WorkbookNode::new`.
#[cfg(feature = "beta")]
pub mod beta {
    include!(concat!(env!("OUT_DIR"), "/beta.rs"));
}

/// The Excel worksheet functions (cargo feature `functions`): `book.functions().sum(...)`.
#[cfg(feature = "functions")]
pub mod functions {
    include!(concat!(env!("OUT_DIR"), "/functions.rs"));
}
