//! The notary application journey (公证申请): catalogue, fees, consent, form and the flow state machine.
