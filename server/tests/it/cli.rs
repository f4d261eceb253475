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
    // A city-level officer decides the leaves beyond the county's limits.
    assert!(stdout.contains("officer.lanzhou"), "{stdout}");
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

    // The jurisdiction's rules are settings too: a misspelt one is refused, not ignored.
    std::fs::write(&cfg, "[rules.leave]\noffice_max_day = 10\n").unwrap();
    let out = bin()
        .args(["--config", cfg.to_str().unwrap(), "migrate"])
        .env("HUIJIAO_DATA_DIR", dir.path())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("rules.leave.office_max_day"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The data folder, the database (and its WAL) and the keys are the server's alone even when
/// it is started with a permissive umask.
#[cfg(unix)]
#[test]
fn data_files_are_private_whatever_the_umask() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out = Command::new("sh")
        .args(["-c", "umask 000; exec \"$0\" migrate"])
        .arg(env!("CARGO_BIN_EXE_huijiao-server"))
        .env_remove("DATABASE_URL")
        .env("HUIJIAO_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut seen = 0;
    let mut walk = vec![data.clone()];
    while let Some(p) = walk.pop() {
        let mode = std::fs::metadata(&p).unwrap().permissions().mode() & 0o777;
        if p.is_dir() {
            assert_eq!(mode, 0o700, "{}", p.display());
            walk.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
        } else {
            assert_eq!(mode, 0o600, "{}", p.display());
            seen += 1;
        }
    }
    assert!(
        data.join("huijiao.db").exists() && seen >= 3,
        "database and keys checked"
    );
}

/// A jurisdiction's own supervision table: one level's setting changes, the rest keep the
/// national defaults; a misspelling at any depth is refused.
#[test]
fn supervision_rules_from_the_config_file() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = dir.path().join("huijiao.toml");
    std::fs::write(
        &cfg,
        "[rules.supervision.normal]\ncheckin_every_days = 3\n[rules.checkin_band]\nopens = \"07:30:00\"\n",
    )
    .unwrap();
    let c = huijiao_server::config::Config::load(Some(&cfg)).unwrap();
    assert_eq!(c.rules.supervision.normal.checkin_every_days, 3);
    assert_eq!(c.rules.supervision.normal.location_interval_minutes, 30);
    assert_eq!(
        c.rules.supervision.strict,
        huijiao_core::policy::Jurisdiction::default().strict
    );
    assert_eq!(c.rules.checkin_band.opens.to_string(), "07:30:00");
    assert_eq!(c.rules.checkin_band.closes.to_string(), "20:00:00");

    std::fs::write(&cfg, "[rules.supervision.normal]\ncheckin_every_day = 3\n").unwrap();
    let e = huijiao_server::config::Config::load(Some(&cfg)).unwrap_err();
    assert!(
        e.to_string()
            .contains("rules.supervision.normal.checkin_every_day"),
        "{e}"
    );
}

fn model_dir() -> std::path::PathBuf {
    std::env::var_os("HUIJIAO_MODEL_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("run by cargo"))
                .join("../../shared/models")
        })
}

/// Started from a directory other than the repository (here: an empty folder), the server
/// says where it looked for the models and how to fix it; given the models, it serves, with
/// its relative data directory under the working directory.
#[test]
fn serve_from_another_directory() {
    // A folder whose parent is empty too, so `../shared/models` exists nowhere.
    let root = tempfile::tempdir().unwrap();
    let cwd = root.path().join("elsewhere");
    std::fs::create_dir(&cwd).unwrap();
    let out = bin()
        .args(["serve"])
        .current_dir(&cwd)
        .env_remove("HUIJIAO_MODEL_DIR")
        .env_remove("HUIJIAO_DATA_DIR")
        .env("HUIJIAO_LISTEN", "127.0.0.1:0")
        .env("HUIJIAO_JOBS_INTERVAL_SECS", "0")
        .output()
        .unwrap();
    assert!(!out.status.success(), "no models, no server");
    let err = String::from_utf8_lossy(&out.stderr);
    let looked = cwd.join("../shared/models");
    assert!(
        err.contains(&format!("looked in {}", looked.display())),
        "names the resolved folder: {err}"
    );
    assert!(err.contains("relative to the working directory"), "{err}");
    assert!(err.contains("scripts/rebuild-models.sh"), "{err}");
    assert!(err.contains("HUIJIAO_MODEL_DIR"), "{err}");

    let models = std::path::absolute(model_dir()).unwrap();
    let mut child = bin()
        .args(["serve"])
        .current_dir(&cwd)
        .env_remove("HUIJIAO_DATA_DIR")
        .env("HUIJIAO_MODEL_DIR", &models)
        .env("HUIJIAO_LISTEN", "127.0.0.1:0")
        .env("HUIJIAO_JOBS_INTERVAL_SECS", "0")
        .env("HUIJIAO_LOG_JSON", "true")
        .env("RUST_LOG", "info")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let addr = std::io::BufRead::lines(std::io::BufReader::new(stdout))
        .map_while(Result::ok)
        .find_map(|line| {
            let v: serde_json::Value = serde_json::from_str(&line).ok()?;
            v["fields"]["addr"].as_str().map(str::to_owned)
        });
    let health = addr.as_deref().map(|addr| {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        write!(
            s,
            "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut body = String::new();
        s.read_to_string(&mut body).unwrap();
        body
    });
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let health = health.unwrap_or_else(|| {
        panic!(
            "server did not start: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    assert!(
        cwd.join("data/huijiao.db").exists(),
        "the default data_dir is relative to the working directory"
    );
}
