//! The TCP link to baresip's `ctrl_tcp`: commands out, responses and events in, framed as
//! netstrings. A reader task turns bytes into messages; any framing or JSON error ends the
//! link (a netstring stream cannot be resynchronised), and the engine restarts baresip.

use super::netstring::{FrameError, NetstringDecoder};
use super::protocol::{self, Command, Message, ProtocolError};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::tcp::OwnedWriteHalf;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio::time::Instant;

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("baresip's control socket {address} did not accept a connection within {waited:?}: {source}")]
    Connect {
        address: SocketAddr,
        waited: Duration,
        #[source]
        source: std::io::Error,
    },
    #[error("baresip's control link failed: {0}")]
    Io(#[from] std::io::Error),
    #[error("baresip's control link is out of step: {0}")]
    Frame(#[from] FrameError),
    #[error("baresip sent a message the kiosk does not understand: {0}")]
    Protocol(#[from] ProtocolError),
    #[error("baresip closed its control link")]
    Closed,
}

pub struct ControlLink {
    writer: OwnedWriteHalf,
    next_token: u64,
}

/// Incoming messages; the last item is the error that ended the link.
pub type Messages = mpsc::Receiver<Result<Message, LinkError>>;

impl ControlLink {
    /// Connects, retrying while baresip is still starting, until `patience` has passed.
    pub async fn connect(
        address: SocketAddr,
        patience: Duration,
    ) -> Result<(ControlLink, Messages), LinkError> {
        let deadline = Instant::now() + patience;
        let stream = loop {
            match TcpStream::connect(address).await {
                Ok(stream) => break stream,
                Err(source) if Instant::now() >= deadline => {
                    return Err(LinkError::Connect {
                        address,
                        waited: patience,
                        source,
                    })
                }
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        };
        stream.set_nodelay(true)?;
        let (mut reader, writer) = stream.into_split();
        let (sender, messages) = mpsc::channel(64);
        tokio::spawn(async move {
            let mut decoder = NetstringDecoder::new();
            let mut buffer = vec![0u8; 4096];
            let failure = 'read: loop {
                let read = match reader.read(&mut buffer).await {
                    Ok(0) => break LinkError::Closed,
                    Ok(read) => read,
                    Err(error) => break LinkError::Io(error),
                };
                decoder.push(&buffer[..read]);
                loop {
                    let message = match decoder.next_frame() {
                        Ok(Some(frame)) => protocol::decode(&frame).map_err(LinkError::from),
                        Ok(None) => break,
                        Err(error) => break 'read LinkError::Frame(error),
                    };
                    let failed = message.is_err();
                    if sender.send(message).await.is_err() || failed {
                        return;
                    }
                }
            };
            let _ = sender.send(Err(failure)).await;
        });
        Ok((
            ControlLink {
                writer,
                next_token: 1,
            },
            messages,
        ))
    }

    /// Sends a command; returns the token its response will carry.
    pub async fn send(&mut self, command: &Command) -> Result<u64, LinkError> {
        let token = self.next_token;
        self.next_token += 1;
        self.writer.write_all(&command.encode(token)).await?;
        Ok(token)
    }
}
