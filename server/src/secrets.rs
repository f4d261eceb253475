//! Secret files (signing keys, HMAC and media keys): read, or generated once with mode 0600.
//! A leaf: it imports no other module of the server.

use std::path::Path;

/// Reads a secret file, or creates it with `len` random bytes (mode 0600) when absent.
/// `check` validates what was read so a corrupt file is a start-up error, not a silent pass.
pub fn load_or_generate_secret(
    path: &Path,
    len: usize,
    check: impl Fn(&[u8]) -> anyhow::Result<()>,
) -> anyhow::Result<Vec<u8>> {
    match std::fs::read(path) {
        Ok(bytes) => {
            check(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            Ok(bytes)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut bytes = vec![0u8; len];
            rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut bytes);
            write_private(path, &bytes)?;
            Ok(bytes)
        }
        Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
    }
}

/// Makes `dir` (created if missing) and everything this process creates from now on private
/// to the server's user: umask 077, so the SQLite database, its WAL and journal, the media
/// blobs and their folders are 0600/0700 whatever umask the server was started with; `dir`
/// itself is set to 0700 in case it existed.
pub fn make_private(dir: &Path) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
        std::fs::create_dir_all(dir)?;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| anyhow::anyhow!("cannot make {} private: {e}", dir.display()))?;
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)?;
    Ok(())
}

pub fn write_private(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    opts.mode(0o600);
    let mut f = opts
        .open(path)
        .map_err(|e| anyhow::anyhow!("cannot create {}: {e}", path.display()))?;
    f.write_all(bytes)?;
    f.sync_all()?;
    Ok(())
}
