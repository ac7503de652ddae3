//! Name predicates and the Rust names lowering derives from wire names.

use std::fmt;

use crate::ir::Area;
use crate::naming::pascal_case;
use crate::spec::TypeRef;

/// A node of the navigation tree: a resource type, or a collection of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct NodeId {
    /// Wire type name (`workbookRange`).
    pub wire_type: String,
    pub collection: bool,
}

impl NodeId {
    pub fn one(wire_type: impl Into<String>) -> Self {
        NodeId {
            wire_type: wire_type.into(),
            collection: false,
        }
    }

    /// The workbook root.
    pub fn root() -> Self {
        Self::one("workbook")
    }

    /// `Collection(workbookChart)` or `workbookChart`.
    pub fn of_type(t: &TypeRef) -> Self {
        match t.element() {
            Some(inner) => NodeId {
                wire_type: inner.to_string(),
                collection: true,
            },
            None => Self::one(t.to_string()),
        }
    }

    /// `RangeNode`, `ChartCollectionNode`.
    pub fn rust(&self) -> String {
        format!(
            "{}{}Node",
            short_type(&self.wire_type),
            if self.collection { "Collection" } else { "" }
        )
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.collection {
            write!(f, "Collection({})", self.wire_type)
        } else {
            f.write_str(&self.wire_type)
        }
    }
}

/// `workbookChartAxis` -> `ChartAxis`; `workbook` -> `Workbook`.
fn short_type(wire: &str) -> String {
    let rest = wire
        .strip_prefix("workbook")
        .filter(|r| r.starts_with(|c: char| c.is_ascii_uppercase()));
    pascal_case(rest.unwrap_or(wire))
}

/// The API area (cargo feature) of a wire type name.
pub fn area_of(wire_type: &str) -> Area {
    let s = short_type(wire_type);
    if s.starts_with("PivotTable") {
        Some("pivot-tables")
    } else if s.starts_with("Chart") {
        Some("charts")
    } else if s.starts_with("Table") {
        Some("tables")
    } else if s.starts_with("Comment") {
        Some("comments")
    } else if s.starts_with("Function") {
        Some("functions")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn node_names() {
        let chart = NodeId::of_type(&TypeRef::parse("Collection(workbookChart)").unwrap());
        assert_eq!(chart.rust(), "ChartCollectionNode");
        assert_eq!(chart.to_string(), "Collection(workbookChart)");
        assert_eq!(NodeId::root().rust(), "WorkbookNode");
        assert_eq!(NodeId::one("workbookPivotTable").rust(), "PivotTableNode");
    }

    #[test]
    fn areas_follow_the_short_type_name() {
        assert_eq!(
            area_of("workbookPivotTableCollection"),
            Some("pivot-tables")
        );
        assert_eq!(area_of("workbookTableRow"), Some("tables"));
        assert_eq!(area_of("workbookRange"), None);
        // Not a `workbook` prefix followed by a word: the whole name counts.
        assert_eq!(area_of("workbookchart"), None);
    }
}
