//! `cartable`: parse the command line, then run the server or a maintenance command.

use cartable::cli::{Cli, Command};
use cartable::{commands, demo, logging, server};
use clap::Parser;
use std::io::Write;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Before any thread starts: the only moment the local time zone can be read safely.
    cartable::clock::init_local_offset();
    let cli = Cli::parse();
    logging::init(cli.verbose);
    let result = match cli.command {
        Command::Serve(l) => serve(
            server::Options {
                http: l.http,
                https: l.https,
                templates: l.templates,
                smtp: l.smtp,
                submission: l.submission,
                submissions: l.submissions,
                ..server::Options::new(cli.data)
            },
            false,
        ),
        Command::Demo(l) => serve(
            server::Options {
                http: l.http,
                https: l.https,
                templates: l.templates,
                smtp: l.smtp,
                submission: l.submission,
                submissions: l.submissions,
                ..server::Options::new(cli.data)
            },
            true,
        ),
        Command::User(cmd) => commands::user(&cli.data, cmd),
        Command::Check => commands::check(&cli.data),
        Command::Mail(cmd) => commands::mail(&cli.data, cmd),
        Command::Provision { from, root } => {
            return commands::provision(&cli.data, &from, root.as_deref());
        }
        Command::Banner { write } => commands::banner(&cli.data, write.as_deref()),
        Command::Status => commands::status(&cli.data),
        Command::Backup { to, auto } => commands::backup(&cli.data, to.as_deref(), auto),
        Command::Restore { from } => commands::restore(&cli.data, &from),
        Command::Update(args) => commands::update(&cli.data, *args),
        Command::App(cmd) => commands::app(&cli.data, cmd),
        Command::Library(cmd) => commands::library(&cli.data, cmd),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cartable: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(opts: server::Options, demo_school: bool) -> Result<(), String> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    rt.block_on(async {
        if demo_school {
            demo::ensure(&opts.data).await?;
        }
        let running = server::start(opts.clone())
            .await
            .map_err(|e| e.to_string())?;
        // Scripts read these lines; a closed stdout must not stop the server, so errors
        // writing them are ignored (println! would panic).
        let mut out = std::io::stdout();
        for line in running.describe() {
            let _ = writeln!(out, "{line}");
        }
        let _ = out.flush();
        if demo_school {
            demo::print_welcome(&opts.data, &running);
        }
        log::info!(
            "Cartable {} serving {}",
            cartable::VERSION,
            opts.data.display()
        );
        shutdown_signal().await;
        log::info!("stopping");
        if let Err(e) = running.app.auth.save_session_uses().await {
            log::warn!("saving sessions' last uses: {e}");
        }
        Ok(())
    })
}

async fn shutdown_signal() {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate()).expect("a SIGTERM handler");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {},
        _ = term.recv() => {},
    }
}
