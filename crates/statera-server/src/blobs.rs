//! Uploaded files, named by their SHA-256: in a local folder (written to a temporary name,
//! synced and renamed, so a reader never sees half a file), or in an S3-compatible bucket
//! through object_store (an S3 PUT is atomic; large files go up in multipart parts). The
//! keys are the same on both, so moving a deployment's files is a copy.

use std::path::PathBuf;
use std::sync::Arc;

use object_store::aws::{AmazonS3, AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutOptions, PutPayload, WriteMultipart};

/// Files above this size are sent to S3 in parts (S3's parts must be at least 5 MiB).
const MULTIPART_THRESHOLD: usize = 8 << 20;
const PART_SIZE: usize = 5 << 20;

/// Where uploaded files are kept.
#[derive(Clone, Debug, Default)]
pub enum StorageConfig {
    /// The `documents` folder under the data directory.
    #[default]
    Local,
    /// `s3://bucket/prefix`; endpoint, region, credentials and plain HTTP come from the
    /// usual `AWS_*` environment variables (as object_store reads them) and from `options`
    /// (object_store config keys such as `aws_endpoint`, which win over the environment).
    S3 {
        url: String,
        options: Vec<(String, String)>,
    },
}

impl StorageConfig {
    /// `STATERA_STORAGE_URL`: unset means the local documents folder; `s3://…` means S3.
    pub fn from_url(url: Option<&str>) -> Result<Self, BlobError> {
        match url {
            None | Some("") => Ok(Self::Local),
            Some(url) if url.starts_with("s3://") => Ok(Self::S3 {
                url: url.to_owned(),
                options: Vec::new(),
            }),
            Some(other) => Err(BlobError::Config(format!(
                "STATERA_STORAGE_URL must be s3://bucket[/prefix] (or unset for the local documents folder), not {other:?}"
            ))),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BlobError {
    #[error("storage configuration: {0}")]
    Config(String),
    #[error("storage: {0}")]
    Io(#[from] std::io::Error),
    #[error("object storage: {0}")]
    Object(#[from] object_store::Error),
    #[error("bad blob key")]
    BadKey,
}

impl BlobError {
    /// The file is definitely not there (as opposed to storage being unreachable).
    pub fn is_not_found(&self) -> bool {
        match self {
            Self::Io(e) => e.kind() == std::io::ErrorKind::NotFound,
            Self::Object(object_store::Error::NotFound { .. }) | Self::BadKey => true,
            _ => false,
        }
    }
}

#[derive(Clone, Debug)]
pub enum Blobs {
    Local {
        root: PathBuf,
    },
    S3 {
        store: Arc<AmazonS3>,
        prefix: String,
    },
}

impl Blobs {
    /// The store `config` names; `local_root` is the documents folder.
    pub fn open(config: &StorageConfig, local_root: PathBuf) -> Result<Self, BlobError> {
        match config {
            StorageConfig::Local => Ok(Self::Local { root: local_root }),
            StorageConfig::S3 { url, options } => {
                let rest = url.strip_prefix("s3://").unwrap_or(url);
                let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
                if bucket.is_empty() {
                    return Err(BlobError::Config(format!("no bucket in {url:?}")));
                }
                let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
                for (key, value) in options {
                    let key: AmazonS3ConfigKey = key
                        .parse()
                        .map_err(|e| BlobError::Config(format!("{key}: {e}")))?;
                    builder = builder.with_config(key, value);
                }
                Ok(Self::S3 {
                    store: Arc::new(builder.build()?),
                    prefix: prefix.trim_matches('/').to_owned(),
                })
            }
        }
    }

    fn object_path(prefix: &str, key: &str) -> ObjectPath {
        if prefix.is_empty() {
            ObjectPath::from(format!("documents/{key}"))
        } else {
            ObjectPath::from(format!("{prefix}/documents/{key}"))
        }
    }

    /// Stores `bytes` durably under their SHA-256 and returns the key. Storing the same
    /// bytes twice is a no-op: the object is created only if absent.
    pub async fn put(&self, sha256: &str, bytes: &[u8]) -> Result<String, BlobError> {
        let key = checked_key(sha256)?.to_owned();
        match self {
            Self::Local { root } => {
                tokio::fs::create_dir_all(root).await?;
                let path = root.join(&key);
                if tokio::fs::try_exists(&path).await.unwrap_or(false) {
                    return Ok(key);
                }
                let temporary = root.join(format!("{key}.{}.tmp", crate::auth::random_token(4)));
                let written = async {
                    let mut file = tokio::fs::File::create(&temporary).await?;
                    tokio::io::AsyncWriteExt::write_all(&mut file, bytes).await?;
                    file.sync_all().await?;
                    tokio::fs::rename(&temporary, &path).await?;
                    // The rename itself must survive a power cut: sync the folder too.
                    tokio::fs::File::open(root).await?.sync_all().await
                }
                .await;
                if written.is_err() {
                    let _ = tokio::fs::remove_file(&temporary).await;
                }
                written?;
                Ok(key)
            }
            Self::S3 { store, prefix } => {
                let path = Self::object_path(prefix, &key);
                if bytes.len() > MULTIPART_THRESHOLD {
                    if store.head(&path).await.is_ok() {
                        return Ok(key);
                    }
                    let upload = store.put_multipart(&path).await?;
                    let mut writer = WriteMultipart::new_with_chunk_size(upload, PART_SIZE);
                    writer.write(bytes);
                    writer.finish().await?;
                } else {
                    let options = PutOptions {
                        mode: PutMode::Create,
                        ..PutOptions::default()
                    };
                    let payload = PutPayload::from(bytes.to_vec());
                    match store.put_opts(&path, payload.clone(), options).await {
                        Ok(_) | Err(object_store::Error::AlreadyExists { .. }) => {}
                        // Stores without conditional puts: the key is the content's hash, so
                        // overwriting writes the same bytes.
                        Err(object_store::Error::NotImplemented { .. })
                        | Err(object_store::Error::NotSupported { .. }) => {
                            store.put(&path, payload).await?;
                        }
                        Err(e) => return Err(e.into()),
                    }
                }
                Ok(key)
            }
        }
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, BlobError> {
        let key = checked_key(key)?;
        match self {
            Self::Local { root } => Ok(tokio::fs::read(root.join(key)).await?),
            Self::S3 { store, prefix } => {
                let result = store.get(&Self::object_path(prefix, key)).await?;
                Ok(result.bytes().await?.to_vec())
            }
        }
    }
}

/// Keys are lowercase hex digests: nothing that could climb out of the folder.
fn checked_key(key: &str) -> Result<&str, BlobError> {
    if !key.is_empty() && key.bytes().all(|b| b.is_ascii_hexdigit()) {
        Ok(key)
    } else {
        Err(BlobError::BadKey)
    }
}
