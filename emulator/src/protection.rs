//! Worksheet protection: `get`, `protect` (with its options), `unprotect`. IronCalc has no
//! sheet protection, so the emulator keeps it beside the workbook
//! (`.<name>.protection.json`, by sheet name). The emulator records protection; it does not
//! refuse edits of a protected sheet.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use crate::book::Book;
use crate::error::GraphError;

type R<T> = Result<T, GraphError>;

/// The options of `workbookWorksheetProtectionOptions` (all false unless given).
const OPTIONS: [&str; 11] = [
    "allowAutoFilter",
    "allowDeleteColumns",
    "allowDeleteRows",
    "allowFormatCells",
    "allowFormatColumns",
    "allowFormatRows",
    "allowInsertColumns",
    "allowInsertHyperlinks",
    "allowInsertRows",
    "allowPivotTables",
    "allowSort",
];

/// Protected sheets (by name) and their options.
pub type Protection = BTreeMap<String, BTreeMap<String, bool>>;

impl Book {
    /// `worksheets/{s}/protection`.
    pub fn protection_json(&self, s: u32) -> Value {
        let set = self.protection.get(&self.sheet_name(s));
        let options: Map<String, Value> = OPTIONS
            .iter()
            .map(|o| {
                let v = set.and_then(|m| m.get(*o)).copied().unwrap_or(false);
                (o.to_string(), Value::Bool(v))
            })
            .collect();
        json!({ "protected": set.is_some(), "options": options })
    }

    /// `protection/protect {"options"}`: refused when the sheet is protected already (Graph
    /// throws then too).
    pub fn protect(&mut self, s: u32, body: &Value) -> R<()> {
        let name = self.sheet_name(s);
        if self.protection.contains_key(&name) {
            return Err(GraphError::invalid("The worksheet is protected already."));
        }
        let mut set = BTreeMap::new();
        match body.get("options") {
            None | Some(Value::Null) => {}
            Some(Value::Object(o)) => {
                for (k, v) in o {
                    if !OPTIONS.contains(&k.as_str()) {
                        return Err(GraphError::invalid(format!(
                            "{k} is not a worksheet protection option."
                        )));
                    }
                    let b = v.as_bool().ok_or_else(|| {
                        GraphError::invalid(format!("The option {k} must be a boolean."))
                    })?;
                    set.insert(k.clone(), b);
                }
            }
            Some(_) => return Err(GraphError::invalid("options must be an object.")),
        }
        self.protection.insert(name, set);
        Ok(())
    }

    /// `protection/unprotect`.
    pub fn unprotect(&mut self, s: u32) {
        let name = self.sheet_name(s);
        self.protection.remove(&name);
    }
}
