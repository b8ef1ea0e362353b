//! The ledger of signed remote commands' nonces: durable, so a replay is refused after a
//! restart as well as before one.

use super::{Store, StoreError};
use rusqlite::params;

impl Store {
    /// Records `nonce` and says whether this is its first use. Nonces issued before
    /// `forget_before` (outside every validity window) are dropped first, so the table stays
    /// as small as the window.
    pub fn first_use_of_nonce(
        &self,
        nonce: &str,
        issued_at: i64,
        forget_before: i64,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute(
            "DELETE FROM command_nonces WHERE issued_at < ?1",
            [forget_before],
        )?;
        let inserted = tx.execute(
            "INSERT OR IGNORE INTO command_nonces (nonce, issued_at) VALUES (?1, ?2)",
            params![nonce, issued_at],
        )?;
        tx.commit()?;
        Ok(inserted == 1)
    }
}
