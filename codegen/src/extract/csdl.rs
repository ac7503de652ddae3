//! The Graph OData metadata (CSDL, `graph-metadata/v1.0.csdl`) as a small, queryable model.
//!
//! Only the `microsoft.graph` schema is materialized (entity, complex and enum types, and every
//! bound action/function); the other schemas (`microsoft.graph.security`, ...) hold nothing the
//! workbook API uses, except out-of-line `<Annotations>` (Graph writes them in another schema):
//! of those, `Org.OData.Capabilities.V1.InsertRestrictions` `Insertable=false` on a navigation
//! property is kept ([`Csdl::insertable`]). Parsing the real 3.3 MB file takes tens of
//! milliseconds in release (see [`Csdl::parse`]).
//!
//! All lookups are case-insensitive and accept names with or without the `graph.` /
//! `microsoft.graph.` prefix; the model returns the CSDL's canonical spelling, which is what
//! spec/ records. Types are exposed both raw (`Edm.String`, `graph.workbookRange`) and as the
//! spec's [`TypeRef`] string form via [`type_ref`].
//!
//! ```no_run
//! # use graph_workbook_codegen::extract::csdl::Csdl;
//! let xml = std::fs::read_to_string("../shared/graph-metadata/v1.0.csdl").unwrap();
//! let csdl = Csdl::parse(&xml).unwrap();
//! let range = csdl.workbook_type("range").unwrap();          // old docs name -> workbookRange
//! assert_eq!(range, "workbookRange");
//! let nav = csdl.navigation("workbookRange", "FORMAT").unwrap(); // -> workbookRangeFormat
//! let ops = csdl.bound_operations("workbookRange", "rowsAbove"); // two overloads
//! ```

use std::collections::{HashMap, HashSet};

pub use crate::spec::TypeKind;
use crate::spec::{Method, Primitive, TypeRef};

/// The namespace whose types and operations are materialized.
pub(crate) const NAMESPACE: &str = "microsoft.graph";

/// An `EntityType` or `ComplexType` of the graph namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct StructType {
    /// Canonical name without namespace, e.g. `workbookRange`.
    pub name: String,
    pub kind: TypeKind,
    /// Base type name without namespace (`entity`), if any.
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub is_open: bool,
    /// Declared properties only (see [`Csdl::properties`] for inherited ones), in CSDL order.
    pub properties: Vec<CsdlProperty>,
    /// Declared navigation properties only, in CSDL order.
    pub navigations: Vec<NavProperty>,
}

/// A structural `Property`.
#[derive(Debug, Clone, PartialEq)]
pub struct CsdlProperty {
    pub name: String,
    /// Raw CSDL type, e.g. `Edm.Int32`, `graph.Json`, `Collection(graph.workbookSortField)`.
    pub type_name: String,
    /// `Nullable` attribute (OData default: true).
    pub nullable: bool,
}

impl CsdlProperty {
    /// The type in spec form (`int32`, `Json`, `Collection(workbookSortField)`).
    pub fn type_ref(&self) -> TypeRef {
        type_ref(&self.type_name)
    }
}

/// A `NavigationProperty`.
#[derive(Debug, Clone, PartialEq)]
pub struct NavProperty {
    pub name: String,
    /// Raw CSDL type, e.g. `Collection(graph.workbookWorksheet)`.
    pub type_name: String,
    pub contains_target: bool,
    /// 1-based line of the `<NavigationProperty>` element in the CSDL file.
    pub line: u32,
}

impl NavProperty {
    pub fn type_ref(&self) -> TypeRef {
        type_ref(&self.type_name)
    }
    pub fn is_collection(&self) -> bool {
        self.type_name.starts_with("Collection(")
    }
    /// The element type name without namespace (`workbookWorksheet`).
    pub fn target_type(&self) -> String {
        element_name(&self.type_name)
    }
}

/// An `EnumType` of the graph namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumType {
    pub name: String,
    /// Member names in CSDL order.
    pub members: Vec<String>,
}

/// A parameter of a bound operation (the binding parameter is not in the list).
#[derive(Debug, Clone, PartialEq)]
pub struct CsdlParam {
    pub name: String,
    /// Raw CSDL type.
    pub type_name: String,
    /// `Nullable` attribute (OData default: true).
    pub nullable: bool,
}

impl CsdlParam {
    pub fn type_ref(&self) -> TypeRef {
        type_ref(&self.type_name)
    }

    /// The spec parameter: the CSDL's name and type, required unless nullable.
    pub(crate) fn to_param(&self) -> crate::spec::Param {
        crate::spec::Param {
            name: self.name.clone().into(),
            type_: self.type_ref(),
            required: !self.nullable,
            quoted: false,
            values: Vec::new(),
        }
    }
}

/// A bound `Action` or `Function` of the graph namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct BoundOperation {
    pub name: String,
    pub is_action: bool,
    pub is_composable: bool,
    /// The binding parameter's type: `workbookRange`, `Collection(workbookChart)`.
    pub binding: TypeRef,
    /// Parameters after the binding parameter, in CSDL order.
    pub params: Vec<CsdlParam>,
    /// Raw CSDL return type, if any.
    pub return_type: Option<String>,
    /// 1-based line of the `<Action>`/`<Function>` element in the CSDL file.
    pub line: u32,
}

/// What a bound operation is: an action is POSTed; a function is called with GET, and a
/// composable one can be addressed further (`usedRange/format`). Ordered like its string form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OperationKind {
    Action,
    ComposableFunction,
    Function,
}

impl OperationKind {
    /// `action`, `composable function`, `function`: the spelling of the `check` report.
    pub fn as_str(self) -> &'static str {
        match self {
            OperationKind::Action => "action",
            OperationKind::ComposableFunction => "composable function",
            OperationKind::Function => "function",
        }
    }

    /// The method the wire form uses: POST for an action, GET for a function.
    pub fn method(self) -> Method {
        match self {
            OperationKind::Action => Method::Post,
            OperationKind::ComposableFunction | OperationKind::Function => Method::Get,
        }
    }
}

impl std::fmt::Display for OperationKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl BoundOperation {
    /// Action, function or composable function.
    pub fn kind(&self) -> OperationKind {
        match (self.is_action, self.is_composable) {
            (true, _) => OperationKind::Action,
            (false, true) => OperationKind::ComposableFunction,
            (false, false) => OperationKind::Function,
        }
    }

    /// The return type in spec form.
    pub fn returns(&self) -> Option<TypeRef> {
        self.return_type.as_deref().map(type_ref)
    }
}

/// The parsed graph namespace. Build with [`Csdl::parse`].
#[derive(Debug, Clone, Default)]
pub struct Csdl {
    types: Vec<StructType>,
    enums: Vec<EnumType>,
    operations: Vec<BoundOperation>,
    /// lower-case name -> index into `types`.
    type_index: HashMap<String, usize>,
    /// lower-case name -> index into `enums`.
    enum_index: HashMap<String, usize>,
    /// Binding and name -> indices into `operations`, CSDL order.
    op_index: HashMap<OpKey, Vec<usize>>,
    /// Lower-case `type/navigation` targets annotated `InsertRestrictions` `Insertable=false`.
    not_insertable: HashSet<String>,
}

/// Strip `microsoft.graph.` or `graph.` from a qualified name (`Edm.` names are kept).
pub(crate) fn unqualified(name: &str) -> &str {
    let name = name.trim();
    name.strip_prefix("microsoft.graph.")
        .or_else(|| name.strip_prefix("graph."))
        .unwrap_or(name)
}

/// The element type name without namespace: `Collection(graph.workbookChart)` -> `workbookChart`.
pub(crate) fn element_name(type_name: &str) -> String {
    let t = type_name.trim();
    let inner = t
        .strip_prefix("Collection(")
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(t);
    unqualified(inner).to_string()
}

/// Convert a CSDL type to the spec's [`TypeRef`] string form.
///
/// `Edm.String` -> `string`, `Edm.Int32` -> `int32`, `Edm.Int64` -> `int64`, `Edm.Double` ->
/// `double`, `Edm.Boolean` -> `boolean`, `Edm.Binary`/`Edm.Stream` -> `binary`, `graph.Json` ->
/// `Json`, `graph.workbookX` -> `workbookX`, `Collection(T)` -> `Collection(<T converted>)`.
/// Other Edm primitives map to their JSON wire form: `Single`/`Decimal` -> `double`,
/// `Int16`/`Byte`/`SByte` -> `int32`, date/time/`Guid`/`Duration` -> `string` (ISO text on the
/// wire); `Edm.Untyped` -> `Json`.
pub fn type_ref(csdl_type: &str) -> TypeRef {
    let t = csdl_type.trim();
    if let Some(inner) = t
        .strip_prefix("Collection(")
        .and_then(|s| s.strip_suffix(')'))
    {
        return TypeRef::collection_of(&type_ref(inner));
    }
    let prim = match t {
        "Edm.String" | "Edm.DateTimeOffset" | "Edm.Date" | "Edm.TimeOfDay" | "Edm.Guid"
        | "Edm.Duration" => Primitive::String,
        "Edm.Int32" | "Edm.Int16" | "Edm.Byte" | "Edm.SByte" => Primitive::Int32,
        "Edm.Int64" => Primitive::Int64,
        "Edm.Double" | "Edm.Single" | "Edm.Decimal" => Primitive::Double,
        "Edm.Boolean" => Primitive::Boolean,
        "Edm.Binary" | "Edm.Stream" => Primitive::Binary,
        "Edm.Untyped" => Primitive::Json,
        _ => {
            let u = unqualified(t);
            if u.eq_ignore_ascii_case("json") {
                return Primitive::Json.into();
            }
            return TypeRef::named(u);
        }
    };
    prim.into()
}

/// Byte range of the `<Schema Namespace="microsoft.graph" ...>...</Schema>` element, found
/// textually (schemas do not nest).
fn graph_schema_span(xml: &str) -> Option<std::ops::Range<usize>> {
    let mut from = 0;
    while let Some(i) = xml.get(from..)?.find("<Schema") {
        let start = from + i;
        let tag_end = start + xml.get(start..)?.find('>')?;
        let tag = xml.get(start..tag_end)?;
        if tag.contains(&format!("Namespace=\"{NAMESPACE}\"")) {
            let close = "</Schema>";
            let end = tag_end + xml.get(tag_end..)?.find(close)? + close.len();
            return Some(start..end);
        }
        from = tag_end;
    }
    None
}

/// The term name of the OData insert capability (matched as a suffix: with or without alias).
const INSERT_RESTRICTIONS: &str = "InsertRestrictions";

/// False when `node` (a `NavigationProperty` or an `<Annotations>` element) carries an
/// `InsertRestrictions` annotation whose `Insertable` is false (attribute or `<Bool>` child form).
fn insertable_by(node: roxmltree::Node) -> bool {
    let restricted = node
        .children()
        .filter(|n| n.has_tag_name("Annotation"))
        .filter(|n| {
            n.attribute("Term")
                .is_some_and(|t| t.ends_with(INSERT_RESTRICTIONS) && t.contains("Capabilities"))
        })
        .flat_map(|n| n.descendants())
        .filter(|n| {
            n.has_tag_name("PropertyValue") && n.attribute("Property") == Some("Insertable")
        })
        .any(|pv| {
            let v = pv.attribute("Bool").map(str::to_owned).or_else(|| {
                pv.children()
                    .find(|c| c.has_tag_name("Bool"))
                    .and_then(|c| c.text())
                    .map(str::to_owned)
            });
            v.is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
        });
    !restricted
}

fn attr_bool(node: roxmltree::Node, name: &str, default: bool) -> bool {
    match node.attribute(name) {
        Some(v) => v.eq_ignore_ascii_case("true"),
        None => default,
    }
}

/// The index key of a bound operation: its binding type split into collection or not and the
/// element type, and its name; names lower-case (the lookups are case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct OpKey {
    collection: bool,
    element: String,
    name: String,
}

impl OpKey {
    /// The key of operation `name` bound to a type whose element type (or itself, for a
    /// single value) is `element`.
    fn new(collection: bool, element: &TypeRef, name: &str) -> OpKey {
        OpKey {
            collection,
            element: element.to_string().to_ascii_lowercase(),
            name: name.trim().to_ascii_lowercase(),
        }
    }
}

/// A binding written as text (`graph.workbookRange`, `workbookRange`,
/// `Collection(graph.workbookChart)`, any case) as a type.
fn binding_ref(binding: &str) -> TypeRef {
    const COLLECTION: &str = "collection(";
    let b = binding.trim();
    let inner = b
        .get(..COLLECTION.len())
        .filter(|p| p.eq_ignore_ascii_case(COLLECTION))
        .and_then(|_| b.get(COLLECTION.len()..))
        .and_then(|r| r.strip_suffix(')'));
    match inner {
        Some(inner) => TypeRef::collection_of(&type_ref(inner)),
        None => type_ref(b),
    }
}

impl Csdl {
    /// Parse CSDL XML. Errors (malformed XML, no `microsoft.graph` schema) name the line.
    ///
    /// Fast path: only the text of the `<Schema Namespace="microsoft.graph">` element is handed
    /// to the XML parser (about half of the real file); when that slice does not parse on its
    /// own, or when an `InsertRestrictions` annotation lies outside it (the real file: Graph
    /// writes its out-of-line annotations in another schema), the whole document is parsed
    /// (about twice the time: 47 ms against 23 ms in release). Element lines are those of the
    /// whole file either way.
    pub fn parse(xml: &str) -> Result<Csdl, String> {
        if let Some(span) = graph_schema_span(xml) {
            // Annotations outside the graph schema need the whole document.
            let outside = |r: Option<&str>| r.is_some_and(|t| t.contains(INSERT_RESTRICTIONS));
            if outside(xml.get(..span.start)) || outside(xml.get(span.end..)) {
                return Self::parse_span(xml, 0..xml.len());
            }
            if let Ok(c) = Self::parse_span(xml, span) {
                return Ok(c);
            }
        }
        Self::parse_span(xml, 0..xml.len())
    }

    fn parse_span(xml: &str, span: std::ops::Range<usize>) -> Result<Csdl, String> {
        let base = span.start;
        let text = xml.get(span).ok_or("invalid CSDL span")?;
        let opts = roxmltree::ParsingOptions {
            allow_dtd: false,
            ..Default::default()
        };
        let doc = roxmltree::Document::parse_with_options(text, opts)
            .map_err(|e| format!("invalid CSDL XML: {e}"))?;
        let schema = doc
            .descendants()
            .find(|n| n.has_tag_name("Schema") && n.attribute("Namespace") == Some(NAMESPACE))
            .ok_or_else(|| format!("CSDL has no Schema with Namespace=\"{NAMESPACE}\""))?;
        // Line starts, for cheap offset -> line lookups (`text_pos_at` rescans from the start).
        let line_starts: Vec<usize> = std::iter::once(0)
            .chain(xml.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        let line_of = |offset: usize| line_starts.partition_point(|&s| s <= base + offset) as u32;
        let mut csdl = Csdl::default();
        for node in schema.children().filter(|n| n.is_element()) {
            let tag = node.tag_name().name();
            let Some(name) = node.attribute("Name") else {
                continue;
            };
            match tag {
                "EntityType" | "ComplexType" => {
                    let mut t = StructType {
                        name: name.to_string(),
                        kind: if tag == "EntityType" {
                            TypeKind::Entity
                        } else {
                            TypeKind::Complex
                        },
                        base_type: node
                            .attribute("BaseType")
                            .map(|b| unqualified(b).to_string()),
                        is_abstract: attr_bool(node, "Abstract", false),
                        is_open: attr_bool(node, "OpenType", false),
                        properties: Vec::new(),
                        navigations: Vec::new(),
                    };
                    for c in node.children().filter(|n| n.is_element()) {
                        let (Some(pn), Some(pt)) = (c.attribute("Name"), c.attribute("Type"))
                        else {
                            continue;
                        };
                        match c.tag_name().name() {
                            "Property" => t.properties.push(CsdlProperty {
                                name: pn.to_string(),
                                type_name: pt.to_string(),
                                nullable: attr_bool(c, "Nullable", true),
                            }),
                            "NavigationProperty" => {
                                if !insertable_by(c) {
                                    csdl.not_insertable
                                        .insert(format!("{name}/{pn}").to_ascii_lowercase());
                                }
                                t.navigations.push(NavProperty {
                                    name: pn.to_string(),
                                    type_name: pt.to_string(),
                                    contains_target: attr_bool(c, "ContainsTarget", false),
                                    line: line_of(c.range().start),
                                })
                            }
                            _ => {}
                        }
                    }
                    csdl.type_index
                        .insert(t.name.to_ascii_lowercase(), csdl.types.len());
                    csdl.types.push(t);
                }
                "EnumType" => {
                    let members = node
                        .children()
                        .filter(|n| n.has_tag_name("Member"))
                        .filter_map(|n| n.attribute("Name").map(str::to_string))
                        .collect();
                    csdl.enum_index
                        .insert(name.to_ascii_lowercase(), csdl.enums.len());
                    csdl.enums.push(EnumType {
                        name: name.to_string(),
                        members,
                    });
                }
                "Action" | "Function" if attr_bool(node, "IsBound", false) => {
                    let mut params = node
                        .children()
                        .filter(|n| n.has_tag_name("Parameter"))
                        .filter_map(|n| {
                            Some(CsdlParam {
                                name: n.attribute("Name")?.to_string(),
                                type_name: n.attribute("Type")?.to_string(),
                                nullable: attr_bool(n, "Nullable", true),
                            })
                        });
                    let Some(bind) = params.next() else { continue };
                    let params: Vec<CsdlParam> = params.collect();
                    let return_type = node
                        .children()
                        .find(|n| n.has_tag_name("ReturnType"))
                        .and_then(|n| n.attribute("Type"))
                        .map(str::to_string);
                    let line = line_of(node.range().start);
                    let op = BoundOperation {
                        name: name.to_string(),
                        is_action: tag == "Action",
                        is_composable: attr_bool(node, "IsComposable", false),
                        binding: type_ref(&bind.type_name),
                        params,
                        return_type,
                        line,
                    };
                    let key =
                        OpKey::new(op.binding.is_collection(), op.binding.innermost(), &op.name);
                    csdl.op_index
                        .entry(key)
                        .or_default()
                        .push(csdl.operations.len());
                    csdl.operations.push(op);
                }
                _ => {}
            }
        }
        for a in doc.descendants().filter(|n| n.has_tag_name("Annotations")) {
            let Some(target) = a.attribute("Target") else {
                continue;
            };
            if target.contains('/') && !insertable_by(a) {
                csdl.not_insertable
                    .insert(unqualified(target).to_ascii_lowercase());
            }
        }
        Ok(csdl)
    }

    /// Every entity and complex type of the graph namespace, in CSDL order.
    pub fn types(&self) -> &[StructType] {
        &self.types
    }

    /// Every enum type of the graph namespace, in CSDL order.
    pub fn enums(&self) -> &[EnumType] {
        &self.enums
    }

    /// Every bound action and function of the graph namespace, in CSDL order.
    pub fn operations(&self) -> &[BoundOperation] {
        &self.operations
    }

    /// Entity or complex type by name (case-insensitive, prefix optional, `Collection(..)`
    /// unwrapped).
    pub fn structured_type(&self, name: &str) -> Option<&StructType> {
        let key = element_name(name).to_ascii_lowercase();
        self.type_index.get(&key).and_then(|&i| self.types.get(i))
    }

    /// Enum type by name (case-insensitive, prefix optional).
    pub fn enum_type(&self, name: &str) -> Option<&EnumType> {
        let key = element_name(name).to_ascii_lowercase();
        self.enum_index.get(&key).and_then(|&i| self.enums.get(i))
    }

    /// Canonical spelling of any named type (structured or enum), e.g. `WorkbookChartFill` ->
    /// `workbookChartFill`.
    pub fn canonical_type_name(&self, name: &str) -> Option<&str> {
        self.structured_type(name)
            .map(|t| t.name.as_str())
            .or_else(|| self.enum_type(name).map(|e| e.name.as_str()))
    }

    /// Resolve a type name as the workbook docs write it, preferring workbook types:
    /// `workbookRange`/`WorkbookRange` as is, then `workbook` + name (`range` -> workbookRange,
    /// `formatProtection` -> workbookFormatProtection, `application` -> workbookApplication,
    /// even though graph also has an unrelated `application`), then the name itself
    /// (`entity`). Enum types are found too. Returns the canonical name.
    pub fn workbook_type(&self, name: &str) -> Option<&str> {
        let n = element_name(name);
        if n.is_empty() {
            return None;
        }
        let lower = n.to_ascii_lowercase();
        if lower.starts_with("workbook") {
            if let Some(c) = self.canonical_type_name(&n) {
                return Some(c);
            }
        }
        self.canonical_type_name(&format!("workbook{n}"))
            .or_else(|| self.canonical_type_name(&n))
    }

    /// Find a type whose name ends with `suffix` (case-insensitive), preferring an exact
    /// match, then `workbook<suffix>`, then the unique workbook type ending with it.
    pub fn find_type_by_suffix(&self, suffix: &str) -> Option<&str> {
        if let Some(t) = self.workbook_type(suffix) {
            return Some(t);
        }
        let s = element_name(suffix).to_ascii_lowercase();
        if s.is_empty() {
            return None;
        }
        let mut hits = self
            .types
            .iter()
            .map(|t| t.name.as_str())
            .chain(self.enums.iter().map(|e| e.name.as_str()))
            .filter(|n| n.starts_with("workbook") && n.to_ascii_lowercase().ends_with(&s));
        match (hits.next(), hits.next()) {
            (Some(one), None) => Some(one),
            _ => None,
        }
    }

    /// `type_name` and its base types, most derived first (cycle-safe).
    pub(crate) fn type_chain(&self, type_name: &str) -> Vec<&StructType> {
        let mut out: Vec<&StructType> = Vec::new();
        let mut cur = self.structured_type(type_name);
        while let Some(t) = cur {
            if out.iter().any(|o| o.name == t.name) {
                break;
            }
            out.push(t);
            cur = t.base_type.as_deref().and_then(|b| self.structured_type(b));
        }
        out
    }

    /// All structural properties of a type including inherited ones (base first).
    pub fn properties(&self, type_name: &str) -> Vec<&CsdlProperty> {
        self.type_chain(type_name)
            .into_iter()
            .rev()
            .flat_map(|t| t.properties.iter())
            .collect()
    }

    /// All navigation properties of a type including inherited ones (base first).
    pub fn navigations(&self, type_name: &str) -> Vec<&NavProperty> {
        self.type_chain(type_name)
            .into_iter()
            .rev()
            .flat_map(|t| t.navigations.iter())
            .collect()
    }

    /// A structural property by name (case-insensitive), walking base types.
    pub fn property(&self, type_name: &str, prop: &str) -> Option<&CsdlProperty> {
        self.type_chain(type_name).into_iter().find_map(|t| {
            t.properties
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(prop.trim()))
        })
    }

    /// A navigation property by name (case-insensitive), walking base types.
    pub fn navigation(&self, type_name: &str, prop: &str) -> Option<&NavProperty> {
        self.type_chain(type_name).into_iter().find_map(|t| {
            t.navigations
                .iter()
                .find(|p| p.name.eq_ignore_ascii_case(prop.trim()))
        })
    }

    /// Bound operations named `name` (case-insensitive) whose binding parameter has the type
    /// `on` (a single value or a collection; names case-insensitive). Overloads in CSDL order;
    /// empty when none. Operations bound to a base type also apply to derived types, so the
    /// base chain is searched too (the first type in the chain with a match wins).
    pub fn bound_operations_on(&self, on: &TypeRef, name: &str) -> Vec<&BoundOperation> {
        let collection = on.is_collection();
        let element = on.innermost();
        let bases = element
            .name()
            .map(|n| self.type_chain(n))
            .unwrap_or_default();
        let keys = std::iter::once(OpKey::new(collection, element, name)).chain(
            bases
                .into_iter()
                .skip(1)
                .map(|t| OpKey::new(collection, &TypeRef::named(t.name.as_str()), name)),
        );
        for key in keys {
            if let Some(ix) = self.op_index.get(&key) {
                return ix.iter().filter_map(|&i| self.operations.get(i)).collect();
            }
        }
        Vec::new()
    }

    /// [`Csdl::bound_operations_on`] with the binding written as text: `workbookRange`,
    /// `graph.workbookRange`, `Collection(workbookChart)`, any case.
    pub fn bound_operations(&self, binding: &str, name: &str) -> Vec<&BoundOperation> {
        self.bound_operations_on(&binding_ref(binding), name)
    }

    /// Every bound operation whose binding is `binding` (exact type, names case-insensitive).
    pub fn operations_bound_to(&self, binding: &TypeRef) -> Vec<&BoundOperation> {
        let key = binding.to_string();
        self.operations
            .iter()
            .filter(|o| o.binding.to_string().eq_ignore_ascii_case(&key))
            .collect()
    }

    /// A navigation property of the single-valued type `on` (`None` on a collection or a
    /// primitive), as [`Csdl::navigation`].
    pub fn navigation_on(&self, on: &TypeRef, prop: &str) -> Option<&NavProperty> {
        self.navigation(on.name()?, prop)
    }

    /// A structural property of the single-valued type `on` (`None` on a collection or a
    /// primitive), as [`Csdl::property`].
    pub fn property_on(&self, on: &TypeRef, prop: &str) -> Option<&CsdlProperty> {
        self.property(on.name()?, prop)
    }

    /// The entity or complex type `on` names (`None` for a collection or a primitive).
    pub fn structured_type_of(&self, on: &TypeRef) -> Option<&StructType> {
        self.structured_type(on.name()?)
    }

    /// Whether the navigation property `nav` of `type_name` (or of a base type declaring it)
    /// accepts an OData create (POST of an entity): true unless the CSDL annotates it with
    /// `Org.OData.Capabilities.V1.InsertRestrictions` `Insertable=false`, inline or through an
    /// `<Annotations Target="microsoft.graph.<type>/<nav>">` element.
    pub fn insertable(&self, type_name: &str, nav: &str) -> bool {
        self.type_chain(type_name).into_iter().all(|t| {
            let key = format!("{}/{}", t.name, nav.trim()).to_ascii_lowercase();
            !self.not_insertable.contains(&key)
        })
    }

    /// Bound operations whose binding element type is a workbook type (`workbook*`).
    pub fn workbook_operations(&self) -> impl Iterator<Item = &BoundOperation> {
        self.operations.iter().filter(|o| {
            o.binding
                .innermost()
                .name()
                .is_some_and(|n| n.starts_with("workbook"))
        })
    }

    /// Entity and complex types named `workbook*`, in CSDL order.
    pub fn workbook_types(&self) -> impl Iterator<Item = &StructType> {
        self.types.iter().filter(|t| t.name.starts_with("workbook"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_refs() {
        assert_eq!(type_ref("Edm.String").to_string(), "string");
        assert_eq!(type_ref("Edm.Int32").to_string(), "int32");
        assert_eq!(type_ref("Edm.Double").to_string(), "double");
        assert_eq!(type_ref("Edm.Boolean").to_string(), "boolean");
        assert_eq!(type_ref("graph.Json").to_string(), "Json");
        assert_eq!(
            type_ref("microsoft.graph.workbookRange").to_string(),
            "workbookRange"
        );
        assert_eq!(
            type_ref("Collection(graph.workbookSortField)").to_string(),
            "Collection(workbookSortField)"
        );
        assert_eq!(
            type_ref("Collection(Edm.String)").to_string(),
            "Collection(string)"
        );
        assert_eq!(type_ref("Edm.Int32"), Primitive::Int32.into());
        assert_eq!(
            type_ref("Collection(graph.workbookSortField)"),
            TypeRef::collection_of(&TypeRef::named("workbookSortField"))
        );
        assert_eq!(
            element_name("Collection(graph.workbookChart)"),
            "workbookChart"
        );
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(Csdl::parse("<not closed").is_err());
        assert!(Csdl::parse("<Edmx/>")
            .unwrap_err()
            .contains("microsoft.graph"));
    }
}
