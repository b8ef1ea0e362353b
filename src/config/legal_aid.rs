//! `[legal_aid]`: the economic-difficulty standard the legal-aid pre-check applies. The Legal
//! Aid Law (art. 34) leaves it to each province, so it is deployment data, never code.

use serde::Deserialize;

/// The deployment's economic-difficulty standard (art. 34: set by each province).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LegalAidPolicy {
    /// Region the standard applies to, e.g. 广东省中山市.
    pub region: String,
    pub region_en: String,
    /// Household monthly disposable income per person below which a citizen counts as in
    /// economic difficulty, in yuan (e.g. Zhongshan 2023: 2,592).
    pub monthly_income_threshold_yuan: u32,
}

/// Published standards are in the low thousands of yuan a month; outside this range the
/// value is a typo (a missing or extra digit), not a standard.
const PLAUSIBLE_YUAN: std::ops::RangeInclusive<u32> = 300..=10_000;

/// Checks `[legal_aid]`; the error names the key at fault.
pub(super) fn validate(policy: &LegalAidPolicy) -> Result<(), (&'static str, String)> {
    if policy.region.trim().is_empty() {
        return Err((
            "region",
            "must name the region, e.g. \"广东省中山市\"".into(),
        ));
    }
    if policy.region_en.trim().is_empty() {
        return Err((
            "region_en",
            "must name the region in English, e.g. \"Zhongshan, Guangdong\"".into(),
        ));
    }
    if !PLAUSIBLE_YUAN.contains(&policy.monthly_income_threshold_yuan) {
        return Err((
            "monthly_income_threshold_yuan",
            format!(
                "{} yuan a month is not a plausible standard; expected {} to {}",
                policy.monthly_income_threshold_yuan,
                PLAUSIBLE_YUAN.start(),
                PLAUSIBLE_YUAN.end()
            ),
        ));
    }
    Ok(())
}

/// The demo's standard. EXAMPLE ONLY: Zhongshan's published 2023 figure, so the demo's
/// pre-check has a real-looking number; a deployment writes its own province's.
pub(super) fn demo_example() -> LegalAidPolicy {
    LegalAidPolicy {
        region: "广东省中山市（示例）".into(),
        region_en: "Zhongshan, Guangdong (example)".into(),
        monthly_income_threshold_yuan: 2592,
    }
}
