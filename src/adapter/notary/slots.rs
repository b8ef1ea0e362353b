//! The office's free appointment times, fetched on the effect runner's thread with a small
//! runtime of its own and bounded by [`SLOTS_TIMEOUT`]: whatever goes wrong, the citizen is
//! told the office will call, and the reason goes to the log (no personal data in it).

use crate::core::notary::appointment::{Slot, SlotsUnavailable};
use crate::forward::{HttpCaseSystem, SLOTS_TIMEOUT};
use chrono::NaiveDate;

pub fn fetch(
    system: Option<&HttpCaseSystem>,
    matter_id: &str,
    from: NaiveDate,
    days: u32,
) -> Result<Vec<Slot>, SlotsUnavailable> {
    let Some(system) = system else {
        return Err(SlotsUnavailable);
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| {
            tracing::warn!(%error, "no runtime for the slots request");
            SlotsUnavailable
        })?;
    let asked = runtime.block_on(async {
        tokio::time::timeout(SLOTS_TIMEOUT, system.slots(matter_id, from, days)).await
    });
    match asked {
        Ok(Ok(slots)) => Ok(slots),
        Ok(Err(error)) => {
            tracing::warn!(%error, matter = matter_id, "appointment times not available");
            Err(SlotsUnavailable)
        }
        Err(_) => {
            tracing::warn!(matter = matter_id, "appointment times: no answer in time");
            Err(SlotsUnavailable)
        }
    }
}
