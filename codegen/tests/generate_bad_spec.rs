//! Malformed or inconsistent spec/ input: every problem is reported as
//! `spec/<file>:<line>: error: <item>: message`, all problems of the first phase that has any at once
//! (files on their own first, then the tree and the names across files), and nothing panics.

use std::path::Path;

use graph_workbook_codegen::diagnostics::{Diagnostic, Severity};
use graph_workbook_codegen::spec::{Method, Segment, Spec, TypeRef};

fn load(dir: &str) -> (Spec, Vec<Diagnostic>) {
    Spec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join(dir))
}

fn has(diags: &[Diagnostic], file: &str, needle: &str) -> bool {
    diags
        .iter()
        .any(|d| d.file == file && d.message.contains(needle))
}

#[test]
fn bad_spec_lists_every_problem() {
    let (spec, load_diags) = load("tests/fixtures/bad_spec");
    // Files that do not parse are reported by the loader, with their line.
    let malformed = load_diags
        .iter()
        .find(|d| d.file == "bad_spec/v1.0/operations/chart.get.json")
        .expect("malformed JSON reported");
    assert_eq!(malformed.line, 6, "{malformed}");
    assert!(
        has(
            &load_diags,
            "bad_spec/v1.0/operations/worksheet.list.json",
            "unknown field `verb`"
        ),
        "{load_diags:#?}"
    );

    let errors =
        graph_workbook_codegen::generate(&spec).expect_err("inconsistent spec must not generate");
    let show = errors
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    let expected = [
        ("spec/v1.0/operations/worksheet.protection.json", "worksheet.protection: return type: unknown type `workbookWorksheetProtectionNope`"),
        ("spec/v1.0/operations/range.entireRow.json", "range.entireRow: bad template: template `/workbook/worksheets/{worksheet}/range(address={address}/entireRow` has unbalanced parentheses"),
        ("spec/v1.0/operations/range.resizedRange.json", "contains whitespace"),
        ("spec/v1.0/operations/range.cell.json", "bad segment name `$`"),
        ("spec/v1.0/types/workbookRange.json", "workbookRange: property `format`: unknown type `workbookRangeFormatMissing`"),
        ("spec/v1.0/types/workbookRangeSorting.json", "duplicate name: Rust type `WorkbookRangeSort` is also used by `workbookRangeSort`"),
    ];
    for (file, msg) in expected {
        assert!(
            has(&errors, file, msg),
            "missing `{file}: {msg}` in:\n{show}"
        );
    }
    assert!(
        errors
            .iter()
            .all(|d| d.severity == Severity::Error && d.file.starts_with("spec/")),
        "{show}"
    );
    // Each points at the line of the field it is about, in the file on disk.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bad_spec");
    for (file, field) in [
        ("v1.0/operations/worksheet.protection.json", "\"returns\""),
        ("v1.0/operations/range.entireRow.json", "\"template\""),
        (
            "v1.0/types/workbookRange.json",
            "\"workbookRangeFormatMissing\"",
        ),
        ("v1.0/types/workbookRangeSorting.json", "\"rust_name\""),
    ] {
        let d = errors
            .iter()
            .find(|d| d.file == format!("spec/{file}"))
            .unwrap_or_else(|| panic!("no error for {file}"));
        let text = std::fs::read_to_string(fixture.join(file)).expect("fixture");
        let line = text.lines().nth(d.line as usize - 1).unwrap_or_default();
        assert!(line.contains(field), "{d}: line {} is `{line}`", d.line);
    }
    let mut sorted = errors.clone();
    sorted.sort();
    assert_eq!(errors, sorted, "errors are reported sorted");

    // A clash across files is found once every file is fine on its own.
    let mut spec = spec;
    for (version, vs) in &mut spec.versions {
        let bad = |kind: &str, name: &str| {
            let file = format!("spec/{version}/{kind}/{name}.json");
            errors.iter().any(|d| d.file == file)
        };
        vs.operations.retain(|id, _| !bad("operations", id));
        vs.types.retain(|name, _| !bad("types", name));
    }
    let errors =
        graph_workbook_codegen::generate(&spec).expect_err("clashing names must not generate");
    let show = errors
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n");
    // The format build.rs prints: `spec/<file>:<line>: error: <item>: message` (line 3 is the
    // `rust_name`).
    assert!(
        show.contains(
            "spec/v1.0/operations/worksheet.get.json:3: error: worksheet.get: duplicate name: `get` is also the method of `worksheet.fetch` on `WorksheetNode`"
        ),
        "{show}"
    );
}

/// Deterministic pseudo-random mutations of the good fixture: generate must return (Ok or
/// Err with diagnostics), never panic, never produce unparsable Rust.
#[test]
fn mutated_specs_never_panic() {
    let (good, diags) = load("tests/fixtures/spec");
    assert!(diags.is_empty());
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let names = [
        "",
        "$",
        "workbook",
        "range",
        "Collection(",
        "Collection(workbookRange)",
        "a b",
        "{x}",
        "type",
        "é",
        "self",
    ];
    let mut ok = 0;
    for _ in 0..150 {
        let mut spec = good.clone();
        let vs = spec.versions.get_mut("v1.0").expect("v1.0");
        let ids: Vec<String> = vs.operations.keys().cloned().collect();
        let id = &ids[(next() as usize) % ids.len()];
        let op = vs.operations.get_mut(id).expect("op");
        let pick = names[(next() as usize) % names.len()].to_owned();
        match next() % 9 {
            // Names no spec file can hold (they fail to load) still reach lowering here.
            0 => op.returns = Some(TypeRef::parse(&pick).unwrap_or(TypeRef::named(pick))),
            1 => op.rust_name = pick,
            2 => op.binding.type_ = pick,
            3 => {
                if let Some(p) = op.paths.first_mut() {
                    let n = p.segments.len();
                    p.segments.remove((next() as usize) % n);
                }
            }
            4 => {
                if let Some(p) = op.paths.first_mut() {
                    p.segments.push(Segment::Navigation {
                        name: pick.into(),
                        target: None,
                    });
                }
            }
            5 => op.paths.clear(),
            6 => op.method = Method::ALL[(next() as usize) % Method::ALL.len()],
            7 => {
                if let Some(p) = op.paths.first_mut() {
                    p.template = pick;
                }
            }
            _ => {
                let ts: Vec<String> = vs.types.keys().cloned().collect();
                let t = vs
                    .types
                    .get_mut(&ts[(next() as usize) % ts.len()])
                    .expect("type");
                if let Some(p) = t.properties.first_mut() {
                    p.name = pick.into();
                }
            }
        }
        match graph_workbook_codegen::generate(&spec) {
            Ok(files) => {
                ok += 1;
                for (name, code) in files {
                    assert!(!code.contains("compile_error!"), "{name}");
                    syn::parse_file(&code).unwrap_or_else(|e| panic!("{name}: {e}"));
                }
            }
            Err(d) => assert!(!d.is_empty()),
        }
    }
    assert!(
        ok > 0 && ok < 150,
        "mutations should both pass and fail ({ok} ok)"
    );
}

/// Generated files import a few runtime names (`Call`, `Op`, `Shape`, ...): a spec type of the
/// same Rust name would clash with the import, so it is an error naming the type file.
#[test]
fn type_named_like_an_imported_runtime_item_is_an_error() {
    let (mut spec, diags) = load("tests/fixtures/spec");
    assert!(diags.is_empty(), "{diags:#?}");
    let vs = spec.versions.get_mut("v1.0").expect("v1.0");
    let wire = vs.types.keys().next().expect("a type").clone();
    vs.types.get_mut(&wire).expect("type").rust_name = "Shape".into();
    let errors = graph_workbook_codegen::generate(&spec)
        .expect_err("a type named `Shape` must not generate");
    let file = format!("spec/v1.0/types/{wire}.json");
    assert!(
        has(&errors, &file, "Rust type name `Shape` is reserved"),
        "{errors:#?}"
    );
}
