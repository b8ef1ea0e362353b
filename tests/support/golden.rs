//! Golden-image comparison shared by the screenshot and receipt tests.
//!
//! Images match when at most 0.2 % of pixels differ by more than 40 in any channel: small
//! anti-aliasing differences pass, a moved or missing element fails. Set
//! `LEGAL_KIOSK_UPDATE_GOLDEN=1` to rewrite the committed images instead (then review them).

use std::path::{Path, PathBuf};

pub fn updating() -> bool {
    std::env::var_os("LEGAL_KIOSK_UPDATE_GOLDEN").is_some()
}

/// Compares `actual` (a PNG just produced) with the committed `golden`; on mismatch copies
/// the actual image next to the build output for review and returns a description.
pub fn compare(actual: &Path, golden: &Path) -> Result<(), String> {
    if updating() {
        std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
        std::fs::copy(actual, golden).unwrap();
        return Ok(());
    }
    let want = image::open(golden)
        .map_err(|e| {
            format!(
                "{}: {e} (regenerate with LEGAL_KIOSK_UPDATE_GOLDEN=1)",
                golden.display()
            )
        })?
        .to_rgb8();
    let got = image::open(actual).map_err(|e| e.to_string())?.to_rgb8();
    if want.dimensions() != got.dimensions() {
        return Err(format!(
            "{}: size {:?} != golden {:?}",
            golden.display(),
            got.dimensions(),
            want.dimensions()
        ));
    }
    let differing = want
        .pixels()
        .zip(got.pixels())
        .filter(|(a, b)| a.0.iter().zip(b.0.iter()).any(|(x, y)| x.abs_diff(*y) > 40))
        .count();
    let total = (want.width() * want.height()) as usize;
    if differing * 1000 > total * 2 {
        let review = review_path(golden);
        std::fs::create_dir_all(review.parent().unwrap()).unwrap();
        std::fs::copy(actual, &review).unwrap();
        return Err(format!(
            "{}: {differing} of {total} pixels differ; actual image at {}",
            golden.display(),
            review.display()
        ));
    }
    Ok(())
}

fn review_path(golden: &Path) -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target
        .join("golden-review")
        .join(golden.file_name().unwrap())
}
