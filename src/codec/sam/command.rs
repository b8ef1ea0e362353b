//! Host → reader commands (hardware-protocols.md §1.3).

use super::frame::encode_frame;

/// UART speeds a reader can be switched to with `60 0x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamBaud {
    B115200,
    B57600,
    B38400,
    B19200,
    B9600,
}

const BAUDS: [(SamBaud, u8, u32); 5] = [
    (SamBaud::B115200, 0, 115_200),
    (SamBaud::B57600, 1, 57_600),
    (SamBaud::B38400, 2, 38_400),
    (SamBaud::B19200, 3, 19_200),
    (SamBaud::B9600, 4, 9_600),
];

impl SamBaud {
    pub fn bits_per_second(self) -> u32 {
        BAUDS
            .iter()
            .find(|(b, ..)| *b == self)
            .map_or(115_200, |(.., bps)| *bps)
    }

    fn para(self) -> u8 {
        BAUDS
            .iter()
            .find(|(b, ..)| *b == self)
            .map_or(0, |(_, para, _)| *para)
    }

    fn from_para(para: u8) -> Option<SamBaud> {
        BAUDS.iter().find(|(_, p, _)| *p == para).map(|(b, ..)| *b)
    }
}

/// Every command of the reference.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SamCommand {
    /// `10 FF` 复位.
    ResetSam,
    /// `11 FF` 状态检测.
    SamStatus,
    /// `12 FF` 读 SAM 编号.
    ReadSamId,
    /// `20 01` 寻找居民身份证.
    FindCard,
    /// `20 02` 选取.
    SelectCard,
    /// `30 01` 读机读文字 + 相片.
    ReadTextPhoto,
    /// `30 03` newest appended address (追加住址).
    ReadAppendedAddress,
    /// `30 05` card body management number (semantics unconfirmed).
    ReadManagementNumber,
    /// `30 10` text + photo + fingerprint.
    ReadTextPhotoFingerprint,
    /// `60 0x` switch the UART speed.
    SetBaud(SamBaud),
    /// `61 FF n` maximum RF frame size.
    SetMaxRfFrame(u8),
}

impl SamCommand {
    /// The frame body: `CMD PARA DATA…`.
    pub fn body(self) -> Vec<u8> {
        match self {
            SamCommand::ResetSam => vec![0x10, 0xFF],
            SamCommand::SamStatus => vec![0x11, 0xFF],
            SamCommand::ReadSamId => vec![0x12, 0xFF],
            SamCommand::FindCard => vec![0x20, 0x01],
            SamCommand::SelectCard => vec![0x20, 0x02],
            SamCommand::ReadTextPhoto => vec![0x30, 0x01],
            SamCommand::ReadAppendedAddress => vec![0x30, 0x03],
            SamCommand::ReadManagementNumber => vec![0x30, 0x05],
            SamCommand::ReadTextPhotoFingerprint => vec![0x30, 0x10],
            SamCommand::SetBaud(baud) => vec![0x60, baud.para()],
            SamCommand::SetMaxRfFrame(size) => vec![0x61, 0xFF, size],
        }
    }

    /// The complete request frame.
    pub fn encode(self) -> Vec<u8> {
        // Command bodies are at most three bytes, far below the frame limit.
        encode_frame(&self.body()).unwrap_or_default()
    }

    /// Recognises a request body (what a reader, or the simulator, receives).
    pub fn from_body(body: &[u8]) -> Option<SamCommand> {
        let command = match body {
            [0x10, 0xFF] => SamCommand::ResetSam,
            [0x11, 0xFF] => SamCommand::SamStatus,
            [0x12, 0xFF] => SamCommand::ReadSamId,
            [0x20, 0x01] => SamCommand::FindCard,
            [0x20, 0x02] => SamCommand::SelectCard,
            [0x30, 0x01] => SamCommand::ReadTextPhoto,
            [0x30, 0x03] => SamCommand::ReadAppendedAddress,
            [0x30, 0x05] => SamCommand::ReadManagementNumber,
            [0x30, 0x10] => SamCommand::ReadTextPhotoFingerprint,
            [0x60, para] => SamCommand::SetBaud(SamBaud::from_para(*para)?),
            [0x61, 0xFF, size] => SamCommand::SetMaxRfFrame(*size),
            _ => return None,
        };
        Some(command)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::codec::sam::hex;

    #[test]
    fn reference_request_frames() {
        let cases = [
            (SamCommand::ResetSam, "AA AA AA 96 69 00 03 10 FF EC"),
            (SamCommand::SamStatus, "AA AA AA 96 69 00 03 11 FF ED"),
            (SamCommand::ReadSamId, "AA AA AA 96 69 00 03 12 FF EE"),
            (SamCommand::FindCard, "AA AA AA 96 69 00 03 20 01 22"),
            (SamCommand::SelectCard, "AA AA AA 96 69 00 03 20 02 21"),
            (SamCommand::ReadTextPhoto, "AA AA AA 96 69 00 03 30 01 32"),
            (
                SamCommand::ReadAppendedAddress,
                "AA AA AA 96 69 00 03 30 03 30",
            ),
            (
                SamCommand::ReadManagementNumber,
                "AA AA AA 96 69 00 03 30 05 36",
            ),
            (
                SamCommand::ReadTextPhotoFingerprint,
                "AA AA AA 96 69 00 03 30 10 23",
            ),
            (
                SamCommand::SetBaud(SamBaud::B115200),
                "AA AA AA 96 69 00 03 60 00 63",
            ),
            (
                SamCommand::SetMaxRfFrame(0x50),
                "AA AA AA 96 69 00 04 61 FF 50 CA",
            ),
        ];
        for (command, frame) in cases {
            assert_eq!(command.encode(), hex(frame), "{command:?}");
            assert_eq!(SamCommand::from_body(&command.body()), Some(command));
        }
    }

    #[test]
    fn baud_parameters() {
        for (baud, para, bps) in BAUDS {
            assert_eq!(SamCommand::SetBaud(baud).body(), vec![0x60, para]);
            assert_eq!(baud.bits_per_second(), bps);
        }
        assert_eq!(SamCommand::from_body(&[0x60, 0x05]), None);
        assert_eq!(SamCommand::from_body(&[0x20]), None);
    }
}
