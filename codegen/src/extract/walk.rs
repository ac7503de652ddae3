//! What a path segment is on a node type: the one resolution rule over the CSDL that extract
//! (the templates of a docs page, [`super::paths`]) and check (the templates of spec/,
//! [`crate::check`]) share.
//!
//! OData's rule, case-insensitive, base types included: on a single-valued type a name is a
//! navigation property, else a structural property, else a bound function or action; on a
//! collection it can only be an operation bound to the collection (a member needs a key).
//! Overloads are chosen by the arguments given ([`choose_overload`]). Lower does not walk the
//! CSDL: it reads the types this walk recorded in spec/ (`target` on every segment).
//!
//! Each walker keeps its own bookkeeping (extract builds segments and repairs the docs, check
//! counts findings); neither has a lookup of its own.

use std::fmt;

use crate::extract::csdl::{BoundOperation, Csdl, CsdlProperty, NavProperty};
use crate::spec::{Operation, Segment, TypeRef};

/// What a named segment denotes on a type ([`member`]).
#[derive(Debug, Clone)]
pub enum Member<'c> {
    Navigation(&'c NavProperty),
    Property(&'c CsdlProperty),
    /// The overloads bound to the type as it is (single or collection), in CSDL order; never
    /// empty.
    Operations(Vec<&'c BoundOperation>),
}

impl Member<'_> {
    /// The CSDL's spelling of the name.
    pub fn name(&self) -> &str {
        match self {
            Member::Navigation(n) => &n.name,
            Member::Property(p) => &p.name,
            Member::Operations(ops) => ops.first().map_or("", |o| o.name.as_str()),
        }
    }
}

/// Why a name denotes nothing on a type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Miss {
    /// On a collection, and no operation of that name is bound to it.
    NeedsKey,
    /// The type is not an entity or complex type (a primitive, an enum, unknown).
    NotStructured,
    /// A structured type without such a member.
    NoMember,
}

impl Miss {
    /// The reason, naming the type and the name.
    pub(crate) fn describe(self, on: &TypeRef, name: &str) -> String {
        match self {
            Miss::NeedsKey => format!(
                "no operation `{name}` bound to `{on}`, and members of a collection need a key"
            ),
            Miss::NotStructured => {
                format!("`{on}` is not a structured type, `{name}` cannot follow it")
            }
            Miss::NoMember => {
                format!("`{on}` has no navigation, property or bound operation `{name}`")
            }
        }
    }
}

/// The member `name` of the node type `on` (see the module docs for the rule).
pub fn member<'c>(csdl: &'c Csdl, on: &TypeRef, name: &str) -> Result<Member<'c>, Miss> {
    // `None` on a collection: a member of one needs a key.
    if let Some(n) = csdl.navigation_on(on, name) {
        return Ok(Member::Navigation(n));
    }
    if let Some(p) = csdl.property_on(on, name) {
        return Ok(Member::Property(p));
    }
    let ops = csdl.bound_operations_on(on, name);
    if !ops.is_empty() {
        return Ok(Member::Operations(ops));
    }
    if on.is_collection() {
        Err(Miss::NeedsKey)
    } else if csdl.structured_type_of(on).is_none() {
        Err(Miss::NotStructured)
    } else {
        Err(Miss::NoMember)
    }
}

/// The overload the given arguments fit (`None`: positional, `Some(name)`: named, typos within
/// [`closest`] allowed): every named argument known and no more arguments than parameters
/// first, then the fewest parameters beyond those given; the first in CSDL order on a tie.
pub(crate) fn choose_overload<'c>(
    ops: &[&'c BoundOperation],
    given: &[Option<&str>],
) -> Option<&'c BoundOperation> {
    let score = |op: &BoundOperation| {
        let known = given.iter().all(|a| match a {
            Some(n) => op
                .params
                .iter()
                .any(|p| closest(n, [p.name.as_str()]).is_some()),
            None => true,
        });
        let fits = op.params.len() >= given.len();
        (!(known && fits), op.params.len().abs_diff(given.len()))
    };
    ops.iter().copied().min_by_key(|op| score(op))
}

/// The overload a function named without arguments stands for when every overload needs some
/// (`range/cell`, whose page lists row and column in a table): the one with the fewest
/// parameters. `None` when one of them is an action or takes no parameter.
pub(crate) fn bare_function_call<'c>(ops: &[&'c BoundOperation]) -> Option<&'c BoundOperation> {
    if ops.is_empty() || !ops.iter().all(|o| !o.is_action && !o.params.is_empty()) {
        return None;
    }
    choose_overload(ops, &[])
}

/// The repair note when [`bare_function_call`] supplies the parameters.
pub(crate) fn bare_call_note(op: &BoundOperation) -> String {
    format!(
        "function `{}` has no arguments in the template: its CSDL parameters ({}) added",
        op.name,
        op.params
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    )
}

/// The CSDL overloads an operation of spec/ calls: the function or action its first template
/// ends in, bound to its binding. Empty when the template ends otherwise.
pub(crate) fn called_operations<'c>(csdl: &'c Csdl, op: &Operation) -> Vec<&'c BoundOperation> {
    match op.paths.first().and_then(|p| p.segments.last()) {
        Some(Segment::Call { name, .. }) => csdl.bound_operations_on(&op.binding.type_ref(), name),
        _ => Vec::new(),
    }
}

/// Among `candidates`, the one equal to `name` case-insensitively, else the unique one within
/// Levenshtein distance 2 (case-insensitive, names of 4 characters or more). `(canonical,
/// was_typo)`.
pub fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<(&'a str, bool)> {
    if let Some(c) = candidates
        .clone()
        .into_iter()
        .find(|c| c.eq_ignore_ascii_case(name))
    {
        return Some((c, false));
    }
    let lname = name.to_ascii_lowercase();
    if lname.len() < 4 {
        return None;
    }
    let mut hits = candidates
        .into_iter()
        .filter(|c| strsim::levenshtein(&c.to_ascii_lowercase(), &lname) <= 2);
    match (hits.next(), hits.next()) {
        (Some(c), None) => Some((c, true)),
        _ => None,
    }
}

/// A member for messages: `navigation `worksheets``.
impl fmt::Display for Member<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Member::Navigation(_) => "navigation",
            Member::Property(_) => "property",
            Member::Operations(ops) if ops.iter().all(|o| o.is_action) => "action",
            Member::Operations(_) => "function",
        };
        write!(f, "{kind} `{}`", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small CSDL in Graph's form: a workbook with a collection navigation, a type with a
    /// property, a composable function with two overloads, and an action bound to a
    /// collection.
    const CSDL: &str = r#"<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0"><edmx:DataServices>
<Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="microsoft.graph" Alias="graph">
<EntityType Name="workbook"><NavigationProperty Name="tables" Type="Collection(graph.workbookTable)" ContainsTarget="true"/></EntityType>
<EntityType Name="workbookTable"><Property Name="name" Type="Edm.String"/><NavigationProperty Name="sort" Type="graph.workbookTableSort" ContainsTarget="true"/></EntityType>
<EntityType Name="workbookTableSort"><Property Name="fields" Type="Collection(graph.workbookSortField)"/></EntityType>
<ComplexType Name="workbookSortField"><Property Name="key" Type="Edm.Int32"/></ComplexType>
<Function Name="rowsAbove" IsBound="true" IsComposable="true"><Parameter Name="bindingParameter" Type="graph.workbookTable"/><ReturnType Type="graph.workbookTable"/></Function>
<Function Name="rowsAbove" IsBound="true" IsComposable="true"><Parameter Name="bindingParameter" Type="graph.workbookTable"/><Parameter Name="count" Type="Edm.Int32" Nullable="false"/><ReturnType Type="graph.workbookTable"/></Function>
<Function Name="cell" IsBound="true"><Parameter Name="bindingParameter" Type="graph.workbookTable"/><Parameter Name="row" Type="Edm.Int32"/><Parameter Name="column" Type="Edm.Int32"/><ReturnType Type="graph.workbookTable"/></Function>
<Action Name="add" IsBound="true"><Parameter Name="bindingParameter" Type="Collection(graph.workbookTable)"/><Parameter Name="address" Type="Edm.String"/><ReturnType Type="graph.workbookTable"/></Action>
</Schema></edmx:DataServices></edmx:Edmx>"#;

    fn csdl() -> Csdl {
        Csdl::parse(CSDL).expect("fixture CSDL parses")
    }

    fn kind(r: Result<Member<'_>, Miss>) -> Result<String, Miss> {
        r.map(|m| m.to_string())
    }

    #[test]
    fn members_of_single_types_and_collections() {
        let c = csdl();
        let book = TypeRef::named("workbook");
        let table = TypeRef::named("workbookTable");
        let tables = TypeRef::collection_of(&table);
        assert_eq!(
            kind(member(&c, &book, "TABLES")),
            Ok("navigation `tables`".into())
        );
        assert_eq!(
            kind(member(&c, &table, "name")),
            Ok("property `name`".into())
        );
        assert_eq!(
            kind(member(&c, &table, "rowsabove")),
            Ok("function `rowsAbove`".into())
        );
        assert_eq!(kind(member(&c, &tables, "add")), Ok("action `add`".into()));
        // A member of the elements needs a key; an operation bound to the element is not one
        // of the collection.
        assert_eq!(kind(member(&c, &tables, "name")), Err(Miss::NeedsKey));
        assert_eq!(kind(member(&c, &tables, "rowsAbove")), Err(Miss::NeedsKey));
        assert_eq!(kind(member(&c, &table, "add")), Err(Miss::NoMember));
        assert_eq!(
            kind(member(&c, &TypeRef::named("workbookNope"), "x")),
            Err(Miss::NotStructured)
        );
        assert!(Miss::NeedsKey
            .describe(&tables, "name")
            .contains("need a key"));
    }

    #[test]
    fn overloads_follow_the_arguments() {
        let c = csdl();
        let table = TypeRef::named("workbookTable");
        let Ok(Member::Operations(ops)) = member(&c, &table, "rowsAbove") else {
            panic!("rowsAbove is a function of workbookTable");
        };
        let params = |o: Option<&BoundOperation>| o.map(|o| o.params.len());
        assert_eq!(params(choose_overload(&ops, &[])), Some(0));
        assert_eq!(params(choose_overload(&ops, &[Some("count")])), Some(1));
        assert_eq!(params(choose_overload(&ops, &[None])), Some(1));
        // A typo still names the parameter.
        assert_eq!(params(choose_overload(&ops, &[Some("cuont")])), Some(1));
        assert!(choose_overload(&[], &[]).is_none());
    }

    #[test]
    fn bare_calls_take_the_smallest_overload_of_functions_needing_arguments() {
        let c = csdl();
        let table = TypeRef::named("workbookTable");
        let ops_of = |name: &str| match member(&c, &table, name) {
            Ok(Member::Operations(ops)) => ops,
            _ => Vec::new(),
        };
        let cell = bare_function_call(&ops_of("cell")).map(|o| o.params.len());
        assert_eq!(cell, Some(2));
        // One overload takes no parameter: nothing to add.
        assert!(bare_function_call(&ops_of("rowsAbove")).is_none());
        let tables = TypeRef::collection_of(&table);
        let Ok(Member::Operations(add)) = member(&c, &tables, "add") else {
            panic!("add is bound to the collection");
        };
        assert!(bare_function_call(&add).is_none(), "an action has a body");
        let note = bare_function_call(&ops_of("cell")).map(bare_call_note);
        assert!(note.is_some_and(|n| n.contains("(row, column)")));
    }

    #[test]
    fn closest_names() {
        assert_eq!(
            closest("addres", ["address", "valuesOnly"]),
            Some(("address", true))
        );
        assert_eq!(closest("ADDRESS", ["address"]), Some(("address", false)));
        assert_eq!(closest("x", ["y"]), None);
        // Two names within the distance: ambiguous.
        assert_eq!(closest("rowx", ["row1", "row2"]), None);
    }
}
