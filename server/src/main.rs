use std::path::PathBuf;

use clap::{Parser, Subcommand};
use huijiao_core::model::Role;
use huijiao_server::config::Config;
use tracing_subscriber::EnvFilter;

#[derive(Parser)]
#[command(
    name = "huijiao-server",
    version,
    about = "Huijiao community-corrections server"
)]
struct Cli {
    /// Optional TOML configuration file (environment variables override it).
    #[arg(long, short, global = true, env = "HUIJIAO_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve HTTP until SIGINT/SIGTERM.
    Serve {
        /// Load the demo org tree, staff and supervisees first if the database is empty, and
        /// print the demo logins.
        #[arg(long)]
        demo: bool,
    },
    /// Run pending migrations and exit.
    Migrate,
    /// Create an admin account (one duty per account: system, security or audit).
    CreateAdmin {
        #[arg(long)]
        username: String,
        #[arg(long, value_parser = ["system_admin", "security_admin", "audit_admin"])]
        role: String,
        #[arg(long)]
        display_name: Option<String>,
        /// Read the password from this environment variable instead of standard input.
        #[arg(long, default_value = "HUIJIAO_ADMIN_PASSWORD")]
        password_env: String,
    },
    /// Load demo data into an empty database and print the demo logins.
    SeedDemo,
}

fn init_tracing(cfg: &Config) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(&cfg.log_filter));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if cfg.log_json {
        builder.json().init();
    } else {
        builder.init();
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: draining requests");
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::load(cli.config.as_deref())?;
    init_tracing(&config);
    match cli.command {
        Command::Serve { demo } => {
            let listen = config.listen.clone();
            let mut state = huijiao_server::prepare(config).await?;
            huijiao_server::load_face(&mut state)?;
            if demo {
                huijiao_server::demo::seed_if_empty(&state).await?;
            }
            state.metrics =
                Some(metrics_exporter_prometheus::PrometheusBuilder::new().install_recorder()?);
            if state.config.jobs_interval_secs > 0 {
                huijiao_server::jobs::spawn(
                    state.clone(),
                    std::time::Duration::from_secs(state.config.jobs_interval_secs),
                    |s| Box::pin(huijiao_server::app::run_jobs(s)),
                );
            }
            let listener = tokio::net::TcpListener::bind(&listen).await?;
            tracing::info!(addr = %listener.local_addr()?, "listening; API docs at /api/v1/docs");
            huijiao_server::serve(state, listener, shutdown_signal()).await?;
        }
        Command::Migrate => {
            huijiao_server::prepare(config).await?;
            println!("migrations applied");
        }
        Command::CreateAdmin {
            username,
            role,
            display_name,
            password_env,
        } => {
            let state = huijiao_server::prepare(config).await?;
            let password = match std::env::var(&password_env) {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("password (from standard input):");
                    let mut line = String::new();
                    std::io::stdin().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let role = Role::parse(&role).expect("clap restricts the values");
            let u = huijiao_server::demo::create_admin(
                &state,
                &username,
                role,
                display_name.as_deref().unwrap_or(&username),
                &password,
            )
            .await?;
            println!("created {} ({}) id {}", u.username, u.role, u.id);
        }
        Command::SeedDemo => {
            let state = huijiao_server::prepare(config).await?;
            if !huijiao_server::demo::seed_if_empty(&state).await? {
                anyhow::bail!(
                    "the database already has data; demo data is loaded only into an empty one"
                );
            }
        }
    }
    Ok(())
}
