//! A hostile middle box on loopback, in front of the real `case-server`: what a proxy, WAF,
//! SSO gateway or broken link does to a POST. Each submission request gets the next
//! behaviour of a script (cycling); every request is answered on its own connection.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinSet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Behaviour {
    /// Forwarded to the case server and its answer returned.
    Pass,
    /// A redirect with this code to the gateway's login page.
    Redirect(u16),
    /// 200 with an HTML maintenance page.
    HtmlOk,
    /// 200 with JSON that is not the case system's acknowledgement.
    ForeignJson,
    /// Half the body read, then the connection dropped (the peer sees a reset).
    Reset,
    /// Everything read, no answer ever.
    Stall,
    /// 422 whose reason quotes the citizen's phone number (an office system echoing input).
    RejectQuotingInput,
}

const LOGIN_PAGE: &str = "<!DOCTYPE html><html><head><title>统一身份认证 登录</title></head>\
    <body><form action=\"/login\" method=\"post\">请登录</form></body></html>";
const MAINTENANCE_PAGE: &str =
    "<!DOCTYPE html><html><body><h1>系统维护中</h1><p>请稍后再试</p></body></html>";

pub struct Middlebox {
    pub port: u16,
    seen: Arc<Mutex<HashMap<Behaviour, u32>>>,
    task: tokio::task::JoinHandle<()>,
}

struct Shared {
    upstream: u16,
    script: Vec<Behaviour>,
    next: Mutex<usize>,
    seen: Arc<Mutex<HashMap<Behaviour, u32>>>,
    /// Bytes per second the request body is read at (a thin hall link), or unlimited.
    throttle: Option<u64>,
}

impl Middlebox {
    pub async fn start(upstream: u16, script: Vec<Behaviour>, throttle: Option<u64>) -> Middlebox {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(HashMap::new()));
        let shared = Arc::new(Shared {
            upstream,
            script,
            next: Mutex::new(0),
            seen: seen.clone(),
            throttle,
        });
        let task = tokio::spawn(async move {
            // Dropping the set when the task is aborted aborts every open connection.
            let mut connections = JoinSet::new();
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                connections.spawn(serve(stream, shared.clone()));
                while connections.try_join_next().is_some() {}
            }
        });
        Middlebox { port, seen, task }
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// How many submission requests met each behaviour.
    pub fn seen(&self) -> HashMap<Behaviour, u32> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for Middlebox {
    fn drop(&mut self) {
        self.task.abort();
    }
}

struct Request {
    method: String,
    path: String,
    /// The request head as received, up to and including the blank line.
    head_lines: Vec<String>,
    content_length: usize,
    /// Body bytes that arrived with the head.
    body_start: Vec<u8>,
}

async fn read_head(stream: &mut TcpStream) -> Option<Request> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 8192];
    let end = loop {
        if let Some(at) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
    let head_lines: Vec<String> = head
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let mut first = head_lines.first()?.split(' ');
    let method = first.next()?.to_owned();
    let path = first.next()?.to_owned();
    let content_length = head_lines
        .iter()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    Some(Request {
        method,
        path,
        head_lines,
        content_length,
        body_start: buffer[end..].to_vec(),
    })
}

/// Reads the rest of the body (at `throttle` bytes/s), handing each piece to `sink`.
async fn read_body(
    stream: &mut TcpStream,
    request: &Request,
    limit: usize,
    throttle: Option<u64>,
    mut sink: Option<&mut TcpStream>,
) -> Option<()> {
    let started = Instant::now();
    let mut received = request.body_start.len();
    if let Some(sink) = sink.as_deref_mut() {
        sink.write_all(&request.body_start).await.ok()?;
    }
    let mut chunk = vec![0u8; 16 * 1024];
    while received < limit {
        let want = chunk.len().min(limit - received);
        let n = stream.read(&mut chunk[..want]).await.ok()?;
        if n == 0 {
            return None;
        }
        received += n;
        if let Some(sink) = sink.as_deref_mut() {
            sink.write_all(&chunk[..n]).await.ok()?;
        }
        if let Some(rate) = throttle {
            let due = Duration::from_secs_f64(received as f64 / rate as f64);
            if let Some(wait) = due.checked_sub(started.elapsed()) {
                tokio::time::sleep(wait).await;
            }
        }
    }
    Some(())
}

async fn answer(stream: &mut TcpStream, status: &str, extra: &str, media: &str, body: &str) {
    let text = format!(
        "HTTP/1.1 {status}\r\n{extra}Content-Type: {media}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(text.as_bytes()).await;
    let _ = stream.shutdown().await;
}

async fn serve(mut stream: TcpStream, shared: Arc<Shared>) {
    let Some(request) = read_head(&mut stream).await else {
        return;
    };
    // The gateway's own pages, wherever a followed redirect lands.
    if request.path.starts_with("/login") || request.path.starts_with("/maintenance") {
        let _ = read_body(&mut stream, &request, request.content_length, None, None).await;
        let page = if request.path.starts_with("/login") {
            LOGIN_PAGE
        } else {
            MAINTENANCE_PAGE
        };
        answer(&mut stream, "200 OK", "", "text/html; charset=utf-8", page).await;
        return;
    }
    // Submissions and appointment-time queries meet the script; other requests pass.
    let behaviour = if request.method == "POST" || request.path.starts_with("/v1/slots") {
        let mut next = shared.next.lock().unwrap();
        let behaviour = shared.script[*next % shared.script.len()];
        *next += 1;
        *shared.seen.lock().unwrap().entry(behaviour).or_default() += 1;
        behaviour
    } else {
        Behaviour::Pass
    };
    let whole = request.content_length;
    match behaviour {
        Behaviour::Pass => pass(stream, &request, shared.upstream, shared.throttle).await,
        Behaviour::Redirect(code) => {
            if read_body(&mut stream, &request, whole, None, None)
                .await
                .is_some()
            {
                let location = if code == 307 || code == 308 {
                    "/maintenance"
                } else {
                    "/login?return=%2Fv1%2Fsubmissions"
                };
                let status = format!("{code} Redirect");
                let extra = format!("Location: {location}\r\n");
                answer(&mut stream, &status, &extra, "text/html", "").await;
            }
        }
        Behaviour::HtmlOk => {
            if read_body(&mut stream, &request, whole, None, None)
                .await
                .is_some()
            {
                answer(&mut stream, "200 OK", "", "text/html", MAINTENANCE_PAGE).await;
            }
        }
        Behaviour::ForeignJson => {
            if read_body(&mut stream, &request, whole, None, None)
                .await
                .is_some()
            {
                let body = r#"{"ok":true,"message":"accepted for inspection"}"#;
                answer(&mut stream, "200 OK", "", "application/json", body).await;
            }
        }
        Behaviour::Reset => {
            let _ = read_body(&mut stream, &request, whole / 2, None, None).await;
            // Unread data in the receive buffer: closing now sends a reset.
        }
        Behaviour::RejectQuotingInput => {
            if read_body(&mut stream, &request, whole, None, None)
                .await
                .is_some()
            {
                let body =
                    r#"{"error":"invalid_body","reason":"phone 138 1234 5678 is not reachable"}"#;
                answer(
                    &mut stream,
                    "422 Unprocessable Entity",
                    "",
                    "application/json",
                    body,
                )
                .await;
            }
        }
        Behaviour::Stall => {
            let _ = read_body(&mut stream, &request, whole, None, None).await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
        }
    }
}

/// Forwards one request to the case server and its whole answer back.
async fn pass(mut client: TcpStream, request: &Request, upstream: u16, throttle: Option<u64>) {
    let Ok(mut server) = TcpStream::connect(("127.0.0.1", upstream)).await else {
        return;
    };
    let mut head: Vec<&str> = request
        .head_lines
        .iter()
        .map(String::as_str)
        .filter(|l| !l.to_ascii_lowercase().starts_with("connection:"))
        .collect();
    head.push("Connection: close");
    let head = format!("{}\r\n\r\n", head.join("\r\n"));
    if server.write_all(head.as_bytes()).await.is_err() {
        return;
    }
    let whole = request.content_length;
    if read_body(&mut client, request, whole, throttle, Some(&mut server))
        .await
        .is_none()
    {
        return;
    }
    let mut reply = Vec::new();
    if server.read_to_end(&mut reply).await.is_ok() {
        let _ = client.write_all(&reply).await;
        let _ = client.shutdown().await;
    }
}
