//! Sensitive media (face photos, templates) encrypted at rest with AES-256-GCM, stored through
//! `object_store` (a local folder by default). Keys rotate: new data uses the current key,
//! older blobs name the key they were sealed with and open with any configured old key.

use std::path::Path;
use std::sync::Arc;

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use object_store::{local::LocalFileSystem, path::Path as StorePath, ObjectStore, PutPayload};
use rand::RngCore;
use sha2::Digest;

use crate::error::{ApiError, ApiResult};
use crate::secrets::load_or_generate_secret;

const MAGIC: &[u8; 4] = b"HJM1";

#[derive(Clone)]
pub struct Keyring {
    /// (key id, cipher); the first one seals.
    keys: Vec<([u8; 8], Aes256Gcm)>,
}

impl Keyring {
    pub fn new(current: &[u8], old: &[Vec<u8>]) -> anyhow::Result<Keyring> {
        let mut keys = Vec::new();
        for k in std::iter::once(current).chain(old.iter().map(Vec::as_slice)) {
            anyhow::ensure!(k.len() == 32, "media keys are 32 bytes");
            let id: [u8; 8] = sha2::Sha256::digest(k)[..8].try_into().expect("8 bytes");
            keys.push((id, Aes256Gcm::new_from_slice(k).expect("32-byte key")));
        }
        Ok(Keyring { keys })
    }

    /// magic | key id | nonce | ciphertext+tag. `aad` binds the blob to its purpose (e.g. the
    /// case id), so a blob moved onto another record does not open.
    pub fn seal(&self, plain: &[u8], aad: &[u8]) -> Vec<u8> {
        let (id, cipher) = &self.keys[0];
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                aes_gcm::aead::Payload { msg: plain, aad },
            )
            .expect("AES-GCM encryption does not fail for in-memory data");
        [MAGIC.as_slice(), id, &nonce, &ct].concat()
    }

    pub fn open(&self, blob: &[u8], aad: &[u8]) -> ApiResult<Vec<u8>> {
        if blob.len() < 4 + 8 + 12 + 16 || &blob[..4] != MAGIC {
            return Err(ApiError::internal(
                "media blob is not sealed by this server",
            ));
        }
        let (id, rest) = blob[4..].split_at(8);
        let (nonce, ct) = rest.split_at(12);
        let (_, cipher) = self
            .keys
            .iter()
            .find(|(k, _)| k == id)
            .ok_or_else(|| ApiError::internal("media sealed with an unknown key"))?;
        cipher
            .decrypt(
                Nonce::from_slice(nonce),
                aes_gcm::aead::Payload { msg: ct, aad },
            )
            .map_err(|_| ApiError::internal("media blob failed authentication"))
    }
}

#[derive(Clone)]
pub struct MediaStore {
    store: Arc<dyn ObjectStore>,
    pub keys: Keyring,
}

impl MediaStore {
    pub fn local(
        dir: &Path,
        key_file: &Path,
        old_key_files: &[std::path::PathBuf],
    ) -> anyhow::Result<MediaStore> {
        crate::secrets::make_private(dir)?;
        let current = load_or_generate_secret(key_file, 32, |b| {
            anyhow::ensure!(b.len() == 32, "must hold exactly 32 bytes");
            Ok(())
        })?;
        let old = old_key_files
            .iter()
            .map(std::fs::read)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MediaStore {
            store: Arc::new(LocalFileSystem::new_with_prefix(dir)?),
            keys: Keyring::new(&current, &old)?,
        })
    }

    /// Encrypts and stores; returns the object key.
    pub async fn put(&self, prefix: &str, plain: &[u8], aad: &[u8]) -> ApiResult<String> {
        let key = format!("{prefix}/{}", uuid::Uuid::now_v7());
        let blob = self.keys.seal(plain, aad);
        self.store
            .put(&StorePath::from(key.as_str()), PutPayload::from(blob))
            .await
            .map_err(ApiError::internal)?;
        Ok(key)
    }

    pub async fn get(&self, key: &str, aad: &[u8]) -> ApiResult<Vec<u8>> {
        let blob = self
            .store
            .get(&StorePath::from(key))
            .await
            .map_err(ApiError::internal)?
            .bytes()
            .await
            .map_err(ApiError::internal)?;
        self.keys.open(&blob, aad)
    }

    /// Stores published material as it streams in, so a lesson video never has to fit in
    /// memory: nothing is kept until `check` has seen the file's first `HEAD` bytes (its
    /// signature), more than `max` bytes is `request.body_too_large`, and a failure leaves
    /// nothing behind. Returns the object key and the size.
    pub async fn put_public_stream<S, E>(
        &self,
        prefix: &str,
        mut chunks: S,
        max: u64,
        check: impl FnOnce(&[u8]) -> ApiResult<()>,
    ) -> ApiResult<(String, u64)>
    where
        S: futures::Stream<Item = Result<bytes::Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        use futures::StreamExt;
        const HEAD: usize = 16;
        let key = format!("{prefix}/{}", uuid::Uuid::now_v7());
        let upload = self
            .store
            .put_multipart(&StorePath::from(key.as_str()))
            .await
            .map_err(ApiError::internal)?;
        let mut writer = object_store::WriteMultipart::new(upload);
        let mut check = Some(check);
        let (mut head, mut held) = (Vec::with_capacity(HEAD), Vec::new());
        let mut size = 0u64;
        let taken: ApiResult<()> = async {
            while let Some(chunk) = chunks.next().await {
                let chunk = chunk.map_err(|_| {
                    ApiError::field(
                        "body",
                        huijiao_core::Said::new("the file did not arrive whole", "文件未完整上传"),
                    )
                })?;
                size += chunk.len() as u64;
                if size > max {
                    return Err(huijiao_core::ErrorCode::BodyTooLarge.into());
                }
                if check.is_some() {
                    let room = HEAD - head.len();
                    head.extend_from_slice(&chunk[..room.min(chunk.len())]);
                    held.push(chunk);
                    if head.len() == HEAD {
                        (check.take().expect("not yet checked"))(&head)?;
                    } else {
                        continue;
                    }
                } else {
                    held.push(chunk);
                }
                for c in held.drain(..) {
                    writer
                        .wait_for_capacity(2)
                        .await
                        .map_err(ApiError::internal)?;
                    writer.put(c);
                }
            }
            // A file shorter than the signature's bytes.
            if let Some(check) = check.take() {
                check(&head)?;
            }
            for c in held.drain(..) {
                writer.put(c);
            }
            Ok(())
        }
        .await;
        match taken {
            Ok(()) => {
                writer.finish().await.map_err(ApiError::internal)?;
                Ok((key, size))
            }
            Err(e) => {
                let _ = writer.abort().await;
                Err(e)
            }
        }
    }

    /// Bytes `range` of an object stored with `put_public_stream`.
    pub async fn get_range(&self, key: &str, range: std::ops::Range<u64>) -> ApiResult<Vec<u8>> {
        Ok(self
            .store
            .get_range(&StorePath::from(key), range)
            .await
            .map_err(ApiError::internal)?
            .to_vec())
    }

    /// Bytes `range` of a stored object as a stream of small chunks (8 KiB from the file
    /// system): a download holds one chunk in memory, whatever the file's size or the number
    /// of people watching it.
    pub async fn stream_range(
        &self,
        key: &str,
        range: std::ops::Range<u64>,
    ) -> ApiResult<futures::stream::BoxStream<'static, Result<bytes::Bytes, std::io::Error>>> {
        use futures::{StreamExt, TryStreamExt};
        if range.is_empty() {
            return Ok(futures::stream::empty().boxed());
        }
        let options = object_store::GetOptions {
            range: Some(object_store::GetRange::Bounded(range)),
            ..Default::default()
        };
        let got = self
            .store
            .get_opts(&StorePath::from(key), options)
            .await
            .map_err(ApiError::internal)?;
        Ok(got.into_stream().map_err(std::io::Error::other).boxed())
    }

    pub async fn delete(&self, key: &str) -> ApiResult<()> {
        match self.store.delete(&StorePath::from(key)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(ApiError::internal(e)),
        }
    }

    /// The raw stored bytes (tests check nothing readable is on disk).
    pub async fn raw(&self, key: &str) -> ApiResult<Vec<u8>> {
        Ok(self
            .store
            .get(&StorePath::from(key))
            .await
            .map_err(ApiError::internal)?
            .bytes()
            .await
            .map_err(ApiError::internal)?
            .to_vec())
    }
}

/// An open file from where it stands to its end, as a stream of 64 KiB chunks: what a large
/// download made on the server (an archive) is sent as, one chunk in memory at a time.
pub fn file_chunks(
    file: tokio::fs::File,
) -> impl futures::Stream<Item = Result<bytes::Bytes, std::io::Error>> {
    futures::stream::unfold(file, |mut file| async move {
        use tokio::io::AsyncReadExt;
        let mut buf = vec![0u8; 64 << 10];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(bytes::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_open_rotate_and_bind() {
        let old = Keyring::new(&[1u8; 32], &[]).unwrap();
        let blob = old.seal(b"face", b"case-1");
        assert!(!blob.windows(4).any(|w| w == b"face"));
        assert_eq!(old.open(&blob, b"case-1").unwrap(), b"face");
        assert!(old.open(&blob, b"case-2").is_err(), "bound to its record");
        let rotated = Keyring::new(&[2u8; 32], &[vec![1u8; 32]]).unwrap();
        assert_eq!(
            rotated.open(&blob, b"case-1").unwrap(),
            b"face",
            "old blobs still open"
        );
        let new_blob = rotated.seal(b"face", b"case-1");
        assert!(
            old.open(&new_blob, b"case-1").is_err(),
            "new blobs use the new key"
        );
        let mut tampered = blob.clone();
        let n = tampered.len();
        tampered[n - 1] ^= 1;
        assert!(old.open(&tampered, b"case-1").is_err());
    }

    /// Blobs and their folders are the server's alone, whatever umask it was started with.
    #[cfg(unix)]
    #[tokio::test]
    async fn media_files_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let tmp = tempfile::tempdir().unwrap();
        rustix::process::umask(rustix::fs::Mode::empty());
        let dir = tmp.path().join("media");
        let store = MediaStore::local(&dir, &tmp.path().join("media.key"), &[]).unwrap();
        let key = store
            .put("checkins/case-1", b"face", b"case-1")
            .await
            .unwrap();
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join(&key)), 0o600);
        assert_eq!(mode(dir.join(&key).parent().unwrap()), 0o700);
        assert_eq!(mode(&tmp.path().join("media.key")), 0o600);
    }

    /// A file streamed in pieces smaller than its signature is checked before anything is
    /// kept, taken whole, and refused (leaving nothing behind) when it is not what was said or
    /// grows past the limit.
    #[tokio::test]
    async fn a_public_file_streams_in_checked_and_bounded() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("media");
        let store = MediaStore::local(&dir, &tmp.path().join("media.key"), &[]).unwrap();
        let pieces = |parts: &[&[u8]]| {
            futures::stream::iter(
                parts
                    .iter()
                    .map(|p| Ok::<_, std::io::Error>(bytes::Bytes::copy_from_slice(p)))
                    .collect::<Vec<_>>(),
            )
        };
        let is_pdf = |head: &[u8]| {
            if head.starts_with(b"%PDF-") {
                Ok(())
            } else {
                Err(huijiao_core::ErrorCode::LessonMediaInvalid.into())
            }
        };
        let body: Vec<u8> = b"%PDF-1.4\n".iter().copied().chain(0..=255u8).collect();
        let parts: Vec<&[u8]> = vec![&body[..3], &body[3..7], &body[7..100], &body[100..]];
        let (key, size) = store
            .put_public_stream("lessons/x", pieces(&parts), 1 << 20, is_pdf)
            .await
            .unwrap();
        assert_eq!(size, body.len() as u64);
        assert_eq!(store.get_range(&key, 0..size).await.unwrap(), body);
        let files = || walk(&dir).len();
        let kept = files();
        let got = store
            .put_public_stream(
                "lessons/x",
                pieces(&[b"GIF8", b"9a......"]),
                1 << 20,
                is_pdf,
            )
            .await;
        assert_eq!(
            got.unwrap_err().code,
            huijiao_core::ErrorCode::LessonMediaInvalid
        );
        let got = store
            .put_public_stream("lessons/x", pieces(&parts), 100, is_pdf)
            .await;
        assert_eq!(got.unwrap_err().code, huijiao_core::ErrorCode::BodyTooLarge);
        assert_eq!(files(), kept, "a refused file leaves nothing behind");
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = vec![];
        for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                out.extend(walk(&p));
            } else {
                out.push(p);
            }
        }
        out
    }
}
