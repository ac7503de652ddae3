//! Malformed or inconsistent spec/ input: every problem is reported as
//! `<spec dir>/<file>:<line>: error: <item>: message`, naming the file as it was loaded and the
//! line of the field in it, all problems of the first phase that has any at once (files on
//! their own first, then the tree and the names across files), and nothing panics.

use std::path::Path;

use graph_workbook_codegen::diagnostics::{self, render, Diagnostic, Severity};
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
    let show = render(&errors);
    let expected = [
        ("bad_spec/v1.0/operations/worksheet.protection.json", "worksheet.protection: return type: unknown type `workbookWorksheetProtectionNope`"),
        ("bad_spec/v1.0/operations/range.entireRow.json", "range.entireRow: bad template: template `/workbook/worksheets/{worksheet}/range(address={address}/entireRow` has unbalanced parentheses"),
        ("bad_spec/v1.0/operations/range.resizedRange.json", "contains whitespace"),
        ("bad_spec/v1.0/operations/range.cell.json", "bad segment name `$`"),
        ("bad_spec/v1.0/types/workbookRange.json", "workbookRange: property `format`: unknown type `workbookRangeFormatMissing`"),
        ("bad_spec/v1.0/types/workbookRangeSorting.json", "duplicate name: Rust type `WorkbookRangeSort` is also used by `workbookRangeSort`"),
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
            .all(|d| d.severity == Severity::Error && d.file.starts_with("bad_spec/")),
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
            .find(|d| d.file == format!("bad_spec/{file}"))
            .unwrap_or_else(|| panic!("no error for {file}"));
        let text = std::fs::read_to_string(fixture.join(file)).expect("fixture");
        let line = text.lines().nth(d.line as usize - 1).unwrap_or_default();
        assert!(line.contains(field), "{d}: line {} is `{line}`", d.line);
    }
    let mut sorted = errors.clone();
    diagnostics::sort(&mut sorted);
    assert_eq!(errors, sorted, "errors are reported sorted");

    // A clash across files is found once every file is fine on its own.
    let mut spec = spec;
    for (version, vs) in &mut spec.versions {
        let bad = |kind: &str, name: &str| {
            let file = format!("bad_spec/{version}/{kind}/{name}.json");
            errors.iter().any(|d| d.file == file)
        };
        vs.operations.retain(|id, _| !bad("operations", id));
        vs.types.retain(|name, _| !bad("types", name));
    }
    let errors =
        graph_workbook_codegen::generate(&spec).expect_err("clashing names must not generate");
    let show = render(&errors);
    // The format build.rs prints: `<spec dir>/<file>:<line>: error: <item>: message` (line 3
    // is the `rust_name`).
    assert!(
        show.contains(
            "bad_spec/v1.0/operations/worksheet.get.json:3: error: worksheet.get: duplicate name: `get` is also the method of `worksheet.fetch` on `WorksheetNode`"
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

/// An operation file as someone might edit it by hand: keys in another order, blank lines,
/// compact arrays, tabs. Loads fine; `returns` names a type that does not exist.
const HAND_EDITED_OP: &str = r#"{
	"id": "worksheet.protection",

	"returns": "workbookWorksheetProtectionNope",
	"version": "v1.0", "rust_name": "protection",
	"binding": { "collection": false, "type": "workbookWorksheet" },
	"method": "GET",
	"source": { "line": 25, "page": "api-reference/v1.0/api/worksheet-get.md" },


	"paths": [ {
		"template": "/workbook/worksheets/{worksheet}/protection",
		"prefixes": [], "lines": [30],
		"segments": [
			{ "kind": "navigation", "name": "workbook" },
			{ "kind": "navigation", "name": "worksheets", "target": "Collection(workbookWorksheet)" },
			{ "kind": "key", "param": { "name": "worksheet", "type": "string", "required": true } },
			{ "kind": "call", "name": "protection" }
		]
	} ],
	"headers": [], "body": { "kind": "none" }, "success": [200],
	"odata_query": false,
	"permissions": { "delegated_work": [], "delegated_personal": [], "application": [] }
}
"#;

/// A type file in one line per member, its property types out of order.
const HAND_EDITED_TYPE: &str = r#"{ "name": "workbookOdd", "rust_name": "WorkbookOdd", "version": "v1.0",
  "source": { "page": "api-reference/v1.0/resources/odd.md", "line": 1 },
  "docs_url": "https://learn.microsoft.com/graph/api/resources/odd?view=graph-rest-1.0",
  "kind": "complex",
  "properties": [ { "name": "fine", "type": "string" },

                  { "type": "workbookNope", "name": "odd" } ],
  "relationships": [] }
"#;

/// The 1-based line of `text` that contains `needle` (the only one).
fn line_with(text: &str, needle: &str) -> u32 {
    let lines: Vec<usize> = (0..text.lines().count())
        .filter(|&i| text.lines().nth(i).is_some_and(|l| l.contains(needle)))
        .collect();
    let [i] = lines.as_slice() else {
        panic!("`{needle}` is on lines {lines:?}")
    };
    *i as u32 + 1
}

/// A lower diagnostic names the file as it was loaded (here under `hand_spec/`, not `spec/`)
/// and the line of the field in the text on disk, whatever its layout, not in the canonical
/// rendering of the value.
#[test]
fn lower_errors_name_the_loaded_file_and_its_line() {
    let (good, diags) = load("tests/fixtures/spec");
    assert!(diags.is_empty(), "{diags:#?}");
    let dir = std::env::temp_dir()
        .join(format!("codegen-hand-{}", std::process::id()))
        .join("hand_spec");
    let _ = std::fs::remove_dir_all(&dir);
    let op_file = "v1.0/operations/worksheet.protection.json";
    let type_file = "v1.0/types/workbookOdd.json";
    let mut files = good.files();
    files.insert(op_file.into(), HAND_EDITED_OP.into());
    files.insert(type_file.into(), HAND_EDITED_TYPE.into());
    for (name, text) in &files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }
    let (spec, diags) = Spec::load(&dir);
    assert!(diags.is_empty(), "hand-edited files load: {diags:#?}");

    let errors = graph_workbook_codegen::generate(&spec).expect_err("unknown types");
    let show = render(&errors);
    for (file, text, needle, message) in [
        (
            op_file,
            HAND_EDITED_OP,
            "\"returns\"",
            "return type: unknown type `workbookWorksheetProtectionNope`",
        ),
        (
            type_file,
            HAND_EDITED_TYPE,
            "\"workbookNope\"",
            "property `odd`: unknown type `workbookNope`",
        ),
    ] {
        let d = errors
            .iter()
            .find(|d| d.message.contains(message))
            .unwrap_or_else(|| panic!("no `{message}` in:\n{show}"));
        assert_eq!(d.file, format!("hand_spec/{file}"), "{show}");
        assert_eq!(d.line, line_with(text, needle), "{d}");
    }
    // Not where the value's canonical rendering has it (what lines were once taken from).
    let op = &spec.versions["v1.0"].operations["worksheet.protection"];
    let canonical = graph_workbook_codegen::spec::to_file_text(op);
    assert_ne!(
        line_with(&canonical, "\"returns\""),
        line_with(HAND_EDITED_OP, "\"returns\"")
    );
    assert_eq!(errors.len(), 2, "{show}");
    let _ = std::fs::remove_dir_all(dir.parent().expect("temp parent"));
}
