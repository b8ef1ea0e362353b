//! The JSON inside baresip's `ctrl_tcp` netstrings (checked against baresip 1.0.0, Debian 12):
//! commands `{"command","params","token"}`; responses `{"response":true,"ok","data","token"}`;
//! events `{"event":true,"class","type","id"?,"param"?,...}`. Pure: bytes in, typed values out.

use super::netstring;
use serde::{Deserialize, Serialize};

/// The commands the engine sends (the `menu` module registers them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Dial(String),
    HangUp,
    /// Registration state as text: events sent before the kiosk connected are lost, so the
    /// engine asks once it is connected.
    RegInfo,
}

impl Command {
    /// The netstring frame for this command; `token` comes back in the response.
    pub fn encode(&self, token: u64) -> Vec<u8> {
        #[derive(Serialize)]
        struct Wire<'a> {
            command: &'a str,
            #[serde(skip_serializing_if = "Option::is_none")]
            params: Option<&'a str>,
            token: String,
        }
        let (command, params) = match self {
            Command::Dial(uri) => ("dial", Some(uri.as_str())),
            Command::HangUp => ("hangup", None),
            Command::RegInfo => ("reginfo", None),
        };
        let wire = Wire {
            command,
            params,
            token: token.to_string(),
        };
        // A struct of strings always serializes.
        let json = serde_json::to_vec(&wire).unwrap_or_default();
        netstring::encode(&json)
    }
}

/// What baresip sends back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    Response {
        ok: bool,
        token: Option<u64>,
        /// The command's text output (baresip's console text).
        data: String,
    },
    Event(Event),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub kind: EventKind,
    /// baresip's call id, on call events.
    pub call_id: Option<String>,
}

/// The events the engine acts on; everything else (SDP, RTCP, ...) is `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    Registering,
    RegisterOk,
    RegisterFail,
    CallRinging,
    CallProgress,
    CallEstablished,
    CallClosed,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProtocolError {
    #[error("ctrl_tcp message is not JSON: {0}")]
    NotJson(String),
    #[error("ctrl_tcp message is neither a response nor an event")]
    Unknown,
}

#[derive(Deserialize)]
struct Wire {
    #[serde(default)]
    response: bool,
    #[serde(default)]
    event: bool,
    #[serde(default)]
    ok: bool,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    data: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    id: Option<String>,
}

/// Decodes one netstring payload.
pub fn decode(payload: &[u8]) -> Result<Message, ProtocolError> {
    let wire: Wire =
        serde_json::from_slice(payload).map_err(|e| ProtocolError::NotJson(e.to_string()))?;
    if wire.response {
        return Ok(Message::Response {
            ok: wire.ok,
            token: wire.token.and_then(|t| t.parse().ok()),
            data: wire.data,
        });
    }
    if !wire.event {
        return Err(ProtocolError::Unknown);
    }
    let kind = match wire.kind.as_deref() {
        Some("REGISTERING") => EventKind::Registering,
        Some("REGISTER_OK") => EventKind::RegisterOk,
        Some("REGISTER_FAIL") => EventKind::RegisterFail,
        Some("CALL_RINGING") => EventKind::CallRinging,
        Some("CALL_PROGRESS") => EventKind::CallProgress,
        Some("CALL_ESTABLISHED") => EventKind::CallEstablished,
        Some("CALL_CLOSED") => EventKind::CallClosed,
        _ => EventKind::Other,
    };
    Ok(Message::Event(Event {
        kind,
        call_id: wire.id,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_netstring_json() {
        let frame = Command::Dial("sip:12348@pbx.example".into()).encode(7);
        let text = String::from_utf8(frame).expect("utf-8");
        let (length, rest) = text.split_once(':').expect("prefix");
        let json = rest.strip_suffix(',').expect("terminator");
        assert_eq!(length.parse::<usize>().expect("number"), json.len());
        let value: serde_json::Value = serde_json::from_str(json).expect("json");
        assert_eq!(value["command"], "dial");
        assert_eq!(value["params"], "sip:12348@pbx.example");
        assert_eq!(value["token"], "7");
        let hangup = String::from_utf8(Command::HangUp.encode(8)).expect("utf-8");
        assert!(!hangup.contains("params"), "{hangup}");
    }

    #[test]
    fn events_and_responses_as_baresip_1_0_sends_them() {
        let established = br#"{"event":true,"type":"CALL_ESTABLISHED","class":"call","accountaor":"sip:k@127.0.0.1:5080","direction":"outgoing","peeruri":"sip:l@127.0.0.1:5071","id":"1af04566a192e945","param":"sip:l@127.0.0.1:5071"}"#;
        assert_eq!(
            decode(established),
            Ok(Message::Event(Event {
                kind: EventKind::CallEstablished,
                call_id: Some("1af04566a192e945".into())
            }))
        );
        let rtcp = br#"{"event":true,"type":"CALL_RTCP","class":"call","id":"x","rtcp_stats":{"tx":{"sent":0}}}"#;
        assert!(matches!(
            decode(rtcp),
            Ok(Message::Event(Event {
                kind: EventKind::Other,
                ..
            }))
        ));
        let response =
            br#"{"response":true,"ok":false,"data":"command not found (dial)\n","token":"3"}"#;
        assert_eq!(
            decode(response),
            Ok(Message::Response {
                ok: false,
                token: Some(3),
                data: "command not found (dial)\n".into(),
            })
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(matches!(
            decode(b"{not json"),
            Err(ProtocolError::NotJson(_))
        ));
        assert_eq!(decode(br#"{"hello":1}"#), Err(ProtocolError::Unknown));
    }
}
