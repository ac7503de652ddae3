//! Each request is a `graph.request` span (method, path template, operation, attempt, status,
//! request-id) and each retry a `retrying` event; neither carries the token, the path's user
//! data or the body.

#[path = "support/fault_server.rs"]
mod fault_server;

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fault_server::{FaultServer, RecordingSleeper, Reply};
use graph_workbook::retry::RetryPolicy;
use graph_workbook::{Client, Method, Request};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// The fields of one event, in the order recorded.
type EventFields = Vec<(String, String)>;

#[derive(Default, Clone)]
struct Log {
    /// (span name, field, value) in the order recorded.
    span_fields: Arc<Mutex<Vec<(String, String, String)>>>,
    events: Arc<Mutex<Vec<EventFields>>>,
    names: Arc<Mutex<Vec<(u64, String)>>>,
    next: Arc<AtomicU64>,
}

struct Fields(Vec<(String, String)>);
impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.0
            .push((field.name().to_string(), format!("{value:?}")));
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        self.0.push((field.name().to_string(), value.to_string()));
    }
}

impl Log {
    fn name_of(&self, id: &Id) -> String {
        self.names
            .lock()
            .unwrap()
            .iter()
            .find(|(i, _)| *i == id.into_u64())
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    }
}

impl Subscriber for Log {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let id = self.next.fetch_add(1, Ordering::SeqCst) + 1;
        let name = span.metadata().name().to_string();
        self.names.lock().unwrap().push((id, name.clone()));
        let mut f = Fields(vec![]);
        span.record(&mut f);
        let mut g = self.span_fields.lock().unwrap();
        for (k, v) in f.0 {
            g.push((name.clone(), k, v));
        }
        Id::from_u64(id)
    }
    fn record(&self, id: &Id, values: &Record<'_>) {
        let name = self.name_of(id);
        let mut f = Fields(vec![]);
        values.record(&mut f);
        let mut g = self.span_fields.lock().unwrap();
        for (k, v) in f.0 {
            g.push((name.clone(), k, v));
        }
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut f = Fields(vec![]);
        event.record(&mut f);
        self.events.lock().unwrap().push(f.0);
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

#[tokio::test]
async fn spans_and_retry_events() {
    let n = Arc::new(AtomicU32::new(0));
    let server = FaultServer::start(move |_| match n.fetch_add(1, Ordering::SeqCst) {
        0 => Reply::graph_error(429, "tooManyRequests", Some("tooManyRequestsUncategorized"))
            .header("Retry-After", "2"),
        1 => Reply::status(503),
        _ => Reply::json(200, json!({ "ok": true })).header("request-id", "rid-777"),
    })
    .await;
    let client = Client::builder()
        .bearer("tok-SECRET")
        .base_url(server.base_url())
        .retry_policy(
            RetryPolicy::default()
                .base_delay(Duration::from_millis(50))
                .jitter(0.0)
                .sleeper(RecordingSleeper::new()),
        )
        .build()
        .unwrap();
    let req = Request {
        method: Method::Patch,
        path: "/me/drive/items/PRIVATE-ID/workbook/worksheets/Salaries".into(),
        query: vec![],
        headers: vec![("workbook-session-id".into(), "SESSION-SECRET".into())],
        body: Some(
            serde_json::to_vec(&json!({ "values": [["BODY-SECRET"]] }))
                .unwrap()
                .into(),
        ),
        operation: "worksheet.update",
        template: "/workbook/worksheets/{id|name}",
    };

    let log = Log::default();
    let guard = tracing::subscriber::set_default(log.clone());
    client.execute(&req).await.unwrap();
    drop(guard);

    let fields = log.span_fields.lock().unwrap().clone();
    let span: Vec<(String, String)> = fields
        .iter()
        .filter(|(s, _, _)| s == "graph.request")
        .map(|(_, k, v)| (k.clone(), v.clone()))
        .collect();
    let last = |k: &str| {
        span.iter()
            .rev()
            .find(|(f, _)| f == k)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(last("method"), Some("PATCH"));
    assert_eq!(last("template"), Some("/workbook/worksheets/{id|name}"));
    assert_eq!(last("operation"), Some("worksheet.update"));
    assert_eq!(last("attempt"), Some("3"));
    assert_eq!(last("status"), Some("200"));
    assert_eq!(last("request_id"), Some("rid-777"));
    let statuses: Vec<_> = span
        .iter()
        .filter(|(k, _)| k == "status")
        .map(|(_, v)| v.as_str())
        .collect();
    assert_eq!(statuses, ["429", "503", "200"]);

    let events = log.events.lock().unwrap().clone();
    let retries: Vec<_> = events
        .iter()
        .filter(|e| e.iter().any(|(k, v)| k == "message" && v == "retrying"))
        .collect();
    assert_eq!(retries.len(), 2);
    let get =
        |e: &Vec<(String, String)>, k: &str| e.iter().find(|(f, _)| f == k).map(|(_, v)| v.clone());
    assert_eq!(get(retries[0], "delay_ms").as_deref(), Some("2000"));
    assert_eq!(get(retries[0], "reason").as_deref(), Some("status 429"));
    assert_eq!(get(retries[1], "delay_ms").as_deref(), Some("100"));
    assert_eq!(get(retries[1], "next_attempt").as_deref(), Some("3"));

    let everything = format!("{fields:?} {events:?}");
    for secret in ["SECRET", "PRIVATE-ID", "Salaries", "Bearer"] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked into tracing: {everything}"
        );
    }
}
