//! `graph-workbook-emulator --dir DIR [--port PORT] [--bind ADDR] [--faults SPEC]
//! [--session-ttl SECS] [--body-limit BYTES]`
//!
//! Serves every `.xlsx` under DIR as Graph's workbook API. The first stdout line is
//! `listening on http://127.0.0.1:PORT`; Ctrl-C or SIGTERM stops it after the requests in
//! flight (saves are atomic, so nothing is left half-written).

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use graph_workbook_emulator::{serve_until, Faults, Options};

const USAGE: &str = "usage: graph-workbook-emulator --dir DIR [--port PORT] [--bind ADDR] \
[--faults rate=R,seed=S,kinds=429+429-retry-after+503+504,retry-after=SECS] \
[--session-ttl SECS] [--body-limit BYTES]";

fn parse_args() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut dir = None;
    let mut port: u16 = 0;
    let mut ip: IpAddr = IpAddr::from([127, 0, 0, 1]);
    let mut opts = Options::new(".");
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--dir" => dir = Some(value("--dir")?),
            "--port" => {
                port = value("--port")?
                    .parse()
                    .map_err(|_| "--port: not a port number")?
            }
            "--bind" => {
                ip = value("--bind")?
                    .parse()
                    .map_err(|_| "--bind: not an IP address")?
            }
            "--faults" => opts.faults = Some(value("--faults")?.parse::<Faults>()?),
            "--session-ttl" => {
                let s: u64 = value("--session-ttl")?
                    .parse()
                    .map_err(|_| "--session-ttl: not a number of seconds")?;
                opts.session_ttl = Duration::from_secs(s);
            }
            "--body-limit" => {
                opts.body_limit = value("--body-limit")?
                    .parse()
                    .map_err(|_| "--body-limit: not a number of bytes")?
            }
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other:?}\n{USAGE}")),
        }
    }
    opts.dir = dir.ok_or(format!("--dir is required\n{USAGE}"))?.into();
    opts.bind = SocketAddr::new(ip, port);
    Ok(opts)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[tokio::main]
async fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let result = serve_until(
        opts,
        |addr| {
            use std::io::Write;
            println!("listening on http://{addr}");
            let _ = std::io::stdout().flush();
        },
        shutdown_signal(),
    )
    .await;
    if let Err(e) = result {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    eprintln!("stopped");
}
