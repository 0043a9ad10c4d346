//! Evidence files on disk: sealed with the field key as they are written,
//! opened as they are read, and the start-up migration that seals files
//! stored before sealing existed (issue 14). Files stay named by the SHA-256
//! of their plaintext (`files/ab/cd/abcd…`), so one content is kept once and
//! every read can check it is the content its record names.

use rightsdesk_crypto::{is_sealed_file, Keyring, SEALED_HEADER_LEN};
use sha2::Digest;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Streams the plaintext of a stored file into `out`, checking it: the
/// sealing (every chunk, and that the last one is there) and the SHA-256 its
/// name gives. Returns the hash found; an error when the file does not open.
/// What was written to `out` before an error must not be trusted: callers
/// that stream to a client end the response so it is seen as incomplete.
pub async fn copy_plaintext(
    keys: &Keyring,
    path: &Path,
    out: &mut (impl tokio::io::AsyncWrite + Unpin),
) -> std::io::Result<String> {
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let mut file = tokio::fs::File::open(path).await?;
    let mut header = vec![0u8; SEALED_HEADER_LEN];
    let mut got = 0;
    while got < header.len() {
        let n = file.read(&mut header[got..]).await?;
        if n == 0 {
            break;
        }
        got += n;
    }
    header.truncate(got);
    let mut hasher = sha2::Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    if !is_sealed_file(&header) {
        // Stored before sealing (the start-up migration seals these).
        hasher.update(&header);
        out.write_all(&header).await?;
        loop {
            let n = file.read(&mut buf).await?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            out.write_all(&buf[..n]).await?;
        }
        return Ok(hex::encode(hasher.finalize()));
    }
    let mut opener = keys.file_opener(&header).map_err(|e| bad(&e.to_string()))?;
    loop {
        let n = file.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        let clear = opener.update(&buf[..n]).map_err(|e| bad(&e.to_string()))?;
        hasher.update(&clear);
        out.write_all(&clear).await?;
    }
    let last = opener.finish().map_err(|e| bad(&e.to_string()))?;
    hasher.update(&last);
    out.write_all(&last).await?;
    Ok(hex::encode(hasher.finalize()))
}

/// The SHA-256 of a stored file's plaintext, or `None` when it is missing
/// or does not open.
pub async fn plaintext_sha256(keys: &Keyring, path: &Path) -> Option<String> {
    copy_plaintext(keys, path, &mut tokio::io::sink()).await.ok()
}

/// A download body: the plaintext, streamed as it is opened. When the file
/// does not open, or is not the content `sha256` names, the body ends with
/// an error, so the client sees a failed download rather than wrong bytes.
pub fn plaintext_body(keys: Arc<Keyring>, path: std::path::PathBuf, sha256: String) -> axum::body::Body {
    let (mut writer, reader) = tokio::io::duplex(256 * 1024);
    tokio::spawn(async move {
        let mut held = HoldBack { inner: &mut writer, pending: Vec::new() };
        let result = copy_plaintext(&keys, &path, &mut held).await;
        let tail = std::mem::take(&mut held.pending);
        match result {
            Ok(found) if found == sha256 => {
                let _ = writer.write_all(&tail).await;
                let _ = writer.shutdown().await;
            }
            Ok(found) => {
                tracing::error!(path = %path.display(), found, expected = sha256, "evidence file is another content")
            }
            Err(e) => tracing::error!(path = %path.display(), error = %e, "evidence file does not open"),
        }
        // On an error the writer is dropped with the last bytes held back:
        // the body ends short of its Content-Length.
    });
    axum::body::Body::from_stream(tokio_util::io::ReaderStream::new(reader))
}

/// Passes bytes on, holding back the last 64 KiB until the whole file is
/// known to be the right one, so a file that fails its final check never
/// reaches the client whole.
struct HoldBack<'a, W> {
    inner: &'a mut W,
    pending: Vec<u8>,
}

const HOLD: usize = 64 * 1024;

impl<W: tokio::io::AsyncWrite + Unpin> tokio::io::AsyncWrite for HoldBack<'_, W> {
    fn poll_write(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
        data: &[u8],
    ) -> std::task::Poll<std::io::Result<usize>> {
        use std::task::Poll;
        let this = &mut *self;
        // Pass on what lies beyond the held-back tail, as far as the client takes it.
        while this.pending.len() > HOLD {
            let send = this.pending.len() - HOLD;
            match std::pin::Pin::new(&mut *this.inner).poll_write(cx, &this.pending[..send]) {
                Poll::Ready(Ok(0)) => return Poll::Ready(Err(std::io::ErrorKind::WriteZero.into())),
                Poll::Ready(Ok(n)) => {
                    this.pending.drain(..n);
                }
                Poll::Ready(Err(e)) => return Poll::Ready(Err(e)),
                // The client is slow: take no more until it reads (the inner
                // writer wakes this task).
                Poll::Pending if this.pending.len() > 2 * HOLD => return Poll::Pending,
                Poll::Pending => break,
            }
        }
        this.pending.extend_from_slice(data);
        Poll::Ready(Ok(data.len()))
    }

    fn poll_flush(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        std::pin::Pin::new(&mut *self.inner).poll_flush(cx)
    }

    fn poll_shutdown(
        self: std::pin::Pin<&mut Self>,
        _cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        // The tail is released by the caller once the file is checked.
        std::task::Poll::Ready(Ok(()))
    }
}

/// Seals, in place, every stored file that is still plaintext (stored by a
/// release before sealing), after checking it is the content its name says.
/// Each is written to a `.partial` file, synced, and renamed over the
/// plaintext, so a crash leaves either file whole. Returns (sealed, left as
/// they are because their content does not match their name).
///
/// A pass that leaves nothing in clear writes the marker [`all_sealed`]
/// beside the folder, and later starts skip the walk; a restore, which may bring files from an
/// older backup, removes it ([`files_may_be_in_clear`]).
pub fn seal_plaintext_files(keys: &Keyring, files_dir: &Path) -> std::io::Result<(usize, Vec<String>)> {
    let mut sealed = 0;
    let mut mismatched = vec![];
    if !files_dir.is_dir() || all_sealed(files_dir).exists() {
        return Ok((0, mismatched));
    }
    let mut stack = vec![files_dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            if entry.file_type()?.is_dir() {
                if path.file_name().is_some_and(|n| n != "tmp") {
                    stack.push(path);
                }
                continue;
            }
            let Some(name) = path.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
            if name.len() != 64 || !name.chars().all(|c| c.is_ascii_hexdigit()) {
                continue; // a .partial left by a crash, or a stranger
            }
            let mut head = [0u8; 4];
            let n = std::fs::File::open(&path)?.read(&mut head)?;
            if is_sealed_file(&head[..n]) {
                continue;
            }
            let plain = std::fs::read(&path)?;
            if hex::encode(sha2::Sha256::digest(&plain)) != name {
                mismatched.push(name);
                continue;
            }
            let partial = path.with_extension("partial");
            let mut out = std::fs::File::create(&partial)?;
            out.write_all(&keys.seal_file(&plain))?;
            out.sync_all()?;
            drop(out);
            std::fs::rename(&partial, &path)?;
            sealed += 1;
        }
    }
    if mismatched.is_empty() {
        std::fs::write(all_sealed(files_dir), b"every evidence file in files/ is sealed\n")?;
    }
    Ok((sealed, mismatched))
}

/// The marker that says every evidence file in the folder is sealed:
/// `DATA_DIR/files.all-sealed`, beside the folder (not in it, where only
/// evidence lives).
pub fn all_sealed(files_dir: &Path) -> std::path::PathBuf {
    files_dir.with_extension("all-sealed")
}

/// Files may have come in clear (a restore from an older backup): the next
/// start looks at every file again.
pub fn files_may_be_in_clear(files_dir: &Path) {
    let _ = std::fs::remove_file(all_sealed(files_dir));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_plaintext_file_is_sealed_and_still_reads_back() {
        let keys = Keyring::generate("2026-12-03");
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("files");
        std::fs::create_dir_all(&dir).unwrap();
        let dir = dir.as_path();
        let content = b"a witness statement, scanned".repeat(5000);
        let sha = hex::encode(sha2::Sha256::digest(&content));
        let path = crate::monitoring::evidence_path(dir, &sha);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &content).unwrap();
        // A file whose content is not its name is left alone and reported.
        let wrong = crate::monitoring::evidence_path(dir, &"ab".repeat(32));
        std::fs::create_dir_all(wrong.parent().unwrap()).unwrap();
        std::fs::write(&wrong, b"not this").unwrap();
        assert_eq!(plaintext_sha256(&keys, &path).await.as_deref(), Some(sha.as_str()), "plaintext still reads");
        let (sealed, mismatched) = seal_plaintext_files(&keys, dir).unwrap();
        assert_eq!((sealed, mismatched), (1, vec!["ab".repeat(32)]));
        let on_disk = std::fs::read(&path).unwrap();
        assert!(is_sealed_file(&on_disk) && !on_disk.windows(20).any(|w| w == &content[..20]));
        assert_eq!(plaintext_sha256(&keys, &path).await.as_deref(), Some(sha.as_str()));
        let mut back = vec![];
        copy_plaintext(&keys, &path, &mut back).await.unwrap();
        assert_eq!(back, content);
        // Twice changes nothing. The reported file kept the first pass from
        // marking the folder sealed; once it is gone, a pass marks it.
        assert_eq!(seal_plaintext_files(&keys, dir).unwrap().0, 0);
        assert!(!all_sealed(dir).exists());
        std::fs::remove_file(&wrong).unwrap();
        assert_eq!(seal_plaintext_files(&keys, dir).unwrap(), (0, vec![]));
        assert!(all_sealed(dir).exists());
        files_may_be_in_clear(dir);
        assert!(!all_sealed(dir).exists());
        // Without the right key the file does not open.
        assert_eq!(plaintext_sha256(&Keyring::generate("other"), &path).await, None);
    }
}
