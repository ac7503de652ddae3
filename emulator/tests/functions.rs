//! How many of Graph's workbook functions (spec/functions) IronCalc evaluates.

use graph_workbook_emulator::book::Book;
use graph_workbook_emulator::functions::{catalog, engine_knows};

#[test]
fn most_graph_functions_evaluate() {
    let mut book = Book::new_empty().unwrap();
    let (known, unknown): (Vec<_>, Vec<_>) =
        catalog().iter().partition(|f| engine_knows(&mut book, f));
    let missing: Vec<&str> = unknown.iter().map(|f| f.name.as_str()).collect();
    println!(
        "functions: {} of {} evaluate; not evaluated: {missing:?}",
        known.len(),
        catalog().len()
    );
    // The count the emulator's docs give; a regression (or an engine upgrade) shows here.
    assert!(
        known.len() >= 300,
        "{} evaluate; missing {missing:?}",
        known.len()
    );
    // Every function the engine lacks is refused with 501 by the server, not answered.
    assert!(!missing.contains(&"sum"));
    // The scratch sheet is removed after every evaluation.
    assert_eq!(book.model.workbook.worksheets.len(), 1);
}
