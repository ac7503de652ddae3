//! Big ranges: chunked reads and writes.
//!
//! Graph refuses requests over about 4 MB and responses over about 5 MB, answers
//! `rangeExceedsLimit` above some cell count and times out (504) on big reads. The methods
//! here split a worksheet range into row blocks that stay under those limits:
//!
//! - [`RangeNode::read_chunked`] streams the range as [`RowBlock`]s: memory stays proportional
//!   to one block plus what the caller keeps. Blocks are sized from the measured bytes per
//!   row of the previous response, and halved when Graph answers `rangeExceedsLimit`,
//!   `ResponsePayloadSizeLimitExceeded`, `payloadTooLarge` or 504. [`RangeNode::read_all`]
//!   collects the stream into one grid.
//! - [`RangeNode::write_chunked`] PATCHes a grid of any size (values, formulas or number
//!   formats) as row blocks whose serialized body stays under
//!   [`WriteOptions::max_request_bytes`] (measured while encoding, not guessed from cell
//!   counts). `TableRowCollectionNode::add_chunked` appends rows to a table in batches.
//! - A failed write returns a [`WriteError`] saying which rows were written, which were not,
//!   and which may or may not have been (an append whose response was lost); resume with
//!   [`WriteOptions::start_row`] and nothing is lost or written twice.
//!
//! Blocks are decoded straight from the response bytes into [`CellValue`] rows (no
//! `serde_json::Value` tree) and encoded straight to bytes ([`crate::cell::encode_row`]).
//! Each block of a chunked write is one write request, queued per workbook like any other
//! ([`crate::writer`]): blocks go out in order, one at a time, while reads run concurrently;
//! other writes to the same workbook may run between two blocks.
//!
//! ```no_run
//! # async fn f(client: graph_workbook::Client, grid: graph_workbook::Cells) -> graph_workbook::Result<()> {
//! use futures_util::TryStreamExt;
//! use graph_workbook::chunk::{ReadOptions, WriteOptions};
//! use graph_workbook::DriveItem;
//! let range = client.workbook(&DriveItem::me_item("01AB")).worksheet("Data").range("A1:CV10000");
//! let report = range.write_chunked(&grid, WriteOptions::default()).await?;
//! let mut blocks = range.read_chunked(ReadOptions::default());
//! while let Some(block) = blocks.try_next().await? {
//!     println!("rows {}..{}: {} rows", block.first_row, block.end_row(), block.rows.len());
//! }
//! # let _ = report; Ok(()) }
//! ```

use std::ops::Range;

use bytes::Bytes;
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;

use crate::address::{column_index, column_name, MAX_COLUMNS, MAX_ROWS};
use crate::cell::{encode_row, CellValue, Cells};
use crate::client::Client;
use crate::codes::ExcelErrorCode;
use crate::error::{Error, Result};
use crate::node::{Arg, Node, NodeType};
use crate::paging::QueryOptions;
use crate::request::Request;
use crate::v1::RangeNode;

/// Which 2-D property of a range a chunked read or write moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CellField {
    /// `values` (default).
    #[default]
    Values,
    /// `formulas` (a constant cell reads as its value).
    Formulas,
    /// `numberFormat`.
    NumberFormat,
}

impl CellField {
    /// The property name on the wire.
    pub fn wire(self) -> &'static str {
        match self {
            CellField::Values => "values",
            CellField::Formulas => "formulas",
            CellField::NumberFormat => "numberFormat",
        }
    }
}

/// Options of [`RangeNode::read_chunked`].
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The property read (default `values`).
    pub field: CellField,
    /// Response size aimed at per block, in bytes (default 4,000,000: Graph refuses responses
    /// over about 5 MB). Blocks after the first are sized from the measured bytes per row.
    pub target_response_bytes: usize,
    /// Cells in the first block, and an upper bound for every block (default 100,000).
    /// Lowered for the rest of the read when Graph answers `rangeExceedsLimit`.
    pub max_cells: usize,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            field: CellField::Values,
            target_response_bytes: 4_000_000,
            max_cells: 100_000,
        }
    }
}

impl ReadOptions {
    /// Read `field` instead of `values`.
    pub fn field(mut self, field: CellField) -> Self {
        self.field = field;
        self
    }
    /// See [`ReadOptions::target_response_bytes`].
    pub fn target_response_bytes(mut self, bytes: usize) -> Self {
        self.target_response_bytes = bytes.max(1);
        self
    }
    /// See [`ReadOptions::max_cells`].
    pub fn max_cells(mut self, cells: usize) -> Self {
        self.max_cells = cells.max(1);
        self
    }
}

/// Options of [`RangeNode::write_chunked`] and `TableRowCollectionNode::add_chunked`.
#[derive(Debug, Clone)]
pub struct WriteOptions {
    /// The property written (default `values`; table appends always write values).
    pub field: CellField,
    /// Largest request body, in serialized bytes (default 3,900,000: Graph refuses requests
    /// over about 4 MB). A single row larger than this is an error.
    pub max_request_bytes: usize,
    /// Most cells per request (default 500,000); halved for the rest of the write when Graph
    /// answers `rangeExceedsLimit` or `payloadTooLarge`.
    pub max_cells: usize,
    /// First grid row to write (default 0): resume after a [`WriteError`] with
    /// `start_row(err.not_written.start)`.
    pub start_row: usize,
}

impl Default for WriteOptions {
    fn default() -> Self {
        WriteOptions {
            field: CellField::Values,
            max_request_bytes: 3_900_000,
            max_cells: 500_000,
            start_row: 0,
        }
    }
}

impl WriteOptions {
    /// Write `field` instead of `values`.
    pub fn field(mut self, field: CellField) -> Self {
        self.field = field;
        self
    }
    /// See [`WriteOptions::max_request_bytes`].
    pub fn max_request_bytes(mut self, bytes: usize) -> Self {
        self.max_request_bytes = bytes;
        self
    }
    /// See [`WriteOptions::max_cells`].
    pub fn max_cells(mut self, cells: usize) -> Self {
        self.max_cells = cells.max(1);
        self
    }
    /// See [`WriteOptions::start_row`].
    pub fn start_row(mut self, row: usize) -> Self {
        self.start_row = row;
        self
    }
}

/// One block of a chunked read.
#[derive(Debug, Clone, PartialEq)]
pub struct RowBlock {
    /// Index of the block's first row within the range read (0-based).
    pub first_row: usize,
    /// The block's A1 address on the worksheet (`A1001:CV2000`).
    pub address: String,
    /// The rows, each as wide as the range.
    pub rows: Cells,
}

impl RowBlock {
    /// Index (within the range) one past the block's last row.
    pub fn end_row(&self) -> usize {
        self.first_row + self.rows.len()
    }
}

/// What a finished chunked write did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteReport {
    /// Grid rows written (`start_row..grid.len()`).
    pub rows: Range<usize>,
    /// The row blocks, one successful request each, in order.
    pub blocks: Vec<Range<usize>>,
    /// Requests sent, including those refused as too large and sent again smaller (retries of
    /// throttled attempts inside one request are not counted).
    pub requests: usize,
    /// The largest request body sent, in bytes.
    pub max_request_bytes: usize,
}

/// A chunked write that stopped: which rows are in the workbook and which are not.
#[derive(Debug)]
pub struct WriteError {
    /// Rows written (their requests succeeded).
    pub written: Range<usize>,
    /// Rows whose request may or may not have been applied (the response was lost, e.g. a
    /// 504 or a timeout on an append). Empty when the failure was clear-cut.
    pub uncertain: Range<usize>,
    /// Rows not written: resume with [`WriteOptions::start_row`]`(not_written.start)` (after
    /// checking `uncertain`, for appends).
    pub not_written: Range<usize>,
    /// What the write did until it stopped.
    pub report: WriteReport,
    /// Why it stopped.
    pub error: Error,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "chunked write stopped: rows {:?} written, {:?} uncertain, {:?} not written: {}",
            self.written, self.uncertain, self.not_written, self.error
        )
    }
}

impl std::error::Error for WriteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// The underlying error (the row ranges are dropped), so `?` works in functions returning
/// [`crate::Result`].
impl From<WriteError> for Error {
    fn from(e: WriteError) -> Error {
        e.error
    }
}

/// A rectangle on a worksheet, 0-based, end exclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Rect {
    row: u32,
    col: u32,
    rows: u32,
    cols: u32,
}

impl Rect {
    /// A1 text of `rows` (relative to the rectangle's first row).
    fn rows_address(&self, rows: Range<usize>) -> String {
        // Columns were validated when the rectangle was made.
        let first = column_name(self.col).unwrap_or_default();
        let last = column_name(self.col + self.cols - 1).unwrap_or_default();
        let r0 = self.row as usize + rows.start + 1;
        let r1 = self.row as usize + rows.end;
        format!("{first}{r0}:{last}{r1}")
    }
}

/// Parses `A1` or `A1:CV10000` (`$` markers allowed) into a rectangle.
fn parse_rect(reference: &str) -> Result<Rect> {
    let bad = |why: &str| {
        Error::InvalidInput(format!(
            "range {reference:?}: {why} (chunked transfers need a bounded rectangle such as A1:CV10000)"
        ))
    };
    let cell = |text: &str| -> Result<(u32, u32)> {
        let t = text.replace('$', "");
        let split = t
            .find(|c: char| c.is_ascii_digit())
            .ok_or_else(|| bad("no row"))?;
        let (letters, digits) = t.split_at(split);
        if letters.is_empty() {
            return Err(bad("no column"));
        }
        let col = column_index(letters)?;
        let row: u32 = digits.parse().map_err(|_| bad("bad row number"))?;
        if row == 0 || row > MAX_ROWS {
            return Err(bad("row out of range"));
        }
        Ok((row - 1, col))
    };
    let (a, b) = match reference.split_once(':') {
        Some((a, b)) => (cell(a)?, cell(b)?),
        None => {
            let c = cell(reference)?;
            (c, c)
        }
    };
    let (r0, r1) = (a.0.min(b.0), a.0.max(b.0));
    let (c0, c1) = (a.1.min(b.1), a.1.max(b.1));
    Ok(Rect {
        row: r0,
        col: c0,
        rows: r1 - r0 + 1,
        cols: c1 - c0 + 1,
    })
}

/// A worksheet range split into blocks: the worksheet node and the rectangle.
#[derive(Debug, Clone)]
struct Target {
    worksheet: Node,
    rect: Rect,
}

impl Target {
    /// From a `.../worksheets/{ws}/range(address='...')` node.
    fn of(range: &RangeNode) -> Result<Target> {
        let node = range.node();
        let path = node.path();
        let not_addressed = || {
            Error::InvalidInput(format!(
                "{path}: chunked transfers need a worksheet range with an address \
                 (`worksheet(name).range(\"A1:CV10000\")`)"
            ))
        };
        let (parent, call) = path
            .rsplit_once("/range(address=")
            .ok_or_else(not_addressed)?;
        if !parent.contains("/worksheets/") {
            return Err(not_addressed());
        }
        let literal = call.strip_suffix(')').ok_or_else(not_addressed)?;
        let literal = percent_encoding::percent_decode_str(literal).decode_utf8_lossy();
        let text = literal
            .strip_prefix('\'')
            .and_then(|l| l.strip_suffix('\''))
            .ok_or_else(not_addressed)?
            .replace("''", "'");
        // A sheet-qualified address names the worksheet of the node: keep the reference.
        let address = crate::address::Address::parse(&text)?;
        let rect = parse_rect(address.reference())?;
        let mut worksheet = Node::at(
            node.client().clone(),
            parent.to_string(),
            "/workbook/worksheets/{}".into(),
        );
        for (k, v) in node.headers() {
            worksheet = worksheet.with_header(k, v);
        }
        Ok(Target { worksheet, rect })
    }

    fn client(&self) -> &Client {
        self.worksheet.client()
    }

    /// The range node of `rows` (relative to the rectangle).
    fn block(&self, rows: Range<usize>) -> (String, RangeNode) {
        let address = self.rect.rows_address(rows);
        let node = self
            .worksheet
            .call("range", &[("address", Arg::Str(&address))]);
        (address, RangeNode::from_node(node))
    }
}

/// Whether an error says "ask for less": the block is halved and sent again.
fn too_big(e: &Error) -> bool {
    let Some(g) = e.graph() else { return false };
    if matches!(g.status, 413 | 504) {
        return true;
    }
    let too_big_code = |c: &str| {
        matches!(
            ExcelErrorCode::parse(c),
            ExcelErrorCode::RangeExceedsLimit | ExcelErrorCode::PayloadTooLarge
        ) || c.eq_ignore_ascii_case("ResponsePayloadSizeLimitExceeded")
    };
    too_big_code(&g.code) || g.inner_code.as_deref().is_some_and(too_big_code)
}

/// Decodes the `field` grid of a range response straight from its bytes (other properties
/// are skipped without being built). A missing property is an empty grid.
pub fn decode_cells(body: &[u8], field: CellField) -> Result<Cells> {
    #[derive(Deserialize)]
    struct Grids {
        values: Option<Grid>,
        formulas: Option<Grid>,
        #[serde(rename = "numberFormat")]
        number_format: Option<Grid>,
    }
    let g: Grids = serde_json::from_slice(body).map_err(|e| Error::decode(200, e, body))?;
    let grid = match field {
        CellField::Values => g.values,
        CellField::Formulas => g.formulas,
        CellField::NumberFormat => g.number_format,
    };
    Ok(grid.map(|g| g.0).unwrap_or_default())
}

/// A grid decoded row by row, each row allocated once at the width of the row before it
/// (a plain `Vec` grows from empty through several reallocations per row).
struct Grid(Cells);

impl<'de> Deserialize<'de> for Grid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Grid, D::Error> {
        use serde::de::{DeserializeSeed, SeqAccess, Visitor};
        struct Rows;
        struct Row(usize);
        impl<'de> Visitor<'de> for Rows {
            type Value = Cells;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an array of rows")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Cells, A::Error> {
                let mut rows = Vec::new();
                let mut width = 0;
                while let Some(row) = seq.next_element_seed(Row(width))? {
                    width = row.len();
                    rows.push(row);
                }
                Ok(rows)
            }
        }
        impl<'de> DeserializeSeed<'de> for Row {
            type Value = Vec<CellValue>;
            fn deserialize<D: serde::Deserializer<'de>>(
                self,
                d: D,
            ) -> std::result::Result<Vec<CellValue>, D::Error> {
                d.deserialize_seq(self)
            }
        }
        impl<'de> Visitor<'de> for Row {
            type Value = Vec<CellValue>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a row of cells")
            }
            fn visit_seq<A: SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> std::result::Result<Vec<CellValue>, A::Error> {
                let mut row = Vec::with_capacity(self.0);
                while let Some(cell) = seq.next_element()? {
                    row.push(cell);
                }
                Ok(row)
            }
        }
        d.deserialize_seq(Rows).map(Grid)
    }
}

/// The state of one chunked read.
struct Reader {
    target: Target,
    opts: ReadOptions,
    /// Next row to read (relative to the rectangle).
    next: usize,
    /// Rows of the next block.
    rows: usize,
    /// Rows known to be refused as too large (exclusive bound), if any.
    ceiling: usize,
}

impl Reader {
    fn new(target: Target, opts: ReadOptions) -> Reader {
        let cols = target.rect.cols as usize;
        let rows = (opts.max_cells / cols).max(1);
        Reader {
            target,
            opts,
            next: 0,
            rows,
            ceiling: usize::MAX,
        }
    }

    async fn next_block(&mut self) -> Result<Option<RowBlock>> {
        let total = self.target.rect.rows as usize;
        let cols = self.target.rect.cols as usize;
        loop {
            if self.next >= total {
                return Ok(None);
            }
            let n = self.rows.min(total - self.next).max(1);
            let rows = self.next..self.next + n;
            let (address, node) = self.target.block(rows.clone());
            let req = node.get().select(&[self.opts.field.wire()]).into_request();
            match self.target.client().execute_retrying(&req, &[504]).await {
                Err(e) if too_big(&e) && n > 1 => {
                    self.ceiling = self.ceiling.min(n);
                    self.rows = n / 2;
                    continue;
                }
                Err(e) => return Err(e),
                Ok(resp) => {
                    let grid = decode_cells(&resp.body, self.opts.field)?;
                    check_shape(&grid, n, cols, &address, &resp.body)?;
                    self.resize(n, resp.body.len());
                    self.next += n;
                    return Ok(Some(RowBlock {
                        first_row: rows.start,
                        address,
                        rows: grid,
                    }));
                }
            }
        }
    }

    /// Sizes the next block from the bytes per row just measured: at most twice the last
    /// block, below any size refused before, within `max_cells`.
    fn resize(&mut self, rows: usize, bytes: usize) {
        let per_row = (bytes / rows).max(1);
        let by_bytes = self.opts.target_response_bytes / per_row;
        let by_cells = self.opts.max_cells / self.target.rect.cols as usize;
        let below_refused = self.ceiling.saturating_sub(self.ceiling / 4);
        self.rows = by_bytes
            .min(by_cells)
            .min(rows.saturating_mul(2))
            .min(below_refused)
            .max(1);
    }
}

/// A block must have exactly the rows and columns asked for: anything else would lose or
/// shift cells silently.
fn check_shape(grid: &Cells, rows: usize, cols: usize, address: &str, body: &[u8]) -> Result<()> {
    if grid.len() != rows {
        return Err(Error::decode(
            200,
            format!("{address}: expected {rows} rows, got {}", grid.len()),
            body,
        ));
    }
    if let Some((i, r)) = grid.iter().enumerate().find(|(_, r)| r.len() != cols) {
        return Err(Error::decode(
            200,
            format!("{address}: row {i} has {} cells, expected {cols}", r.len()),
            body,
        ));
    }
    Ok(())
}

impl RangeNode {
    /// Reads this range as a stream of row blocks, each one request sized to stay under
    /// Graph's response limits (see [the module docs](crate::chunk)). The node must be a
    /// worksheet range with a bounded address (`worksheet("Data").range("A1:CV10000")`);
    /// otherwise the stream yields one [`Error::InvalidInput`]. The stream ends after the
    /// first error.
    pub fn read_chunked(
        &self,
        opts: ReadOptions,
    ) -> impl Stream<Item = Result<RowBlock>> + Send + Unpin + 'static {
        let state = Some(Target::of(self).map(|t| Reader::new(t, opts)));
        stream::unfold(state, |state| async move {
            match state? {
                Err(e) => Some((Err(e), None)),
                Ok(mut reader) => match reader.next_block().await {
                    Ok(Some(block)) => Some((Ok(block), Some(Ok(reader)))),
                    Ok(None) => None,
                    Err(e) => Some((Err(e), None)),
                },
            }
        })
        // Boxed (one allocation per read) so the stream is `Unpin`, like `paging`'s.
        .boxed()
    }

    /// Reads the whole range into one grid through [`RangeNode::read_chunked`].
    pub async fn read_all(&self, opts: ReadOptions) -> Result<Cells> {
        use futures_util::TryStreamExt;
        let mut out = Vec::new();
        let mut blocks = self.read_chunked(opts);
        while let Some(block) = blocks.try_next().await? {
            out.extend(block.rows);
        }
        Ok(out)
    }

    /// Writes `grid` into this range as PATCHes of row blocks under the request limits (see
    /// [the module docs](crate::chunk)). The node must be a worksheet range with an address:
    /// either exactly the grid's size, or one cell (the top-left corner). Rows before
    /// [`WriteOptions::start_row`] are skipped. Blocks are written in order, one at a time.
    pub async fn write_chunked(
        &self,
        grid: &[Vec<CellValue>],
        opts: WriteOptions,
    ) -> std::result::Result<WriteReport, WriteError> {
        let target = match Target::of(self).and_then(|t| fit(t, grid)) {
            Ok(t) => t,
            Err(e) => return Err(WriteError::before_start(grid.len(), opts.start_row, e)),
        };
        let field = opts.field;
        let send = move |rows: Range<usize>, body: Bytes| {
            let (_, node) = target.block(rows);
            let mut req = node
                .update(&crate::v1::RangeUpdate::default())
                .select(&["address"])
                .into_request();
            req.body = Some(body);
            (target.client().clone(), req)
        };
        // A PATCH of values is idempotent: a 504 is retried like any transient fault.
        write_blocks(grid, opts, field, &[], send).await
    }
}

/// The target, checked against the grid (and widened from a single anchor cell).
fn fit(mut t: Target, grid: &[Vec<CellValue>]) -> Result<Target> {
    let cols = grid.first().map_or(0, Vec::len);
    if let Some((i, r)) = grid.iter().enumerate().find(|(_, r)| r.len() != cols) {
        return Err(Error::InvalidInput(format!(
            "grid row {i} has {} cells, row 0 has {cols}: a range write needs a rectangle",
            r.len()
        )));
    }
    let (rows, cols) = (grid.len() as u32, cols as u32);
    if t.rect.rows == 1 && t.rect.cols == 1 && (rows, cols) != (1, 1) {
        t.rect.rows = rows;
        t.rect.cols = cols;
        if t.rect.row as u64 + rows as u64 > MAX_ROWS as u64
            || t.rect.col as u64 + cols as u64 > MAX_COLUMNS as u64
        {
            return Err(Error::InvalidInput(format!(
                "a {rows}x{cols} grid does not fit on the worksheet from this corner"
            )));
        }
    }
    if (t.rect.rows, t.rect.cols) != (rows, cols) && !grid.is_empty() {
        return Err(Error::InvalidInput(format!(
            "the grid is {rows}x{cols} but the range is {}x{}",
            t.rect.rows, t.rect.cols
        )));
    }
    Ok(t)
}

impl WriteError {
    fn before_start(len: usize, start: usize, error: Error) -> WriteError {
        let start = start.min(len);
        WriteError {
            written: start..start,
            uncertain: start..start,
            not_written: start..len,
            report: WriteReport {
                rows: start..start,
                ..WriteReport::default()
            },
            error,
        }
    }
}

/// Encodes rows from `start` into one body `{"<field>":[...]}` until the next row would
/// pass `max_bytes` or `max_cells`. Returns the end row and the body.
fn build_block(
    grid: &[Vec<CellValue>],
    start: usize,
    field: &str,
    max_bytes: usize,
    max_cells: usize,
) -> Result<(usize, Vec<u8>)> {
    const CLOSE: &[u8] = b"]}";
    let mut body = Vec::with_capacity(max_bytes.min(1 << 22));
    body.extend_from_slice(b"{\"");
    body.extend_from_slice(field.as_bytes());
    body.extend_from_slice(b"\":[");
    let mut row = Vec::new();
    let mut end = start;
    let mut cells = 0;
    while end < grid.len() {
        row.clear();
        encode_row(&grid[end], &mut row);
        let sep = usize::from(end > start);
        let fits_bytes = body.len() + sep + row.len() + CLOSE.len() <= max_bytes;
        let fits_cells = cells + grid[end].len() <= max_cells;
        if end > start && !(fits_bytes && fits_cells) {
            break;
        }
        if end == start && !fits_bytes {
            return Err(Error::InvalidInput(format!(
                "grid row {end} alone serializes to {} bytes, over the {max_bytes}-byte request limit",
                row.len() + body.len() + CLOSE.len()
            )));
        }
        if sep == 1 {
            body.push(b',');
        }
        body.extend_from_slice(&row);
        cells += grid[end].len();
        end += 1;
    }
    body.extend_from_slice(CLOSE);
    Ok((end, body))
}

/// The write loop shared by range PATCHes and table appends: blocks in order, each sent once
/// it is built, halved when refused as too large. `send` makes the request of a block;
/// statuses in `final_statuses` are not retried, and leave their block uncertain.
async fn write_blocks<F>(
    grid: &[Vec<CellValue>],
    opts: WriteOptions,
    field: CellField,
    final_statuses: &[u16],
    send: F,
) -> std::result::Result<WriteReport, WriteError>
where
    F: Fn(Range<usize>, Bytes) -> (Client, Request),
{
    let start = opts.start_row.min(grid.len());
    let mut report = WriteReport {
        rows: start..start,
        ..WriteReport::default()
    };
    let mut max_cells = opts.max_cells.max(1);
    let mut max_bytes = opts.max_request_bytes;
    let mut next = start;
    let fail = |report: WriteReport, next: usize, uncertain: usize, error: Error| WriteError {
        written: start..next,
        uncertain: next..uncertain,
        not_written: uncertain..grid.len(),
        report,
        error,
    };
    while next < grid.len() {
        let (end, body) = match build_block(grid, next, field.wire(), max_bytes, max_cells) {
            Ok(b) => b,
            Err(e) => return Err(fail(report, next, next, e)),
        };
        let len = body.len();
        let (client, req) = send(next..end, Bytes::from(body));
        report.requests += 1;
        report.max_request_bytes = report.max_request_bytes.max(len);
        match client.execute_retrying(&req, final_statuses).await {
            Ok(_) => {
                report.blocks.push(next..end);
                next = end;
                report.rows.end = end;
            }
            // Refused before being applied: send less.
            Err(e) if too_big(&e) && !final_statuses.contains(&e.status().unwrap_or(0)) => {
                if end - next == 1 {
                    return Err(fail(report, next, next, e));
                }
                let cells: usize = grid[next..end].iter().map(Vec::len).sum();
                max_cells = (cells / 2).max(1);
                if e.status() == Some(413) {
                    max_bytes = len / 2 + 64;
                }
            }
            Err(e) => {
                let unknown = matches!(e, Error::Timeout { .. } | Error::Transport(_))
                    || e.status().is_some_and(|s| final_statuses.contains(&s));
                let uncertain = if unknown { end } else { next };
                return Err(fail(report, next, uncertain, e));
            }
        }
    }
    Ok(report)
}

#[cfg(feature = "tables")]
impl crate::v1::TableNode {
    /// The table's data rows (`dataBodyRange`, headers and totals left out) as an addressed
    /// worksheet range, ready for [`RangeNode::read_chunked`] or [`RangeNode::write_chunked`]:
    /// one `GET .../dataBodyRange?$select=address`.
    ///
    /// ```no_run
    /// # async fn f(book: graph_workbook::v1::Workbook) -> graph_workbook::Result<()> {
    /// use graph_workbook::chunk::ReadOptions;
    /// let rows = book.table("Sales").resolve_data_body_range().await?.read_all(ReadOptions::default()).await?;
    /// # let _ = rows; Ok(()) }
    /// ```
    pub async fn resolve_data_body_range(&self) -> Result<RangeNode> {
        let range = self
            .data_body_range()
            .get()
            .select(&["address"])
            .send()
            .await?;
        addressed_range(self.node(), range.address.as_deref())
    }
}

/// `address` (`Sheet1!A2:D100`, as Graph returns it) as a range node of the workbook `node`
/// belongs to, with `node`'s headers (session).
#[cfg(feature = "tables")]
fn addressed_range(node: &Node, address: Option<&str>) -> Result<RangeNode> {
    let address = address.ok_or_else(|| {
        Error::InvalidInput(format!("{}: Graph returned no range address", node.path()))
    })?;
    let parsed = crate::address::Address::parse(address)?;
    let sheet = parsed.sheet().ok_or_else(|| {
        Error::InvalidInput(format!("range address {address:?} has no worksheet"))
    })?;
    let end = crate::writer::workbook_end(node.path())
        .ok_or_else(|| Error::InvalidInput(format!("{}: not inside a workbook", node.path())))?;
    let mut root = Node::at(
        node.client().clone(),
        node.path()[..end].to_string(),
        "/workbook".into(),
    );
    for (k, v) in node.headers() {
        root = root.with_header(k, v);
    }
    Ok(crate::v1::WorkbookNode::from_node(root)
        .worksheet(sheet)
        .range(parsed.reference()))
}

#[cfg(feature = "tables")]
impl crate::v1::TableRowCollectionNode {
    /// Appends `rows` to the table in batches (`POST .../rows/add`, one request per batch
    /// under the request limits, in order). An append is not idempotent: a batch whose
    /// response is lost (504, timeout, connection reset after sending) is not sent again but
    /// reported in [`WriteError::uncertain`]; throttled batches (429, edit lock) are retried,
    /// since Graph did not apply them. Rows before [`WriteOptions::start_row`] are skipped.
    pub async fn add_chunked(
        &self,
        rows: &[Vec<CellValue>],
        opts: WriteOptions,
    ) -> std::result::Result<WriteReport, WriteError> {
        let node = self.clone();
        let send = move |_: Range<usize>, body: Bytes| {
            let mut req = node
                .add(&crate::v1::TableRowCollectionAddParams::default())
                .into_request();
            req.body = Some(body);
            (node.node().client().clone(), req)
        };
        write_blocks(rows, opts, CellField::Values, &[504], send).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::cells;

    #[test]
    fn rectangles() {
        assert_eq!(
            parse_rect("A1:CV10000").unwrap(),
            Rect {
                row: 0,
                col: 0,
                rows: 10_000,
                cols: 100
            }
        );
        assert_eq!(
            parse_rect("$C$5").unwrap(),
            Rect {
                row: 4,
                col: 2,
                rows: 1,
                cols: 1
            }
        );
        assert_eq!(parse_rect("B3:A1").unwrap().rows, 3);
        for bad in ["A:C", "1:3", "A0", "", "A1:B"] {
            assert!(parse_rect(bad).is_err(), "{bad}");
        }
        let r = parse_rect("B2:D9").unwrap();
        assert_eq!(r.rows_address(2..5), "B4:D6");
    }

    #[test]
    fn target_from_a_worksheet_range_node() {
        let client = Client::new("t").unwrap();
        let book = client.workbook(&crate::drive::DriveItem::me_item("01"));
        let sheet = book.worksheet("Q1 '24");
        let t = Target::of(&sheet.range("'Q1 ''24'!b2:c3")).unwrap();
        assert_eq!(t.rect.rows_address(0..2), "B2:C3");
        let (_, node) = t.block(1..2);
        assert_eq!(
            node.node().path(),
            sheet.range("B3:C3").node().path(),
            "a block is the same node the generated API builds"
        );
        assert!(Target::of(&sheet.range(None)).is_err());
        assert!(Target::of(&book.names().item("n").range()).is_err());
    }

    #[test]
    fn blocks_stay_under_the_byte_limit_and_cover_every_row() {
        let grid: Cells = (0..50)
            .map(|r| {
                (0..7)
                    .map(|c| CellValue::from(format!("r{r}c{c}")))
                    .collect()
            })
            .collect();
        let mut start = 0;
        let mut seen = 0;
        while start < grid.len() {
            let (end, body) = build_block(&grid, start, "values", 300, 1000).unwrap();
            assert!(body.len() <= 300, "{}", body.len());
            assert!(end > start);
            #[derive(Deserialize)]
            struct B {
                values: Cells,
            }
            let b: B = serde_json::from_slice(&body).unwrap();
            assert_eq!(b.values, grid[start..end]);
            seen += end - start;
            start = end;
        }
        assert_eq!(seen, 50);
        // The cell cap applies too.
        assert_eq!(build_block(&grid, 0, "values", 1 << 20, 14).unwrap().0, 2);
        // One row over the limit is an error naming it.
        let e = build_block(&grid, 3, "values", 20, 1000).unwrap_err();
        assert!(e.to_string().contains("grid row 3"), "{e}");
    }

    #[test]
    fn decode_picks_the_field_and_skips_the_rest() {
        let body = br#"{"@odata.context":"x","text":[["a"]],"values":[[1,"",true,null]],"formulas":[["=A1"]]}"#;
        assert_eq!(
            decode_cells(body, CellField::Values).unwrap(),
            crate::cells![[1, (), true, None::<i32>]]
        );
        assert_eq!(
            decode_cells(body, CellField::Formulas).unwrap(),
            cells([["=A1"]])
        );
        assert!(decode_cells(body, CellField::NumberFormat)
            .unwrap()
            .is_empty());
        // Ragged rows decode as they are (the width of a row is only a capacity hint).
        let ragged = decode_cells(br#"{"values":[[1,2,3],[4],[],[5,6]]}"#, CellField::Values);
        let widths: Vec<usize> = ragged.unwrap().iter().map(Vec::len).collect();
        assert_eq!(widths, [3, 1, 0, 2]);
        assert!(decode_cells(br#"{"values":null}"#, CellField::Values)
            .unwrap()
            .is_empty());
        assert!(matches!(
            decode_cells(b"{\"values\":[[{}]]}", CellField::Values),
            Err(Error::Decode { .. })
        ));
    }

    #[cfg(feature = "tables")]
    #[test]
    fn table_ranges_become_worksheet_ranges() {
        let client = Client::new("t").unwrap();
        let book = client.workbook(&crate::drive::DriveItem::me_path("f/b.xlsx"));
        let table = book
            .worksheet("x")
            .table("T")
            .with_header("workbook-session-id", "s");
        let r = addressed_range(table.node(), Some("'Q1 ''24'!A2:D100")).unwrap();
        let want = book
            .worksheet("Q1 '24")
            .range("A2:D100")
            .with_header("workbook-session-id", "s");
        assert_eq!(r.node().path(), want.node().path());
        assert_eq!(r.node().headers(), want.node().headers());
        assert!(Target::of(&r).is_ok());
        assert!(addressed_range(table.node(), Some("A1:B2")).is_err());
        assert!(addressed_range(table.node(), None).is_err());
    }

    #[test]
    fn fit_checks_the_grid() {
        let client = Client::new("t").unwrap();
        let sheet = client
            .workbook(&crate::drive::DriveItem::me_item("01"))
            .worksheet("S");
        let t = |a: &str| Target::of(&sheet.range(a)).unwrap();
        let g = cells([[1, 2, 3], [4, 5, 6]]);
        assert_eq!(fit(t("B2"), &g).unwrap().rect.rows_address(0..2), "B2:D3");
        assert!(fit(t("B2:D3"), &g).is_ok());
        assert!(fit(t("B2:D4"), &g).is_err());
        assert!(fit(t("B2"), &cells(vec![vec![1, 2], vec![3]])).is_err());
        assert!(fit(t("XFD1"), &g).is_err());
    }
}
