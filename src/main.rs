//! The `kpsite` command line: parse arguments, run a command, map the
//! result to an exit code (0 ok, 1 the site has errors, 2 bad command line).

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};
use kpsite::commands::init::Lang;
use kpsite::commands::report::{Format, ReportArgs};
use kpsite::commands::schema::SchemaName;
use kpsite::commands::{self, build::BuildArgs};
use kpsite::validate::Options;

#[derive(Parser)]
#[command(
    name = "kpsite",
    version,
    about = "Static sites that sell courses, memberships and a community"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Scaffold a working site in DIR (missing or empty).
    Init {
        /// Where to create the site.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Language of the scaffold's settings, texts and theme strings.
        #[arg(long, value_enum, ignore_case = true, default_value_t = Lang::En)]
        lang: Lang,
        /// Deliver paid lessons encrypted (`delivery: encrypted`): also
        /// creates the site secret in .kpsite/secret (git-ignored).
        #[arg(long)]
        encrypted: bool,
    },
    /// Build the site into public/ (or -o OUT), atomically.
    Build {
        /// The site folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Output folder for the public site; members/ and report/ are
        /// written beside it. Must be new, empty or an earlier kpsite output.
        #[arg(short = 'o', long = "output")]
        out: Option<PathBuf>,
        /// Also write the full site, paid lessons included, to members/
        /// beside the public output (DIR/members by default).
        #[arg(long)]
        members: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Estimate revenue, cost and ROI per offer; write report/ and print it.
    Report {
        /// The site folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// What to print on stdout.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Build time (RFC 3339); default SOURCE_DATE_EPOCH, else the clock.
        #[arg(long)]
        now: Option<String>,
        /// A sales export (Gumroad, Stripe, Lemon Squeezy or PayPal CSV) to
        /// set actual figures beside the estimate; repeatable.
        #[arg(long = "sales", value_name = "FILE")]
        sales: Vec<PathBuf>,
    },
    /// Print each offer's unlock link (delivery: encrypted), one
    /// `OFFER-ID<TAB>URL` line per offer on stdout.
    #[command(args_conflicts_with_subcommands = true)]
    Keys {
        #[command(subcommand)]
        action: Option<KeysAction>,
        /// The site folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print the JSON Schema of a site file, for editors.
    Schema {
        /// Which file: kpsite (kpsite.yaml), manifest, calendar, or the
        /// front matter of a lesson or page.
        #[arg(value_enum)]
        name: SchemaName,
    },
    /// Print a shell completion script on stdout, e.g.
    /// `kpsite completions bash > ~/.local/share/bash-completion/completions/kpsite`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff) of kpsite, or of one of its commands,
    /// on stdout, e.g. `kpsite man build > ~/.local/share/man/man1/kpsite-build.1`.
    Man {
        /// A command (init, build, ...); without it, the page of kpsite.
        command: Option<String>,
    },
    /// Validate everything, render in memory and check links; write nothing.
    Check {
        /// The site folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Also check external http(s) links (needs the network; failures
        /// to connect are warnings).
        #[arg(long)]
        external: bool,
        #[command(flatten)]
        common: CommonArgs,
    },
    /// Serve the site with live reload at http://127.0.0.1:1111/.
    Serve {
        /// The site folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (0 picks a free one).
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; the default serves this machine only.
        #[arg(short, long, default_value = "127.0.0.1")]
        bind: IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include lessons and pages marked draft.
        #[arg(long)]
        drafts: bool,
        /// Preview the members' site: every paid lesson in full (never
        /// deploy what serve shows).
        #[arg(long)]
        members: bool,
    },
}

#[derive(Subcommand)]
enum KeysAction {
    /// Give OFFER a new key: its old unlock links stop working on the next
    /// build; other offers' links keep working.
    Rotate {
        /// The offer id (course, membership or bundle).
        offer: String,
        /// The site folder.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(clap::Args)]
struct CommonArgs {
    /// Include lessons and pages marked draft.
    #[arg(long)]
    drafts: bool,
    /// Override base_url from kpsite.yaml.
    #[arg(long)]
    base_url: Option<String>,
    /// Build time (RFC 3339); default SOURCE_DATE_EPOCH, else the clock.
    #[arg(long)]
    now: Option<String>,
}

impl CommonArgs {
    fn options(&self) -> Result<Options, String> {
        let now = commands::build_time(self.now.as_deref())?;
        if let Some(url) = &self.base_url {
            kpsite::validate::normalize_base_url(url)
                .map_err(|e| kpsite::validate::flag_blame(&e))?;
        }
        Ok(Options {
            drafts: self.drafts,
            base_url: self.base_url.clone(),
            now,
        })
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let errors = match cli.command {
        Command::Init {
            dir,
            lang,
            encrypted,
        } => match commands::init::run(&dir, lang, encrypted) {
            Ok(()) => 0,
            Err(e) => {
                eprintln!("error: {e}");
                1
            }
        },
        Command::Build {
            dir,
            out,
            members,
            common,
        } => match common.options() {
            Ok(options) => commands::build::run(&BuildArgs {
                dir,
                out,
                members,
                options,
            }),
            Err(e) => return usage_error(&e),
        },
        Command::Report {
            dir,
            format,
            now,
            sales,
        } => match commands::build_time(now.as_deref()) {
            Ok(now) => commands::report::run(&ReportArgs {
                dir,
                format,
                sales,
                options: Options {
                    drafts: false,
                    base_url: None,
                    now,
                },
            }),
            Err(e) => return usage_error(&e),
        },
        Command::Schema { name } => commands::schema::run(name),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "kpsite", &mut script);
            print_bytes(&script)
        }
        Command::Man { command } => match man_page(command.as_deref()) {
            Ok(page) => print_bytes(&page),
            Err(e) => return usage_error(&e),
        },
        Command::Keys { action, dir } => {
            let now = match commands::build_time(None) {
                Ok(now) => now,
                Err(e) => return usage_error(&e),
            };
            let options = Options {
                drafts: false,
                base_url: None,
                now,
            };
            match action {
                None => commands::keys::run(&dir, &options),
                Some(KeysAction::Rotate { offer, dir }) => {
                    commands::keys::rotate(&dir, &offer, &options)
                }
            }
        }
        Command::Check {
            dir,
            external,
            common,
        } => match common.options() {
            Ok(options) => commands::check::run(&dir, &options, external),
            Err(e) => return usage_error(&e),
        },
        Command::Serve {
            dir,
            port,
            bind,
            open,
            drafts,
            members,
        } => commands::serve::run(&commands::serve::ServeArgs {
            dir,
            bind,
            port,
            open,
            drafts,
            members,
        }),
    };
    if errors == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The roff manual page of kpsite, or of its command `name`
/// (`kpsite-NAME(1)`, the page the main one refers to).
fn man_page(name: Option<&str>) -> Result<Vec<u8>, String> {
    let mut cli = Cli::command().disable_help_subcommand(true);
    cli.build();
    let cmd = match name {
        None => cli,
        Some(name) => {
            let found = cli
                .get_subcommands()
                .find(|c| c.get_name() == name)
                .cloned();
            found.ok_or_else(|| {
                let names: Vec<&str> = cli.get_subcommands().map(|c| c.get_name()).collect();
                format!(
                    "no command `{name}`; man pages exist for: {}",
                    names.join(", ")
                )
            })?
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd)
        .render(&mut page)
        .map_err(|e| format!("cannot render the manual page: {e}"))?;
    Ok(page)
}

/// Writes generated text to stdout; a closed pipe (`| head`) is not a
/// crash, just the end of the output.
fn print_bytes(bytes: &[u8]) -> usize {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot write to stdout: {e}");
            1
        }
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}
