//! Reading-time estimates that work for Chinese as well as English.
//!
//! Counting whitespace-separated words badly underestimates Chinese, which
//! has no spaces, so CJK characters are counted one by one at their own rate.

use crate::util::is_cjk;

/// CJK characters a reader gets through per minute.
const CJK_PER_MINUTE: f64 = 300.0;
/// Words in space-separated scripts a reader gets through per minute.
const WORDS_PER_MINUTE: f64 = 200.0;
/// Readers skim code rather than read every token, so it weighs less.
pub(super) const CODE_WEIGHT: f64 = 0.5;

/// CJK-aware reading-time estimate of plain text in minutes (at least 1):
/// CJK characters count at ~300 a minute, other words at ~200 a minute.
/// Markdown goes through [`super::reading_minutes`], which discounts code.
#[cfg(test)]
fn reading_minutes(text: &str) -> u32 {
    whole_minutes(Tally::of(text).minutes())
}

/// Rounds a fractional estimate to whole minutes, never below 1, since
/// "0 min read" looks like a broken page.
pub(super) fn whole_minutes(minutes: f64) -> u32 {
    // `as` saturates, so a huge estimate cannot wrap around.
    (minutes.round() as u32).max(1)
}

/// How much there is to read in some text.
#[derive(Default, Debug, PartialEq)]
pub(super) struct Tally {
    cjk: usize,
    words: usize,
}

impl Tally {
    /// Counts CJK characters and words of other scripts in `text`.
    pub(super) fn of(text: &str) -> Self {
        let mut tally = Tally::default();
        let mut in_word = false;
        for c in text.chars() {
            if is_cjk(c) {
                tally.cjk += 1;
                in_word = false;
            } else if c.is_whitespace() {
                in_word = false;
            } else if c.is_alphanumeric() && !in_word {
                tally.words += 1;
                in_word = true;
            }
        }
        tally
    }

    /// Fractional minutes needed to read what was counted.
    pub(super) fn minutes(&self) -> f64 {
        self.cjk as f64 / CJK_PER_MINUTE + self.words as f64 / WORDS_PER_MINUTE
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_cjk_per_character_and_words_per_word() {
        assert_eq!(Tally::of("所有权，借用。"), Tally { cjk: 5, words: 0 });
        assert_eq!(
            Tally::of("don't panic, 2 times"),
            Tally { cjk: 0, words: 4 }
        );
        assert_eq!(Tally::of("Rust的所有权"), Tally { cjk: 4, words: 1 });
    }

    #[test]
    fn chinese_is_counted_by_character() {
        // 3000 characters at 300/min; splitting on spaces would say 1 minute.
        let chinese = "所有权".repeat(1000);
        assert_eq!(reading_minutes(&chinese), 10);
    }

    #[test]
    fn english_is_counted_by_word() {
        let english = "word ".repeat(2000);
        assert_eq!(reading_minutes(&english), 10);
    }

    #[test]
    fn never_below_one_minute() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes("hi"), 1);
    }
}
