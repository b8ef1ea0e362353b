//! Synochip / ZhianTec "EF01" packets of R30x, AS608 and ZFM fingerprint modules
//! (hardware-protocols.md §3): `EF 01 | ADDR (4) | PID | LEN (2, BE) | PAYLOAD | SUM (2, BE)`,
//! LEN = payload + 2, SUM = (PID + LEN bytes + payload bytes) mod 2^16.

mod command;
mod confirmation;
mod packet;

pub use command::{Ack, CharBuffer, FpCommand};
pub use confirmation::Confirmation;
pub use packet::{Packet, PacketDecoder, PacketError, PacketKind, DEFAULT_ADDRESS, MAX_PAYLOAD};
