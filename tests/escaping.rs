//! Escaping round-trips through a real HTTP server on 127.0.0.1 that decodes the path the way
//! an OData server does (split at `/`, percent-decode each segment, parse `name('literal')`
//! with `''` → `'`). Requests are built by hand from the escape functions and `DriveItem`, so
//! these tests don't depend on the generator.

mod support;

use graph_workbook::escape::{odata_string, path_segment};
use graph_workbook::{Address, Client, DriveItem, Error, Method, Request};
use support::odata::{self, Value};
use support::{Reply, TestServer};

/// Names and ids that break naive clients.
const NASTY: &[&str] = &[
    "plain",
    "with space",
    "it's",
    "''",
    "a/b",
    "/leading",
    "trailing/",
    "x#y",
    "what?now",
    "100%",
    "%2F",
    "%zz",
    "a&b=c",
    "1+1",
    "semi;colon",
    "(paren)",
    "a,b",
    "q\"uote",
    "back\\slash",
    "colon:x",
    "$value",
    "@at",
    "tab\there",
    "Übersicht",
    "数据表",
    "😀 emoji 🎉",
    "...",
    "~tilde",
];

async fn server() -> (TestServer, Client) {
    let server = TestServer::always(Reply::json(200, serde_json::json!({}))).await;
    let client = Client::builder()
        .bearer("t")
        .base_url(format!("{}/v1.0", server.url()))
        .build()
        .unwrap();
    (server, client)
}

fn get(path: String) -> Request {
    Request {
        method: Method::Get,
        path,
        query: vec![],
        headers: vec![],
        body: None,
        operation: "test",
        template: "/test",
    }
}

#[tokio::test]
async fn worksheet_names_are_one_segment() {
    let (server, client) = server().await;
    let book = DriveItem::me_item("01ABC").path_prefix() + "/workbook";
    for name in NASTY {
        let path = format!("{book}/worksheets/{}/usedRange", path_segment(name));
        client.execute(&get(path)).await.unwrap();
        let seen = server.last().segments_after("/v1.0");
        assert_eq!(
            seen,
            [
                "me",
                "drive",
                "items",
                "01ABC",
                "workbook",
                "worksheets",
                name,
                "usedRange"
            ],
            "name {name:?}"
        );
    }
}

#[tokio::test]
async fn ids_in_every_drive_item_form() {
    let (server, client) = server().await;
    for id in NASTY {
        let forms: Vec<(DriveItem, Vec<&str>)> = vec![
            (DriveItem::me_item(*id), vec!["me", "drive", "items", id]),
            (
                DriveItem::drive_item(*id, *id),
                vec!["drives", id, "items", id],
            ),
            (
                DriveItem::site_item(*id, *id),
                vec!["sites", id, "drive", "items", id],
            ),
            (
                DriveItem::group_item(*id, *id),
                vec!["groups", id, "drive", "items", id],
            ),
            (
                DriveItem::user_item(*id, *id),
                vec!["users", id, "drive", "items", id],
            ),
        ];
        for (item, mut want) in forms {
            client
                .execute(&get(item.path_prefix() + "/workbook/worksheets"))
                .await
                .unwrap();
            want.extend(["workbook", "worksheets"]);
            assert_eq!(server.last().segments_after("/v1.0"), want, "id {id:?}");
        }
    }
}

#[tokio::test]
async fn graph_style_ids_stay_literal() {
    let (server, client) = server().await;
    let site = "contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE";
    let drive = "b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8MdFlUCq1BlcjgmhRfAj3-Z8RY2VpuvV_tpd";
    for item in [
        DriveItem::site_item(site, "01X"),
        DriveItem::drive_item(drive, "01X"),
    ] {
        client.execute(&get(item.path_prefix())).await.unwrap();
        let raw = server.last().path;
        assert!(raw.contains(site) || raw.contains(drive), "{raw}");
    }
}

#[tokio::test]
async fn drive_paths_keep_their_separators() {
    let (server, client) = server().await;
    let paths = [
        "Book.xlsx",
        "Reports/Q1 2024.xlsx",
        "a#b/c?d/e%f/g&h+i.xlsx",
        "dir with 'quotes'/über/😀.xlsx",
        "semi;colon/(1)/x,y=z.xlsx",
    ];
    for p in paths {
        for (item, prefix) in [
            (DriveItem::me_path(p), vec!["me", "drive"]),
            (DriveItem::drive_path("d1", p), vec!["drives", "d1"]),
            (DriveItem::site_path("s1", p), vec!["sites", "s1", "drive"]),
            (
                DriveItem::group_path("g1", p),
                vec!["groups", "g1", "drive"],
            ),
            (DriveItem::user_path("u1", p), vec!["users", "u1", "drive"]),
        ] {
            let path = item.path_prefix() + "/workbook/worksheets/" + &path_segment("S 1");
            client.execute(&get(path)).await.unwrap();
            let raw = server.last().path;
            let (decoded, before, after) =
                odata::split_drive_path(&raw).unwrap_or_else(|| panic!("no root:/...: in {raw}"));
            assert_eq!(decoded, p, "{raw}");
            assert_eq!(before[0], "v1.0");
            assert_eq!(before[1..], prefix, "{raw}");
            assert_eq!(after, ["workbook", "worksheets", "S 1"], "{raw}");
        }
    }
    // Leading and repeated separators are not empty components.
    client
        .execute(&get(DriveItem::me_path("/x//y.xlsx").path_prefix()))
        .await
        .unwrap();
    assert_eq!(
        odata::split_drive_path(&server.last().path).unwrap().0,
        "x/y.xlsx"
    );
}

#[tokio::test]
async fn odata_literals_round_trip() {
    let (server, client) = server().await;
    let sheet = path_segment("Data");
    for value in
        NASTY
            .iter()
            .copied()
            .chain(["", "'", "'''", "a')b", "x',address='y", "'Q1 ''24'!A1:B2"])
    {
        let path = format!(
            "/me/drive/items/1/workbook/worksheets/{sheet}/range(address={})/format",
            odata_string(value)
        );
        client.execute(&get(path)).await.unwrap();
        let seg = server.last().segments_after("/v1.0");
        assert_eq!(seg.len(), 9, "{value:?}: {seg:?}");
        assert_eq!(seg[8], "format");
        let (name, params) =
            odata::parse_call(&seg[7]).unwrap_or_else(|| panic!("{value:?}: {}", seg[7]));
        assert_eq!(name, "range");
        assert_eq!(
            params,
            [("address".to_string(), Value::Str(value.to_string()))],
            "{value:?}"
        );
    }
}

#[tokio::test]
async fn session_info_resource_key_round_trips() {
    let (server, client) = server().await;
    for key in ["abc", "k/e?y#1", "it's 😀", "a%20b"] {
        let path = format!(
            "/me/drive/items/1/workbook/sessionInfoResource(key={})",
            odata_string(key)
        );
        client.execute(&get(path)).await.unwrap();
        let seg = server.last().segments_after("/v1.0");
        assert_eq!(seg.len(), 6);
        assert_eq!(
            odata::call_arg(&seg[5], "sessionInfoResource", "key").as_deref(),
            Some(key)
        );
    }
}

#[tokio::test]
async fn excel_addresses_round_trip() {
    let (server, client) = server().await;
    let sheets = [
        "Sheet1",
        "Q1 '24",
        "My Sheet",
        "a&b+c",
        "100%",
        "x#y",
        "Ünïcødé",
        "数据",
        "😀 emoji",
        "it''s",
        "2024",
        "A1",
        "semi;(x),y",
    ];
    for sheet in sheets {
        for reference in ["A1", "$A$1:B2", "C:C", "1:3", "XFD1048576"] {
            let addr = Address::new(sheet, reference).unwrap();
            // Both the worksheet segment and the address literal carry the sheet name.
            let path = format!(
                "/me/drive/items/1/workbook/worksheets/{}/range(address={})",
                path_segment(sheet),
                odata_string(addr.as_str())
            );
            client.execute(&get(path)).await.unwrap();
            let seg = server.last().segments_after("/v1.0");
            assert_eq!(seg.len(), 8, "{addr}: {seg:?}");
            assert_eq!(seg[6], sheet);
            let got = odata::call_arg(&seg[7], "range", "address").unwrap();
            assert_eq!(got, addr.as_str());
            // What the server got parses back to the same sheet and reference.
            let back = Address::parse(&got).unwrap();
            assert_eq!(back.sheet(), Some(sheet));
            assert_eq!(back.reference(), reference);
        }
    }
}

#[tokio::test]
async fn query_values_round_trip() {
    let (server, client) = server().await;
    let mut req = get("/me/drive/items/1/workbook/worksheets".into());
    let filter = "name eq 'a&b=c+d #1 ?x 100% 😀'";
    req.query = vec![
        ("$filter".into(), filter.into()),
        ("$top".into(), "5".into()),
    ];
    client.execute(&req).await.unwrap();
    assert_eq!(
        server.last().query_pairs(),
        [
            ("$filter".to_string(), filter.to_string()),
            ("$top".to_string(), "5".to_string())
        ]
    );
}

#[tokio::test]
async fn unrepresentable_segments_are_refused_before_sending() {
    let (server, client) = server().await;
    for name in ["", ".", ".."] {
        let path = format!(
            "/me/drive/items/1/workbook/worksheets/{}/usedRange",
            path_segment(name)
        );
        match client.execute(&get(path)).await {
            Err(Error::InvalidInput(m)) => assert!(m.contains("segment"), "{m}"),
            other => panic!("{name:?}: {other:?}"),
        }
        assert!(graph_workbook::escape::try_path_segment(name).is_err());
    }
    for raw in [
        "/me/drive/items/a b",
        "/me/drive/items/a?b",
        "/me/drive/items/a#b",
        "/me/x%4",
    ] {
        assert!(
            matches!(
                client.execute(&get(raw.into())).await,
                Err(Error::InvalidInput(_))
            ),
            "{raw}"
        );
    }
    assert!(server.requests().is_empty(), "nothing may reach the server");
}

#[test]
fn the_test_decoder_is_strict() {
    let (n, p) = odata::parse_call("range(address='it''s,)',n=3)").unwrap();
    assert_eq!(n, "range");
    assert_eq!(p[0], ("address".into(), Value::Str("it's,)".into())));
    assert_eq!(p[1], ("n".into(), Value::Bare("3".into())));
    assert!(odata::parse_call("range(address='open)").is_none());
    assert!(odata::parse_call("range(address='a'x)").is_none());
    assert!(odata::parse_call("range(address='a')x").is_none());
    assert!(odata::percent_decode("%zz").is_err());
    assert!(odata::percent_decode("%ff").is_err());
    // A naive encoder (quotes not doubled) is caught by the decoder.
    let naive = "range(address='it's')";
    assert!(odata::parse_call(naive).is_none());
}

/// The same round trip through the generated typed API: `worksheet(name)` is a key segment,
/// `range(address)` an OData literal, under every kind of drive item.
#[tokio::test]
async fn typed_navigation_escapes_like_the_server_decodes() {
    let server = TestServer::always(Reply::json(200, serde_json::json!({"address": "x"}))).await;
    let client = Client::builder()
        .bearer("t")
        .base_url(format!("{}/v1.0", server.url()))
        .build()
        .unwrap();
    let address = Address::new("Q1 '24", "A1:B2").unwrap();
    for name in NASTY {
        // A sheet name Excel forbids (`/`, `?`, `:`, `\\`, ...) is refused before sending
        // (tests/checked_input.rs); the item id still carries it, the sheet a fixed name.
        let sheet: &str = if graph_workbook::address::validate_sheet_name(name).is_ok() {
            name
        } else {
            "Sheet 1"
        };
        // By id: the id is one segment.
        let book = client.workbook(&DriveItem::me_item(*name));
        book.worksheet(sheet)
            .range(address.as_str())
            .get()
            .await
            .unwrap();
        let seg = server.last().segments_after("/v1.0");
        assert_eq!(seg.len(), 8, "{seg:?}");
        assert_eq!(
            seg[..7],
            [
                "me",
                "drive",
                "items",
                name,
                "workbook",
                "worksheets",
                sheet
            ]
        );
        assert_eq!(
            odata::call_arg(&seg[7], "range", "address").as_deref(),
            Some(address.as_str())
        );

        // By path: the drive path keeps its folders, the rest is unchanged.
        let book = client.workbook(&DriveItem::me_path("Reports 2024/Q1 #1.xlsx"));
        book.worksheet(sheet)
            .range(address.as_str())
            .get()
            .await
            .unwrap();
        let raw = server.last().path;
        let (file, _, after) = odata::split_drive_path(&raw).unwrap();
        assert_eq!(file, "Reports 2024/Q1 #1.xlsx");
        assert_eq!(after.len(), 4, "{raw}");
        assert_eq!(
            (after[0].as_str(), after[1].as_str()),
            ("workbook", "worksheets")
        );
        assert_eq!(after[2], sheet);
        assert_eq!(
            odata::call_arg(&after[3], "range", "address").as_deref(),
            Some(address.as_str())
        );
    }
}
