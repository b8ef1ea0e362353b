//! ESC/POS real-time status (`DLE EOT n`, `10 04 n`): the four queries, the bit layout of
//! their one-byte replies, and a typed [`PrinterStatus`] combining them. The encoder is the
//! simulator's half of the same table, so driver and simulator cannot disagree.
//!
//! Every reply has fixed bits (bit 1 and bit 4 set, bit 0 and bit 7 clear, idle value `0x12`);
//! a byte that breaks them is not a status reply (line noise, or a printer that answered
//! something else) and is rejected rather than guessed at.

use serde::Serialize;
use thiserror::Error;

/// Bits that every `DLE EOT` reply must have set / clear.
const FIXED_SET: u8 = 0b0001_0010;
const FIXED_CLEAR: u8 = 0b1000_0001;

/// The `n` of `DLE EOT n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StatusQuery {
    /// n = 1: printer status (offline flag).
    Printer = 1,
    /// n = 2: why the printer is offline (cover, paper end).
    OfflineCause = 2,
    /// n = 3: error cause (cutter, unrecoverable, overheating).
    ErrorCause = 3,
    /// n = 4: roll paper sensor.
    PaperSensor = 4,
}

impl StatusQuery {
    /// All four queries, in the order a driver sends them.
    pub const ALL: [StatusQuery; 4] = [
        StatusQuery::Printer,
        StatusQuery::OfflineCause,
        StatusQuery::ErrorCause,
        StatusQuery::PaperSensor,
    ];

    /// The canonical three-byte request.
    pub fn request(self) -> [u8; 3] {
        [0x10, 0x04, self as u8]
    }

    /// The query for a `DLE EOT n` parameter, if `n` is one of the four.
    pub fn from_parameter(n: u8) -> Option<StatusQuery> {
        StatusQuery::ALL.into_iter().find(|q| *q as u8 == n)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum StatusError {
    #[error("byte {byte:#04x} is not a DLE EOT {query:?} reply (fixed bits wrong)")]
    NotAStatusByte { query: StatusQuery, byte: u8 },
    #[error("expected {expected} status bytes, got {got}")]
    WrongLength { expected: usize, got: usize },
}

/// The printer's state as far as the kiosk cares, decoded from all four replies.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PrinterStatus {
    pub offline: bool,
    pub cover_open: bool,
    pub paper_out: bool,
    pub paper_near_end: bool,
    pub cutter_error: bool,
    /// Head overheating and similar: clears by itself.
    pub auto_recoverable_error: bool,
    /// Needs a power cycle or service.
    pub unrecoverable_error: bool,
    /// The paper-feed button is held (n = 1 bit 6 / n = 2 bit 3).
    pub feed_button: bool,
}

/// One problem a staff member can act on, most severe first in [`PrinterStatus::problems`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrinterProblem {
    UnrecoverableError,
    CutterError,
    CoverOpen,
    PaperOut,
    Overheated,
    Offline,
    PaperNearEnd,
}

impl PrinterProblem {
    /// Short text for staff screens and `DeviceHealth::Fault`.
    pub fn describe(self) -> &'static str {
        match self {
            PrinterProblem::UnrecoverableError => "printer error: needs service",
            PrinterProblem::CutterError => "cutter jammed",
            PrinterProblem::CoverOpen => "cover open",
            PrinterProblem::PaperOut => "paper out",
            PrinterProblem::Overheated => "print head overheated",
            PrinterProblem::Offline => "printer offline",
            PrinterProblem::PaperNearEnd => "paper nearly used up",
        }
    }
}

impl PrinterStatus {
    /// Whether a receipt can be printed now (near-end paper still prints).
    pub fn can_print(&self) -> bool {
        self.problems()
            .iter()
            .all(|p| *p == PrinterProblem::PaperNearEnd)
    }

    /// Problems, most severe first. Empty when the printer is idle and stocked.
    pub fn problems(&self) -> Vec<PrinterProblem> {
        let flags = [
            (self.unrecoverable_error, PrinterProblem::UnrecoverableError),
            (self.cutter_error, PrinterProblem::CutterError),
            (self.cover_open, PrinterProblem::CoverOpen),
            (self.paper_out, PrinterProblem::PaperOut),
            (self.auto_recoverable_error, PrinterProblem::Overheated),
            (self.offline, PrinterProblem::Offline),
            (self.paper_near_end, PrinterProblem::PaperNearEnd),
        ];
        flags
            .into_iter()
            .filter_map(|(set, problem)| set.then_some(problem))
            .collect()
    }

    /// Merges one reply into the status.
    pub fn apply(&mut self, query: StatusQuery, byte: u8) -> Result<(), StatusError> {
        if byte & FIXED_SET != FIXED_SET || byte & FIXED_CLEAR != 0 {
            return Err(StatusError::NotAStatusByte { query, byte });
        }
        let bit = |n: u8| byte & (1 << n) != 0;
        match query {
            StatusQuery::Printer => {
                self.offline = bit(3);
                self.feed_button |= bit(6);
            }
            StatusQuery::OfflineCause => {
                self.cover_open = bit(2);
                self.feed_button |= bit(3);
                // Bit 5 = "printing stopped by paper end": the sensor reply says the same
                // more precisely, but some printers only report it here.
                self.paper_out |= bit(5);
            }
            StatusQuery::ErrorCause => {
                self.cutter_error = bit(3);
                self.unrecoverable_error = bit(5);
                self.auto_recoverable_error = bit(6);
            }
            StatusQuery::PaperSensor => {
                // Each condition is reported on two bits (two sensors or a doubled bit);
                // either one set counts, as printers differ in which they drive.
                self.paper_near_end = bit(2) || bit(3);
                self.paper_out |= bit(5) || bit(6);
            }
        }
        Ok(())
    }

    /// Decodes the replies to [`StatusQuery::ALL`], in that order.
    pub fn decode(replies: &[u8]) -> Result<PrinterStatus, StatusError> {
        if replies.len() != StatusQuery::ALL.len() {
            return Err(StatusError::WrongLength {
                expected: StatusQuery::ALL.len(),
                got: replies.len(),
            });
        }
        let mut status = PrinterStatus::default();
        for (query, byte) in StatusQuery::ALL.into_iter().zip(replies) {
            status.apply(query, *byte)?;
        }
        Ok(status)
    }

    /// The reply a printer in this state sends to `query` (used by the simulator).
    pub fn encode(&self, query: StatusQuery) -> u8 {
        let bits: &[(bool, u8)] = match query {
            StatusQuery::Printer => &[(self.offline_reported(), 3), (self.feed_button, 6)],
            StatusQuery::OfflineCause => &[
                (self.cover_open, 2),
                (self.feed_button, 3),
                (self.paper_out, 5),
                (self.has_error(), 6),
            ],
            StatusQuery::ErrorCause => &[
                (self.cutter_error, 3),
                (self.unrecoverable_error, 5),
                (self.auto_recoverable_error, 6),
            ],
            StatusQuery::PaperSensor => &[
                (self.paper_near_end, 2),
                (self.paper_near_end, 3),
                (self.paper_out, 5),
                (self.paper_out, 6),
            ],
        };
        bits.iter()
            .filter(|(set, _)| *set)
            .fold(FIXED_SET, |acc, (_, n)| acc | (1 << n))
    }

    /// A real printer goes offline whenever the cover is open, paper is out or an error
    /// occurred, whatever else is set.
    fn offline_reported(&self) -> bool {
        self.offline || self.cover_open || self.paper_out || self.has_error()
    }

    fn has_error(&self) -> bool {
        self.cutter_error || self.unrecoverable_error || self.auto_recoverable_error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idle_printer_answers_0x12_everywhere_and_can_print() {
        let status = PrinterStatus::decode(&[0x12, 0x12, 0x12, 0x12]).unwrap();
        assert_eq!(status, PrinterStatus::default());
        assert!(status.can_print());
        assert!(status.problems().is_empty());
    }

    #[test]
    fn reference_values_decode_to_named_conditions() {
        // Cover open: 0x16 on n = 2; paper end stop: 0x32 on n = 2; 0x72 out of paper and
        // 0x1E near end on n = 4 (hardware-protocols.md §4.5).
        let cover = PrinterStatus::decode(&[0x1A, 0x16, 0x12, 0x12]).unwrap();
        assert!(cover.offline && cover.cover_open && !cover.paper_out);
        assert_eq!(cover.problems()[0], PrinterProblem::CoverOpen);

        let paper_out = PrinterStatus::decode(&[0x1A, 0x32, 0x12, 0x72]).unwrap();
        assert!(paper_out.paper_out && !paper_out.can_print());

        let near_end = PrinterStatus::decode(&[0x12, 0x12, 0x12, 0x1E]).unwrap();
        assert!(near_end.paper_near_end && !near_end.paper_out);
        assert!(near_end.can_print());
        assert_eq!(near_end.problems(), vec![PrinterProblem::PaperNearEnd]);

        let cutter = PrinterStatus::decode(&[0x1A, 0x52, 0x1A, 0x12]).unwrap();
        assert!(cutter.cutter_error && !cutter.can_print());
    }

    #[test]
    fn bytes_breaking_the_fixed_bits_are_rejected() {
        for byte in [0x00, 0x13, 0x92, 0x02, 0x10, 0xFF] {
            assert_eq!(
                PrinterStatus::default().apply(StatusQuery::Printer, byte),
                Err(StatusError::NotAStatusByte {
                    query: StatusQuery::Printer,
                    byte
                })
            );
        }
        assert_eq!(
            PrinterStatus::decode(&[0x12, 0x12]),
            Err(StatusError::WrongLength {
                expected: 4,
                got: 2
            })
        );
    }

    #[test]
    fn encode_then_decode_round_trips_every_condition() {
        let conditions = [
            PrinterStatus {
                paper_out: true,
                ..Default::default()
            },
            PrinterStatus {
                cover_open: true,
                ..Default::default()
            },
            PrinterStatus {
                paper_near_end: true,
                ..Default::default()
            },
            PrinterStatus {
                cutter_error: true,
                ..Default::default()
            },
            PrinterStatus {
                offline: true,
                ..Default::default()
            },
        ];
        for status in conditions {
            let replies: Vec<u8> = StatusQuery::ALL.iter().map(|q| status.encode(*q)).collect();
            let decoded = PrinterStatus::decode(&replies).unwrap();
            for problem in status.problems() {
                assert!(decoded.problems().contains(&problem), "{status:?}");
            }
        }
    }

    #[test]
    fn requests_are_canonical_three_bytes() {
        assert_eq!(StatusQuery::PaperSensor.request(), [0x10, 0x04, 0x04]);
        assert_eq!(
            StatusQuery::from_parameter(2),
            Some(StatusQuery::OfflineCause)
        );
        assert_eq!(StatusQuery::from_parameter(7), None);
    }
}
