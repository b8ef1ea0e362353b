//! Splitting typed pinyin into syllables for display (`zhangsan` → `zhang'san`).
//!
//! The split leaves the fewest letters unmatched, then uses the fewest abbreviated syllables,
//! then the fewest syllables, and on a tie
//! the longer syllable first (`fangan` → `fang'an`, `xian` → `xian`). A letter no syllable
//! can start with (`i`, `u`, `v`) stands alone, so the user still sees everything typed.

use super::dictionary::Dictionary;
use super::matcher::{tokens_for, SEPARATOR};

/// Cost of a split: (unmatched letters, abbreviated syllables, syllables).
type Cost = (usize, usize, usize);

/// The typed syllables of `input`, without separators.
pub fn segment(dictionary: &Dictionary, input: &[u8]) -> Vec<String> {
    let n = input.len();
    // best[p]: cheapest split of input[p..] and the length of its first token.
    let mut best: Vec<(Cost, usize)> = vec![((0, 0, 0), 0); n + 1];
    for pos in (0..n).rev() {
        if input[pos] == SEPARATOR {
            best[pos] = best[pos + 1];
            continue;
        }
        let after = |len: usize| {
            let end = pos + len;
            if input.get(end) == Some(&SEPARATOR) {
                end + 1
            } else {
                end
            }
        };
        let ((unmatched, abbreviated, count), _) = best[after(1)];
        let mut choice = ((unmatched + 1, abbreviated, count + 1), 1);
        for syllable in dictionary
            .syllables()
            .filter(|s| s.as_bytes()[0] == input[pos])
        {
            for token in tokens_for(input, pos, syllable) {
                let ((unmatched, abbreviated, count), _) = best[after(token.len)];
                let cost = (
                    unmatched,
                    abbreviated + usize::from(token.abbreviated),
                    count + 1,
                );
                if cost < choice.0 || (cost == choice.0 && token.len > choice.1) {
                    choice = (cost, token.len);
                }
            }
        }
        best[pos] = choice;
    }
    let mut syllables = Vec::new();
    let mut pos = 0;
    while pos < n {
        if input[pos] == SEPARATOR {
            pos += 1;
            continue;
        }
        let len = best[pos].1;
        syllables.push(String::from_utf8_lossy(&input[pos..pos + len]).into_owned());
        pos += len;
    }
    syllables
}
