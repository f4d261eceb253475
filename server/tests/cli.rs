//! The binary's commands on a fresh data directory.

use std::process::Command;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_huijiao-server"));
    c.env_remove("DATABASE_URL").env("RUST_LOG", "warn");
    c
}

#[test]
fn migrate_create_admin_and_seed_demo() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = bin()
        .args(["migrate"])
        .env("HUIJIAO_DATA_DIR", data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("huijiao.db").exists());
    assert!(dir.path().join("jwt-ed25519.pk8").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("jwt-ed25519.pk8"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "the signing key is private to its owner");
    }

    let out = bin()
        .args([
            "create-admin",
            "--username",
            "root.admin",
            "--role",
            "audit_admin",
        ])
        .env("HUIJIAO_DATA_DIR", data)
        .env("HUIJIAO_ADMIN_PASSWORD", "weak")
        .output()
        .unwrap();
    assert!(!out.status.success(), "a weak password is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("auth.password_weak"));
    let out = bin()
        .args([
            "create-admin",
            "--username",
            "root.admin",
            "--role",
            "audit_admin",
        ])
        .env("HUIJIAO_DATA_DIR", data)
        .env("HUIJIAO_ADMIN_PASSWORD", "Audit-Admin-2026")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Demo data goes only into an empty database.
    let out = bin()
        .args(["seed-demo"])
        .env("HUIJIAO_DATA_DIR", data)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let fresh = tempfile::tempdir().unwrap();
    let out = bin()
        .args(["seed-demo"])
        .env("HUIJIAO_DATA_DIR", fresh.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("officer.donggang") && stdout.contains(huijiao_server::demo::DEMO_PASSWORD)
    );
}

#[test]
fn corrupt_key_and_bad_config_are_start_up_errors() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("jwt-ed25519.pk8"), b"not a key").unwrap();
    let out = bin()
        .args(["migrate"])
        .env("HUIJIAO_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("jwt-ed25519.pk8"));

    let cfg = dir.path().join("huijiao.toml");
    std::fs::write(&cfg, "listen = \"127.0.0.1:0\"\nno_such_setting = 1\n").unwrap();
    let out = bin()
        .args(["--config", cfg.to_str().unwrap(), "migrate"])
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "unknown settings are refused, not ignored"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("no_such_setting"));
}
