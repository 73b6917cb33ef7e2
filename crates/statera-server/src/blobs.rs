//! Uploaded files in a local folder, named by their SHA-256, written to a temporary name
//! and renamed so a reader never sees half a file.

use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Blobs {
    root: PathBuf,
}

impl Blobs {
    pub fn new(root: PathBuf) -> Self {
        Self { root }
    }

    /// Stores `bytes` durably (written, synced, renamed) and returns its key.
    pub async fn put(&self, sha256: &str, bytes: &[u8]) -> std::io::Result<String> {
        tokio::fs::create_dir_all(&self.root).await?;
        let key = sha256.to_owned();
        let path = self.root.join(&key);
        if tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Ok(key);
        }
        let temporary = self
            .root
            .join(format!("{key}.{}.tmp", crate::auth::random_token(4)));
        let mut file = tokio::fs::File::create(&temporary).await?;
        tokio::io::AsyncWriteExt::write_all(&mut file, bytes).await?;
        file.sync_all().await?;
        tokio::fs::rename(&temporary, &path).await?;
        Ok(key)
    }

    pub async fn get(&self, key: &str) -> std::io::Result<Vec<u8>> {
        if !key.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "bad blob key",
            ));
        }
        tokio::fs::read(self.root.join(key)).await
    }
}
